package planfile

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
	"google.golang.org/protobuf/encoding/protowire"
)

// A hand-built saved plan, for the crafted cases and the fuzzer's seeds:
// the records as Terraform writes them (the real plans are in
// realplan_test.go).

// entry is one archive entry.
type entry struct {
	name string
	data []byte
}

// archive zips entries, deflated as Terraform does.
func archive(t testing.TB, entries ...entry) []byte {
	return zipWith(t, zip.Deflate, entries)
}

// storedArchive zips entries uncompressed.
func storedArchive(t testing.TB, entries ...entry) []byte {
	return zipWith(t, zip.Store, entries)
}

func zipWith(t testing.TB, method uint16, entries []entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// msgpackObject encodes attrs as cty's msgpack of an object, as Terraform
// encodes a backend's configuration.
func msgpackObject(t testing.TB, attrs map[string]cty.Value) []byte {
	t.Helper()
	v := cty.ObjectVal(attrs)
	b, err := ctymsgpack.Marshal(v, v.Type())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dynamic is a DynamicValue message holding msgpack.
func dynamic(mp []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), mp)
}

// str appends a length-delimited field.
func str(b []byte, num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

// varint appends a varint field.
func varint(b []byte, num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

// localBackend is the Backend message of a local backend.
func localBackend(t testing.TB, path, workspace string) []byte {
	mp := msgpackObject(t, map[string]cty.Value{"path": cty.StringVal(path), "workspace_dir": cty.NullVal(cty.String)})
	var b []byte
	b = str(b, 1, []byte("local"))
	b = str(b, 2, dynamic(mp))
	return str(b, 3, []byte(workspace))
}

// tfplanRecord is a tfplan record with some changes (an unread field) and
// the given backend and mode.
func tfplanRecord(backend []byte, mode uint64) []byte {
	var b []byte
	b = varint(b, fieldVersion, 3)
	b = str(b, 3, []byte("a resource change planguard does not read"))
	b = str(b, fieldBackend, backend)
	b = str(b, fieldTerraformVersion, []byte("1.11.4"))
	if mode != 0 {
		b = varint(b, fieldUIMode, mode)
	}
	b = str(b, 21, []byte("2026-12-04T16:08:40Z"))
	return varint(b, 25, 1)
}

const lockFile = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/planguard/planguard" {
  version     = "0.1.0"
  constraints = "0.1.0"
  hashes = [
    "h1:58GnwdF0bL4yi3uefusa9ECmPlLvKr4oT0KZCyC2rDU=",
  ]
}
`

// savedPlan is a complete hand-built saved plan around a tfplan record.
func savedPlan(t testing.TB, tfplan []byte) []byte {
	return archive(t,
		entry{"tfplan", tfplan},
		entry{"tfstate", []byte(`{"version":4}`)},
		entry{"tfstate-prev", []byte(`{"version":4}`)},
		entry{"tfconfig/m-/main.tf", []byte(`resource "terraform_data" "x" {}`)},
		entry{"tfconfig/modules.json", []byte(`{"Modules":[]}`)},
		entry{".terraform.lock.hcl", []byte(lockFile)},
	)
}
