package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCertificateApprovals: with a cert-authority line in the trust file, a
// signature ssh-keygen makes with a user certificate is added by sign
// --signature and counts in verify, which names the certificate when it
// does not count; a signature by the plain key does not count there.
func TestCertificateApprovals(t *testing.T) {
	dir := t.TempDir()
	ca, alice := sshKeygen(t, dir, "ca"), sshKeygen(t, dir, "alice")
	if o, err := runCmd("ssh-keygen", "-q", "-s", ca, "-I", "alice-laptop", "-z", "42", "-n", "alice@example.com", "-V", "20261101Z:20261201Z", alice+".pub"); err != nil {
		t.Fatalf("ssh-keygen -s: %v %s", err, o)
	}
	caPub, _ := os.ReadFile(ca + ".pub")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(`*@example.com cert-authority,namespaces="planguard-approval" `+string(caPub)), 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"all\" {\n  types = [\"terraform_data\"]\n}\n"), 0o600)
	out := filepath.Join(dir, "approvals.tf")
	now := "2026-11-25T12:00:00Z"
	// approve signs with the plain key: not trusted by a cert-authority line.
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", policyPath, "--plan=", "--target", "terraform_data.db", "--action", "delete",
		"--reason", "r", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out, "--name", "db", "--force"); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out); code != exitBlock || !strings.Contains(vout, "untrusted") {
		t.Fatalf("plain key under a cert-authority line: %d %s", code, vout)
	}
	// Start again: bob signs with his certificate through ssh-keygen.
	os.Remove(out)
	bob := sshKeygen(t, dir, "bob")
	if o, err := runCmd("ssh-keygen", "-q", "-s", ca, "-I", "bob-laptop", "-z", "43", "-n", "bob@example.com", bob+".pub"); err != nil {
		t.Fatalf("ssh-keygen -s: %v %s", err, o)
	}
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", policyPath, "--plan=", "--target", "terraform_data.db", "--action", "delete",
		"--reason", "r", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out, "--name", "db", "--force"); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	code, payload, errs := runCLI(t, "", nil, "payload", "--file", out, "--name", "db")
	if code != 0 {
		t.Fatalf("payload: %s", errs)
	}
	pf := filepath.Join(dir, "payload")
	os.WriteFile(pf, []byte(payload), 0o600)
	if o, err := runCmd("ssh-keygen", "-Y", "sign", "-n", "planguard-approval", "-f", bob+"-cert.pub", pf); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v %s", err, o)
	}
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--name", "db", "--principal", "bob@example.com", "--signature", pf+".sig"); code != 0 {
		t.Fatalf("sign --signature: %s", errs)
	}
	code, vout, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 || !strings.Contains(vout, "valid (signed by bob@example.com)") {
		t.Fatalf("verify: %d %s %s", code, vout, errs)
	}
	// Claimed for another principal, the certificate is named.
	src := readFile(t, out)
	os.WriteFile(out, []byte(strings.Replace(src, `"bob@example.com"`, `"carol@example.com"`, 1)), 0o600)
	if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out); code != exitBlock || !strings.Contains(vout, `certificate "bob-laptop" (serial 43)`) {
		t.Fatalf("certificate of bob claimed for carol: %d %s", code, vout)
	}
}
