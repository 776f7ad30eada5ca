package e2e

// Attacker review r16e of issue 16: ways around the landed work that still
// print ALLOWED, reproduced with real plans and applies in the lab of
// attack_r16d_test.go (a production object in a pinned local state,
// protected by address and by id; the trusted lock file; the job's explicit
// provider_installation). The author controls only the configuration and
// the plan job.
//
//  1. A file function whose argument is known at plan is not judged
//     (snapshot_code.go takes it to be evaluated at plan only), but
//     Terraform and OpenTofu evaluate every expression again during the
//     apply: a check block's error_message, a precondition's, a resource
//     argument (then printed in the "inconsistent final plan" error) read
//     /proc/self/environ with the apply's credentials and print it in the
//     apply's log (base64-encoded, so that CI secret masking does not
//     recognise it).
//  2. The rule "a file function in a provider block that reads other than
//     a file of the configuration" is kept by the provider block's own
//     expressions only: the same call in a local value the provider block
//     refers to is evaluated again when the provider is configured at
//     apply, and allowed.
//  3. protect { ids } compares strings: an import of the protected object
//     under another spelling of its id (here "dir//name" for "dir/name";
//     for real providers a name in another case, an ARN for a name, a
//     resource id in another case on Azure) is not the protected id, and a
//     later plan deletes the object through it.

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16eTerraform(t *testing.T) {
	attackR16e(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16eTerraformLatest(t *testing.T) {
	attackR16e(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16eOpenTofu(t *testing.T) {
	attackR16e(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// r16eSecret is a credential only the apply job holds.
const r16eSecret = "r16e-apply-only-credential"

// leaked reports whether out holds r16eSecret, as it is or in one of its
// base64-encoded runs.
func leaked(out string) bool {
	if strings.Contains(out, r16eSecret) {
		return true
	}
	// Terraform colours its messages: the escape sequences first.
	out = regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")
	for _, tok := range regexp.MustCompile(`[A-Za-z0-9+/]{24,}={0,2}`).FindAllString(out, -1) {
		if b, err := base64.StdEncoding.DecodeString(tok); err == nil && strings.Contains(string(b), r16eSecret) {
			return true
		}
	}
	return false
}

func attackR16e(t *testing.T, tf string) {
	toolVersion(t, tf)
	testObjBins(t)

	// applyLeaks checks and applies the plan of a, the apply with a
	// credential only the apply job has, and reports whether the apply's
	// output (the CI log the author reads) holds it.
	applyLeaks := func(t *testing.T, r *r16dLab, a *world) (int, string, int, bool) {
		t.Helper()
		code, out := r.pgRun(a, "check", "--policy="+r.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		if leaked(out) {
			t.Fatal("the check's own output holds the apply's credential before the apply runs: the test proves nothing")
		}
		a.env = append(a.env, "APPLY_ROLE_SECRET="+r16eSecret)
		acode, aout := r.pgRun(a, "apply", "--policy="+r.policy, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		return code, out, acode, leaked(aout)
	}

	t.Run("a file read whose path is known at plan is read again in the apply: check block", func(t *testing.T) {
		// Harm: the apply job's environment (its cloud credentials, the
		// OIDC request token) is printed, base64-encoded, in the apply's
		// log, and the apply succeeds; the gate printed ALLOWED (no change
		// at all). The same call with an argument unknown at plan blocks
		// (attack_r16d_test.go): only the argument's knownness differs,
		// not where it is evaluated.
		r := newR16dLab(t, tf)
		a := r.dir("checkleak", r.prodSrc()+`check "notes" {
  assert {
    condition     = planguardtest_object.db.content == "never"
    error_message = base64encode(file("/proc/self/environ"))
  }
}
`)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, out, acode, leak := applyLeaks(t, r, a)
		if leak {
			t.Errorf("the apply printed its own credential in its log through a check block's file(\"/proc/self/environ\") (check exit %d, apply exit %d)", code, acode)
		}
		blockedFor(t, code, out, 2, "check.notes calls file at main.tf:") // refused before the room (lock_file)
	})

	t.Run("a file read whose path is known at plan is read again in the apply: resource argument", func(t *testing.T) {
		// Harm: as above; the apply re-evaluates the new object's
		// configuration, finds it differs from the plan and prints both
		// values (the plan job's environment and the apply job's) in the
		// "inconsistent final plan" error.
		r := newR16dLab(t, tf)
		a := r.dir("argleak", r.prodSrc()+fmt.Sprintf(`resource "planguardtest_object" "notes" {
  path    = %q
  content = base64encode(file("/proc/self/environ"))
}
`, filepath.Join(r.root, "objects", "notes")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, out, acode, leak := applyLeaks(t, r, a)
		if leak {
			t.Errorf("the apply printed its own credential in its log through a resource argument's file(\"/proc/self/environ\") (check exit %d, apply exit %d)", code, acode)
		}
		blockedFor(t, code, out, 2, "planguardtest_object.notes calls file at main.tf:") // refused before the room (lock_file)
	})

	t.Run("a provider block reads a host file through a local value", func(t *testing.T) {
		// Harm: the provider is configured during the apply with a file of
		// the apply's host (here terraform's own environment, with the
		// apply's credentials): whatever the provider does with its
		// settings (an endpoint, a header, a log line) it does with them.
		// The gate blocks exactly this call in the provider block itself;
		// through a local value, which Terraform evaluates again for the
		// provider at apply, it prints ALLOWED. (The test provider has no
		// sink for its host setting, so the test asserts the verdict.)
		r := newR16dLab(t, tf)
		direct := r.dir("provlocal-direct", r.prodSrc()+`provider "planguardtest" {
  host = file("/proc/self/environ")
}
`)
		direct.must(0, tf, "init", "-input=false", "-no-color")
		direct.plan()
		if code, out := r.pgRun(direct, "check", "--policy="+r.policy, "tfplan"); code != 2 || !strings.Contains(out, "provider.planguardtest calls file") {
			t.Fatalf("the call in the provider block itself was not blocked (exit %d): the test proves nothing\n%s", code, out)
		}
		a := r.dir("provlocal", r.prodSrc()+`locals {
  host = file("/proc/self/environ")
}
provider "planguardtest" {
  host = local.host
}
`)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, out := r.pgRun(a, "check", "--policy="+r.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		if code != 2 || !strings.Contains(out, "local.host calls file") {
			t.Errorf("a provider block that reads /proc/self/environ through local.host was not refused (exit %d), the same read written in the provider block is", code)
		}
	})

	t.Run("an import under another spelling of the protected id escapes ids", func(t *testing.T) {
		// Harm: the production object is deleted; each of the two plans
		// printed ALLOWED under a policy that protects it by id (the
		// protection the issue gives for objects whatever state they are
		// in). Plan 1, in a state of the author's choosing, imports the
		// production object as "objects//prod-db" (the same file; the
		// provider keeps the id as imported) without changing it; plan 2
		// drops it from the configuration.
		r := newR16dLab(t, tf)
		pol := filepath.Join(r.root, "policy", "ids.hcl")
		// The ids rule is what is tested: the policy pins the very state
		// the change brings (planguard apply needs a state block), so only
		// the rule stands between the plans and the object.
		adopted := filepath.Join(r.root, "state", "adopted.tfstate")
		writeFile(t, pol, r.head+fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\nlock_file = \"trusted.lock.hcl\"\n", r.prodObj)+localStatePinAt(adopted))
		alias := filepath.Dir(r.prodObj) + "//" + filepath.Base(r.prodObj)
		fresh := localBackend(adopted)
		a := r.dir("alias", fresh+fmt.Sprintf(`import {
  to = planguardtest_object.legacy
  id = %q
}
resource "planguardtest_object" "legacy" {
  path    = %q
  content = "customer data"
}
`, alias, alias))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code1, out1 := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		t.Logf("plan 1, planguard check: exit %d\n%s", code1, out1)
		// Under the state pin the gate refuses a plan that imports (gate16b
		// G2); a person with the credentials applies plan 1, as the refusal
		// says, and the ids rule must still stop plan 2.
		if code1 != 2 || !strings.Contains(out1, "imports objects into the pinned state") {
			t.Errorf("plan 1 (an import under the state pin): check exit %d, want 2 (imports refused)", code1)
		}
		a.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
		acode1 := 0
		code2, acode2 := -1, -1
		if acode1 == 0 {
			a.write("main.tf", r16dRequired+fresh)
			a.plan()
			var out2 string
			code2, out2 = r.pgRun(a, "check", "--policy="+pol, "tfplan")
			t.Logf("plan 2, planguard check: exit %d\n%s", code2, out2)
			acode2, _ = r.pgRun(a, "apply", "--policy="+pol, "tfplan")
		}
		if !r.exists(r.prodObj) {
			t.Errorf("the protected object was deleted through an import of %q (plan 1: check exit %d, apply exit %d; plan 2: check exit %d, apply exit %d)", alias, code1, acode1, code2, acode2)
		}
	})
}
