// Package e2e replays the incident end to end with real Terraform and real
// OpenTofu, this provider (through dev_overrides), the planguard binary and
// real ssh-keygen keys: the same story as examples/pocketos/demo.sh, with
// every step asserted.
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

var binDir string // holds terraform-provider-planguard and planguard, built once

// applyPins is what planguard apply requires of a policy, for the tests'
// configurations: a state block for a configuration without a backend
// block (the local backend's terraform.tfstate in the directory planguard
// runs in) and a providers list naming the providers the tests use
// (testProviders). planguard apply refuses a policy without either.
const applyPins = localStatePin + testProviders

// localStatePin is the state block alone, for a policy with its own
// providers list.
const localStatePin = "\nstate {\n  backend = \"local\"\n}\n"

// testProviders is a policy's providers list: Terraform's built-in
// provider, planguard's, and the test providers (testbin).
const testProviders = "providers = [\"terraform.io/builtin/terraform\", \"registry.terraform.io/planguard/planguard\", \"registry.opentofu.org/planguard/planguard\", \"example.com/planguard/*\"]\n"

// withoutStatePin is a policy with its state block (applyPins, or the
// one examples/pocketos/planguard.hcl has) taken out: for plan JSON, which
// records no backend and is refused under a state block.
func withoutStatePin(policy string) string {
	return strings.Replace(policy, "state {\n  backend = \"local\"\n}\n", "", 1)
}

// withoutProviders is a policy with its providers list (as
// examples/pocketos/planguard.hcl writes it) taken out.
func withoutProviders(policy string) string {
	return providersList.ReplaceAllString(policy, "")
}

var providersList = regexp.MustCompile(`(?ms)^providers = \[.*?\]\n`)

// unpinnedPolicy writes, beside the policy that the flag --policy=FILE
// names, a copy without its state block (withoutStatePin) and returns the
// flag for it: for checks of the gate's own judgement of a plan that a state
// pin refuses before any judgement (a destroy-mode plan whose moved blocks
// its refresh applied: its state before the refresh is not the pinned
// state's).
func unpinnedPolicy(t *testing.T, flag string) string {
	t.Helper()
	path := strings.TrimPrefix(flag, "--policy=")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(path), "unpinned.hcl")
	writeFile(t, out, withoutStatePin(string(src)))
	return "--policy=" + out
}

// localStatePinAt pins a local backend's state file at path, and the
// providers (testProviders).
func localStatePinAt(path string) string {
	return fmt.Sprintf("\nstate {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", path) + testProviders
}

func TestMain(m *testing.M) {
	testbin.Run(m, func(_, dir string) { binDir = dir }, testbin.Provider, testbin.Planguard)
}

