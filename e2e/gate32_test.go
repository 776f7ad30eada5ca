package e2e

// Attacker review gate32 of issue 16, as tests (real plans, planguard
// check and apply; e2e/sdkprov: objects are files, the id is the path and
// is unknown at plan):
//   - M1: a create whose path is unknown at plan (path =
//     "${PROD}${substr(other.id, 0, 0)}", equal to the protected file's at
//     apply) is blocked (unknown_names), planguard apply refuses it and the
//     production file keeps its content;
//   - control: an ordinary create of another sdkobj_file with a literal
//     path is allowed and applied;
//   - L2: a protected id written as a map key (terraform_data input = {
//     "PROD" = "v" }) is blocked (names_id).

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestGate32Terraform(t *testing.T) {
	gate32(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestGate32TerraformLatest(t *testing.T) {
	gate32(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestGate32OpenTofu(t *testing.T) {
	gate32(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func gate32(t *testing.T, tf string) {
	toolVersion(t, tf)
	w, root := mirrorWorld(t, tf, map[string]string{
		sdkObjSource: sdkObjBin(t),
		"registry.terraform.io/planguard/planguard": filepath.Join(binDir, testbin.Provider.Name),
		"registry.opentofu.org/planguard/planguard": filepath.Join(binDir, testbin.Provider.Name),
	})
	prodObj := filepath.Join(root, "objects", "prod.db")
	alice := w.key("alice")
	writeFile(t, filepath.Join(root, "policy", "allowed_signers"), "alice@example.com "+readFile(t, alice+".pub"))
	// The reviewer's policy: by address and id, pinned to the local state.
	polFile := filepath.Join(root, "policy", "planguard.hcl")
	writeFile(t, polFile, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\n"+
		"providers = [\"registry.terraform.io/planguard/planguard\", \"registry.opentofu.org/planguard/planguard\", \"example.com/planguard/sdkobj\", \"terraform.io/builtin/terraform\"]\n"+
		fmt.Sprintf("protect \"database\" {\n  addresses = [\"sdkobj_file.db\"]\n  ids = [%q]\n  actions = [\"delete\", \"replace\", \"forget\"]\n}\n", prodObj)+
		"state {\n  backend = \"local\"\n}\n")
	pol := "--policy=" + polFile
	main := func(w *world, src string) { w.write("main.tf", gate31Required+src) }
	db := sdkFile("db", prodObj, "customer data")
	main(w, db)
	w.must(0, tf, "init", "-input=false", "-no-color")
	w.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	intact := func(t *testing.T) {
		t.Helper()
		if got := readFile(t, prodObj); got != "customer data" {
			t.Fatalf("the production file was overwritten: %q", got)
		}
	}

	t.Run("M1 a path unknown at plan", func(t *testing.T) {
		w := w.at(t)
		main(w, db+`locals {
  prod = "`+prodObj+`"
}
resource "sdkobj_file" "seed" {
  path = "`+filepath.Join(root, "objects", "seed")+`"
}
resource "sdkobj_file" "x" {
  path    = "${local.prod}${substr(sdkobj_file.seed.id, 0, 0)}"
  content = "pwned"
}
`)
		w.plan()
		// The precondition: the plan knows neither the id nor the path.
		js := w.must(0, tf, "show", "-json", "tfplan")
		if !strings.Contains(js, `"after_unknown":{"id":true,"path":true}`) {
			t.Fatalf("the plan knows sdkobj_file.x's path; the test needs an unknown one:\n%s", js)
		}
		out := w.pg(1, "check", pol, "tfplan")
		contains(t, out, "sdkobj_file.x", "attribute path of the new object is unknown at plan and the configuration sets it",
			fmt.Sprintf("%q (sdkobj_file.db)", prodObj), "approved as action replace of sdkobj_file.x", "BLOCKED")
		if strings.Contains(out, "sdkobj_file.seed") {
			t.Errorf("the seed (a literal path) is listed:\n%s", out)
		}
		out = w.pg(1, "check", pol, "--format=json", "tfplan")
		contains(t, out, `"why": "unknown_names"`, `"unknown_attribute": "path"`, `"action": "replace"`, `"decision": "block"`)
		code, out := w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		if code != 1 || strings.Contains(out, "Creation complete") {
			t.Fatalf("planguard apply: exit %d, want 1\n%s", code, out)
		}
		intact(t)
	})

	t.Run("control: another file with a literal path", func(t *testing.T) {
		w := w.at(t)
		other := filepath.Join(root, "objects", "other")
		main(w, db+sdkFile("y", other, "data"))
		w.plan()
		w.pg(0, "check", pol, "tfplan")
		w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
		if got := readFile(t, other); got != "data" {
			t.Fatalf("the allowed create did not apply: %q", got)
		}
		intact(t)
	})

	t.Run("L2 the protected id as a map key", func(t *testing.T) {
		w := w.at(t)
		main(w, db+sdkFile("y", filepath.Join(root, "objects", "other"), "data")+`resource "terraform_data" "c" {
  input = { "`+prodObj+`" = "v" }
}
`)
		w.plan()
		out := w.pg(1, "check", pol, "--format=json", "tfplan")
		contains(t, out, `"address": "terraform_data.c"`, `"why": "names_id"`, `"takes_id": "`+prodObj+`"`, `"decision": "block"`)
		intact(t)
	})
}
