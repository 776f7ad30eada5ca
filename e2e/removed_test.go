package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// terraform19 finds a Terraform of version 1.9 or later, which runs the
// destroy-time provisioners of `removed` blocks: $PLANGUARD_TERRAFORM_LATEST
// (the Terraform on PATH, which the GNUmakefile finds; required when
// PLANGUARD_REQUIRE_TOOLS is set, as in CI). An older one skips the test,
// saying so.
func terraform19(t *testing.T) string {
	t.Helper()
	bin := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	m := regexp.MustCompile(`Terraform v(\d+)\.(\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Skipf("%s is not Terraform: %s", bin, out)
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	if major == 1 && minor < 9 {
		t.Skipf("%s is Terraform %s.%s; removed-block provisioners need 1.9+ (set PLANGUARD_TERRAFORM_LATEST)", bin, m[1], m[2])
	}
	return bin
}

// TestRemovedBlockProvisioner: a `removed` block may declare a destroy-time
// provisioner that the plan JSON does not show; Terraform 1.9+ runs it. The
// gate blocks the removal unless approved or allowed, and the positive
// control shows the hidden command is real.
func TestRemovedBlockProvisioner(t *testing.T) {
	tf := terraform19(t)
	w, root := newWorld(t, tf, "infra", "agent@example.com")
	alice := w.key("alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte("alice@example.com "+string(pub)), 0o600)
	policy := filepath.Join(root, "planguard.hcl")
	basePolicy := "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.prod_db\"]\n}\n" + applyPins
	os.WriteFile(policy, []byte(basePolicy), 0o600)
	pol := "--policy=" + policy
	// Plan JSON records no backend: checked under the policy without its state block.
	jsonPol := "--policy=" + filepath.Join(root, "json.hcl")
	os.WriteFile(filepath.Join(root, "json.hcl"), []byte(withoutStatePin(basePolicy)), 0o600)
	marker := filepath.Join(root, "pwned")

	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\nresource \"terraform_data\" \"old\" {\n  input = \"old\"\n}\nresource \"terraform_data\" \"old2\" {\n  input = \"old2\"\n}\n")
	w.plan()
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")

	// A plain removal (no removed block): from the plan JSON alone the gate
	// cannot tell whether a removed block runs code, so it blocks; from the
	// saved plan, whose configuration snapshot it reads, it can, and allows.
	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\nresource \"terraform_data\" \"old\" {\n  input = \"old\"\n}\n")
	w.plan()
	w.write("plan.json", w.must(0, tf, "show", "-json", "tfplan"))
	out := w.pg(1, "check", jsonPol, "plan.json")
	contains(t, out, "removed-block destroy on terraform_data.old2 (delete)")
	out = w.pg(0, "check", pol, "tfplan")
	contains(t, out, "delete  terraform_data.old2")
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")

	w.write("main.tf", fmt.Sprintf(`resource "terraform_data" "prod_db" {
  input = "db"
}
removed {
  from = terraform_data.old
  lifecycle {
    destroy = true
  }
  provisioner "local-exec" {
    when    = destroy
    command = "touch %s"
  }
}
`, marker))
	w.plan()
	js := w.must(0, tf, "show", "-json", "tfplan")
	if regexp.MustCompile(`touch`).MatchString(js) {
		t.Fatalf("the plan JSON shows the removed block's provisioner; the gate could read it:\n%s", js)
	}
	out = w.pg(1, "check", pol, "tfplan")
	contains(t, out, "removed-block destroy on terraform_data.old (delete)", "a `removed` block may declare destroy-time provisioners")
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the blocked apply ran the removed block's provisioner")
	}

	// Allowed by the policy: the hidden provisioner runs (the control).
	os.WriteFile(policy, []byte(basePolicy+"allow_provisioners \"retire\" {\n  addresses = [\"terraform_data.old\"]\n  types = [\"removed-block\"]\n}\n"), 0o600)
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("the allowed removal did not run the removed block's provisioner")
	}
}
