package e2e

// Attacker review r16f of issue 16: under a state pin the gate compared
// only the lineage and serial of the plan's tfstate and the objects'
// addresses, ids, identities, status and private data of its tfstate-prev.
// `terraform plan -state=COPY`, COPY the pinned state (same lineage and
// serial) with an object's attribute edited (one the provider's Read does
// not refresh: the test provider's note, as a deletion_protection flag),
// or with the provider of a resource edited, made a plan whose apply
// writes the edited value into the pinned state; so did the same edits
// made in the plan file's state records. Each object of the plan's state
// before its refresh must now be the pinned state's in every value, and
// the refresh must keep each object's provider.
//
// The honest plan doubles as the check that Terraform and OpenTofu write
// the state before the refresh with the backend's dependencies,
// create_before_destroy and sensitive_attributes even when the
// configuration drops a depends_on, a create_before_destroy and a
// variable's sensitivity (the gate compares them).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16gTerraform(t *testing.T) {
	attackR16g(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16gTerraformLatest(t *testing.T) {
	attackR16g(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16gOpenTofu(t *testing.T) {
	attackR16g(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// editResource returns the state st with edit applied to the resource
// named name.
func editResource(t *testing.T, st []byte, name string, edit func(res map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(st, &m); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range m["resources"].([]any) {
		if rm := r.(map[string]any); rm["name"] == name {
			edit(rm)
			found = true
		}
	}
	if !found {
		t.Fatalf("state has no resource %q:\n%s", name, st)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func attackR16g(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root
	obj := func(name string) string { return filepath.Join(root, "objects", name) }
	const other = "provider \"planguardtest\" {\n  alias = \"other\"\n}\n"
	// Production: db (note "protected", its content from a sensitive
	// variable, after net, create_before_destroy) and tmp.
	prodSrc := localBackend(l.prodState) + other + fmt.Sprintf(`variable "secret" {
  default   = "customer data"
  sensitive = true
}
resource "planguardtest_object" "net" {
  path = %q
}
resource "planguardtest_object" "db" {
  path       = %q
  content    = var.secret
  note       = "protected"
  depends_on = [planguardtest_object.net]
  lifecycle {
    create_before_destroy = true
  }
}
resource "planguardtest_object" "tmp" {
  path = %q
}
`, obj("net"), l.prodObj, obj("tmp"))
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	l.trustLock()
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
		for _, p := range []string{l.prodObj, obj("net"), obj("tmp")} {
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
	refused := func(t *testing.T, w *world, wants ...string) {
		t.Helper()
		code, out := w.run(pg, "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		if code != 2 {
			t.Fatalf("planguard check: exit %d, want 2", code)
		}
		contains(t, out, wants...)
		if code, out := w.run(pg, "apply", "--policy="+l.policy, "tfplan"); code != 2 {
			t.Errorf("planguard apply: exit %d, want 2\n%s", code, out)
		}
		unchanged(t)
	}
	// The honest configuration: db without its depends_on, its
	// create_before_destroy and its variable's sensitivity, net under
	// another provider alias, and a new object.
	honestSrc := localBackend(l.prodState) + other + fmt.Sprintf(`variable "secret" {
  default = "customer data"
}
resource "planguardtest_object" "net" {
  provider = planguardtest.other
  path     = %q
}
resource "planguardtest_object" "db" {
  path    = %q
  content = var.secret
  note    = "protected"
}
resource "planguardtest_object" "tmp" {
  path = %q
}
resource "planguardtest_object" "cache" {
  path = %q
}
`, obj("net"), l.prodObj, obj("tmp"), obj("cache"))

	t.Run("d: an ordinary pinned plan is allowed", func(t *testing.T) {
		a := dir(t, "honest", honestSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		out := a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		// net's new provider alias is not an edit, but is named.
		contains(t, out, "planguardtest_object.net", "another provider configuration")
		unchanged(t)
	})

	t.Run("a: plan -state=COPY with an attribute the provider's Read keeps edited", func(t *testing.T) {
		a := dir(t, "copy-attr", honestSrc)
		copyPath := filepath.Join(a.dir, "copy.tfstate")
		writeFile(t, copyPath, string(editInstance(t, []byte(wantState), "db", func(inst map[string]any) {
			inst["attributes"].(map[string]any)["note"] = "unprotected"
		})))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-state="+copyPath, "-out=tfplan")
		refused(t, a, "planguardtest_object.db", `attribute "note"`, "tfstate-prev", l.prodState)
	})

	t.Run("a: the plan file's tfstate-prev and tfstate with an attribute edited", func(t *testing.T) {
		a := dir(t, "zip-attr", honestSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" || name == "tfstate-prev" {
				return editInstance(t, b, "db", func(inst map[string]any) { inst["attributes"].(map[string]any)["note"] = "unprotected" })
			}
			return b
		})
		// Refused before the states are compared: db's before value (the
		// tfplan record) is not its edited prior state (tfstate).
		refused(t, a, "planguardtest_object.db", "edited after Terraform wrote it")
	})

	// tmp dropped from the configuration: its delete runs with the
	// provider its state names.
	dropTmp := strings.Replace(honestSrc, fmt.Sprintf("resource \"planguardtest_object\" \"tmp\" {\n  path = %q\n}\n", obj("tmp")), "", 1)
	if dropTmp == honestSrc {
		t.Fatal("tmp not dropped")
	}
	otherProvider := `provider["example.com/planguard/testobj"].other`

	t.Run("b: plan -state=COPY with the provider of a dropped resource edited", func(t *testing.T) {
		a := dir(t, "copy-provider", dropTmp)
		copyPath := filepath.Join(a.dir, "copy.tfstate")
		writeFile(t, copyPath, string(editResource(t, []byte(wantState), "tmp", func(res map[string]any) { res["provider"] = otherProvider })))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-state="+copyPath, "-out=tfplan")
		refused(t, a, "planguardtest_object.tmp", "another provider", "deletes or forgets")
	})

	t.Run("c: the plan file's tfstate with a provider edited", func(t *testing.T) {
		a := dir(t, "zip-provider", dropTmp)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" {
				return editResource(t, b, "db", func(res map[string]any) { res["provider"] = otherProvider })
			}
			return b
		})
		refused(t, a, "planguardtest_object.db", "provider", "in tfstate-prev")
	})

	t.Run("c: the plan file's tfstate-prev and tfstate with the provider of a dropped resource edited", func(t *testing.T) {
		a := dir(t, "zip-provider2", dropTmp)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" || name == "tfstate-prev" {
				return editResource(t, b, "tmp", func(res map[string]any) { res["provider"] = otherProvider })
			}
			return b
		})
		refused(t, a, "planguardtest_object.tmp", "another provider")
	})

	t.Run("the honest plan applies", func(t *testing.T) {
		a := dir(t, "honest-apply", honestSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		a.must(0, pg, "apply", "--policy="+l.policy, "tfplan")
		if _, err := os.Stat(obj("cache")); err != nil {
			t.Errorf("the honest apply did not create cache: %v", err)
		}
	})
}
