// Package planfiletest builds saved plans by hand, as Terraform writes
// them, for the tests of the saved-plan readers: a tfplan record with
// protowire, a backend configuration with cty's msgpack, zipped with a
// lock file. Only tests import it.
package planfiletest

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/protobuf/encoding/protowire"
)

// Entry is one archive entry.
type Entry struct {
	Name string
	Data []byte
}

// Archive zips entries, deflated as Terraform does.
func Archive(t testing.TB, entries ...Entry) []byte {
	return zipWith(t, zip.Deflate, entries)
}

// Stored zips entries uncompressed.
func Stored(t testing.TB, entries ...Entry) []byte {
	return zipWith(t, zip.Store, entries)
}

func zipWith(t testing.TB, method uint16, entries []Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// MsgpackObject encodes attrs as cty's msgpack of an object, as Terraform
// encodes a backend's configuration.
func MsgpackObject(t testing.TB, attrs map[string]cty.Value) []byte {
	t.Helper()
	v := cty.ObjectVal(attrs)
	b, err := ctymsgpack.Marshal(v, v.Type())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Dynamic is a DynamicValue message holding msgpack.
func Dynamic(mp []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), mp)
}

// Bytes appends a length-delimited field.
func Bytes(b []byte, num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

// Varint appends a varint field.
func Varint(b []byte, num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

// Change is a ResourceInstanceChange message: address, deposed key,
// action (planproto.Action) and, when hasPrivate, private data.
func Change(addr, deposed string, action uint64, private string, hasPrivate bool) []byte {
	var ch []byte
	if action != 0 {
		ch = Varint(ch, 1, action)
	}
	ch = Bytes(ch, 2, Dynamic([]byte{0xc0})) // values: null before
	var b []byte
	b = Bytes(b, 13, []byte(addr))
	if deposed != "" {
		b = Bytes(b, 7, []byte(deposed))
	}
	b = Bytes(b, 8, []byte(`provider["registry.terraform.io/hashicorp/null"]`))
	b = Bytes(b, 9, ch)
	if hasPrivate {
		b = Bytes(b, 10, []byte(private))
	}
	return b
}

// LocalBackend is the Backend message of a local backend.
func LocalBackend(t testing.TB, path, workspace string) []byte {
	mp := MsgpackObject(t, map[string]cty.Value{"path": cty.StringVal(path), "workspace_dir": cty.NullVal(cty.String)})
	var b []byte
	b = Bytes(b, 1, []byte("local"))
	b = Bytes(b, 2, Dynamic(mp))
	return Bytes(b, 3, []byte(workspace))
}

// Record is a tfplan record with some changes (an unread field) and
// the given backend and mode.
func Record(backend []byte, mode uint64) []byte {
	var b []byte
	b = Varint(b, 1, 3)
	b = Bytes(b, 3, Change("terraform_data.x", "", 3, "", false)) // an update: not kept
	b = Bytes(b, 13, backend)
	b = Bytes(b, 14, []byte("1.11.4"))
	if mode != 0 {
		b = Varint(b, 17, mode)
	}
	b = Bytes(b, 21, []byte("2026-12-04T16:08:40Z"))
	return Varint(b, 25, 1)
}

// LockFile is a lock file of one provider, as terraform init writes it.
const LockFile = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/planguard/planguard" {
  version     = "0.1.0"
  constraints = "0.1.0"
  hashes = [
    "h1:58GnwdF0bL4yi3uefusa9ECmPlLvKr4oT0KZCyC2rDU=",
  ]
}
`

// SavedPlan is a complete saved plan around a tfplan record.
func SavedPlan(t testing.TB, tfplan []byte) []byte {
	return Archive(t,
		Entry{"tfplan", tfplan},
		Entry{"tfstate", []byte(`{"version":4}`)},
		Entry{"tfstate-prev", []byte(`{"version":4}`)},
		Entry{"tfconfig/m-/main.tf", []byte(`resource "terraform_data" "x" {}`)},
		Entry{"tfconfig/modules.json", []byte(`[{"Key":"","Source":"","Dir":"."}]`)},
		Entry{".terraform.lock.hcl", []byte(LockFile)},
	)
}

// Minimal is a saved plan of the local backend in the default workspace,
// made in normal mode, with LockFile.
func Minimal(t testing.TB) []byte {
	return SavedPlan(t, Record(LocalBackend(t, "terraform.tfstate", "default"), 0))
}
