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
		_, err := ExtractConfig(p, dir)
		return dir, err
	}
	calls := ent("tfconfig/m-/main.tf", []byte("module \"m\" {\n  source = \"./mod\"\n}\nmodule \"r\" {\n  source = \"example.com/a/b\"\n}\n"))

	dir, err := extract(t, manifest(root, ManifestModule{Key: "m", Source: "./mod", Dir: "mod"}, ManifestModule{Key: "r", Source: "example.com/a/b", Version: "1.0.0", Dir: ".terraform/modules/r"}),
		ent("tfconfig/m-/main.tf", []byte("# root\n")), ent("tfconfig/m-/calls.tf.json", []byte(`{"module":{"m":{"source":"./mod"},"r":{"source":"example.com/a/b"}}}`)),
		ent("tfconfig/m-m/m.tf", []byte("# m\n")), ent("tfconfig/m-r/r.tf", []byte("# r\n")))
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
		{"no manifest", []entry{ent("tfconfig/m-/main.tf", nil)}, "no tfconfig/modules.json"},
		{"empty manifest", []entry{manifest()}, "does not list the root module"},
		{"module too far above", []entry{manifest(root, ManifestModule{Key: "m", Dir: strings.Repeat("../", MaxModuleDepth+1) + "x"}), calls}, "directories above the root"},
		{"absolute module", []entry{manifest(root, ManifestModule{Key: "m", Dir: "/tmp/x"})}, "not a relative path"},
		{"home module", []entry{manifest(root, ManifestModule{Key: "m", Dir: "~/x"})}, "not a relative path"},
		{"module in providers", []entry{manifest(root, ManifestModule{Key: "m", Dir: ".terraform/providers/x"})}, "reaches into .terraform"},
		{"module in terraform.d", []entry{manifest(root, ManifestModule{Key: "m", Dir: "terraform.d/plugins"})}, "reaches into terraform.d"},
		{"module above in .terraform", []entry{manifest(root, ManifestModule{Key: "m", Dir: "../.terraform/providers"})}, "reaches into .terraform"},
		{"module above in terraform.d", []entry{manifest(root, ManifestModule{Key: "m", Dir: "../x/terraform.d"})}, "reaches into terraform.d"},
		{"module no call creates", []entry{manifest(root, ManifestModule{Key: "zz", Dir: "zz"}), calls, ent("tfconfig/m-zz/a.tf", nil)}, `the root module has no module call "zz"`},
		{"nested module no call creates", []entry{manifest(root, ManifestModule{Key: "m", Dir: "mod"}, ManifestModule{Key: "m.zz", Dir: "zz"}), calls, ent("tfconfig/m-m/a.tf", nil)}, `module "m" has no module call "zz"`},
		{"module without parent", []entry{manifest(root, ManifestModule{Key: "x.m", Dir: "mod"}), calls}, "not its parent"},
		{"bad key", []entry{manifest(root, ManifestModule{Key: "m.", Dir: "mod"}), calls}, "not a module path"},
		{"two modules one dir, other files", []entry{manifest(root, ManifestModule{Key: "m", Dir: "."}), calls}, "one directory"},
		{"two modules one dir, other content", []entry{manifest(root, ManifestModule{Key: "m", Dir: "mod"}, ManifestModule{Key: "r", Dir: "mod"}), calls,
			ent("tfconfig/m-m/a.tf", []byte("# a\n")), ent("tfconfig/m-r/a.tf", []byte("# b\n"))}, "one directory"},
		{"unparsable parent", []entry{manifest(root, ManifestModule{Key: "m", Dir: "mod"}), ent("tfconfig/m-/main.tf", []byte("module {"))}, "does not parse"},
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

	// Shared directories and parent-relative ones, as Terraform writes them.
	dir, err = extract(t, manifest(root, ManifestModule{Key: "m", Source: "../shared", Dir: "../shared"}, ManifestModule{Key: "r", Source: "../shared", Dir: "../shared"},
		ManifestModule{Key: "m.deep", Source: "../../x", Dir: "../../x"}),
		ent("tfconfig/m-/main.tf", []byte("module \"m\" {\n  source = \"../shared\"\n}\nmodule \"r\" {\n  source = \"../shared\"\n}\n")),
		ent("tfconfig/m-m/s.tf", []byte("module \"deep\" {\n  source = \"../../x\"\n}\n")), ent("tfconfig/m-r/s.tf", []byte("module \"deep\" {\n  source = \"../../x\"\n}\n")),
		ent("tfconfig/m-m.deep/x.tf", []byte("# x\n")))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_1/_2/main.tf", "_1/shared/s.tf", "x/x.tf", "_1/_2/.terraform/modules/modules.json"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
