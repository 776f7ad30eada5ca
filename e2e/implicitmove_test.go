package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Found by an attacker's review: Terraform and OpenTofu move an
// object implicitly between NAME[0] and NAME when count is added to or
// removed from its resource block, with no moved block. A destroy plan
// applies that move in its refresh and lists the delete under the new
// address with no previous_address, and the saved plan's configuration
// snapshot has no moved block, so the gate judged the delete under the new
// address only: a rule naming terraform_data.prod_db[0] did not cover
// terraform_data.prod_db, and the database was destroyed.

func TestDestroyModeImplicitMoveTerraform(t *testing.T) {
	destroyModeImplicitMove(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestDestroyModeImplicitMoveOpenTofu(t *testing.T) {
	destroyModeImplicitMove(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestDestroyModeImplicitMoveTerraformLatest(t *testing.T) {
	destroyModeImplicitMove(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

const implicitMovePolicy = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "database" {
  addresses = ["terraform_data.prod_db[0]"]
}
` + applyPins

func destroyModeImplicitMove(t *testing.T, tf string) {
	w, root := newWorld(t, tf, "infra", "")
	alice := w.key("alice")
	pub, err := os.ReadFile(alice + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "allowed_signers"), "alice@example.com "+string(pub))
	writeFile(t, filepath.Join(root, "planguard.hcl"), implicitMovePolicy)
	pol := "--policy=" + filepath.Join(root, "planguard.hcl")
	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  count = 1\n  input = \"postgres\"\n}\n")
	w.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color")
	st, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(st), `"id": "`)
	if i < 0 {
		t.Fatalf("no id in the state:\n%s", st)
	}
	dbID := string(st)[i+len(`"id": "`):]
	dbID = dbID[:strings.IndexByte(dbID, '"')]

	// The attacker's configuration: count removed, no moved block.
	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n")
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan", "-destroy")
	// The gate's judgement, under the policy without its state block: the
	// pin refuses this plan before (exit 2; its state before the refresh has
	// the move applied); planguard apply runs under the pin.
	code, out := w.run(filepath.Join(binDir, "planguard"), "check", unpinnedPolicy(t, pol), "tfplan")
	if code != 1 {
		t.Errorf("check of a destroy plan that destroys the implicitly moved database: exit %d, want 1\n%s", code, out)
	}
	code, out = w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	st, _ = os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if code == 0 || !strings.Contains(string(st), dbID) {
		t.Fatalf("planguard apply destroyed the protected database %s (exit %d):\n%s", dbID, code, out)
	}
}
