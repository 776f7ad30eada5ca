package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// The pin and the attestation, end to end with real Terraform and OpenTofu
// plans, this provider, real ssh-keygen keys and real applies:
//   - the policy hash covers the trust file: an allowed_signers file
//     replaced beside an unchanged policy fails the old pin (exit 2), and the
//     protected database survives;
//   - planguard apply --attestation requires the pin and refuses an "allow"
//     decided under a lenient policy (scope "preview") by the same gate key;
//   - --author: trimmed, empty refused, unknown warned in every format.

func TestPinTerraform(t *testing.T) { pinStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")) }

func TestPinOpenTofu(t *testing.T) { pinStory(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) }

const pinPolicy = `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "database" {
  addresses = ["terraform_data.prod_db"]
}
` + applyPins

// The attacker's policy: another scope, protecting nothing that exists.
const lenientPolicy = `scope = "preview"
trust {
  allowed_signers = "allowed_signers"
}
protect "nothing" {
  addresses = ["terraform_data.nothing"]
}
` + applyPins

func pinConfig(cache string, withDB bool) string {
	s := advProvider + fmt.Sprintf("resource \"terraform_data\" \"cache\" {\n  input = %q\n}\n", cache)
	if withDB {
		s += "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n"
	}
	return s
}

func (w *world) stateHas(addr string) bool {
	w.t.Helper()
	out := w.must(0, w.tf, "state", "list")
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == addr {
			return true
		}
	}
	return false
}

