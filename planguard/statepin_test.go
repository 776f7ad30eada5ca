package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/attest"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// statePinLab makes a saved plan (an update of terraform_data.cache, which
// no rule protects) in a temporary directory that becomes the current one,
// with an unpinned and a pinned policy beside it.
func statePinLab(t *testing.T) (envv map[string]string, unpinned, pinned string) {
	t.Helper()
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol, _ := os.ReadFile(qsPolicy)
	unpinned, pinned = filepath.Join(dir, "unpinned.hcl"), filepath.Join(dir, "pinned.hcl")
	os.WriteFile(unpinned, pol, 0o600)
	os.WriteFile(pinned, append(pol, applyPins...), 0o600)
	savedPlan(t, tf, dir, `resource "terraform_data" "cache" { input = "a" }`, `resource "terraform_data" "cache" { input = "b" }`)
	envv = map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_CONFIG_FILE": filepath.Join(dir, "terraformrc")}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(dir, "terraformrc"))
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Chdir(dir)
	return envv, unpinned, pinned
}

// stateInput is the input of terraform_data.cache in the local state.
func stateInput(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.Contains(string(b), `"value": "a"`):
		return "a"
	case strings.Contains(string(b), `"value": "b"`):
		return "b"
	}
	t.Fatalf("state holds neither input:\n%s", b)
	return ""
}

