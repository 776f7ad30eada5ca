package planfile

import (
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"

	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// FuzzRead: whatever the bytes (a corrupt, truncated or crafted archive,
// a tfplan record or lock file of any content), Read returns a saved plan
// or an error wrapping ErrNotSavedPlan or ErrMalformed, and never panics;
// what it returns is well formed.
func FuzzRead(f *testing.F) {
	good := tfplanRecord(localBackend(f, "a.tfstate", "default"), 0)
	f.Add(savedPlan(f, good))
	f.Add(savedPlan(f, tfplanRecord(localBackend(f, "b.tfstate", "prod"), 1)))
	f.Add(storedArchive(f, ent("tfplan", good), ent(".terraform.lock.hcl", []byte(lockFile))))
	var store []byte
	store = str(store, 1, []byte("s"))
	store = str(store, 2, dynamic(msgpackObject(f, map[string]cty.Value{"l": cty.ListVal([]cty.Value{cty.NumberFloatVal(1.5)})})))
	store = str(store, 3, []byte("default"))
	store = str(store, 4, str(str(nil, 1, []byte("a/b/c")), 3, dynamic(msgpackObject(f, map[string]cty.Value{}))))
	f.Add(savedPlan(f, str(str(varint(nil, fieldVersion, 3), fieldTerraformVersion, []byte("1.14.0")), fieldStateStore, store)))
	f.Add([]byte("PK\x03\x04"))
	f.Add(archive(f, ent("tfplan", good), ent(".terraform.lock.hcl", []byte(lockFile)), ent("tfconfig/modules.json", []byte(`[{"Key":"","Dir":"."},{"Key":"m","Dir":"m"}]`)),
		ent("tfconfig/m-/main.tf", []byte("module \"m\" {\n  source = \"./${local.k}\"\n}\nterraform {\n  backend \"s3\" {\n    b = [1, -2, { a = \"x\" }]\n  }\n}\n")),
		ent("tfconfig/m-m/m.tf.json", []byte(`{"provider":{"p":{"for_each":{"a":"${var.x}"}}},"variable":{"v":{"const":true}}}`))))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := read(data)
		if err != nil {
			if p != nil || !(errors.Is(err, ErrNotSavedPlan) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrLoadTime)) {
				t.Fatalf("read returned %v and %v", p, err)
			}
			return
		}
		switch p.Mode {
		case ModeNormal, ModeDestroy, ModeRefreshOnly:
		default:
			t.Fatalf("mode %q", p.Mode)
		}
		if p.FormatVersion != formatVersion || p.TerraformVersion == "" || p.Backend.Type == "" || p.Backend.Workspace == "" ||
			!json.Valid([]byte(p.Backend.Config)) || (p.Backend.StateStore != (p.Backend.Provider != nil)) {
			t.Fatalf("read returned %+v", p)
		}
		if _, err := p.Backend.ConfigValues(); err != nil {
			t.Fatal(err)
		}
		for _, l := range p.Locks {
			if l.Source == "" || l.Version == "" {
				t.Fatalf("lock %+v", l)
			}
		}
	})
}

// FuzzRecord: the tfplan record and the lock file alone, without the
// archive's checksums in the way of the mutations: an error or a well
// formed result, never a panic.
func FuzzRecord(f *testing.F) {
	f.Add(tfplanRecord(localBackend(f, "a.tfstate", "default"), 2), []byte(lockFile))
	f.Add(varint(nil, fieldVersion, 3), []byte("provider \"a/b/c\" {\n version = \"1\"\n hashes = [\"h1:x\"]\n}\n"))
	f.Fuzz(func(t *testing.T, record, locks []byte) {
		if p, err := readPlanRecord(bytes.NewReader(record)); err == nil {
			if p.FormatVersion != formatVersion || p.Backend.Type == "" || !json.Valid([]byte(p.Backend.Config)) {
				t.Fatalf("readPlanRecord returned %+v", p)
			}
		}
		if ls, err := lockfile.Parse(locks, "fuzz"); err == nil {
			for _, l := range ls {
				if l.Source == "" || l.Version == "" {
					t.Fatalf("lock %+v", l)
				}
			}
		}
	})
}
