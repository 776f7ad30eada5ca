package planfile

import (
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"

	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// providerBin is the planguard provider TestMain builds: a real provider
// for the lock file, installed from a filesystem mirror.
var providerBin string

func TestMain(m *testing.M) {
	testbin.Run(m, func(_, dir string) { providerBin = filepath.Join(dir, testbin.Provider.Name) }, testbin.Provider)
}

// tools are the Terraform and OpenTofu binaries the real plans are made
// with: Terraform 1.8.5 and OpenTofu 1.6.2 from the tools cache, and the
// terraform on PATH (1.11.4 here) when it is another one.
func tools(t *testing.T) map[string]string {
	out := map[string]string{}
	t.Run("find", func(t *testing.T) {
		out["terraform"] = testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	})
	t.Run("find", func(t *testing.T) {
		out["tofu"] = testbin.Tool(t, "PLANGUARD_TOFU", "tofu")
	})
	if p, err := exec.LookPath("terraform"); err == nil && p != out["terraform"] {
		out["terraform-path"] = p
	}
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

// workdir is a configuration directory in which a tool runs.
type workdir struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

func (w *workdir) write(name, src string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(src), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the tool with args (and extra environment), failing the test
// when it fails.
func (w *workdir) run(extraEnv []string, args ...string) {
	w.t.Helper()
	cmd := exec.Command(w.bin, args...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("%s %s: %v\n%s", filepath.Base(w.bin), strings.Join(args, " "), err, out)
	}
}

// plan makes a saved plan with args and reads it.
func (w *workdir) plan(extraEnv []string, args ...string) *File {
	w.t.Helper()
	out := filepath.Join(w.dir, "p.tfplan")
	w.run(extraEnv, append([]string{"plan", "-input=false", "-no-color", "-out=" + out}, args...)...)
	f, err := Read(out)
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// TestRealPlans reads saved plans made by Terraform 1.8.5, the terraform
// on PATH and OpenTofu 1.6.2: a local backend with path and workspace_dir,
// another workspace (selected, and by TF_WORKSPACE), -backend-config, a
// backend_override.tf, destroy and refresh-only plans, and a lock file
// with a provider installed from a filesystem mirror.
func TestRealPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	bins := tools(t)
	if len(bins) == 0 {
		t.Skip("no terraform or tofu")
	}
	// The provider in a filesystem mirror, for both registries' default
	// hostnames.
	mirror := t.TempDir()
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		d := filepath.Join(mirror, host, "planguard", "planguard", "0.1.0", "linux_amd64")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(providerBin, filepath.Join(d, "terraform-provider-planguard_v0.1.0")); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(rc, []byte("provider_installation {\n  filesystem_mirror {\n    path = \""+mirror+"\"\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")

	for name, bin := range bins {
		t.Run(name, func(t *testing.T) {
			wd := func() *workdir { return &workdir{t: t, bin: bin, dir: t.TempDir(), env: env} }
			resource := "resource \"terraform_data\" \"db\" {\n  input = \"prod\"\n}\n"

			// A backend block with path and workspace_dir; modes;
			// workspaces.
			w := wd()
			w.write("main.tf", "terraform {\n  backend \"local\" {\n    path          = \"state/terraform.tfstate\"\n    workspace_dir = \"workspaces\"\n  }\n}\n"+resource)
			w.run(nil, "init", "-input=false", "-no-color")
			f := w.plan(nil)
			want := Backend{Type: "local", Config: `{"path":"state/terraform.tfstate","workspace_dir":"workspaces"}`, Workspace: "default"}
			if f.FormatVersion != 3 || f.Mode != ModeNormal || !reflect.DeepEqual(f.Backend, want) || len(f.Locks) != 0 || f.TerraformVersion == "" {
				t.Errorf("normal plan: %+v", f)
			}
			w.run(nil, "apply", "-input=false", "-no-color", "-auto-approve")
			if f := w.plan(nil, "-destroy"); f.Mode != ModeDestroy || f.Backend.Workspace != "default" ||
				len(f.Deletes) != 1 || f.Deletes[0].Address != "terraform_data.db" || f.Deletes[0].Action != ActionDelete || f.Deletes[0].Deposed != "" {
				t.Errorf("destroy plan: %+v", f)
			}
			w.write("main.tf", "terraform {\n  backend \"local\" {\n    path          = \"state/terraform.tfstate\"\n    workspace_dir = \"workspaces\"\n  }\n}\n"+
				"resource \"terraform_data\" \"db\" {\n  input = \"prod\"\n  triggers_replace = [\"2\"]\n}\n")
			if f := w.plan(nil); len(f.Deletes) != 1 || f.Deletes[0].Address != "terraform_data.db" || f.Deletes[0].Action != ActionDeleteThenCreate || !f.Deletes[0].Replace() {
				t.Errorf("replace plan: %+v", f.Deletes)
			}
			w.write("main.tf", "terraform {\n  backend \"local\" {\n    path          = \"state/terraform.tfstate\"\n    workspace_dir = \"workspaces\"\n  }\n}\n"+resource)
			if f := w.plan(nil, "-refresh-only"); f.Mode != ModeRefreshOnly {
				t.Errorf("refresh-only plan: %+v", f)
			}
			w.run(nil, "workspace", "new", "-no-color", "ci")
			w.run(nil, "workspace", "new", "-no-color", "staging")
			if f := w.plan(nil); f.Backend.Workspace != "staging" || f.Backend.Config != want.Config {
				t.Errorf("plan in workspace staging: %+v", f)
			}
			if f := w.plan([]string{"TF_WORKSPACE=ci"}); f.Backend.Workspace != "ci" {
				t.Errorf("plan with TF_WORKSPACE=ci: %+v", f)
			}

			// A partial backend block completed by -backend-config, and a
			// provider in the lock file.
			w = wd()
			w.write("main.tf", "terraform {\n  required_providers {\n    planguard = {\n      source  = \"planguard/planguard\"\n      version = \"0.1.0\"\n    }\n  }\n  backend \"local\" {}\n}\n"+resource)
			w.run(nil, "init", "-input=false", "-no-color", "-backend-config=path=from-flag.tfstate")
			f = w.plan(nil)
			if f.Backend.Config != `{"path":"from-flag.tfstate","workspace_dir":null}` {
				t.Errorf("-backend-config: %+v", f.Backend)
			}
			onDisk, err := os.ReadFile(filepath.Join(w.dir, ".terraform.lock.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			locks, err := lockfile.Parse(onDisk, "on disk")
			if err != nil {
				t.Fatal(err)
			}
			var l lockfile.Provider
			for _, l = range f.Locks {
			}
			if len(f.Locks) != 1 || !strings.HasSuffix(l.Source, "/planguard/planguard") || l.Version != "0.1.0" ||
				l.Constraints != "0.1.0" || len(l.Hashes) == 0 || !strings.HasPrefix(l.Hashes[0], "h1:") ||
				!reflect.DeepEqual(f.Locks, locks) {
				t.Errorf("Locks = %+v; the lock file on disk has %+v", f.Locks, locks)
			}

			// backend_override.tf replaces the backend block's path.
			w = wd()
			w.write("main.tf", "terraform {\n  backend \"local\" {\n    path = \"main.tfstate\"\n  }\n}\n"+resource)
			w.write("backend_override.tf", "terraform {\n  backend \"local\" {\n    path = \"override.tfstate\"\n  }\n}\n")
			w.run(nil, "init", "-input=false", "-no-color")
			if f := w.plan(nil); f.Backend.Config != `{"path":"override.tfstate","workspace_dir":null}` {
				t.Errorf("backend_override.tf: %+v", f.Backend)
			}

			// No backend block: the implied local backend.
			w = wd()
			w.write("main.tf", resource)
			w.run(nil, "init", "-input=false", "-no-color")
			if f := w.plan(nil); f.Backend.Type != "local" || f.Backend.Workspace != "default" {
				t.Errorf("no backend block: %+v", f.Backend)
			}
		})
	}
}
