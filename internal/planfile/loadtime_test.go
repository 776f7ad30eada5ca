package planfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
)

// withSnapshot is a saved plan whose configuration snapshot is files (by
// entry name) under a manifest of mods (the root first).
func withSnapshot(t *testing.T, mods []ManifestModule, files map[string]string) []byte {
	t.Helper()
	b, err := json.Marshal(mods)
	if err != nil {
		t.Fatal(err)
	}
	es := []entry{
		ent("tfplan", tfplanRecord(localBackend(t, "a.tfstate", "default"), 2)),
		ent("tfstate", []byte(`{"version":4}`)),
		ent("tfstate-prev", []byte(`{"version":4}`)),
		ent(".terraform.lock.hcl", []byte(lockFile)),
		ent("tfconfig/modules.json", b),
	}
	for name, src := range files {
		es = append(es, ent(name, []byte(src)))
	}
	return archive(t, es...)
}

// TestReadRefusesLoadTime: a saved plan whose snapshot sets, where
// Terraform and OpenTofu evaluate it as they load the configuration,
// anything but a literal is refused by ReadFrom and ExtractConfig, with the
// file (relative to the root module) and line; literal settings pass.
func TestReadRefusesLoadTime(t *testing.T) {
	root := ManifestModule{Key: "", Dir: "."}
	child := ManifestModule{Key: "m", Source: "./mod", Dir: "mod"}
	call := "module \"m\" {\n  source = \"./mod\"\n}\n"
	for _, tc := range []struct {
		name  string
		mods  []ManifestModule
		files map[string]string
		want  string // "" = read
	}{
		{"literal", []ManifestModule{root, child}, map[string]string{
			"tfconfig/m-/main.tf":  call + "terraform {\n  backend \"local\" {\n    path = \"x.tfstate\"\n  }\n}\nresource \"terraform_data\" \"x\" {\n  input = file(\"/etc/hostname\")\n}\n",
			"tfconfig/m-m/main.tf": "variable \"v\" {\n  default = 1\n}\n",
		}, ""},
		{"root source", []ManifestModule{root, child}, map[string]string{
			"tfconfig/m-/main.tf":  "locals {\n  k = file(\"/proc/self/environ\")\n}\nmodule \"m\" {\n  source = \"./${local.k}\"\n}\n",
			"tfconfig/m-m/main.tf": "",
		}, "main.tf:5,3-26: module \"m\" source is not a literal string"},
		{"child source", []ManifestModule{root, child, {Key: "m.n", Source: "./n", Dir: "mod/n"}}, map[string]string{
			"tfconfig/m-/main.tf":    call,
			"tfconfig/m-m/main.tf":   "module \"n\" {\n  source = var.s\n}\n",
			"tfconfig/m-m.n/main.tf": "",
		}, "mod/main.tf:2,3-17: module \"n\" source is not a literal string"},
		{"child const", []ManifestModule{root, child}, map[string]string{
			"tfconfig/m-/main.tf":  call,
			"tfconfig/m-m/main.tf": "variable \"v\" {\n  const = true\n}\n",
		}, "mod/main.tf:2,3-15: variable \"v\" const is set in a child module"},
		{"override backend", []ManifestModule{root}, map[string]string{
			"tfconfig/m-/main.tf":             "",
			"tfconfig/m-/backend_override.tf": "terraform {\n  backend \"s3\" {\n    bucket = var.b\n  }\n}\n",
		}, "backend_override.tf:3,5-19"},
		{"tofu file", []ManifestModule{root}, map[string]string{
			"tfconfig/m-/main.tofu": "provider \"aws\" {\n  for_each = local.r\n}\n",
		}, "main.tofu:2,3-21: provider \"aws\" for_each is not a literal"},
		{"json", []ManifestModule{root}, map[string]string{
			"tfconfig/m-/main.tf.json": `{"terraform":{"cloud":{"organization":"${file(\"/k\")}"}}}`,
		}, "cloud is not a literal"},
		{"encryption", []ManifestModule{root}, map[string]string{
			"tfconfig/m-/main.tf": "terraform {\n  encryption {\n  }\n}\n",
		}, "encryption"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := withSnapshot(t, tc.mods, tc.files)
			_, err := read(data)
			p := filepath.Join(t.TempDir(), "tfplan")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, xerr := ExtractConfig(p, t.TempDir())
			if tc.want == "" {
				if err != nil || xerr != nil {
					t.Fatalf("refused: %v; %v", err, xerr)
				}
				return
			}
			for _, err := range []error{err, xerr} {
				if !errors.Is(err, ErrLoadTime) || errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %v, want ErrLoadTime with %q", err, tc.want)
				}
			}
		})
	}
}

// TestRequiredProvidersLocked: the providers a snapshot's
// required_providers name, every module's and override file's, and
// whether a lock file locks them.
func TestRequiredProvidersLocked(t *testing.T) {
	data := withSnapshot(t, []ManifestModule{{Key: "", Dir: "."}, {Key: "m", Source: "./mod", Dir: "mod"}}, map[string]string{
		"tfconfig/m-/main.tf":          "module \"m\" {\n  source = \"./mod\"\n}\nterraform {\n  required_providers {\n    planguard = { source = \"planguard/planguard\" }\n    terraform = { source = \"terraform.io/builtin/terraform\" }\n  }\n}\n",
		"tfconfig/m-/x_override.tf":    "terraform {\n  required_providers {\n    planguard = { source = \"evil.example.com/planguard/planguard\" }\n  }\n}\n",
		"tfconfig/m-m/versions.tf":     "terraform {\n  required_providers {\n    tofu = { source = \"registry.opentofu.org/x/tofu\" }\n  }\n}\n",
		"tfconfig/m-m/implied.tf.json": `{"terraform":{"required_providers":{"random":"~> 3"}}}`,
	})
	p := filepath.Join(t.TempDir(), "tfplan")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	req, err := RequiredProviders(p)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := read(data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range req {
		got = append(got, r.Source+" "+r.Where+" "+map[bool]string{true: "locked", false: "unlocked"}[r.Locked(saved.Locks)])
	}
	want := []string{
		"evil.example.com/planguard/planguard x_override.tf unlocked",
		"registry.opentofu.org/x/tofu mod/versions.tf unlocked",
		"registry.terraform.io/hashicorp/random mod/implied.tf.json unlocked",
		"registry.terraform.io/planguard/planguard main.tf locked",
		"terraform.io/builtin/terraform main.tf locked",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A source without a host is locked on either default registry.
	tofuLocked := RequiredProvider{}
	tofuLocked.Source, tofuLocked.DefaultHost = "registry.terraform.io/planguard/planguard", true
	if !tofuLocked.Locked(lockfile.Locks{"registry.opentofu.org/planguard/planguard": {}}) {
		t.Error("hashicorp-less source not locked by the OpenTofu registry's entry")
	}
	tofuLocked.DefaultHost = false
	if tofuLocked.Locked(lockfile.Locks{"registry.opentofu.org/planguard/planguard": {}}) {
		t.Error("a source with its host written is locked by another host's entry")
	}
}
