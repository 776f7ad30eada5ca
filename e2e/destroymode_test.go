package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Found by an attacker's review: a destroy-mode plan (terraform plan -destroy) applies moved
// blocks in its pre-destroy refresh and then lists the deletes under the
// new addresses with no previous_address: the plan JSON (and the binary
// plan's prior state) carries no trace of the move. Without a rule of its
// own, the moved protected object is an unprotected delete.

func TestDestroyModeMoveTerraform(t *testing.T) {
	destroyModeMove(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestDestroyModeMoveOpenTofu(t *testing.T) {
	destroyModeMove(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestDestroyModeMoveTerraformLatest(t *testing.T) {
	destroyModeMove(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// destroyWorld applies movesBase with tf and returns the world, the policy flag
// and the database's id.
func destroyWorld(t *testing.T, tf, policy string) (*world, string, string) {
	t.Helper()
	w, root := newWorld(t, tf, "infra", "")
	if err := os.MkdirAll(filepath.Join(w.dir, "modules", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	alice := w.key("alice")
	pub, err := os.ReadFile(alice + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "allowed_signers"), "alice@example.com "+string(pub))
	writeFile(t, filepath.Join(root, "planguard.hcl"), policy)
	writeFile(t, filepath.Join(w.dir, "main.tf"), movesBase)
	writeFile(t, filepath.Join(w.dir, "providers.tf"), advProvider)
	writeFile(t, filepath.Join(w.dir, "modules", "data", "main.tf"), movesModule)
	w.must(0, tf, "get", "-no-color")
	w.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color")
	st, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	// The id that follows the database's name in the state.
	i := strings.Index(string(st), `"name": "prod_db"`)
	j := strings.Index(string(st)[i:], `"id": "`)
	if i < 0 || j < 0 {
		t.Fatalf("no prod_db in the state:\n%s", st)
	}
	id := string(st)[i+j+len(`"id": "`):]
	id = id[:strings.IndexByte(id, '"')]
	return w, "--policy=" + filepath.Join(root, "planguard.hcl"), id
}

func destroyModeMove(t *testing.T, tf string) {
	w, pol, dbID := destroyWorld(t, tf, movesPolicy)
	// The attacker's configuration: prod_db renamed to junk, and a destroy
	// plan targeted at the renamed object (and its old address, so that
	// targeting covers the move).
	w.write("main.tf", "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n"+strings.Replace(movesBase, "\"prod_db\"", "\"junk\"", 1))
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan", "-destroy", "-target=terraform_data.junk", "-target=terraform_data.prod_db")
	// The gate's judgement, under the policy without its state block: the
	// pin refuses this plan before (exit 2; its state before the refresh has
	// the move applied); planguard apply runs under the pin.
	code, out := w.run(filepath.Join(binDir, "planguard"), "check", unpinnedPolicy(t, pol), "tfplan")
	if code != 1 {
		t.Errorf("check of a destroy plan that destroys the moved database: exit %d, want 1\n%s", code, out)
	}
	code, out = w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	st, _ := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if code == 0 || !strings.Contains(string(st), dbID) {
		t.Fatalf("planguard apply destroyed the protected database %s (exit %d):\n%s", dbID, code, out)
	}

	// A destroy plan of an unprotected resource, in a configuration without
	// moved blocks, is blocked under destroy_mode from the saved plan too:
	// its configuration snapshot could have been edited (see
	// snapshotedit_test.go), so it proves no absence of moves.
	w.write("main.tf", movesBase)
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan", "-destroy", "-target=terraform_data.scratch")
	code, out = w.run(filepath.Join(binDir, "planguard"), "check", pol, "tfplan")
	if code != 1 || !strings.Contains(out, "destroy_mode") {
		t.Errorf("check of the saved destroy plan of an unprotected resource: exit %d, want 1 under destroy_mode\n%s", code, out)
	}
	js := w.must(0, tf, "show", "-json", "tfplan")
	w.write("plan.json", js)
	// Plan JSON records no backend: it is checked under the policy without
	// its state block (which refuses JSON).
	jsonPol := filepath.Join(filepath.Dir(strings.TrimPrefix(pol, "--policy=")), "json.hcl")
	writeFile(t, jsonPol, strings.TrimSuffix(movesPolicy, applyPins))
	code, out = w.run(filepath.Join(binDir, "planguard"), "check", "--policy="+jsonPol, "plan.json")
	if code != 1 || !strings.Contains(out, "destroy_mode") {
		t.Errorf("check of the same destroy plan as JSON: exit %d, want 1 under destroy_mode\n%s", code, out)
	}
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	st, _ = os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if !strings.Contains(string(st), dbID) {
		t.Fatalf("the control destroyed the database")
	}
}

// The policies shipped in examples/ (pocketos, quickstart) guard the
// database with actions = ["delete", "replace"], leaving forget out: three
// plans, each allowed, destroy it (forget, import of its id elsewhere,
// delete of that copy).
func TestExamplePolicyForgetChain(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	src, err := os.ReadFile(filepath.Join("..", "examples", "pocketos", "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	w, pol, dbID := destroyWorld(t, tf, string(src))
	rest := strings.Replace(movesBase, "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n", "", 1)
	steps := []string{
		"removed {\n  from = terraform_data.prod_db\n  lifecycle {\n    destroy = false\n  }\n}\n" + rest,
		fmt.Sprintf("import {\n  to = terraform_data.junk\n  id = %q\n}\nresource \"terraform_data\" \"junk\" {}\n", dbID) + rest,
		rest,
	}
	for i, cfg := range steps {
		w.write("main.tf", cfg)
		w.plan()
		code, out := w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		if code != 0 {
			t.Logf("step %d blocked (exit %d): the chain is broken\n%s", i+1, code, out)
			return
		}
	}
	st, _ := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if !strings.Contains(string(st), dbID) {
		t.Fatalf("under examples/pocketos/planguard.hcl three allowed plans destroyed the protected database %s", dbID)
	}
}
