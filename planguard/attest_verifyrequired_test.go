package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttestationHonoursVerifyRequired: an attestation signers line with
// verify-required counts only a FIDO signature with the user-verification
// flag; the gate's key, an ordinary key, does not count under it.
func TestAttestationHonoursVerifyRequired(t *testing.T) {
	dir := t.TempDir()
	gate := sshKeygen(t, dir, "gate")
	pub, _ := os.ReadFile(gate + ".pub")
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
	for _, c := range []struct {
		options string
		code    int
	}{
		{`namespaces="planguard-attestation"`, exitBlock},
		{`namespaces="planguard-attestation",verify-required`, exitError},
	} {
		signers := filepath.Join(dir, "gate_signers")
		os.WriteFile(signers, []byte("planguard-gate "+c.options+" "+string(pub)), 0o600)
		code, _, errs := runCLI(t, "", nil, "verify-attestation", "--attestation", att, "--attestation-signers", signers, "--now", now, "--policy-sha256", pin, plan)
		if code != c.code {
			t.Errorf("%s: verify-attestation = %d, want %d\n%s", c.options, code, c.code, errs)
		}
		if c.code == exitError && !strings.Contains(errs, "user verification") {
			t.Errorf("%s: the error does not say why: %s", c.options, errs)
		}
	}
}
