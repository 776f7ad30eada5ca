package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// ids rules hold when the plan is made against another state, with the
// test provider whose objects are files outside any state (the id is the
// path), real Terraform and OpenTofu plans and real applies:
//   - (a) the change points a local backend at a state file it brings, in
//     which old_tmp has the production object's id, and drops old_tmp from
//     the configuration: a policy that protects the database by ids alone
//     (no state block) blocks the plan, and planguard apply destroys nothing;
//   - (b) a plan against a fresh state imports the production id into
//     adopted: allowed (a plain import changes no real object); the next
//     plan drops adopted: blocked, the file survives;
//   - control: an object whose id no rule names is deleted without approval.

func TestIDsTerraform(t *testing.T) { idsStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")) }

func TestIDsTerraformLatest(t *testing.T) {
	idsStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestIDsOpenTofu(t *testing.T) { idsStory(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) }

var testObjBuild struct {
	once sync.Once
	path string
	err  error
}

// testObjProvider builds the test provider once, beside the other binaries.
func testObjProvider(t *testing.T) string {
	t.Helper()
	b := &testObjBuild
	b.once.Do(func() {
		b.path = filepath.Join(binDir, testbin.TestObj.Name)
		cmd := exec.Command("go", "build", "-trimpath", "-o", b.path, testbin.TestObj.Pkg)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %w\n%s", testbin.TestObj.Pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

const idsProviders = `terraform {
  required_providers {
    planguardtest = {
      source = "` + testbin.TestObjSource + `"
    }
  }
}
`

func objBlock(name, path string) string {
	return fmt.Sprintf("resource \"planguardtest_object\" %q {\n  path    = %q\n  content = \"postgres\"\n}\n", name, path)
}

func importBlock(name, path string) string {
	return fmt.Sprintf("import {\n  to = planguardtest_object.%s\n  id = %q\n}\n", name, path)
}

func idsStory(t *testing.T, tf string) {
	root := t.TempDir()
	mirror := filepath.Join(root, "mirror")
	testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", testObjProvider(t))
	cfg := filepath.Join(root, "terraformrc")
	writeFile(t, cfg, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR=", "NO_COLOR=1", "TF_LOG=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=")

	// Production: the database is a file; its id is its path.
	prod := filepath.Join(root, "prod", "db")
	scratchObj := filepath.Join(root, "prod", "scratch")
	for _, p := range []string{prod, scratchObj} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		writeFile(t, p, "postgres")
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	policyDir := filepath.Join(root, "policy")
	os.MkdirAll(policyDir, 0o755)
	keys := &world{t: t, keys: filepath.Join(root, "keys")}
	os.MkdirAll(keys.keys, 0o700)
	pub, _ := os.ReadFile(keys.key("alice") + ".pub")
	writeFile(t, filepath.Join(policyDir, "allowed_signers"), `alice@example.com namespaces="planguard-approval" `+string(pub))
	writeFile(t, filepath.Join(policyDir, "planguard.hcl"), fmt.Sprintf(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db-id" {
  ids = [%q]
}
`, filepath.Join(root, "prod", "d?")))
	pol := "--policy=" + filepath.Join(policyDir, "planguard.hcl")
	// planguard apply needs a state block. The ids rule is what is tested
	// here, so each apply's policy pins the very state its plan was made
	// against (the attacker's file too: the rule must hold wherever the
	// state lives); checks run under the policy without one.
	pinned := func(name, pin string) string {
		src, _ := os.ReadFile(filepath.Join(policyDir, "planguard.hcl"))
		writeFile(t, filepath.Join(policyDir, name), string(src)+pin)
		return "--policy=" + filepath.Join(policyDir, name)
	}
	attackPol := pinned("attack.hcl", "\nstate {\n  backend = \"local\"\n  config  = { path = \"attacker.tfstate\" }\n}\n"+testProviders)
	adoptPol := pinned("adopt.hcl", applyPins)

	newDir := func(name string) *world {
		w := &world{t: t, tf: tf, dir: filepath.Join(root, name), env: env}
		os.MkdirAll(w.dir, 0o755)
		return w
	}

	// --- (a) A backend pointed at a state the change brings. ---
	// The attacker's state file, made in a scratch directory by importing
	// the production path into old_tmp.
	scratch := newDir("scratch")
	scratch.write("main.tf", idsProviders+objBlock("old_tmp", prod)+importBlock("old_tmp", prod))
	scratch.must(0, tf, "init", "-input=false", "-no-color")
	scratch.must(0, tf, "apply", "-input=false", "-no-color", "-auto-approve")
	state, err := os.ReadFile(filepath.Join(scratch.dir, "terraform.tfstate"))
	if err != nil || !strings.Contains(string(state), prod) {
		t.Fatalf("scratch state: %v\n%s", err, state)
	}

	attack := newDir("infra")
	attack.write("attacker.tfstate", string(state))
	attack.write("backend.tf", "terraform {\n  backend \"local\" {\n    path = \"attacker.tfstate\"\n  }\n}\n")
	attack.write("main.tf", idsProviders) // old_tmp dropped
	attack.must(0, tf, "init", "-input=false", "-no-color")
	attack.plan()
	out := attack.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"address": "planguardtest_object.old_tmp"`, `"prior_id": "`+prod+`"`, `"rules": [`, `"db-id"`, `"decision": "block"`)
	code, out := attack.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code != 2 || !strings.Contains(out, "the policy has no state block") || strings.Contains(out, "planguard: running") {
		t.Fatalf("apply under the policy without a state block: exit %d, want 2\n%s", code, out)
	}
	code, out = attack.run(filepath.Join(binDir, "planguard"), "apply", attackPol, "tfplan", "--", "-no-color")
	if code != 1 || !strings.Contains(out, "BLOCKED") || strings.Contains(out, "Destruction complete") || !exists(prod) {
		t.Fatalf("apply against the brought state (exit %d) destroyed the production object:\n%s", code, out)
	}

	// --- (b) Import into a fresh state, then drop. ---
	adopt := newDir("adopt")
	adopt.write("main.tf", idsProviders+objBlock("adopted", prod)+importBlock("adopted", prod)+
		objBlock("spare", scratchObj)+importBlock("spare", scratchObj))
	adopt.must(0, tf, "init", "-input=false", "-no-color")
	adopt.plan()
	// A plain import of the protected id is allowed: it changes no object.
	// Under a state pin, though, a plan that imports is refused (the
	// imported object's values come only from the plan file): a person
	// with the credentials applies it.
	adopt.pg(0, "check", pol, "tfplan")
	contains(t, adopt.pg(2, "apply", adoptPol, "tfplan", "--", "-no-color"), "imports objects into the pinned state: planguardtest_object.adopted")
	adopt.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
	if !adopt.stateHas("planguardtest_object.adopted") {
		t.Fatal("the import did not happen")
	}
	// Dropping adopted is the production object's deletion.
	adopt.write("main.tf", idsProviders+objBlock("spare", scratchObj))
	adopt.plan()
	out = adopt.pg(1, "check", pol, "tfplan")
	contains(t, out, "planguardtest_object.adopted", "db-id")
	code, out = adopt.run(filepath.Join(binDir, "planguard"), "apply", adoptPol, "tfplan", "--", "-no-color")
	if code != 1 || strings.Contains(out, "Destruction complete") || !exists(prod) {
		t.Fatalf("apply of the adopted object's deletion (exit %d) destroyed it:\n%s", code, out)
	}

	// Control: an id no rule names is deleted without approval.
	adopt.write("main.tf", idsProviders+objBlock("adopted", prod))
	adopt.plan()
	adopt.pg(0, "check", pol, "tfplan")
	out = adopt.pg(0, "apply", adoptPol, "tfplan", "--", "-no-color")
	contains(t, out, "planguardtest_object.spare: Destruction complete")
	if exists(scratchObj) || !exists(prod) {
		t.Fatalf("control: scratch exists %v, prod exists %v", exists(scratchObj), exists(prod))
	}
}