func TestE2ETerraform(t *testing.T) { story(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")) }

func TestE2EOpenTofu(t *testing.T) { story(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) }

// TestE2ETerraformLatest replays the story on the Terraform the machine has
// on PATH (PLANGUARD_TERRAFORM_LATEST; the GNUmakefile finds it), whatever
// its version: a newer one is exercised and its version logged.
func TestE2ETerraformLatest(t *testing.T) {
	story(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

type world struct {
	t    *testing.T
	tf   string
	dir  string // infra working directory
	env  []string
	keys string
}

// newWorld makes a world under a new temporary root: root/dir is the
// working directory, root/keys holds the keys, and root/terraformrc is a CLI
// configuration that takes planguard/planguard from the binaries built for
// the tests (dev_overrides; nothing is downloaded). author is
// PLANGUARD_AUTHOR ("" for none).
func newWorld(t *testing.T, tf, dir, author string) (*world, string) {
	t.Helper()
	root := t.TempDir()
	w := &world{t: t, tf: tf, dir: filepath.Join(root, dir), keys: filepath.Join(root, "keys")}
	for _, d := range []string{w.dir, w.keys} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(root, "terraformrc")
	writeFile(t, cfg, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"planguard/planguard\" = %q\n  }\n  direct {}\n}\n", binDir))
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR="+author, "NO_COLOR=1", "TF_LOG=")
	return w, root
}

// run runs a command in the infra directory and returns its exit code and output.
func (w *world) run(name string, args ...string) (int, string) {
	w.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	if err != nil {
		w.t.Fatalf("%s %v: %v", name, args, err)
	}
	return 0, out.String()
}

// must runs a command that has to exit with code want.
func (w *world) must(want int, name string, args ...string) string {
	w.t.Helper()
	code, out := w.run(name, args...)
	if code != want {
		w.t.Fatalf("%s %s: exit %d, want %d\n%s", filepath.Base(name), strings.Join(args, " "), code, want, out)
	}
	return out
}

func (w *world) pg(want int, args ...string) string {
	w.t.Helper()
	return w.must(want, filepath.Join(binDir, "planguard"), args...)
}

func (w *world) plan() {
	w.t.Helper()
	w.must(0, w.tf, "plan", "-input=false", "-no-color", "-out=tfplan")
}

func (w *world) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) key(name string) string {
	w.t.Helper()
	p := filepath.Join(w.keys, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p).CombinedOutput(); err != nil {
		w.t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	return p
}

func contains(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Fatalf("output lacks %q:\n%s", w, out)
		}
	}
}

func story(t *testing.T, tf string) {
	toolVersion(t, tf)
	w, root := newWorld(t, tf, "infra", "agent@example.com")

	// The trust file and policy live outside the agent's reach (here: outside infra/).
	alice, bob, agent := w.key("alice"), w.key("bob"), w.key("agent")
	var trust strings.Builder
	for _, k := range [][2]string{{"alice@example.com", alice}, {"bob@example.com", bob}} {
		pub, _ := os.ReadFile(k[1] + ".pub")
		fmt.Fprintf(&trust, "%s namespaces=\"planguard-approval\" %s", k[0], pub)
	}
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte(trust.String()), 0o600)
	policy, err := os.ReadFile("../examples/pocketos/planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "planguard.hcl"), policy, 0o600)
	pol := "--policy=" + filepath.Join(root, "planguard.hcl")
	base, _ := os.ReadFile("../examples/pocketos/infra/main.tf")
	agentCfg, _ := os.ReadFile("../examples/pocketos/agent/main.tf")

	// 1. Production stands. Creating is not destructive: planguard apply allows it.
	w.write("main.tf", string(base))
	w.plan()
	out := w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	contains(t, out, "No destructive changes", "Apply complete! Resources: 2 added")

	// 2. The agent removes the database and its backup.
	w.write("main.tf", string(agentCfg))
	w.plan()
	out = w.pg(1, "check", pol, "tfplan")
	contains(t, out,
		"delete  terraform_data.prod_db ", "delete  terraform_data.prod_db_volume_backup",
		"planguard approve --policy "+filepath.Join(root, "planguard.hcl")+" --plan tfplan --target terraform_data.prod_db --action delete",
		"BLOCKED: 2 of 2 protected destructive change(s) lack valid approval")
	// planguard apply refuses too, and applies nothing.
	out = w.pg(1, "apply", pol, "tfplan")
	contains(t, out, "BLOCKED")

	// 3. The agent forges approvals with its own key: untrusted, still blocked.
	w.pg(0, "approve", pol, "--plan=tfplan", "--target=terraform_data.prod_db", "--reason=cleanup", "--key="+agent, "--principal=alice@example.com", "--out=forged.tf", "--force")
	w.plan()
	out = w.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"status": "untrusted"`, `"decision": "block"`)
	os.Remove(filepath.Join(w.dir, "forged.tf"))

	// 4. alice approves both deletions; the backup needs a second signature.
	w.plan()
	for _, target := range []string{"terraform_data.prod_db", "terraform_data.prod_db_volume_backup"} {
		w.pg(0, "approve", pol, "--plan=tfplan", "--target="+target, "--reason=INC-2026-04: retire the legacy stack", "--expires=24h",
			"--key="+alice, "--principal=alice@example.com", "--out=approvals.tf")
	}
	w.plan()
	out = w.pg(1, "check", pol, "tfplan")
	contains(t, out, "1/1 by alice@example.com", "1/2 by alice@example.com", "1 of 2 required approvals", "BLOCKED: 1 of 2")

	// 5. bob co-signs with plain ssh-keygen over planguard payload.
	payload := w.pg(0, "payload", "--file=approvals.tf", "--target=terraform_data.prod_db_volume_backup")
	w.write("payload", payload)
	w.must(0, "ssh-keygen", "-Y", "sign", "-n", "planguard-approval", "-f", bob, "payload")
	w.pg(0, "sign", "--file=approvals.tf", "--target=terraform_data.prod_db_volume_backup", "--principal=bob@example.com", "--signature=payload.sig")
	// ssh-keygen itself accepts what planguard would verify.
	w.must(0, "sh", "-c", "ssh-keygen -Y verify -f ../allowed_signers -I bob@example.com -n planguard-approval -s payload.sig < payload")
	os.Remove(filepath.Join(w.dir, "payload"))
	os.Remove(filepath.Join(w.dir, "payload.sig"))

	// 6. Plan again: allowed. Attest the check, as a separate CI job would.
	w.plan()
	gateKey := w.key("gate")
	gatePub, _ := os.ReadFile(gateKey + ".pub")
	os.WriteFile(filepath.Join(root, "gate_signers"), []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(gatePub)), 0o600)
	out = w.pg(0, "check", pol, "--attest=../check.att", "--attest-key="+gateKey, "--audit-log=../audit.jsonl", "tfplan")
	contains(t, out, "2/2 by alice@example.com, bob@example.com", "ALLOWED: 2 protected destructive change(s), all approved")
	att := "--attestation=../check.att"
	signers := "--attestation-signers=" + filepath.Join(root, "gate_signers")
	// The apply job pins the policy hash (policy and trust files); an
	// attestation is refused without the pin.
	pin := "--policy-sha256=" + strings.TrimSpace(w.pg(0, "policy-hash", pol))
	w.pg(2, "verify-attestation", att, signers, "tfplan")
	w.pg(0, "verify-attestation", att, signers, pin, "tfplan")

	// 7. A plan file swapped after the check is refused.
	checked, _ := os.ReadFile(filepath.Join(w.dir, "tfplan"))
	w.must(0, w.tf, "plan", "-input=false", "-no-color", "-out=tfplan")
	swapped, _ := os.ReadFile(filepath.Join(w.dir, "tfplan"))
	if bytes.Equal(checked, swapped) {
		w.write("tfplan", string(append(swapped, 0))) // a re-plan can be byte-identical; change it anyway
	}
	out = w.pg(2, "apply", att, signers, pin, "tfplan")
	contains(t, out, "another plan file than the one given", "plan and check again")
	w.write("tfplan", string(checked))

	// 8. Apply exactly the attested plan. The state records the approvals.
	out = w.pg(0, "apply", att, signers, pin, "tfplan", "--", "-no-color")
	contains(t, out, "attestation verified", "terraform_data.prod_db: Destruction complete", "Resources: 2 added, 0 changed, 2 destroyed")
	out = w.must(0, tf, "state", "list")
	if strings.Contains(out, "terraform_data.prod_db") || !strings.Contains(out, "planguard_approval.delete_terraform_data_prod_db_volume_backup") {
		t.Fatalf("state after apply:\n%s", out)
	}
	out = w.must(0, tf, "state", "show", "-no-color", "planguard_approval.delete_terraform_data_prod_db_volume_backup")
	contains(t, out, `principal = "alice@example.com"`, `principal = "bob@example.com"`, `target     = "terraform_data.prod_db_volume_backup"`)
	audit, _ := os.ReadFile(filepath.Join(root, "audit.jsonl"))
	contains(t, string(audit), `"decision":"allow"`, `"approved_by":["alice@example.com","bob@example.com"]`)
}
