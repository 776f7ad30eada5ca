package e2e

// Attacker review gate30 (F1) of issue 16: a create whose new object's id
// is unknown at plan (terraform-plugin-sdk v2 plans the id of a new object
// as unknown), but whose known planned values name a protected object's
// id, overwrites that object at apply; the gate listed a create only when
// its known after id took over a protected one, so it allowed this. With
// e2e/sdkprov (objects are files, the id is the path), real plans and
// planguard apply:
//   - a new sdkobj_file.x with path = the production file: BLOCK (exit 1),
//     the report names the attribute and the value; planguard apply
//     refuses it and the file keeps its content;
//   - the same file under a new address (the old one dropped): the delete
//     and the create are both blocked;
//   - against a state without the production object (the ids rule alone):
//     blocked;
//   - control: a create of another file, whose content is the production
//     file's short name, is allowed and applied;
//   - approved as a replace of sdkobj_file.x (planguard approve --plan binds
//     the named id): allowed, and applied.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackGate31Terraform(t *testing.T) {
	attackGate31(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackGate31TerraformLatest(t *testing.T) {
	attackGate31(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackGate31OpenTofu(t *testing.T) {
	attackGate31(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

const gate31Required = `terraform {
  required_providers {
    sdkobj = {
      source  = "example.com/planguard/sdkobj"
      version = "0.1.0"
    }
    planguard = {
      source  = "planguard/planguard"
      version = "0.1.0"
    }
  }
}
`

func sdkFile(name, path, content string) string {
	return fmt.Sprintf("resource \"sdkobj_file\" %q {\n  path    = %q\n  content = %q\n}\n", name, path, content)
}

// mirrorWorld is a world whose CLI configuration installs only from a
// filesystem mirror holding the given providers (source → binary, version
// 0.1.0), with empty objects/ (where the file providers keep their objects)
// and policy/ directories beside it.
func mirrorWorld(t *testing.T, tf string, providers map[string]string) (*world, string) {
	t.Helper()
	w, root := newWorld(t, tf, "infra", "agent@example.com")
	mirror := filepath.Join(root, "mirror")
	for src, bin := range providers {
		testbin.Mirror(t, mirror, src, "0.1.0", bin)
	}
	rc := filepath.Join(root, "mirror.tfrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	w.env = append(w.env, "TF_CLI_CONFIG_FILE="+rc)
	for _, d := range []string{"objects", "policy"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return w, root
}

func attackGate31(t *testing.T, tf string) {
	toolVersion(t, tf)
	w, root := mirrorWorld(t, tf, map[string]string{
		sdkObjSource: sdkObjBin(t),
		// planguard/planguard from the tests' build, under either
		// registry's name: the apply's clean room installs it with init.
		"registry.terraform.io/planguard/planguard": filepath.Join(binDir, testbin.Provider.Name),
		"registry.opentofu.org/planguard/planguard": filepath.Join(binDir, testbin.Provider.Name),
	})
	prodObj := filepath.Join(root, "objects", "prod.db")
	alice := w.key("alice")
	writeFile(t, filepath.Join(root, "policy", "allowed_signers"), "alice@example.com "+readFile(t, alice+".pub"))
	// Protected by id alone: the rule follows the file under any address.
	base := "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\n" +
		"providers = [\"registry.terraform.io/planguard/planguard\", \"registry.opentofu.org/planguard/planguard\", \"example.com/planguard/sdkobj\"]\n" +
		fmt.Sprintf("protect \"database\" {\n  ids = [%q]\n}\n", prodObj)
	polFile := filepath.Join(root, "policy", "planguard.hcl")
	writeFile(t, polFile, base+"state {\n  backend = \"local\"\n}\n")
	pol := "--policy=" + polFile
	// For the plan against another state: the same rule, no state pin.
	unpinned := filepath.Join(root, "policy", "unpinned.hcl")
	writeFile(t, unpinned, base)

	main := func(w *world, src string) { w.write("main.tf", gate31Required+src) }
	db := sdkFile("db", prodObj, "customer data")

	// Production: the database file, in the state of infra/.
	main(w, db)
	w.must(0, tf, "init", "-input=false", "-no-color")
	w.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	if got := readFile(t, prodObj); got != "customer data" {
		t.Fatalf("production file: %q", got)
	}
	intact := func(t *testing.T) {
		t.Helper()
		if got := readFile(t, prodObj); got != "customer data" {
			t.Fatalf("the production file was overwritten: %q", got)
		}
	}

	t.Run("a new object whose path is the protected file's", func(t *testing.T) {
		w := w.at(t)
		main(w, db+sdkFile("x", prodObj, "pwned"))
		w.plan()
		// The precondition: the plan does not know the new object's id.
		js := w.must(0, tf, "show", "-json", "tfplan")
		if !strings.Contains(js, `"after_unknown":{"id":true}`) {
			t.Fatalf("the plan knows sdkobj_file.x's id; the test needs an unknown one:\n%s", js)
		}
		out := w.pg(1, "check", pol, "tfplan")
		contains(t, out, "sdkobj_file.x", fmt.Sprintf("path = %q names a protected id", prodObj), "an attribute of its new object names the id of protected sdkobj_file.db",
			"approved as action replace of sdkobj_file.x", "BLOCKED")
		out = w.pg(1, "check", pol, "--format=json", "tfplan")
		contains(t, out, `"why": "names_id"`, `"takes_id_attribute": "path"`, `"takes_id": "`+prodObj+`"`, `"action": "replace"`, `"decision": "block"`)
		code, out := w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		if code != 1 || strings.Contains(out, "Creation complete") {
			t.Fatalf("planguard apply: exit %d, want 1\n%s", code, out)
		}
		intact(t)
	})

	t.Run("the protected file under a new address", func(t *testing.T) {
		w := w.at(t)
		main(w, sdkFile("db2", prodObj, "pwned"))
		w.plan()
		out := w.pg(1, "check", pol, "--format=json", "tfplan")
		contains(t, out, `"address": "sdkobj_file.db"`, `"address": "sdkobj_file.db2"`, `"takes_id_attribute": "path"`, `"decision": "block"`)
		code, out := w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		if code != 1 {
			t.Fatalf("planguard apply: exit %d, want 1\n%s", code, out)
		}
		intact(t)
	})

	t.Run("against a state without the protected object", func(t *testing.T) {
		o := *w.at(t)
		o.dir = filepath.Join(root, "elsewhere")
		if err := os.MkdirAll(o.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		main(&o, sdkFile("x", prodObj, "pwned"))
		o.must(0, tf, "init", "-input=false", "-no-color")
		o.plan()
		out := o.pg(1, "check", "--policy="+unpinned, "--format=json", "tfplan")
		contains(t, out, `"address": "sdkobj_file.x"`, `"takes_id_attribute": "path"`, `"rules": [`, `"database"`, `"decision": "block"`)
		if strings.Contains(out, `"judged_as"`) {
			t.Errorf("judged as an object of a state that has none:\n%s", out)
		}
		intact(t)
	})

	other := filepath.Join(root, "objects", "other")
	t.Run("control: another file, naming the protected one's short name", func(t *testing.T) {
		w := w.at(t)
		main(w, db+sdkFile("y", other, "prod.db"))
		w.plan()
		w.pg(0, "check", pol, "tfplan")
		w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
		if got := readFile(t, other); got != "prod.db" {
			t.Fatalf("the allowed create did not apply: %q", got)
		}
		intact(t)
	})

	t.Run("approved as a replace of the new address", func(t *testing.T) {
		w := w.at(t)
		src := db + sdkFile("y", other, "prod.db") + sdkFile("x", prodObj, "migrated")
		main(w, src)
		w.plan()
		w.pg(1, "check", pol, "tfplan")
		w.pg(0, "approve", pol, "--plan=tfplan", "--target=sdkobj_file.x", "--reason=CHG-31: migrate the database file", "--expires=24h",
			"--key="+alice, "--principal=alice@example.com", "--out=approvals.tf")
		ap := readFile(t, filepath.Join(w.dir, "approvals.tf"))
		if !strings.Contains(ap, `"replace"`) || !strings.Contains(ap, prodObj) {
			t.Fatalf("the approval does not name a replace bound to the protected id:\n%s", ap)
		}
		w.plan()
		contains(t, w.pg(0, "check", pol, "tfplan"), "sdkobj_file.x", "alice@example.com")
		w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
		if got := readFile(t, prodObj); got != "migrated" {
			t.Fatalf("the approved change did not apply: %q", got)
		}
	})
}

// at is w reporting to t (a subtest's).
func (w *world) at(t *testing.T) *world {
	c := *w
	c.t = t
	return &c
}