// TestApplyRefusesPolicyWithoutStatePin: planguard apply under a policy
// without a state block exits 2 before terraform runs, naming the policy
// and why, with a state block (and lock_file) in the hint; check still
// decides, with a warning; the same plan applies under the pinned policy.
func TestApplyRefusesPolicyWithoutStatePin(t *testing.T) {
	envv, unpinned, pinned := statePinLab(t)

	code, out, errs := runCLI(t, "", envv, "apply", "--policy", unpinned, "tfplan", "--", "-no-color")
	if code != exitError {
		t.Fatalf("apply under a policy without state: exit %d, want 2\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"policy " + unpinned + ": the policy has no state block",
		"which the plan's author chooses",
		"nothing applied",
		"planguard: hint: add a state block to " + unpinned,
		"      state {\n        backend = \"s3\"",
		"lock_file = \"FILE\"",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(out+errs, "planguard: running") || strings.Contains(out, "Apply complete") || stateInput(t) != "a" {
		t.Fatalf("terraform ran or applied:\n%s\n%s", out, errs)
	}

	// check decides without a pin, and warns.
	code, out, errs = runCLI(t, "", envv, "check", "--policy", unpinned, "--format", "json", "tfplan")
	if code != exitAllow || !strings.Contains(errs, "planguard: warning: the state was not pinned") {
		t.Fatalf("check under a policy without state: exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct{ Warnings []string }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range rep.Warnings {
		found = found || w == check.StateNotPinnedWarning
	}
	if !found {
		t.Fatalf("json report lacks the state warning: %q", rep.Warnings)
	}

	// Pinned: no state warning, and the apply runs.
	code, out, errs = runCLI(t, "", envv, "check", "--policy", pinned, "tfplan")
	if code != exitAllow || strings.Contains(out+errs, "the state was not pinned") {
		t.Fatalf("check under the pinned policy: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", envv, "apply", "--policy", pinned, "tfplan", "--", "-no-color")
	if code != exitAllow || !strings.Contains(out, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.") || stateInput(t) != "b" {
		t.Fatalf("apply under the pinned policy: exit %d\n%s\n%s", code, out, errs)
	}
}

// attestedPredicate decodes the predicate of an attestation file without
// verifying it.
func attestedPredicate(t *testing.T, path string) (attest.Predicate, string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var env attest.Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var st attest.Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	return st.Predicate, string(payload)
}

// TestApplyAttestationRequiresStatePin: check --attest records whether the
// policy pinned the state (state_pinned); apply --attestation refuses, exit
// 2, an attestation of a check without the pin, and applies one with it.
func TestApplyAttestationRequiresStatePin(t *testing.T) {
	envv, unpinned, pinned := statePinLab(t)
	dir, _ := os.Getwd()
	key := sshKeygen(t, dir, "gate")
	pub, _ := os.ReadFile(key + ".pub")
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(pub)), 0o600)
	hash := func(pol string) string {
		_, out, _ := runCLI(t, "", nil, "policy-hash", "--policy", pol)
		return strings.TrimSpace(out)
	}

	// Without the pin: the field is absent (as in every older attestation).
	// (check --attest needs a provider pin: it holds the gate's key.)
	pol, _ := os.ReadFile(unpinned)
	unpinned = filepath.Join(dir, "providers-only.hcl")
	os.WriteFile(unpinned, append(pol, "providers = [\"terraform.io/builtin/terraform\"]\n"...), 0o600)
	if code, out, errs := runCLI(t, "", envv, "check", "--policy", unpinned, "--attest", "unpinned.att", "--attest-key", key, "tfplan"); code != exitAllow {
		t.Fatalf("check --attest: exit %d\n%s\n%s", code, out, errs)
	}
	p, payload := attestedPredicate(t, "unpinned.att")
	if p.StatePinned || strings.Contains(payload, "state_pinned") || p.Decision != "allow" {
		t.Fatalf("predicate of an unpinned check: %s", payload)
	}
	code, out, errs := runCLI(t, "", envv, "apply", "--attestation", "unpinned.att", "--attestation-signers", signers, "--policy-sha256", hash(unpinned), "tfplan", "--", "-no-color")
	if code != exitError || !strings.Contains(errs, "attestation unpinned.att: the attested check pinned no state") || !strings.Contains(errs, "planguard: hint: add a state block") {
		t.Fatalf("apply on an unpinned attestation: exit %d, want 2\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, "planguard: running") || stateInput(t) != "a" {
		t.Fatalf("terraform ran:\n%s\n%s", out, errs)
	}
	// verify-attestation still verifies it, and says apply refuses it.
	code, out, errs = runCLI(t, "", nil, "verify-attestation", "--attestation", "unpinned.att", "--attestation-signers", signers, "--policy-sha256", hash(unpinned), "tfplan")
	if code != exitAllow || !strings.Contains(errs, "warning: attestation unpinned.att: the attested check pinned no state") || !strings.Contains(errs, "apply --attestation refuses it") {
		t.Fatalf("verify-attestation of an unpinned attestation: exit %d\n%s\n%s", code, out, errs)
	}

	// With the pin: state_pinned true, and the apply runs.
	if code, out, errs := runCLI(t, "", envv, "check", "--policy", pinned, "--attest", "pinned.att", "--attest-key", key, "tfplan"); code != exitAllow {
		t.Fatalf("check --attest under the pin: exit %d\n%s\n%s", code, out, errs)
	}
	if p, payload := attestedPredicate(t, "pinned.att"); !p.StatePinned || !strings.Contains(payload, `"state_pinned":true`) || !p.ProvidersPinned || !strings.Contains(payload, `"providers_pinned":true`) {
		t.Fatalf("predicate of a pinned check: %s", payload)
	}
	// The pinned attestation does not stand in for the unpinned policy's.
	if code, _, errs := runCLI(t, "", envv, "apply", "--attestation", "pinned.att", "--attestation-signers", signers, "--policy-sha256", hash(unpinned), "tfplan"); code != exitError || !strings.Contains(errs, "not the pinned") {
		t.Fatalf("apply on another policy's attestation: exit %d\n%s", code, errs)
	}
	code, out, errs = runCLI(t, "", envv, "apply", "--attestation", "pinned.att", "--attestation-signers", signers, "--policy-sha256", hash(pinned), "tfplan", "--", "-no-color")
	if code != exitAllow || !strings.Contains(out, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.") || stateInput(t) != "b" {
		t.Fatalf("apply on a pinned attestation: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestApplyRefusesPolicyWithoutProviderPin: planguard apply under a policy
// that pins the state but has neither lock_file nor providers exits 2
// before terraform runs (the plan's own lock file, its author's, would
// choose the providers the apply starts), naming the policy, with both
// fixes in the hint; check --attest under it refuses to sign (it holds the
// gate's key beside the providers the show would start; review ci31 M1),
// and apply --attestation refuses an attestation with no providers_pinned
// (as an older planguard wrote them).
func TestApplyRefusesPolicyWithoutProviderPin(t *testing.T) {
	envv, unpinned, _ := statePinLab(t)
	dir, _ := os.Getwd()
	statePinned := filepath.Join(dir, "stateonly.hcl")
	pol, _ := os.ReadFile(unpinned)
	os.WriteFile(statePinned, append(pol, localStatePin...), 0o600)

	code, out, errs := runCLI(t, "", envv, "apply", "--policy", statePinned, "tfplan", "--", "-no-color")
	if code != exitError {
		t.Fatalf("apply under a policy without providers or lock_file: exit %d, want 2\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"policy " + statePinned + ": the policy does not pin providers: the policy has neither lock_file nor providers",
		"the plan's author wrote that file",
		"nothing applied",
		"planguard: hint: add to " + statePinned + " lock_file = \"FILE\"",
		"providers = [",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(out+errs, "planguard: running") || strings.Contains(out, "Apply complete") || stateInput(t) != "a" {
		t.Fatalf("terraform ran or applied:\n%s\n%s", out, errs)
	}

	key := sshKeygen(t, dir, "gate")
	pub, _ := os.ReadFile(key + ".pub")
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(pub)), 0o600)
	code, out, errs = runCLI(t, "", envv, "check", "--policy", statePinned, "--attest", "stateonly.att", "--attest-key", key, "tfplan")
	if code != exitError || !strings.Contains(errs, "beside the gate's signing key") || !strings.Contains(errs, "planguard: hint: add to "+statePinned+" lock_file") {
		t.Fatalf("check --attest without a provider pin: exit %d, want 2\n%s\n%s", code, out, errs)
	}
	if _, err := os.Stat("stateonly.att"); err == nil {
		t.Fatal("check --attest without a provider pin wrote an attestation")
	}
	legacyAttestation(t, envv, statePinned, key, "tfplan", "stateonly.att")
	p, payload := attestedPredicate(t, "stateonly.att")
	if !p.StatePinned || p.ProvidersPinned || strings.Contains(payload, "providers_pinned") {
		t.Fatalf("predicate of a check without providers or lock_file: %s", payload)
	}
	_, hash, _ := runCLI(t, "", nil, "policy-hash", "--policy", statePinned)
	code, out, errs = runCLI(t, "", envv, "apply", "--attestation", "stateonly.att", "--attestation-signers", signers, "--policy-sha256", strings.TrimSpace(hash), "tfplan", "--", "-no-color")
	if code != exitError || !strings.Contains(errs, "attestation stateonly.att: the attested check's policy pinned no providers") || !strings.Contains(errs, "planguard: hint: add lock_file") {
		t.Fatalf("apply on an attestation without providers_pinned: exit %d, want 2\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, "planguard: running") || stateInput(t) != "a" {
		t.Fatalf("terraform ran:\n%s\n%s", out, errs)
	}
	code, _, errs = runCLI(t, "", nil, "verify-attestation", "--attestation", "stateonly.att", "--attestation-signers", signers, "--policy-sha256", strings.TrimSpace(hash), "tfplan")
	if code != exitAllow || !strings.Contains(errs, "warning: attestation stateonly.att: the attested check's policy pinned no providers") {
		t.Fatalf("verify-attestation: exit %d\n%s", code, errs)
	}
}

// legacyAttestation signs, as a planguard before review ci31 M1 did, the
// check of planPath under policyPath made where the plan was (no room):
// an attestation without providers_pinned, which check --attest no longer
// writes.
func legacyAttestation(t *testing.T, envv map[string]string, policyPath, keyPath, planPath, out string) {
	t.Helper()
	pol, tr, err := check.LoadPolicy(policyPath, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&check.Checker{}).Check(context.Background(), check.Request{Policy: pol, Trust: tr, Now: time.Now(),
		Plan: check.PlanSource{Path: planPath, TerraformBin: envv["PLANGUARD_TERRAFORM"], Getenv: os.Getenv}})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := os.ReadFile(keyPath)
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := attest.Sign(signer, res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
