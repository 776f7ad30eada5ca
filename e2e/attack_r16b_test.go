package e2e

// Attacker review r16b of issue 16 (state pin, ids, lock_file, clean
// room): attacks reproduced as failing tests. Each test sets up the same
// lab as statePins (a production object in a pinned local state, a trusted
// lock file, the job's explicit provider_installation) and asserts what
// the gate must do; where the gate lets the attack through, the test fails
// and says what was lost.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16bTerraform(t *testing.T) {
	attackR16b(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16bTerraformLatest(t *testing.T) {
	attackR16b(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16bOpenTofu(t *testing.T) {
	attackR16b(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// rewritePlan rewrites the saved plan at path, passing each entry through
// edit (which returns the new content), keeping names and order. This is
// what the change's author can do to the plan file the plan job uploads.
func rewritePlan(t *testing.T, path string, edit func(name string, b []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b = edit(f.Name, b)
		hdr := f.FileHeader
		w, err := zw.CreateHeader(&zip.FileHeader{Name: hdr.Name, Method: zip.Deflate, Modified: hdr.Modified})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	_ = zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dropResource returns the state st without the resource named name
// (lineage and serial kept).
func dropResource(t *testing.T, st []byte, name string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(st, &m); err != nil {
		t.Fatal(err)
	}
	rs, _ := m["resources"].([]any)
	var keep []any
	for _, r := range rs {
		if r.(map[string]any)["name"] != name {
			keep = append(keep, r)
		}
	}
	if len(keep) == len(rs) {
		t.Fatalf("state has no resource %q:\n%s", name, st)
	}
	m["resources"] = keep
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renameResource returns st with resource from renamed to to.
func renameResource(t *testing.T, st []byte, from, to string) []byte {
	t.Helper()
	return editResource(t, st, from, func(res map[string]any) { res["name"] = to })
}

func attackR16b(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root
	prodSrc := localBackend(l.prodState) + fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", l.prodObj)
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	l.trustLock()
	pins := fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nlock_file = \"trusted.lock.hcl\"\n", l.prodState)
	head := "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\n"
	// As the policy guide recommends: the database by address and by id,
	// the state and the lock file pinned.
	writeFile(t, l.policy, head+fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\n", l.prodObj)+pins)
	byAddr := filepath.Join(root, "policy", "byaddress.hcl")
	writeFile(t, byAddr, head+"protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n}\n"+pins)

	prodSnapshot := func() (string, string) {
		return readFile(t, l.prodState), readFile(t, l.prodObj)
	}
	wantState, wantObj := prodSnapshot()

	// Each attack runs against a fresh copy of production, restored after.
	restore := func() {
		writeFile(t, l.prodState, wantState)
		writeFile(t, l.prodObj, wantObj)
	}
	lost := func(what string) []string {
		var out []string
		st, obj := "", ""
		if b, err := os.ReadFile(l.prodState); err == nil {
			st = string(b)
		}
		if b, err := os.ReadFile(l.prodObj); err == nil {
			obj = string(b)
		} else {
			out = append(out, what+": the production object file was deleted")
		}
		if obj != "" && obj != wantObj {
			out = append(out, what+": the production object's content was overwritten")
		}
		if !strings.Contains(st, `"name": "db"`) {
			out = append(out, what+": the production state no longer manages planguardtest_object.db (forgotten)")
		}
		return out
	}

	t.Run("forged tfstate entry forgets the protected object", func(t *testing.T) {
		defer restore()
		// An honest-looking change (db unchanged, one new object), planned
		// against the pinned state; then the author edits the plan file's
		// tfstate entry (the prior state the apply starts from and writes
		// back), dropping db. tfstate-prev, which the local-state check
		// reads, is left as the pinned state.
		a := l.dir("forge1", prodSrc+object("extra", filepath.Join(root, "objects", "extra")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		plan := filepath.Join(a.dir, "tfplan")
		rewritePlan(t, plan, func(name string, b []byte) []byte {
			if name == "tfstate" {
				return dropResource(t, b, "db")
			}
			return b
		})
		code, out := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+l.policy, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if problems := lost("apply"); len(problems) > 0 || code == 0 {
			t.Errorf("the gate must refuse a plan whose tfstate entry is not the pinned state (check exit %d, apply exit %d); lost: %v", code, acode, problems)
		}
	})

	t.Run("forged tfstate entry renames the protected object, address rule", func(t *testing.T) {
		defer restore()
		// The fixed -state attack, again: plan an edited copy in which db
		// is old_tmp and the configuration drops old_tmp (a delete of an
		// unprotected address), then put the pinned state back as the
		// plan file's tfstate-prev, which is all the local-state check
		// compares besides tfstate's lineage and serial.
		a := l.dir("forge2", localBackend(l.prodState)+object("extra", filepath.Join(root, "objects", "extra2")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		copyPath := filepath.Join(a.dir, "copy.tfstate")
		writeFile(t, copyPath, string(renameResource(t, []byte(wantState), "db", "old_tmp")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-state="+copyPath, "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate-prev" {
				return []byte(wantState)
			}
			return b
		})
		code, out := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+byAddr, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+byAddr, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if problems := lost("apply"); len(problems) > 0 || code == 0 {
			t.Errorf("the gate must refuse a plan whose tfstate entry is not the pinned state (check exit %d, apply exit %d); lost: %v", code, acode, problems)
		}
	})

	t.Run("http backend: forged tfstate entry forgets the protected object", func(t *testing.T) {
		// The same edit under a remote backend (http, served here; s3,
		// gcs, azurerm alike): nothing compares the plan's prior state with
		// the backend's beyond Terraform's lineage and serial.
		srv, state := httpStateServer(t)
		addr := srv.URL + "/prod"
		obj := filepath.Join(root, "objects", "http-db")
		httpBackend := fmt.Sprintf("terraform {\n  backend \"http\" {\n    address = %q\n  }\n}\n", addr)
		dbSrc := fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", obj)
		p := l.dir("httpprod", httpBackend+dbSrc)
		p.must(0, tf, "init", "-input=false", "-no-color")
		p.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
		pol := filepath.Join(root, "policy", "http.hcl")
		writeFile(t, pol, head+fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\n", obj)+
			fmt.Sprintf("state {\n  backend = \"http\"\n  config  = { address = %q }\n}\nlock_file = \"trusted.lock.hcl\"\n", addr))
		a := l.dir("httpforge", httpBackend+dbSrc+object("extra", filepath.Join(root, "objects", "extra3")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" || name == "tfstate-prev" {
				return dropResource(t, b, "db")
			}
			return b
		})
		code, out := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+pol, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+pol, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		st := state("/prod")
		if code == 0 || !strings.Contains(st, `"db"`) {
			t.Errorf("the gate must refuse a plan whose prior state is not the backend's (check exit %d, apply exit %d); the production state now manages db: %v", code, acode, strings.Contains(st, `"db"`))
		}
	})

	t.Run("refresh that cannot see the protected object forgets it (drift not judged)", func(t *testing.T) {
		defer restore()
		// No edit of the plan file: the plan's refresh does not find db
		// (here the object is out of the plan job's sight while it plans;
		// with a real provider, the change's own provider configuration
		// reads another region, account or endpoint), so the prior state
		// lacks db, resource_drift shows it deleted, and with db dropped
		// from the configuration resource_changes has nothing for it. The
		// local-state check passes (tfstate-prev is the pinned state), the
		// gate judges no change, and the apply writes a state without db.
		a := l.dir("drift", localBackend(l.prodState)+object("extra", filepath.Join(root, "objects", "extra4")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		hidden := l.prodObj + ".hidden"
		if err := os.Rename(l.prodObj, hidden); err != nil {
			t.Fatal(err)
		}
		a.plan()
		if err := os.Rename(hidden, l.prodObj); err != nil {
			t.Fatal(err)
		}
		code, out := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+l.policy, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if problems := lost("apply"); len(problems) > 0 || code == 0 {
			t.Errorf("a plan whose refresh drops a protected object from the state must not be allowed (check exit %d, apply exit %d); lost: %v", code, acode, problems)
		}
	})

	t.Run("refresh that cannot see the protected object turns its replace into a create", func(t *testing.T) {
		defer restore()
		// As above, but db stays in the configuration with new content: an
		// honest plan replaces db (protected, blocked); a plan whose
		// refresh does not find db creates it, which the gate allows, and
		// the create overwrites the production object under its own
		// protected address and id.
		a := l.dir("drift2", localBackend(l.prodState)+fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"wiped\"\n}\n", l.prodObj))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		if code, _ := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+l.policy, "tfplan"); code != 1 {
			t.Fatalf("the honest replace of db was not blocked (exit %d): the test proves nothing", code)
		}
		hidden := l.prodObj + ".hidden"
		if err := os.Rename(l.prodObj, hidden); err != nil {
			t.Fatal(err)
		}
		a.plan()
		if err := os.Rename(hidden, l.prodObj); err != nil {
			t.Fatal(err)
		}
		code, out := a.run(filepath.Join(binDir, "planguard"), "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(filepath.Join(binDir, "planguard"), "apply", "--policy="+l.policy, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if problems := lost("apply"); len(problems) > 0 || code == 0 {
			t.Errorf("a plan that re-creates a protected object its refresh could not see must not be allowed (check exit %d, apply exit %d); lost: %v", code, acode, problems)
		}
	})
}
