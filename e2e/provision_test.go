package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Issue 10, item 2: code that runs at apply time is judged. A plan that
// only creates a resource with a local-exec provisioner used to pass the
// gate (nothing destructive) and then run any command with the apply's
// credentials: here, destroy the protected database and leave a marker.

func TestProvisionersTerraform(t *testing.T) {
	provisioners(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestProvisionersOpenTofu(t *testing.T) {
	provisioners(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func provisioners(t *testing.T, tf string) {
	w, root := newWorld(t, tf, "infra", "agent@example.com")

	alice := w.key("alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte("alice@example.com namespaces=\"planguard-approval\" "+string(pub)), 0o600)
	basePolicy, err := os.ReadFile("../examples/pocketos/planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	// The example's providers list is taken out: a step names its own, or
	// gets the tests' (testProviders).
	basePolicy = []byte(withoutProviders(string(basePolicy)))
	writePolicy := func(extra string) string {
		if !strings.Contains("\n"+extra, "\nproviders =") {
			extra += testProviders
		}
		p := filepath.Join(root, "planguard.hcl")
		os.WriteFile(p, append(append([]byte{}, basePolicy...), extra...), 0o600)
		// Plan JSON records no backend: json.hcl, the policy without its
		// state block, is for checks of plan JSON.
		os.WriteFile(filepath.Join(root, "json.hcl"), []byte(withoutStatePin(string(basePolicy))+extra), 0o600)
		return "--policy=" + p
	}
	jsonPol := "--policy=" + filepath.Join(root, "json.hcl")
	pol := writePolicy("")
	base, _ := os.ReadFile("../examples/pocketos/infra/main.tf")
	marker := filepath.Join(root, "pwned")
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	stateHas := func(addr string) bool {
		out := w.must(0, tf, "state", "list")
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) == addr {
				return true
			}
		}
		return false
	}

	// 1. Production stands.
	w.write("main.tf", string(base))
	w.plan()
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")

	// 2. The exploit: a plan that only creates terraform_data.housekeeping,
	// whose provisioner destroys the database (and leaves a marker).
	exploit := fmt.Sprintf(`
resource "terraform_data" "housekeeping" {
  input = "tidy"
  provisioner "local-exec" {
    command = "touch %s && %s destroy -lock=false -auto-approve -target=terraform_data.prod_db"
  }
}
`, marker, tf)
	w.write("housekeeping.tf", exploit)
	w.plan()
	out := w.pg(1, "check", pol, "tfplan")
	contains(t, out, "local-exec create on terraform_data.housekeeping (create): touch "+marker,
		"no approval with action provision names this instance",
		"--target terraform_data.housekeeping --action provision",
		"BLOCKED: 0 destructive change(s), none blocked; 1 of 1 provisioner run(s) neither allowed nor approved")
	js := w.pg(1, "check", pol, "--format=json", "tfplan")
	var rep struct {
		Decision     string
		Provisioners []struct{ Address, Type, When, Command, Status string }
		Providers    []struct {
			Source  string
			Allowed bool
		}
	}
	// The author is no principal of allowed_signers: a warning on stderr
	// comes first, the report follows.
	contains(t, js, `planguard: warning: author "agent@example.com" matches no principal`)
	if err := json.Unmarshal([]byte(js[strings.Index(js, "{"):]), &rep); err != nil || rep.Decision != "block" || len(rep.Provisioners) != 1 ||
		rep.Provisioners[0].Type != "local-exec" || rep.Provisioners[0].When != "create" || rep.Provisioners[0].Status != "blocked" ||
		!strings.Contains(rep.Provisioners[0].Command, "destroy -lock=false") {
		t.Fatalf("json report: %v %+v\n%s", err, rep, js)
	}
	for _, format := range []string{"markdown", "sarif", "junit", "github"} {
		out := w.pg(1, "check", pol, "--format="+format, "tfplan")
		contains(t, out, "terraform_data.housekeeping")
	}
	out = w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	contains(t, out, "BLOCKED")
	if exists(marker) || !stateHas("terraform_data.prod_db") || stateHas("terraform_data.housekeeping") {
		t.Fatalf("the blocked apply ran something: marker %v, state:\n%s", exists(marker), w.must(0, tf, "state", "list"))
	}
	os.Remove(filepath.Join(w.dir, "housekeeping.tf"))

	// 3. A provisioner with a valid signed approval runs.
	approved := filepath.Join(root, "approved-ran")
	w.write("approved.tf", fmt.Sprintf(`
resource "terraform_data" "report" {
  input = "weekly"
  provisioner "local-exec" {
    command = "touch %s"
  }
}
`, approved))
	w.plan()
	w.pg(1, "check", pol, "tfplan")
	w.pg(0, "approve", pol, "--plan=tfplan", "--target=terraform_data.report", "--action=provision", "--reason=CHG-7: weekly report job",
		"--key="+alice, "--principal=alice@example.com", "--out=approvals.tf")
	w.plan()
	out = w.pg(0, "check", pol, "--audit-log=../audit.jsonl", "tfplan")
	contains(t, out, "approved 1/1 by alice@example.com", "1 provisioner run(s), all allowed or approved")
	audit, _ := os.ReadFile(filepath.Join(root, "audit.jsonl"))
	contains(t, string(audit), `"provisioners":[{"address":"terraform_data.report","type":"local-exec","when":"create","command":"touch `+approved+`","status":"approved","approved_by":["alice@example.com"]}]`)
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	if !exists(approved) || !stateHas("terraform_data.prod_db") {
		t.Fatalf("approved provisioner did not run (%v) or the database is gone", exists(approved))
	}

	// An approval does not carry over to another instance's provisioner.
	w.write("approved.tf", fmt.Sprintf(`
resource "terraform_data" "report" {
  input = "weekly"
  provisioner "local-exec" {
    command = "touch %s"
  }
}
resource "terraform_data" "report2" {
  provisioner "local-exec" {
    command = "touch %s"
  }
}
`, approved, marker))
	w.plan()
	out = w.pg(1, "check", pol, "tfplan")
	contains(t, out, "terraform_data.report2")
	os.Remove(filepath.Join(w.dir, "approved.tf"))
	os.Remove(filepath.Join(w.dir, "approvals.tf"))

	// 4. A provisioner the policy allows runs; the same command elsewhere
	// does not.
	allowedRan := filepath.Join(root, "allowed-ran")
	pol = writePolicy(`
allow_provisioners "tidy" {
  addresses = ["terraform_data.tidy"]
  types     = ["local-exec"]
}
`)
	w.write("tidy.tf", fmt.Sprintf(`
resource "terraform_data" "tidy" {
  provisioner "local-exec" {
    command = "touch %s"
  }
}
`, allowedRan))
	w.plan()
	out = w.pg(0, "check", pol, "tfplan")
	contains(t, out, "allowed by tidy")
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	if !exists(allowedRan) {
		t.Fatal("the allowed provisioner did not run")
	}
	w.write("tidy2.tf", fmt.Sprintf(`
resource "terraform_data" "tidy2" {
  provisioner "local-exec" {
    command = "touch %s"
  }
}
`, marker))
	w.plan()
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	os.Remove(filepath.Join(w.dir, "tidy2.tf"))

	// 5. Providers: a policy that lists only the builtin provider blocks a
	// plan that uses planguard's own (a dev_overrides provider here, as any
	// provider that runs commands would be; main.tf requires it).
	pol = writePolicy(`providers = ["terraform.io/builtin/terraform"]` + "\n")
	w.plan()
	out = w.pg(1, "check", pol, "tfplan")
	contains(t, out, "/planguard/planguard is not in the policy's providers list", "provider(s) the policy does not allow")
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	pol = writePolicy(`providers = ["terraform.io/builtin/terraform", "registry.terraform.io/planguard/planguard", "registry.opentofu.org/planguard/planguard"]` + "\n")
	w.pg(0, "check", pol, "tfplan")

	// The same plan's JSON naming another provider (as hashicorp/external
	// would be) is blocked.
	js = w.must(0, tf, "show", "-json", "tfplan")
	w.write("plan.json", js)
	w.pg(0, "check", jsonPol, "plan.json")
	edited := regexp.MustCompile(`registry\.[a-z.]+/planguard/planguard`).ReplaceAllString(js, "registry.terraform.io/hashicorp/external")
	if edited == js {
		t.Fatal("the plan JSON names no planguard provider")
	}
	w.write("plan.json", edited)
	out = w.pg(1, "check", jsonPol, "plan.json")
	contains(t, out, "registry.terraform.io/hashicorp/external is not in the policy's providers list")

	// Without configuration the gate cannot know what runs: exit 2.
	var plan map[string]json.RawMessage
	json.Unmarshal([]byte(js), &plan)
	delete(plan, "configuration")
	b, _ := json.Marshal(plan)
	w.write("plan.json", string(b))
	out = w.pg(2, "check", jsonPol, "plan.json")
	contains(t, out, "no configuration")

	if exists(marker) || !stateHas("terraform_data.prod_db") {
		t.Fatal("the marker exists or the database is gone")
	}

	// The control: the exploit is real. The same plan applied without the
	// gate runs the provisioner, which leaves the marker and runs the
	// destroy of the database.
	w.write("housekeeping.tf", exploit)
	w.plan()
	out = w.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
	contains(t, out, "terraform_data.prod_db: Destruction complete")
	if !exists(marker) {
		t.Fatalf("the ungated apply did not run the provisioner:\n%s", out)
	}
}
