package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/attest"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// savedPlan applies base.tf then plans next config in dir, returning the plan path.
func savedPlan(t *testing.T, tf, dir, base, next string) string {
	t.Helper()
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	os.WriteFile(filepath.Join(dir, "terraformrc"), nil, 0o600)
	run := func(args ...string) {
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(base), 0o600)
	run("apply", "-input=false", "-auto-approve")
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(next), 0o600)
	run("plan", "-input=false", "-out=tfplan")
	return filepath.Join(dir, "tfplan")
}

func TestApplyPinsThePlan(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol, _ := os.ReadFile("../examples/quickstart/planguard.hcl")
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, append(pol, applyPins...), 0o600)
	tfplan := savedPlan(t, tf, dir, `resource "terraform_data" "cache" { input = "a" }`, `resource "terraform_data" "cache" { input = "b" }`)
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_CONFIG_FILE": filepath.Join(dir, "terraformrc")}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(dir, "terraformrc"))
	t.Setenv("CHECKPOINT_DISABLE", "1")

	jsonPlan, _ := filepath.Abs(qsPlan)
	// terraform show and apply run in the current directory, as in CI.
	t.Chdir(dir)
	{
		// JSON is not a saved plan: apply refuses.
		if code, _, errs := runCLI(t, "", envv, "apply", "--policy", policyPath, jsonPlan); code != exitError || !strings.Contains(errs, "not a saved plan") {
			t.Fatalf("apply JSON: %d %s", code, errs)
		}
		// Positional extras are refused.
		if code, _, errs := runCLI(t, "", envv, "apply", "--policy", policyPath, "tfplan", "--", "other.tfplan"); code != exitError || !strings.Contains(errs, "not a flag") {
			t.Fatalf("apply extra plan: %d %s", code, errs)
		}
		// The file changes between check and apply: refused, nothing applied.
		var out, errb strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return envv[k] },
			isTerminal: func(io.Writer) bool { return false }, afterCheck: func() {
				f, _ := os.OpenFile(tfplan, os.O_WRONLY|os.O_APPEND, 0)
				f.Write([]byte{0})
				f.Close()
			}}
		if code := run(e, []string{"apply", "--policy", policyPath, "tfplan"}); code != exitError || !strings.Contains(errb.String(), "changed after it was checked") {
			t.Fatalf("apply of a modified plan: %d\n%s\n%s", code, out.String(), errb.String())
		}
		if strings.Contains(out.String(), "Apply complete") {
			t.Fatal("applied a modified plan")
		}
	}
	// A clean plan applies.
	tfplan = savedPlan(t, tf, dir, `resource "terraform_data" "cache" { input = "b" }`, `resource "terraform_data" "cache" { input = "c" }`)
	{
		code, out, errs := runCLI(t, "", envv, "apply", "--policy", policyPath, "tfplan", "--", "-no-color")
		if code != 0 || !strings.Contains(out, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.") {
			t.Fatalf("apply: %d\n%s\n%s", code, out, errs)
		}
	}
	_ = tfplan
}

