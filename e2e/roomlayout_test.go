package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// planguard apply builds its room from the saved plan's configuration
// snapshot. A local module above the root (source = "../shared", as
// monorepos lay out live configurations beside shared modules) is recorded
// with a parent-relative directory; the room places the root deep enough
// that every such directory stays inside it. Two calls of one local module
// share its directory. Real Terraform and OpenTofu plan and apply it
// through planguard.

func TestRoomParentModulesTerraform(t *testing.T) {
	roomParentModules(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestRoomParentModulesTerraformLatest(t *testing.T) {
	roomParentModules(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestRoomParentModulesOpenTofu(t *testing.T) {
	roomParentModules(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func roomParentModules(t *testing.T, tf string) {
	w, root := newWorld(t, tf, filepath.Join("infra", "live"), "agent@example.com")
	// No dev_overrides: the room runs terraform init.
	rc := filepath.Join(root, "plain.tfrc")
	writeFile(t, rc, "")
	w.env = append(w.env, "TF_CLI_CONFIG_FILE="+rc)
	writeFile(t, filepath.Join(root, "allowed_signers"), "alice@example.com "+readFile(t, w.key("alice")+".pub"))
	policy := filepath.Join(root, "planguard.hcl")
	writeFile(t, policy, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"module.a.terraform_data.s\"]\n}\n"+applyPins)
	for dir, src := range map[string]string{
		filepath.Join(root, "infra", "shared"): "variable \"n\" {\n  type = string\n}\nresource \"terraform_data\" \"s\" {\n  input = var.n\n}\nmodule \"deep\" {\n  source = \"../../modules/x\"\n  n      = var.n\n}\noutput \"n\" {\n  value = module.deep.n\n}\n",
		filepath.Join(root, "modules", "x"):    "variable \"n\" {\n  type = string\n}\nresource \"terraform_data\" \"x\" {\n  input = \"deep ${var.n}\"\n}\noutput \"n\" {\n  value = terraform_data.x.output\n}\n",
		filepath.Join(w.dir, "local"):          "resource \"terraform_data\" \"l\" {\n  input = \"local\"\n}\n",
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "main.tf"), src)
	}
	w.write("main.tf", "module \"a\" {\n  source = \"../shared\"\n  n      = \"a\"\n}\nmodule \"b\" {\n  source = \"../shared\"\n  n      = \"b\"\n}\nmodule \"c\" {\n  source = \"./local\"\n}\noutput \"deep\" {\n  value = [module.a.n, module.b.n]\n}\n")
	w.must(0, tf, "init", "-input=false", "-no-color")
	w.plan()
	out := w.pg(0, "apply", "--policy="+policy, "tfplan", "--", "-no-color")
	if !strings.Contains(out, "deep a") || !strings.Contains(out, "deep b") {
		t.Errorf("the apply's outputs lack the modules' values:\n%s", out)
	}
	list := w.must(0, tf, "state", "list")
	for _, addr := range []string{"module.a.terraform_data.s", "module.b.terraform_data.s", "module.a.module.deep.terraform_data.x", "module.b.module.deep.terraform_data.x", "module.c.terraform_data.l"} {
		if !strings.Contains(list, addr+"\n") {
			t.Errorf("%s not in the state after planguard apply:\n%s", addr, list)
		}
	}
}
