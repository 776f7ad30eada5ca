package planfile

import (
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"

	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"google.golang.org/protobuf/encoding/protowire"
)

func read(data []byte) (*File, error) { return ReadFrom(bytes.NewReader(data), int64(len(data))) }

// TestHandBuilt: a plan built as Terraform writes one reads back whole.
func TestHandBuilt(t *testing.T) {
	f, err := read(savedPlan(t, tfplanRecord(localBackend(t, "a.tfstate", "prod"), 2)))
	if err != nil {
		t.Fatal(err)
	}
	want := &File{
		FormatVersion: 3, TerraformVersion: "1.11.4", Mode: ModeRefreshOnly,
		Backend: Backend{Type: "local", Config: `{"path":"a.tfstate","workspace_dir":null}`, Workspace: "prod"},
		Locks: lockfile.Locks{"registry.terraform.io/planguard/planguard": {Source: "registry.terraform.io/planguard/planguard", Version: "0.1.0", Constraints: "0.1.0",
			Hashes: []string{"h1:58GnwdF0bL4yi3uefusa9ECmPlLvKr4oT0KZCyC2rDU="}}},
		LockFile: []byte(lockFile),
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got  %+v\nwant %+v", f, want)
	}
	m, err := f.Backend.ConfigValues()
	if err != nil || m["path"] != "a.tfstate" || m["workspace_dir"] != nil || len(m) != 2 {
		t.Errorf("ConfigValues = %v, %v", m, err)
	}
}

// TestStateStore: Terraform 1.14's state_store, with its provider.
func TestStateStore(t *testing.T) {
	var prov []byte
	prov = str(prov, 1, []byte("registry.terraform.io/hashicorp/aws"))
	prov = str(prov, 2, []byte("6.0.0"))
	prov = str(prov, 3, dynamic(msgpackObject(t, map[string]cty.Value{"region": cty.StringVal("eu-west-1")})))
	var store []byte
	store = str(store, 1, []byte("aws_s3"))
	store = str(store, 2, dynamic(msgpackObject(t, map[string]cty.Value{"bucket": cty.StringVal("b"), "n": cty.NumberIntVal(3)})))
	store = str(store, 3, []byte("default"))
	store = str(store, 4, prov)
	var rec []byte
	rec = varint(rec, fieldVersion, 3)
	rec = str(rec, fieldTerraformVersion, []byte("1.14.0"))
	rec = str(rec, fieldStateStore, store)
	f, err := read(savedPlan(t, rec))
	if err != nil {
		t.Fatal(err)
	}
	want := Backend{StateStore: true, Type: "aws_s3", Config: `{"bucket":"b","n":3}`, Workspace: "default",
		Provider: &StoreProvider{Source: "registry.terraform.io/hashicorp/aws", Version: "6.0.0", Config: `{"region":"eu-west-1"}`}}
	if !reflect.DeepEqual(f.Backend, want) {
		t.Errorf("got  %+v\nwant %+v", f.Backend, want)
	}
}

