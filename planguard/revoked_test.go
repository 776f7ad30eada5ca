package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRevokedKeys: a policy's trust { revoked_keys = "FILE" } names an
// OpenSSH KRL or a list of public keys; an approval signed with a revoked
// key is reported revoked and never counts; an unreadable or malformed
// revocation file is an error; the policy hash covers the file.
func TestRevokedKeys(t *testing.T) {
	dir := t.TempDir()
	alice, bob := sshKeygen(t, dir, "alice"), sshKeygen(t, dir, "bob")
	var signers strings.Builder
	for p, k := range map[string]string{"alice@example.com": alice, "bob@example.com": bob} {
		pub, _ := os.ReadFile(k + ".pub")
		signers.WriteString(p + ` namespaces="planguard-approval" ` + string(pub))
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(signers.String()), 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n  revoked_keys    = \"revoked\"\n}\nprotect \"all\" {\n  types = [\"terraform_data\"]\n}\n"), 0o600)
	revoked := filepath.Join(dir, "revoked")
	out := filepath.Join(dir, "approvals.tf")
	now := "2026-11-25T12:00:00Z"
	krl := func(keys ...string) []byte {
		os.Remove(revoked)
		args := append([]string{"-q", "-k", "-f", revoked}, keys...)
		if o, err := runCmd("ssh-keygen", args...); err != nil {
			t.Fatalf("ssh-keygen -k: %v %s", err, o)
		}
		return []byte(readFile(t, revoked))
	}
	os.WriteFile(revoked, nil, 0o600) // an empty list revokes nothing
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", policyPath, "--plan=", "--target", "terraform_data.db", "--action", "delete",
		"--reason", "r", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	hashes := map[string]bool{}
	for _, c := range []struct {
		name    string
		content []byte
		code    int
		want    string
	}{
		{"empty", nil, 0, "valid (signed by alice@example.com)"},
		{"KRL of bob", krl(bob + ".pub"), 0, "valid (signed by alice@example.com)"},
		{"KRL of alice", krl(alice + ".pub"), exitBlock, "revoked"},
		{"list of alice", []byte("# revoked\n" + readFile(t, alice+".pub")), exitBlock, "revoked"},
		{"list of bob", []byte(readFile(t, bob+".pub")), 0, "valid"},
		{"malformed list", []byte("not a key\n"), exitError, "revoked"},
		{"malformed KRL", []byte("SSHKRL\n\x00\x00\x00\x00\x01"), exitError, "not a valid OpenSSH KRL"},
	} {
		os.WriteFile(revoked, c.content, 0o600)
		code, vout, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
		if code != c.code || !strings.Contains(vout+errs, c.want) {
			t.Errorf("%s: verify = %d, want %d and %q\n%s%s", c.name, code, c.code, c.want, vout, errs)
		}
		if c.code != exitError {
			_, h, errs := runCLI(t, "", nil, "policy-hash", "--policy", policyPath)
			if len(strings.TrimSpace(h)) != 64 {
				t.Fatalf("%s: policy-hash %q %s", c.name, h, errs)
			}
			hashes[h] = true
		}
	}
	if len(hashes) != 5 {
		t.Errorf("%d distinct policy hashes for 5 revocation files: the hash does not cover revoked_keys", len(hashes))
	}
	os.Remove(revoked)
	if code, _, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out); code != exitError || !strings.Contains(errs, "revocation file") {
		t.Errorf("missing revocation file: %d %s", code, errs)
	}
}
