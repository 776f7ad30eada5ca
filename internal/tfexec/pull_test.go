package tfexec

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestPullState pulls a local backend's state with real Terraform and
// OpenTofu: the bytes of the state, nil for none, the plan's workspace,
// no TF_CLI_ARGS or TF_WORKSPACE of the job, and errors for what it cannot read.
func TestPullState(t *testing.T) {
	for _, tool := range [][2]string{{"PLANGUARD_TERRAFORM", "terraform"}, {"PLANGUARD_TOFU", "tofu"}} {
		t.Run(tool[1], func(t *testing.T) {
			bin := testbin.Tool(t, tool[0], tool[1])
			dir := t.TempDir()
			path := filepath.Join(dir, "prod.tfstate")
			state := `{"version":4,"terraform_version":"1.8.5","serial":3,"lineage":"abc","outputs":{},"resources":[],"check_results":null}`
			if err := os.WriteFile(path, []byte(state), 0o600); err != nil {
				t.Fatal(err)
			}
			env := append(os.Environ(), "TF_CLI_ARGS_init=-bogus-flag", "TF_CLI_ARGS_state=-bogus-flag", "TF_WORKSPACE=other", "TF_IN_AUTOMATION=1")
			pull := func(cfg, ws string) ([]byte, error) {
				return PullState(context.Background(), PullOptions{Bin: bin, Env: env, Max: 1 << 20,
					Backend: planfile.Backend{Type: "local", Config: cfg, Workspace: ws}})
			}
			got, err := pull(`{"path":"`+path+`","workspace_dir":null}`, "default")
			if err != nil {
				t.Fatal(err)
			}
			s, err := planfile.ParseState(got)
			if err != nil || s.Lineage != "abc" || s.Serial != 3 {
				t.Errorf("pulled %v %+v:\n%s", err, s, got)
			}
			if got, err := pull(`{"path":"`+filepath.Join(dir, "none.tfstate")+`","workspace_dir":null}`, "default"); err != nil || got != nil {
				t.Errorf("no state: %v %q", err, got)
			}
			// Another workspace of a local backend lives under its
			// workspace_dir: not the default's file.
			if got, err := pull(`{"path":"`+path+`","workspace_dir":null}`, "staging"); err != nil || got != nil {
				t.Errorf("workspace staging: %v %q", err, got)
			}
			if _, err := PullState(context.Background(), PullOptions{Bin: bin, Env: env, Max: 10,
				Backend: planfile.Backend{Type: "local", Config: `{"path":"` + path + `"}`, Workspace: "default"}}); err == nil || !strings.Contains(err.Error(), "larger than") {
				t.Errorf("over the bound: %v", err)
			}
			if _, err := PullState(context.Background(), PullOptions{Bin: bin, Backend: planfile.Backend{Type: "local", StateStore: true, Config: `{}`}}); err == nil {
				t.Error("a state store: no error")
			}
		})
	}
}