// TestRefused: what a saved plan must not be.
func TestRefused(t *testing.T) {
	good := localBackend(t, "a.tfstate", "default")
	rec := func(fields ...[]byte) []byte { return bytes.Join(fields, nil) }
	v3 := varint(nil, fieldVersion, 3)
	tfv := str(nil, fieldTerraformVersion, []byte("1.11.4"))
	be := str(nil, fieldBackend, good)
	lock := ent(".terraform.lock.hcl", []byte(lockFile))
	plan := func(r []byte) entry { return ent("tfplan", r) }
	okPlan := plan(rec(v3, be, tfv))
	dupKeys := []byte{0x82, 0xa4, 'p', 'a', 't', 'h', 0xa1, 'a', 0xa4, 'p', 'a', 't', 'h', 0xa1, 'b'} // {"path":"a","path":"b"}
	for _, tt := range []struct {
		name    string
		data    []byte
		sentry  error
		message string
	}{
		{"not a zip", []byte("PK\x03\x04 not really"), ErrNotSavedPlan, "zip"},
		{"empty", nil, ErrNotSavedPlan, "zip"},
		{"no tfplan", archive(t, lock), ErrNotSavedPlan, "no tfplan"},
		{"no lock file", archive(t, okPlan), ErrMalformed, "no .terraform.lock.hcl"},
		{"duplicate tfplan", archive(t, okPlan, okPlan, lock), ErrMalformed, "twice"},
		{"duplicate lock file", archive(t, okPlan, lock, lock), ErrMalformed, "twice"},
		{"foreign entry", archive(t, okPlan, lock, ent("tfplan.bak", nil)), ErrMalformed, "not an entry"},
		{"case variant", archive(t, okPlan, lock, ent("TFPLAN", nil)), ErrMalformed, "not an entry"},
		{"leaving the archive", archive(t, okPlan, lock, ent("tfconfig/../tfplan", nil)), ErrMalformed, "relative and clean"},
		{"absolute", archive(t, okPlan, lock, ent("tfconfig//etc/passwd", nil)), ErrMalformed, "relative and clean"},
		{"backslash", archive(t, okPlan, lock, ent(`tfconfig/m-\main.tf`, nil)), ErrMalformed, "snapshot path"},
		{"directory", archive(t, okPlan, lock, ent("tfconfig/m-/", nil)), ErrMalformed, "relative and clean"},
		{"version 2", archive(t, plan(rec(varint(nil, fieldVersion, 2), be, tfv)), lock), ErrMalformed, "format version 2"},
		{"no version", archive(t, plan(rec(be, tfv)), lock), ErrMalformed, "format version 0"},
		{"no terraform version", archive(t, plan(rec(v3, be)), lock), ErrMalformed, "no terraform_version"},
		{"no backend", archive(t, plan(rec(v3, tfv)), lock), ErrMalformed, "neither"},
		{"two backends", archive(t, plan(rec(v3, be, tfv, be)), lock), ErrMalformed, "field 13 appears twice"},
		{"backend and store", archive(t, plan(rec(v3, be, tfv, str(nil, fieldStateStore, good))), lock), ErrMalformed, "both"},
		{"mode twice", archive(t, plan(rec(v3, varint(nil, fieldUIMode, 1), be, tfv, varint(nil, fieldUIMode, 0))), lock), ErrMalformed, "field 17 appears twice"},
		{"unknown mode", archive(t, plan(rec(v3, varint(nil, fieldUIMode, 3), be, tfv)), lock), ErrMalformed, "unknown planning mode 3"},
		{"backend as varint", archive(t, plan(rec(v3, varint(nil, fieldBackend, 1), tfv)), lock), ErrMalformed, "wire type"},
		{"group", archive(t, plan(rec(v3, be, tfv, protowire.AppendTag(nil, 40, protowire.StartGroupType))), lock), ErrMalformed, "wire type 3"},
		{"truncated record", archive(t, plan(rec(v3, be, tfv)[:20]), lock), ErrMalformed, "truncated"},
		{"truncated varint", archive(t, plan(rec(v3, be, tfv, []byte{0x80})), lock), ErrMalformed, "truncated"},
		{"long varint", archive(t, plan(rec(v3, be, tfv, []byte{0x80, 0x80, 0x00})), lock), ErrMalformed, "shortest"},
		{"field 0", archive(t, plan(rec(v3, be, tfv, []byte{0x00})), lock), ErrMalformed, "field number 0"},
		{"backend without type", archive(t, plan(rec(v3, str(nil, fieldBackend, good[7:]), tfv)), lock), ErrMalformed, "no type"},
		{"backend unknown field", archive(t, plan(rec(v3, str(nil, fieldBackend, str(good, 9, []byte("x"))), tfv)), lock), ErrMalformed, "field 9"},
		{"backend field twice", archive(t, plan(rec(v3, str(nil, fieldBackend, str(good, 3, []byte("prod"))), tfv)), lock), ErrMalformed, "field 3 appears twice"},
		{"no workspace", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(nil, 1, []byte("local")), 2, dynamic(msgpackObject(t, map[string]cty.Value{"path": cty.StringVal("a")})))), tfv)), lock), ErrMalformed, "no workspace"},
		{"config duplicate attribute", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic(dupKeys)), 3, []byte("default"))), tfv)), lock), ErrMalformed, "backend.config"},
		{"config wide integer", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0x81, 0xa1, 'n', 0xd1, 0x00, 0x01})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "canonical"},
		{"config unsorted", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0x82, 0xa1, 'b', 0x01, 0xa1, 'a', 0x02})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "canonical"},
		{"config not an object", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0xa1, 'x'})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "not an object"},
		{"config unknown", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0x81, 0xa1, 'p', 0xd4, 0, 0})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "unknown"},
		{"config empty", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, nil), 3, []byte("default"))), tfv)), lock), ErrMalformed, "no msgpack"},
		{"lock file not HCL", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider {"))), ErrMalformed, ".terraform.lock.hcl"},
		{"lock file unknown block", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("module \"x\" {}\n"))), ErrMalformed, "module blocks are not supported"},
		{"lock file twice the provider", archive(t, okPlan, ent(".terraform.lock.hcl", []byte(lockFile+lockFile))), ErrMalformed, "locked twice"},
		{"lock file short address", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider \"hashicorp/aws\" {\n version = \"1.0.0\"\n}\n"))), ErrMalformed, "full source address"},
		{"lock file no version", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider \"a/b/c\" {\n}\n"))), ErrMalformed, "version"},
		{"lock file computed", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider \"a/b/c\" {\n version = var.v\n}\n"))), ErrMalformed, "version must be a string"},
		{"lock file nested deep", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider \"a/b/c\" {\n version = \"1\"\n hashes = "+strings.Repeat("[", 1<<16)+strings.Repeat("]", 1<<16)+"\n}\n"))), ErrMalformed, "nested more than 512 levels deep"},
		{"config nested deep", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic(append(append([]byte{0x81, 0xa1, 'x'}, bytes.Repeat([]byte{0x91}, 1<<15)...), 0xc0))), 3, []byte("default"))), tfv)), lock), ErrMalformed, "nested deeper"},
		{"config too long", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic(append([]byte{0x81, 0xa1, 'x', 0xc6, 0, 1, 0, 0}, make([]byte, 1<<16)...))), 3, []byte("default"))), tfv)), lock), ErrMalformed, "at most"},
		{"config truncated", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0x82, 0xa1, 'x', 0xc0})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "truncated"},
		{"config trailing bytes", archive(t, plan(rec(v3, str(nil, fieldBackend, str(str(str(nil, 1, []byte("local")), 2, dynamic([]byte{0x81, 0xa1, 'x', 0xc0, 0xc0})), 3, []byte("default"))), tfv)), lock), ErrMalformed, "after the msgpack"},
		{"snapshot nested deep", archive(t, okPlan, lock, ent("tfconfig/m-/main.tf", []byte("locals {\n  x = "+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+"\n}\n"))), ErrMalformed, "tfconfig/m-/main.tf: brackets, operators or template directives nested more than 512 levels deep"},
		{"snapshot operators deep", archive(t, okPlan, lock, ent("tfconfig/m-a/x.tofu", []byte("locals {\n  x = "+strings.Repeat("!", 100000)+"true\n}\n"))), ErrMalformed, "tfconfig/m-a/x.tofu: "},
		{"snapshot JSON nested deep", archive(t, okPlan, lock, ent("tfconfig/m-/main.tf.json", []byte(`{"locals": {"x": `+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}}`))), ErrMalformed, "tfconfig/m-/main.tf.json: brackets nested more than 512"},
		{"snapshot JSON template deep", archive(t, okPlan, lock, ent("tfconfig/m-/main.tf.json", []byte(`{"locals": {"x": "`+strings.Repeat(`${(`, 100000)+`"}}`))), ErrMalformed, "nested more than 512 levels deep"},
		{"snapshot manifest deep", archive(t, okPlan, lock, ent("tfconfig/modules.json", []byte(strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))), ErrMalformed, "tfconfig/modules.json: brackets nested"},
		{"lock file bad hash", archive(t, okPlan, ent(".terraform.lock.hcl", []byte("provider \"a/b/c\" {\n version = \"1\"\n hashes = [\"nohash\"]\n}\n"))), ErrMalformed, "has no scheme"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := read(tt.data)
			if err == nil {
				t.Fatalf("read: %+v, want an error", f)
			}
			if !errors.Is(err, tt.sentry) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q, want %v with %q", err, tt.sentry, tt.message)
			}
		})
	}
}

// TestCorruptEntry: a record whose bytes changed after zipping fails the
// archive's checksum.
func TestCorruptEntry(t *testing.T) {
	rec := tfplanRecord(localBackend(t, "a.tfstate", "default"), 0)
	data := storedArchive(t, ent("tfplan", rec), ent(".terraform.lock.hcl", []byte(lockFile)))
	if _, err := read(data); err != nil {
		t.Fatal(err)
	}
	for _, what := range [][]byte{[]byte("terraform_data.x"), []byte("0.1.0")} {
		at := bytes.Index(data, what)
		if at < 0 {
			t.Fatalf("%q is not in the archive", what)
		}
		bad := bytes.Clone(data)
		bad[at] ^= 0x20
		if _, err := read(bad); err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "checksum") {
			t.Errorf("changing %q: %v, want a checksum error", what, err)
		}
	}
}
