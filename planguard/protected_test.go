package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestProtectedListsWhatThePolicyProtects runs real Terraform to make a
// state, and lists it from show -json, the state file and a saved plan.
func TestProtectedListsWhatThePolicyProtects(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "modules", "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "modules", "data", "main.tf"), []byte(`resource "terraform_data" "db" { input = "m" }`+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
module "data" { source = "./modules/data" }
resource "terraform_data" "prod_db" { input = "db" }
resource "terraform_data" "replica" {
  for_each = toset(["eu", "us"])
  input    = each.key
}
resource "terraform_data" "cache" {
  count = 2
  input = count.index
}
`), 0o600)
	cfg := filepath.Join(dir, "terraformrc")
	os.WriteFile(cfg, nil, 0o600)
	tfenv := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	tfrun := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, tfenv
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
		return out
	}
	tfrun("init", "-input=false", "-no-color")
	tfrun("apply", "-input=false", "-auto-approve", "-no-color")
	os.WriteFile(filepath.Join(dir, "state.json"), tfrun("show", "-json"), 0o600)
	tfrun("plan", "-input=false", "-no-color", "-destroy", "-out=tfplan")
	os.WriteFile(filepath.Join(dir, "plan.json"), tfrun("show", "-json", "tfplan"), 0o600)

	polDir := t.TempDir()
	alice := sshKeygen(t, polDir, "alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(polDir, "allowed_signers"), []byte(`alice@example.com namespaces="planguard-approval" `+string(pub)), 0o600)
	polPath := filepath.Join(polDir, "planguard.hcl")
	os.WriteFile(polPath, []byte(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "databases" {
  addresses        = ["**.terraform_data.*db*"]
  approvals        = 2
  max_ttl          = "72h"
  require_identity = true
}
protect "eu" {
  addresses = ["terraform_data.replica[\"eu\"]"]
  actions   = ["delete"]
}
`), 0o600)
	for _, input := range []string{"state.json", "terraform.tfstate", "tfplan", "plan.json"} {
		t.Run(input, func(t *testing.T) {
			t.Setenv("TF_CLI_CONFIG_FILE", cfg) // for terraform show of the saved plan
			code, out, errs := runCLI(t, "", map[string]string{"PLANGUARD_TERRAFORM": tf}, "protected", "--policy", polPath, filepath.Join(dir, input))
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			for _, want := range []string{
				"(scope prod): 3 of 6 objects",
				"\nmodule.data.terraform_data.db  (id ",
				"\nterraform_data.prod_db  (id ",
				"  rules:     databases\n  approvals: 2, valid at most 72h0m0s, must name the object's identity\n  guards:    delete, replace, forget, and a move out of these rules",
				"\nterraform_data.replica[\"eu\"]  (id ",
				"  rules:     eu\n  approvals: 1\n  guards:    delete, and a move out of these rules",
				"Not protected by any rule: 3 object(s): terraform_data ×3\n  terraform_data.cache[0]\n  terraform_data.cache[1]\n  terraform_data.replica[\"us\"]\n",
				"every delete, protected or not, needs the strictest requirement: 2 approval(s)",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
	// An ids rule: cache[0] is protected by its id, from every source.
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string
					Values  struct{ ID string }
				}
			} `json:"root_module"`
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "state.json"))
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	cacheID := ""
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == "terraform_data.cache[0]" {
			cacheID = r.Values.ID
		}
	}
	idPol := filepath.Join(polDir, "ids.hcl")
	os.WriteFile(idPol, []byte(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "eu" {
  addresses = ["terraform_data.replica[\"eu\"]"]
}
protect "cache-id" {
  ids = ["`+cacheID+`"]
}
`), 0o600)
	for _, input := range []string{"state.json", "terraform.tfstate", "tfplan", "plan.json"} {
		t.Setenv("TF_CLI_CONFIG_FILE", cfg)
		code, out, errs := runCLI(t, "", map[string]string{"PLANGUARD_TERRAFORM": tf}, "protected", "--policy", idPol, filepath.Join(dir, input))
		if code != 0 || cacheID == "" {
			t.Fatalf("%s: exit %d (cache id %q)\n%s", input, code, cacheID, errs)
		}
		for _, want := range []string{"(scope prod): 2 of 6 objects", "\nterraform_data.cache[0]  (id " + cacheID + ")\n  rules:     cache-id (by id)\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", input, want, out)
			}
		}
	}
	if code, _, errs := runCLI(t, "", nil, "protected", "--policy", polPath, filepath.Join(dir, "main.tf")); code != exitError {
		t.Errorf("protected on a .tf file: exit %d %s", code, errs)
	}
}
