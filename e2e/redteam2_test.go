package e2e

// Red-team review 2: the state pin of a local backend is bypassed by the
// plan command's own -state flag. The saved plan records the backend
// block's path (the pinned one), but the prior state Terraform planned
// against is the file -state names: the author's copy of the real state
// (same lineage and serial, so apply does not call the plan stale) in which
// the protected object sits under another address. Address rules see an
// unprotected delete; `planguard apply` then applies it to the pinned state
// and the provider deletes the real object.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestStatePinPlanStateFlagBypassTerraform(t *testing.T) {
	statePinPlanStateFlag(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestStatePinPlanStateFlagBypassOpenTofu(t *testing.T) {
	statePinPlanStateFlag(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestStatePinPlanStateFlagBypassTerraformLatest(t *testing.T) {
	statePinPlanStateFlag(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// rt2Lab makes the production object in the pinned local state and a
// policy (rules as given) pinning that state and the trusted lock file.
func rt2Lab(t *testing.T, tf, rules string) *pinLab {
	l := newPinLab(t, tf)
	root := l.root
	prod := l.dir("prod", localBackend(l.prodState)+object("db", l.prodObj))
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	if !l.exists(l.prodObj) {
		t.Fatal("the production object was not created")
	}
	writeFile(t, filepath.Join(root, "policy", "trusted.lock.hcl"), readFile(t, filepath.Join(prod.dir, ".terraform.lock.hcl")))
	writeFile(t, l.policy, fmt.Sprintf(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
%s
state {
  backend = "local"
  config  = { path = %q }
}
lock_file = "trusted.lock.hcl"
`, rules, l.prodState))
	return l
}

// rt2Job is the check/apply job: a fresh directory holding only the plan
// file the author's directory made, with the job's environment.
func rt2Job(t *testing.T, l *pinLab, name, planPath string) *world {
	job := l.dir(name, "")
	if err := os.Remove(filepath.Join(job.dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(job.dir, "tfplan"), readFile(t, planPath))
	return job
}

func statePinPlanStateFlag(t *testing.T, tf string) {
	l := rt2Lab(t, tf, `protect "database" {
  addresses = ["planguardtest_object.db"]
}`)
	// The author: the pinned backend block, no resources, and a copy of
	// the real state (it can read it: it plans) with the object renamed.
	att := l.dir("attacker", localBackend(l.prodState))
	att.must(0, tf, "init", "-input=false", "-no-color")
	var st map[string]any
	if err := json.Unmarshal([]byte(readFile(t, l.prodState)), &st); err != nil {
		t.Fatal(err)
	}
	st["resources"].([]any)[0].(map[string]any)["name"] = "old_tmp"
	b, _ := json.Marshal(st)
	att.write("fake.tfstate", string(b))
	att.must(0, tf, "plan", "-input=false", "-no-color", "-state=fake.tfstate", "-out=tfplan")

	// The check job: the plan file alone, the job's environment.
	job := rt2Job(t, l, "checkjob", filepath.Join(att.dir, "tfplan"))
	if code, out := job.run(filepath.Join(binDir, "planguard"), "check", "--policy="+l.policy, "tfplan"); code == 0 {
		t.Errorf("check allowed a plan made against a state the -state flag chose, not the pinned one:\n%s", out)
	}
	job.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+l.policy, "tfplan")
	if !l.exists(l.prodObj) {
		t.Fatal("planguard apply deleted the protected production object (plan made with -state)")
	}
}

// The same flag rewrites the pinned state with a plan that changes nothing:
// the author's copy lacks the protected object, the gate sees no change at
// all, and the apply writes the copy over the pinned state — a forget no
// rule (actions = ["forget"] included) is asked about.
func TestStatePinPlanStateFlagSilentForgetTerraformLatest(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	l := rt2Lab(t, tf, `protect "database" {
  addresses = ["planguardtest_object.db"]
  actions   = ["delete", "replace", "forget"]
}`)
	att := l.dir("attacker", localBackend(l.prodState))
	att.must(0, tf, "init", "-input=false", "-no-color")
	var st map[string]any
	if err := json.Unmarshal([]byte(readFile(t, l.prodState)), &st); err != nil {
		t.Fatal(err)
	}
	st["resources"] = []any{}
	b, _ := json.Marshal(st)
	att.write("fake.tfstate", string(b))
	att.must(0, tf, "plan", "-input=false", "-no-color", "-state=fake.tfstate", "-out=tfplan")
	job := rt2Job(t, l, "checkjob", filepath.Join(att.dir, "tfplan"))
	job.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+l.policy, "tfplan")
	if !strings.Contains(readFile(t, l.prodState), `"name": "db"`) {
		t.Fatal("planguard apply of a plan made with -state wrote the author's state copy over the pinned state: the protected object is forgotten with no forget change judged")
	}
}
