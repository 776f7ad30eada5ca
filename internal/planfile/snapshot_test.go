package planfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractConfig: each module lands in its recorded directory, the
// manifest where init -get=false reads it; what would leave the directory
// or reach providers is refused.
func TestExtractConfig(t *testing.T) {
	rec := ent("tfplan", tfplanRecord(localBackend(t, "a.tfstate", "default"), 2))
	lock := ent(".terraform.lock.hcl", []byte(lockFile))
	manifest := func(mods ...ManifestModule) entry {
		b, _ := json.Marshal(mods)
		return ent("tfconfig/modules.json", b)
	}
	root := ManifestModule{Key: "", Dir: "."}
	extract := func(t *testing.T, es ...entry) (string, error) {
		p := filepath.Join(t.TempDir(), "tfplan")
		if err := os.WriteFile(p, archive(t, append([]entry{rec, lock}, es...)...), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		return dir, ExtractConfig(p, dir)
	}

	dir, err := extract(t, manifest(root, ManifestModule{Key: "m", Source: "./mod", Dir: "mod"}, ManifestModule{Key: "r", Source: "example.com/a/b", Version: "1.0.0", Dir: ".terraform/modules/r"}),
		ent("tfconfig/m-/main.tf", []byte("# root\n")), ent("tfconfig/m-m/m.tf", []byte("# m\n")), ent("tfconfig/m-r/r.tf", []byte("# r\n")))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"main.tf": "# root\n", "mod/m.tf": "# m\n", ".terraform/modules/r/r.tf": "# r\n"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, ".terraform", "modules", "modules.json"))
	if err != nil || !strings.HasPrefix(string(b), `{"Modules":[{"Key":"","Dir":"."}`) {
		t.Errorf("manifest %s, %v", b, err)
	}

	for _, tt := range []struct {
		name string
		es   []entry
		want string
	}{
		{"no manifest", []entry{ent("tfconfig/m-/main.tf", nil)}, "does not list the root module"},
		{"module outside", []entry{manifest(root, ManifestModule{Key: "m", Dir: "../x"}), ent("tfconfig/m-m/a.tf", nil)}, "not a relative path"},
		{"absolute module", []entry{manifest(root, ManifestModule{Key: "m", Dir: "/tmp/x"})}, "not a relative path"},
		{"module in providers", []entry{manifest(root, ManifestModule{Key: "m", Dir: ".terraform/providers/x"})}, "reaches into .terraform"},
		{"module in terraform.d", []entry{manifest(root, ManifestModule{Key: "m", Dir: "terraform.d/plugins"})}, "reaches into terraform.d"},
		{"root not dot", []entry{manifest(ManifestModule{Key: "", Dir: "sub"})}, "root module's directory"},
		{"file in terraform.d", []entry{manifest(root), ent("tfconfig/m-/terraform.d/plugins/x", nil)}, "reaches into terraform.d"},
		{"file replaces the lock", []entry{manifest(root), ent("tfconfig/m-/.terraform.lock.hcl", nil)}, "reaches into .terraform.lock.hcl"},
		{"unknown module", []entry{manifest(root), ent("tfconfig/m-zz/a.tf", nil)}, "belongs to no module"},
		{"duplicate module", []entry{manifest(root, root)}, "twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extract(t, tt.es...)
			if err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want malformed with %q", err, tt.want)
			}
		})
	}
}
