package e2e

// Attacker review gate16 of issue 16 (F1, F2): under a state pin the gate
// bound the pinned state to the saved plan's tfstate-prev, but the apply
// uses each change's Before from the tfplan record (a delete sends it to
// the provider as the prior state) and the refreshed state tfstate (the
// apply's starting state, written back to the backend). Both are the plan
// file's author's to edit.
//
//   - F1b: tmp dropped, its Before in tfplan edited to another spelling of
//     the protected object's id ("objects//prod-db"): the provider deleted
//     the production object. Now a change's before must be the prior
//     state's object (exit 2), and the same-id lookup compares ids in
//     normal form.
//   - F2c / F2: an id, or an attribute the provider's Read keeps (note),
//     edited in tfstate (alone, or in tfstate and tfplan together so that
//     before and prior state agree): the apply wrote it into the pinned
//     state. Now, under a state pin, a refresh that changed an object is
//     an error (exit 2): planguard cannot tell it from an edit.
//   - An honest plan with real drift (an object's file changed outside
//     Terraform) is refused the same way, with the remedies; planned with
//     -refresh=false it is allowed and applies.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16hTerraform(t *testing.T) {
	attackR16h(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16hTerraformLatest(t *testing.T) {
	attackR16h(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16hOpenTofu(t *testing.T) {
	attackR16h(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func attackR16h(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root
	obj := func(name string) string { return filepath.Join(root, "objects", name) }
	// "objects/tmp-obj1" and "objects//prod-db" have one length: an edit
	// of the msgpack of tfplan keeps its framing.
	tmpPath, prodSpelling := obj("tmp-obj1"), filepath.Join(root, "objects")+"//prod-db"
	if len(tmpPath) != len(prodSpelling) {
		t.Fatal("the spellings differ in length")
	}
	db := fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path = %q\n  note = \"protected\"\n}\n", l.prodObj)
	tmp := object("tmp", tmpPath)
	logObj := fmt.Sprintf("resource \"planguardtest_object\" \"log\" {\n  path    = %q\n  content = \"v1\"\n}\n", obj("log"))
	prodSrc := localBackend(l.prodState) + db + tmp + logObj
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	l.trustLock()
	// db is protected by address only: the same-id lookup is what guards
	// it against a delete under another address.
	writeFile(t, l.policy, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nlock_file = \"trusted.lock.hcl\"\n"+
		fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", l.prodState)+
		"protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n}\n")
	wantState := readFile(t, l.prodState)
	pg := filepath.Join(binDir, "planguard")
	unchanged := func(t *testing.T) {
		t.Helper()
		if got := readFile(t, l.prodState); got != wantState {
			t.Errorf("the pinned state changed:\n%s", got)
		}
		for _, p := range []string{l.prodObj, tmpPath} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("object %s: %v", p, err)
			}
		}
	}
	dir := func(t *testing.T, name, src string) *world {
		w := l.dir(name, src)
		w.t = t
		w.must(0, tf, "init", "-input=false", "-no-color")
		return w
	}
	// refused runs check and apply (in a directory holding only the plan
	// file, as the apply job does): both exit 2 naming wants, and nothing
	// changes.
	refused := func(t *testing.T, w *world, wants ...string) {
		t.Helper()
		code, out := w.run(pg, "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		if code != 2 {
			t.Fatalf("planguard check: exit %d, want 2", code)
		}
		contains(t, out, wants...)
		job := *w
		job.dir = filepath.Join(w.dir, "applyjob")
		if err := os.MkdirAll(job.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(job.dir, "tfplan"), readFile(t, filepath.Join(w.dir, "tfplan")))
		code, out = job.run(pg, "apply", "--policy="+l.policy, "tfplan")
		if code != 2 {
			t.Errorf("planguard apply: exit %d, want 2\n%s", code, out)
		}
		contains(t, out, wants...)
		unchanged(t)
	}
	replaceIn := func(t *testing.T, b []byte, old, repl string) []byte {
		t.Helper()
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%q not found", old)
		}
		return bytes.ReplaceAll(b, []byte(old), []byte(repl))
	}

	t.Run("F1b: a dropped object's Before in tfplan edited to another spelling of the protected id", func(t *testing.T) {
		a := dir(t, "f1b", localBackend(l.prodState)+db+logObj)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfplan" {
				return replaceIn(t, b, tmpPath, prodSpelling)
			}
			return b
		})
		refused(t, a, "planguardtest_object.tmp", "before value", "edited after Terraform wrote it", "plan again")
	})

	t.Run("F2c: tmp's id in tfstate edited to another spelling of the protected id", func(t *testing.T) {
		a := dir(t, "f2c", prodSrc+object("cache", obj("cache")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" {
				return editInstance(t, b, "tmp", func(inst map[string]any) {
					attrs := inst["attributes"].(map[string]any)
					attrs["id"], attrs["path"] = prodSpelling, prodSpelling
				})
			}
			return b
		})
		// tmp is kept (a no-op, whose before is not compared: the apply does
		// nothing with it): the refresh rule refuses the edited tfstate.
		refused(t, a, "planguardtest_object.tmp", "id "+fmt.Sprintf("%q", prodSpelling), "refresh changed objects of the pinned state")
	})

	t.Run("F2c: tmp's id edited in tfstate and tfplan alike", func(t *testing.T) {
		a := dir(t, "f2c-both", prodSrc+object("cache", obj("cache")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" || name == "tfplan" {
				return replaceIn(t, b, tmpPath, prodSpelling)
			}
			return b
		})
		refused(t, a, "planguardtest_object.tmp", "id "+fmt.Sprintf("%q", prodSpelling), "refresh", "terraform apply -refresh-only", "-refresh=false")
	})

	t.Run("F2: the protected object's note edited in tfstate", func(t *testing.T) {
		a := dir(t, "f2", prodSrc+object("cache", obj("cache")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" {
				return editInstance(t, b, "db", func(inst map[string]any) {
					inst["attributes"].(map[string]any)["note"] = "EDITED: skip_final_snapshot=true"
				})
			}
			return b
		})
		refused(t, a, "planguardtest_object.db", "attribute note", "refresh changed objects of the pinned state")
	})

	t.Run("F2: the protected object's note edited in tfstate and tfplan alike", func(t *testing.T) {
		a := dir(t, "f2-both", prodSrc+object("cache", obj("cache")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			switch name {
			case "tfstate":
				return editInstance(t, b, "db", func(inst map[string]any) { inst["attributes"].(map[string]any)["note"] = "unguarded" })
			case "tfplan":
				// db's no-op change: its Before and After (msgpack).
				return replaceIn(t, b, "protected", "unguarded")
			}
			return b
		})
		refused(t, a, "planguardtest_object.db (attribute note)", "terraform apply -refresh-only", "-refresh=false")
	})

	t.Run("honest drift: refused under the pin, allowed with -refresh=false", func(t *testing.T) {
		// log's file changed outside Terraform: the refresh reads v2.
		writeFile(t, obj("log"), "v2")
		wantState = readFile(t, l.prodState)
		a := dir(t, "drift", prodSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		refused(t, a, "planguardtest_object.log (attribute content)", "terraform apply -refresh-only", "-refresh=false")
		a.must(0, tf, "plan", "-input=false", "-no-color", "-refresh=false", "-out=tfplan")
		out := a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		if strings.Contains(out, "refresh") && strings.Contains(out, "log") {
			t.Errorf("the -refresh=false plan reports a refresh of log:\n%s", out)
		}
		a.must(0, pg, "apply", "--policy="+l.policy, "tfplan")
		if !strings.Contains(readFile(t, l.prodState), "v1") {
			t.Errorf("the pinned state lost log's content")
		}
	})
}
