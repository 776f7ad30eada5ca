package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Protection follows the object: every way Terraform can carry a protected
// object to another address (moved blocks, module renames, import blocks,
// removed blocks) planned by real Terraform and OpenTofu, checked and
// applied through planguard. Each attack must be blocked and leave the
// protected object in state; the controls must pass without approval.

const movesPolicy = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "database" {
  addresses = ["terraform_data.prod_db"]
}
protect "data-module" {
  addresses = ["module.data.**"]
  approvals = 2
}
` + applyPins

const movesBase = `
resource "terraform_data" "prod_db" {
  input = "postgres"
}
resource "terraform_data" "scratch" {
  input = "tmp"
}
module "data" {
  source = "./modules/data"
}
`

const movesModule = `
resource "terraform_data" "db" {
  input = "orders"
}
`

func TestMovesTerraform(t *testing.T) {
	moves(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestMovesOpenTofu(t *testing.T) { moves(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) }

// TestMovesTerraformLatest runs on the Terraform the machine has on PATH
// (PLANGUARD_TERRAFORM_LATEST; the GNUmakefile finds it), the version
// people run today.
func TestMovesTerraformLatest(t *testing.T) {
	moves(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// toolVersion returns "1.8.5" for the tool at bin.
func toolVersion(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v\n%s", bin, err, out)
	}
	t.Logf("%s is version %s", bin, v.Version)
	return v.Version
}

func moves(t *testing.T, tf string) {
	version := toolVersion(t, tf)
	tofu := strings.Contains(filepath.Base(tf), "tofu")
	w, root := newWorld(t, tf, "base", "")
	if err := os.MkdirAll(filepath.Join(w.dir, "modules", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	alice := w.key("alice")
	pub, err := os.ReadFile(alice + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "allowed_signers"), "alice@example.com "+string(pub))
	writeFile(t, filepath.Join(root, "planguard.hcl"), movesPolicy)
	pol := "--policy=" + filepath.Join(root, "planguard.hcl")
	// Under the state pin a plan that imports is refused (exit 2, gate16b
	// G2): how the gate judges an import is checked under the policy
	// without its state block.
	writeFile(t, filepath.Join(root, "unpinned.hcl"), strings.TrimSuffix(movesPolicy, applyPins))
	unpinnedPol := "--policy=" + filepath.Join(root, "unpinned.hcl")

	writeFile(t, filepath.Join(w.dir, "main.tf"), movesBase)
	writeFile(t, filepath.Join(w.dir, "modules", "data", "main.tf"), movesModule)
	w.must(0, tf, "get", "-no-color")
	w.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color")
	baseState, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type, Name string
			Module     string
			Instances  []struct {
				Attributes struct{ ID string }
			}
		}
	}
	if err := json.Unmarshal(baseState, &state); err != nil {
		t.Fatal(err)
	}
	dbID := ""
	for _, r := range state.Resources {
		if r.Module == "" && r.Type == "terraform_data" && r.Name == "prod_db" && len(r.Instances) == 1 {
			dbID = r.Instances[0].Attributes.ID
		}
	}
	if dbID == "" {
		t.Fatalf("no prod_db in the base state:\n%s", baseState)
	}

	n := 0
	// plan writes a case directory holding the base state and files, and
	// plans it.
	plan := func(files map[string]string) *world {
		t.Helper()
		n++
		cw := *w
		cw.dir = filepath.Join(root, fmt.Sprintf("case%02d", n))
		for name, src := range files {
			p := filepath.Join(cw.dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, p, src)
		}
		writeFile(t, filepath.Join(cw.dir, "terraform.tfstate"), string(baseState))
		writeFile(t, filepath.Join(cw.dir, "providers.tf"), advProvider)
		cw.must(0, tf, "get", "-no-color") // local modules; planguard comes from dev_overrides
		cw.plan()
		return &cw
	}
	type verdict struct {
		Decision string
		Changes  []struct {
			Address, Action     string
			PreviousAddress     string `json:"previous_address"`
			Protected, Approved bool
			Rules               []string
			JudgedAs            []struct{ Address, Why string } `json:"judged_as"`
		}
	}
	check := func(cw *world) (int, verdict, string) {
		t.Helper()
		// The JSON report from --out: stdout and stderr are mixed here, and
		// stderr carries warnings.
		rep := filepath.Join(cw.dir, "report.json")
		checkPol := pol
		if strings.Contains(readFile(t, filepath.Join(cw.dir, "main.tf")), "import {") {
			checkPol = unpinnedPol
		}
		code, out := cw.run(filepath.Join(binDir, "planguard"), "check", checkPol, "--format=json", "--out=json="+rep, "tfplan")
		var v verdict
		if code != 2 {
			b, err := os.ReadFile(rep)
			if err == nil {
				err = json.Unmarshal(b, &v)
			}
			if err != nil {
				t.Fatalf("report: %v\n%s", err, out)
			}
		}
		return code, v, out
	}
	// survives asserts that the object with the database's id is still in
	// the state of cw, at some address.
	survives := func(cw *world) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(cw.dir, "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), dbID) {
			t.Fatalf("the protected database %s is gone from the state:\n%s", dbID, b)
		}
	}
	// blocked: check blocks with a protected change of action at address,
	// judged (also) under want; planguard apply refuses and applies nothing.
	blocked := func(name string, files map[string]string, address, action, judgedAs string) {
		t.Run(name, func(t *testing.T) {
			cw := plan(files)
			code, v, out := check(cw)
			found := false
			for _, c := range v.Changes {
				if c.Address == address && c.Action == action && c.Protected && !c.Approved {
					found = judgedAs == ""
					for _, j := range c.JudgedAs {
						found = found || j.Address == judgedAs
					}
				}
			}
			if code != 1 || v.Decision != "block" || !found {
				t.Fatalf("%s: exit %d, want 1 with %s %s blocked (judged as %s):\n%s", name, code, action, address, judgedAs, out)
			}
			code, out = cw.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
			want := 1
			if strings.Contains(readFile(t, filepath.Join(cw.dir, "main.tf")), "import {") {
				want = 2 // imports under the state pin
				contains(t, out, "imports objects into the pinned state")
			}
			if code != want || strings.Contains(out, "Apply complete") {
				t.Fatalf("planguard apply: exit %d, want %d and nothing applied:\n%s", code, want, out)
			}
			survives(cw)
		})
	}
	allowed := func(name string, files map[string]string) {
		t.Run(name, func(t *testing.T) {
			cw := plan(files)
			code, v, out := check(cw)
			if code != 0 || v.Decision != "allow" {
				t.Fatalf("%s: exit %d, want 0:\n%s", name, code, out)
			}
			if strings.Contains(readFile(t, filepath.Join(cw.dir, "main.tf")), "import {") {
				// Allowed by the gate, but under the state pin a plan that
				// imports is refused (gate16b G2): a person applies it.
				contains(t, cw.must(2, filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color"), "imports objects into the pinned state")
				cw.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
			} else {
				cw.must(0, filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
			}
			survives(cw)
		})
	}
	mod := "modules/data/main.tf"

	// The shapes of the attack.
	blocked("moved out and destroyed in one plan", map[string]string{
		"main.tf": "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n" + strings.Replace(movesBase, "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n", "", 1),
		mod:       movesModule,
	}, "terraform_data.junk", "delete", "terraform_data.prod_db")
	blocked("renamed out of protection (the first of two steps)", map[string]string{
		"main.tf": "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n" + strings.Replace(movesBase, "\"prod_db\"", "\"junk\"", 1),
		mod:       movesModule,
	}, "terraform_data.junk", "move", "terraform_data.prod_db")
	blocked("module renamed out of a module.data.** rule and destroyed", map[string]string{
		"main.tf": "moved {\n  from = module.data\n  to   = module.tmp\n}\n" + strings.Replace(movesBase, "module \"data\" {\n  source = \"./modules/data\"\n}\n", "", 1),
		mod:       movesModule,
	}, "module.tmp.terraform_data.db", "delete", "module.data.terraform_data.db")
	blocked("module renamed out of a module.data.** rule", map[string]string{
		"main.tf": "moved {\n  from = module.data\n  to   = module.tmp\n}\n" + strings.Replace(movesBase, "module \"data\"", "module \"tmp\"", 1),
		mod:       movesModule,
	}, "module.tmp.terraform_data.db", "move", "module.data.terraform_data.db")
	importJunk := func(extra string) map[string]string {
		return map[string]string{
			"main.tf": movesBase + fmt.Sprintf("import {\n  to = terraform_data.junk\n  id = %q\n}\nresource \"terraform_data\" \"junk\" {\n%s}\n", dbID, extra),
			mod:       movesModule,
		}
	}
	blocked("import of the database's id, replaced at once", importJunk("  triggers_replace = \"now\"\n"), "terraform_data.junk", "replace", "terraform_data.prod_db")
	blocked("import of an unknown object, replaced at once", map[string]string{
		"main.tf": movesBase + "import {\n  to = terraform_data.junk\n  id = \"some-other-object\"\n}\nresource \"terraform_data\" \"junk\" {\n  triggers_replace = \"now\"\n}\n",
		mod:       movesModule,
	}, "terraform_data.junk", "replace", "")
	if !tofu || versionAtLeast(version, "1.7.0") {
		blocked("removed with destroy = false under default actions", map[string]string{
			"main.tf": "removed {\n  from = terraform_data.prod_db\n  lifecycle {\n    destroy = false\n  }\n}\n" + strings.Replace(movesBase, "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n", "", 1),
			mod:       movesModule,
		}, "terraform_data.prod_db", "forget", "")
	}

	t.Run("a copy imported earlier, destroyed later", func(t *testing.T) {
		// Step one is allowed: an import that destroys nothing. Under the
		// state pin planguard refuses a plan that imports (gate16b G2); a
		// person with the credentials applies it.
		cw := plan(map[string]string{
			"main.tf": movesBase + fmt.Sprintf("import {\n  to = terraform_data.copy\n  id = %q\n}\nresource \"terraform_data\" \"copy\" {}\n", dbID),
			mod:       movesModule,
		})
		cw.must(0, filepath.Join(binDir, "planguard"), "check", unpinnedPol, "tfplan")
		contains(t, cw.must(2, filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color"), "imports objects into the pinned state: terraform_data.copy")
		cw.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
		// Step two destroys the copy: the object with the database's id.
		writeFile(t, filepath.Join(cw.dir, "main.tf"), movesBase)
		cw.plan()
		code, v, out := check(cw)
		found := false
		for _, c := range v.Changes {
			for _, j := range c.JudgedAs {
				found = found || (c.Address == "terraform_data.copy" && c.Action == "delete" && c.Protected && !c.Approved && j.Address == "terraform_data.prod_db" && j.Why == "same_id")
			}
		}
		if code != 1 || !found {
			t.Fatalf("deleting a copy of the database's id: exit %d\n%s", code, out)
		}
	})

	// With approvals: exactly the right one unblocks; one for another move,
	// or for the old address's delete, does not.
	movedOut := map[string]string{
		"main.tf": "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n" + strings.Replace(movesBase, "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n", "", 1),
		mod:       movesModule,
	}
	renamedOut := map[string]string{
		"main.tf": "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n" + strings.Replace(movesBase, "\"prod_db\"", "\"junk\"", 1),
		mod:       movesModule,
	}
	// approved plans files, has alice approve with args (from the plan
	// unless --plan= is given), plans again and returns the case and the
	// check's verdict.
	approved := func(files map[string]string, args ...string) (*world, int, verdict, string) {
		t.Helper()
		cw := plan(files)
		a := append([]string{"approve", pol, "--plan=tfplan", "--reason=CHG-7: retire", "--key=" + alice, "--principal=alice@example.com", "--out=approvals.tf"}, args...)
		cw.must(0, filepath.Join(binDir, "planguard"), a...)
		cw.plan()
		code, v, out := check(cw)
		return cw, code, v, out
	}
	t.Run("approved: moved out and destroyed", func(t *testing.T) {
		cw, code, v, out := approved(movedOut, "--target=terraform_data.junk")
		if code != 0 || v.Decision != "allow" {
			t.Fatalf("the right approval did not unblock: exit %d\n%s", code, out)
		}
		out = cw.must(0, filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		contains(t, out, "terraform_data.junk: Destruction complete")
	})
	t.Run("approved: renamed out of protection", func(t *testing.T) {
		cw, code, v, out := approved(renamedOut, "--target=terraform_data.junk")
		if code != 0 || v.Decision != "allow" || !strings.Contains(out, `"action": "move"`) {
			t.Fatalf("the right move approval did not unblock: exit %d\n%s", code, out)
		}
		cw.must(0, filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		survives(cw)
	})
	notCounted := func(name string, files map[string]string, status string, args ...string) {
		t.Run(name, func(t *testing.T) {
			_, code, v, out := approved(files, append(args, "--force")...) // deliberate duds
			if code != 1 || v.Decision != "block" || !strings.Contains(out, `"status": "`+status+`"`) {
				t.Fatalf("exit %d, want 1 with an approval of status %s:\n%s", code, status, out)
			}
		})
	}
	notCounted("an approval for the destruction without from", movedOut, "wrong_from", "--plan=", "--action=delete", "--target=terraform_data.junk")
	notCounted("an approval for the destruction of another moved object", movedOut, "wrong_from", "--plan=", "--action=delete", "--target=terraform_data.junk", "--from=terraform_data.scratch")
	notCounted("an approval for the old address's delete", movedOut, "unused", "--plan=", "--action=delete", "--target=terraform_data.prod_db")
	notCounted("an approval for another rename", renamedOut, "wrong_from", "--plan=", "--action=move", "--target=terraform_data.junk", "--from=terraform_data.scratch")
	notCounted("an approval for the same rename to another address", renamedOut, "unused", "--plan=", "--action=move", "--target=terraform_data.junk2", "--from=terraform_data.prod_db")
	notCounted("a delete approval for a rename", renamedOut, "wrong_action", "--plan=", "--action=delete", "--target=terraform_data.junk", "--from=terraform_data.prod_db")

	// Controls: none of these needs an approval.
	allowed("control: rename inside the protecting glob", map[string]string{
		"main.tf": "moved {\n  from = module.data.terraform_data.db\n  to   = module.data.terraform_data.db2\n}\n" + movesBase,
		mod:       strings.Replace(movesModule, "\"db\"", "\"db2\"", 1),
	})
	allowed("control: move of an unprotected resource", map[string]string{
		"main.tf": "moved {\n  from = terraform_data.scratch\n  to   = terraform_data.scratch2\n}\n" + strings.Replace(movesBase, "\"scratch\"", "\"scratch2\"", 1),
		mod:       movesModule,
	})
	allowed("control: import without destruction", map[string]string{
		"main.tf": movesBase + "import {\n  to = terraform_data.copy\n  id = \"unrelated-object\"\n}\nresource \"terraform_data\" \"copy\" {}\n",
		mod:       movesModule,
	})
}

// versionAtLeast compares dotted versions such as 1.6.2 (a "-dev" suffix
// is ignored).
func versionAtLeast(v, atLeast string) bool {
	parse := func(s string) [3]int {
		var out [3]int
		s, _, _ = strings.Cut(s, "-")
		for i, p := range strings.SplitN(s, ".", 3) {
			fmt.Sscanf(p, "%d", &out[i])
		}
		return out
	}
	a, b := parse(v), parse(atLeast)
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return true
}