func pinStory(t *testing.T, tf string) {
	root := t.TempDir()
	w := &world{t: t, tf: tf, dir: filepath.Join(root, "infra"), keys: filepath.Join(root, "keys")}
	policyDir, lenientDir := filepath.Join(root, "policy"), filepath.Join(root, "lenient")
	for _, d := range []string{w.dir, policyDir, lenientDir} {
		os.MkdirAll(d, 0o755)
	}
	os.MkdirAll(w.keys, 0o700)
	cfg := filepath.Join(root, "terraformrc")
	os.WriteFile(cfg, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"planguard/planguard\" = %q\n  }\n  direct {}\n}\n", binDir)), 0o600)
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR=", "NO_COLOR=1", "TF_LOG=", "TF_CLI_ARGS=", "TF_CLI_ARGS_apply=")

	alice, mallory, gate := w.key("alice"), w.key("mallory"), w.key("gate")
	line := func(principal, key string) string {
		pub, _ := os.ReadFile(key + ".pub")
		return principal + ` namespaces="planguard-approval" ` + string(pub)
	}
	trusted := line("alice@example.com", alice)
	os.WriteFile(filepath.Join(policyDir, "allowed_signers"), []byte(trusted), 0o600)
	os.WriteFile(filepath.Join(policyDir, "planguard.hcl"), []byte(pinPolicy), 0o600)
	os.WriteFile(filepath.Join(lenientDir, "allowed_signers"), []byte(trusted), 0o600)
	os.WriteFile(filepath.Join(lenientDir, "planguard.hcl"), []byte(lenientPolicy), 0o600)
	gatePub, _ := os.ReadFile(gate + ".pub")
	gateSigners := filepath.Join(root, "gate_signers")
	os.WriteFile(gateSigners, []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(gatePub)), 0o600)

	pol := "--policy=" + filepath.Join(policyDir, "planguard.hcl")
	pin := strings.TrimSpace(w.pg(0, "policy-hash", pol))
	pinFlag := "--policy-sha256=" + pin

	// Production stands (creating is not destructive).
	w.write("main.tf", pinConfig("v1", true))
	w.plan()
	w.pg(0, "apply", pol, pinFlag, "tfplan", "--", "-no-color")
	if !w.stateHas("terraform_data.prod_db") {
		t.Fatal("prod_db was not created")
	}

	// --- B. The pin covers allowed_signers. ---
	// The agent removes the database and approves it with its own key,
	// under a principal of its own, and replaces allowed_signers beside the
	// unchanged policy so that its key is trusted.
	w.write("main.tf", pinConfig("v1", false))
	w.plan()
	w.pg(0, "approve", pol, "--plan=tfplan", "--target=terraform_data.prod_db", "--reason=cleanup", "--expires=24h",
		"--key="+mallory, "--principal=mallory@example.com", "--out=approvals.tf", "--force")
	w.plan()
	os.WriteFile(filepath.Join(policyDir, "allowed_signers"), []byte(line("mallory@example.com", mallory)), 0o600)
	// Without a pin the swap works: that is what the pin is for.
	w.pg(0, "check", pol, "tfplan")
	out := w.pg(2, "check", pol, pinFlag, "tfplan")
	contains(t, out, "not the pinned "+pin, "allowed_signers")
	out = w.pg(2, "apply", pol, pinFlag, "tfplan")
	if strings.Contains(out, "Destruction complete") || !w.stateHas("terraform_data.prod_db") {
		t.Fatalf("apply with a swapped trust file destroyed prod_db:\n%s", out)
	}
	// One byte more in the trust file (a comment) or the policy: exit 2 too.
	os.WriteFile(filepath.Join(policyDir, "allowed_signers"), []byte(trusted+"#\n"), 0o600)
	w.pg(2, "check", pol, pinFlag, "tfplan")
	os.WriteFile(filepath.Join(policyDir, "allowed_signers"), []byte(trusted), 0o600)
	os.WriteFile(filepath.Join(policyDir, "planguard.hcl"), []byte(pinPolicy+"\n"), 0o600)
	w.pg(2, "check", pol, pinFlag, "tfplan")
	os.WriteFile(filepath.Join(policyDir, "planguard.hcl"), []byte(pinPolicy), 0o600)
	// The original files: the pin holds, and mallory is untrusted: blocked.
	out = w.pg(1, "check", pol, pinFlag, "--format=json", "tfplan")
	contains(t, out, `"policy_sha256": "`+pin+`"`, `"status": "untrusted"`)
	os.Remove(filepath.Join(w.dir, "approvals.tf"))

	// --- C. An attestation needs the pin, and one made under a lenient
	// policy by the same gate key does not count. ---
	w.plan()
	lenient := "--policy=" + filepath.Join(lenientDir, "planguard.hcl")
	out = w.pg(0, "check", lenient, "--attest=../lenient.att", "--attest-key="+gate, "tfplan")
	contains(t, out, "ALLOWED")
	att, signers := "--attestation=../lenient.att", "--attestation-signers="+gateSigners
	out = w.pg(2, "apply", att, signers, "tfplan")
	contains(t, out, "accepted only with --policy-sha256")
	out = w.pg(2, "apply", att, signers, pinFlag, "tfplan")
	contains(t, out, "not the pinned "+pin)
	w.pg(2, "apply", att, signers, pinFlag, "--scope=prod", "tfplan")
	w.pg(2, "verify-attestation", att, signers, pinFlag, "tfplan")
	// Even the lenient policy's own hash with the expected scope fails.
	lenientPin := strings.TrimSpace(w.pg(0, "policy-hash", lenient))
	out = w.pg(2, "apply", att, signers, "--policy-sha256="+lenientPin, "--scope=prod", "tfplan")
	contains(t, out, `checked in scope "preview", not the expected "prod"`)
	if !w.stateHas("terraform_data.prod_db") {
		t.Fatal("an attestation under a lenient policy destroyed prod_db")
	}
	// Positive control: a harmless plan attested under the pinned policy applies.
	w.write("main.tf", pinConfig("v2", true))
	w.plan()
	w.pg(0, "check", pol, pinFlag, "--attest=../prod.att", "--attest-key="+gate, "tfplan")
	out = w.pg(0, "apply", "--attestation=../prod.att", signers, pinFlag, "--scope=prod", "tfplan", "--", "-no-color")
	contains(t, out, "attestation verified", "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.")
	if !w.stateHas("terraform_data.prod_db") {
		t.Fatal("prod_db gone after a harmless apply")
	}

	// --- E. --author. ---
	w.write("main.tf", pinConfig("v2", false))
	w.plan()
	w.pg(0, "approve", pol, "--plan=tfplan", "--target=terraform_data.prod_db", "--reason=CHG-7: retire", "--expires=24h",
		"--key="+alice, "--principal=alice@example.com", "--out=approvals.tf")
	w.plan()
	w.pg(0, "check", pol, pinFlag, "tfplan") // alice's approval counts
	out = w.pg(1, "check", pol, pinFlag, "--author= alice@example.com\t", "tfplan")
	contains(t, out, "alice@example.com is the change's author")
	for _, empty := range []string{"--author=", "--author=  "} {
		out = w.pg(2, "check", pol, pinFlag, empty, "tfplan")
		contains(t, out, "--author is empty")
		out = w.pg(2, "apply", pol, pinFlag, empty, "tfplan")
		if !w.stateHas("terraform_data.prod_db") {
			t.Fatalf("apply with %s destroyed prod_db:\n%s", empty, out)
		}
	}
	// A login where allowed_signers names e-mails: not an error, but a
	// warning on stderr and in every report format.
	for format, want := range map[string]string{
		"text":     `warning: author "alice" matches no principal in allowed_signers`,
		"json":     `"warnings": [`,
		"markdown": `> :warning: author "alice" matches no principal`,
		"github":   `::warning title=planguard::author "alice" matches no principal`,
		"junit":    `<system-err>warning: author &#34;alice&#34; matches no principal`,
		"sarif":    `"ruleId": "planguard/warning"`,
	} {
		cmd := exec.Command(filepath.Join(binDir, "planguard"), "check", pol, pinFlag, "--author=alice", "--format="+format, "tfplan")
		var stdout, stderr bytes.Buffer
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.dir, w.env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s%s", format, err, stdout.String(), stderr.String())
		}
		contains(t, stdout.String(), want)
		contains(t, stderr.String(), `planguard: warning: author "alice" matches no principal in allowed_signers`)
	}
	var rep struct {
		Warnings     []string
		PolicySHA256 string `json:"policy_sha256"`
	}
	// (stdout and stderr together: the warning comes first, then the report)
	cmdOut := w.pg(0, "check", pol, pinFlag, "--author=agent@example.com", "--format=json", "tfplan")
	if err := json.Unmarshal([]byte(cmdOut[strings.Index(cmdOut, "{"):strings.LastIndex(cmdOut, "}")+1]), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, cmdOut)
	}
	// Three warnings: the author's, the local pin with no path, and (no
	// lock_file) provider binaries not pinned.
	if len(rep.Warnings) != 3 || !strings.Contains(rep.Warnings[0], `"agent@example.com"`) || !strings.Contains(rep.Warnings[1], "pins the local backend with no path") ||
		!strings.Contains(rep.Warnings[2], "provider binaries were not pinned") || rep.PolicySHA256 != pin {
		t.Fatalf("json report: %+v", rep)
	}
	// The approved destruction, applied exactly, with the pin.
	out = w.pg(0, "apply", pol, pinFlag, "--author=agent@example.com", "tfplan", "--", "-no-color", "-parallelism=2")
	contains(t, out, "terraform_data.prod_db: Destruction complete")
	if w.stateHas("terraform_data.prod_db") {
		t.Fatal("the approved destruction did not happen")
	}
}
