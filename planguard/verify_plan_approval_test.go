package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// verify-plan-approval: 0 when a trusted principal other than the author
// signed this plan file's hash, 1 when not (the author's own, another
// plan's), 2 on a usage or input error.
func TestVerifyPlanApproval(t *testing.T) {
	dir := t.TempDir()
	var signers strings.Builder
	for _, who := range []string{"alice", "bob"} {
		key := filepath.Join(dir, who)
		code, line, errs := runCLI(t, "", nil, "keygen", "--out", key, "--principal", who)
		if code != 0 {
			t.Fatalf("keygen: %d %s", code, errs)
		}
		signers.WriteString(strings.TrimSpace(line) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(signers.String()), 0o600)
	pol := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(pol, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.db\"]\n}\n"), 0o600)
	plan := filepath.Join(dir, "tfplan")
	os.WriteFile(plan, []byte("PK\x03\x04 a saved plan"), 0o600)
	sum := sha256.Sum256([]byte("PK\x03\x04 a saved plan"))
	hexSum := hex.EncodeToString(sum[:])
	sign := func(who, planSum string) string {
		out := filepath.Join(dir, who+"-"+planSum[:6]+".json")
		if code, _, errs := runCLI(t, "", nil, "approve-plan", "--plan-sha256", planSum, "--scope", "prod", "--key", filepath.Join(dir, who), "--principal", who, "--out", out); code != 0 {
			t.Fatalf("approve-plan: %d %s", code, errs)
		}
		return out
	}
	alice, bob, other := sign("alice", hexSum), sign("bob", hexSum), sign("bob", strings.Repeat("0", 64))
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"another's approval", []string{"--author", "alice", "--approval", bob}, 0},
		{"the author's own", []string{"--author", "alice", "--approval", alice}, 1},
		{"the author's own, other case", []string{"--author", "ALICE", "--approval", alice}, 1},
		{"another plan's", []string{"--author", "alice", "--approval", other}, 1},
		{"none", []string{"--author", "alice"}, 1},
		{"an empty author", []string{"--author", " ", "--approval", bob}, 2},
		{"a missing approval file", []string{"--author", "alice", "--approval", filepath.Join(dir, "nope.json")}, 2},
		{"a wrong pin", []string{"--author", "alice", "--approval", bob, "--policy-sha256", strings.Repeat("a", 64)}, 2},
	}
	for _, c := range cases {
		args := append([]string{"verify-plan-approval", "--plan", plan, "--policy", pol}, c.args...)
		code, out, errs := runCLI(t, "", nil, args...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.want, out, errs)
		}
		if c.want == 1 && !strings.Contains(out, "planguard approve-plan --plan-sha256 "+hexSum+" --scope prod") {
			t.Errorf("%s: no approve-plan command for this plan:\n%s", c.name, out)
		}
	}
	if code, _, _ := runCLI(t, "", nil, "verify-plan-approval", "--policy", pol, "--author", "a"); code != exitError {
		t.Errorf("without --plan: exit %d, want 2", code)
	}
}