func TestAttestationRefusesForgeries(t *testing.T) {
	dir := t.TempDir()
	gate, other := sshKeygen(t, dir, "gate"), sshKeygen(t, dir, "other")
	pub, _ := os.ReadFile(gate + ".pub")
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(pub)), 0o600)
	// A JSON plan stands in for the saved plan file: the subject is its SHA-256.
	plan := filepath.Join(dir, "plan.json")
	src, _ := os.ReadFile(qsPlan)
	os.WriteFile(plan, src, 0o600)
	att := filepath.Join(dir, "check.att")
	now := "2026-11-25T12:00:00Z"
	if code, _, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--now", now, "--attest", att, "--attest-key", gate, plan); code != exitBlock {
		t.Fatalf("check --attest: %d %s", code, errs)
	}
	_, pinOut, _ := runCLI(t, "", nil, "policy-hash", "--policy", qsPolicy)
	pin := strings.TrimSpace(pinOut)
	verify := func(args ...string) (int, string) {
		code, _, errs := runCLI(t, "", nil, append([]string{"verify-attestation", "--attestation", att, "--attestation-signers", signers, "--now", now, "--policy-sha256", pin}, args...)...)
		return code, errs
	}
	// Valid, and it records a block.
	if code, errs := verify(plan); code != exitBlock {
		t.Fatalf("verify: %d %s", code, errs)
	}
	orig, _ := os.ReadFile(att)
	var env attest.Envelope
	json.Unmarshal(orig, &env)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)

	forge := map[string]func() []byte{
		"decision edited": func() []byte {
			e := env
			e.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"decision":"block"`, `"decision":"allow"`, 1)))
			b, _ := json.Marshal(e)
			return b
		},
		"signed by another key": func() []byte {
			e := env
			out, err := exec.Command("sh", "-c", "printf %s \"$0\" | ssh-keygen -q -Y sign -n planguard-attestation -f \"$1\"", string(attest.PAE(attest.PayloadType, payload)), other).Output()
			if err != nil {
				t.Fatal(err)
			}
			e.Signatures = []attest.Signature{{Sig: base64.StdEncoding.EncodeToString(out)}}
			b, _ := json.Marshal(e)
			return b
		},
		"no signatures": func() []byte { e := env; e.Signatures = nil; b, _ := json.Marshal(e); return b },
		"unknown field": func() []byte {
			return []byte(strings.Replace(string(orig), `"payloadType"`, `"extra":1,"payloadType"`, 1))
		},
		"not json":        func() []byte { return orig[:len(orig)/2] },
		"wrong type":      func() []byte { e := env; e.PayloadType = "text/plain"; b, _ := json.Marshal(e); return b },
		"payload not b64": func() []byte { e := env; e.Payload = "!!"; b, _ := json.Marshal(e); return b },
	}
	for name, f := range forge {
		os.WriteFile(att, f(), 0o600)
		if code, errs := verify(plan); code != exitError {
			t.Errorf("%s: exit %d, want 2 (%s)", name, code, errs)
		}
	}
	os.WriteFile(att, orig, 0o600)
	// Another plan file, a stale attestation, a policy pin mismatch.
	os.WriteFile(plan, append(src, ' '), 0o600)
	if code, errs := verify(plan); code != exitError || !strings.Contains(errs, "another plan") {
		t.Errorf("other plan: %d %s", code, errs)
	}
	os.WriteFile(plan, src, 0o600)
	if code, _, errs := runCLI(t, "", nil, "verify-attestation", "--attestation", att, "--attestation-signers", signers, "--policy-sha256", pin, "--now", "2026-11-25T14:00:00Z", plan); code != exitError || !strings.Contains(errs, "max-age") {
		t.Errorf("stale: %d %s", code, errs)
	}
	if code, errs := verify("--policy-sha256", strings.Repeat("0", 64), plan); code != exitError {
		t.Errorf("policy pin: %d %s", code, errs)
	}
	if code, errs := verify("--attestation-principal", "someone-else", plan); code != exitError {
		t.Errorf("other principal: %d %s", code, errs)
	}
}

func TestAuditLogAndPolicyPin(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "audit.jsonl")
	runCLI(t, "", nil, "check", "--policy", qsPolicy, "--audit-log", log, qsPlan)
	runCLI(t, "", nil, "check", "--policy", qsPolicy, "--audit-log", log, filepath.Join(dir, "missing.json"))
	code, _, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--policy-sha256", strings.Repeat("a", 64), "--audit-log", log, qsPlan)
	if code != exitError || !strings.Contains(errs, "not the pinned") {
		t.Fatalf("policy pin: %d %s", code, errs)
	}
	b, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d audit lines:\n%s", len(lines), b)
	}
	var first, second check.Record
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first.Decision != "block" || len(first.PlanSHA256) != 64 || len(first.PolicySHA256) != 64 || len(first.Changes) != 3 || first.Changes[1].Address != "terraform_data.prod_db" {
		t.Errorf("first record: %+v", first)
	}
	if second.Decision != "error" || second.Error == "" {
		t.Errorf("second record: %+v", second)
	}
}

// TestApplyAttestationRefusesCheckFlags: with --attestation nothing is
// checked, so flags of a check are refused (not silently ignored), and the
// missing --attestation-signers is reported before the plan is even read.
func TestApplyAttestationRefusesCheckFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-plan")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--attestation", "a.att", missing}, "--attestation needs --attestation-signers"},
		{[]string{"--attestation", "a.att", "--attestation-signers", "s", "--audit-log", "audit.jsonl", missing}, "--audit-log would have no effect"},
		{[]string{"--attestation", "a.att", "--attestation-signers", "s", "--author", "x", "--policy", "p.hcl", missing}, "--author, --policy would have no effect"},
		{[]string{"--attestation", "a.att", "--attestation-signers", "s", "--attest", "b.att", "--attest-key", "k", "--format", "json", missing}, "--attest, --attest-key, --format would have no effect"},
		{[]string{"--attestation", "a.att", "--attestation-signers", "s", "--out", "sarif=r.sarif", missing}, "--out would have no effect"},
	} {
		code, out, errs := runCLI(t, "", nil, append([]string{"apply"}, tt.args...)...)
		if code != exitError || !strings.Contains(errs, tt.want) || out != "" {
			t.Errorf("apply %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}
