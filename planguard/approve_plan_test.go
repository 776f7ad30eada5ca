package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// approvePlanKeys makes keys for alice and bob, their allowed_signers and a
// policy of scope prod protecting terraform_data.db, in dir.
func approvePlanKeys(t *testing.T, dir string) (policyPath string) {
	t.Helper()
	var signers strings.Builder
	for _, who := range []string{"alice", "bob"} {
		code, line, errs := runCLI(t, "", nil, "keygen", "--out", filepath.Join(dir, who), "--principal", who)
		if code != 0 {
			t.Fatalf("keygen: %d %s", code, errs)
		}
		signers.WriteString(strings.TrimSpace(line) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(signers.String()), 0o600)
	policyPath = filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.db\"]\n}\n"), 0o600)
	return policyPath
}

// TestApprovePlanFromFile: approve-plan --plan signs the SHA-256 of the
// saved plan file it was given (an Atlantis approver signs the plan they
// downloaded, not a hash the server printed), shows the gate's report on
// that plan with --policy, and the approval verifies for that file only.
func TestApprovePlanFromFile(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	pol := approvePlanKeys(t, dir)
	tfplan := savedPlan(t, tf, dir, `resource "terraform_data" "db" { input = "a" }`, ``)
	b, _ := os.ReadFile(tfplan)
	want := sha256.Sum256(b)
	wantHex := hex.EncodeToString(want[:])
	// Another saved plan: a copy of the same plan with one byte more.
	other := filepath.Join(dir, "other.tfplan")
	os.WriteFile(other, append(append([]byte{}, b...), 0), 0o600)
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(dir, "terraformrc"))
	t.Setenv("CHECKPOINT_DISABLE", "1")
	// approve-plan --policy needs lock_file (it shows the plan in a clean
	// room with those providers; TestApprovePlanRunsNoProviderOfTheChange):
	// terraform_data's provider is built in, so the reviewed lock is empty.
	os.WriteFile(filepath.Join(dir, "reviewed.lock.hcl"), nil, 0o600)
	polSrc, _ := os.ReadFile(pol)
	os.WriteFile(pol, append([]byte("lock_file = \"reviewed.lock.hcl\"\n"), polSrc...), 0o600)
	t.Chdir(dir)

	out := filepath.Join(dir, "bob.json")
	code, _, errs := runCLI(t, "", envv, "approve-plan", "--plan", "tfplan", "--policy", pol, "--key", filepath.Join(dir, "bob"), "--principal", "bob", "--out", out)
	if code != exitAllow {
		t.Fatalf("approve-plan --plan: exit %d\n%s", code, errs)
	}
	for _, w := range []string{"sha256 " + wantHex, "about to sign a plan approval as bob", "delete  terraform_data.db  db     0/1        BLOCKED", "scope   prod", "now: block"} {
		if !strings.Contains(errs, w) {
			t.Errorf("approve-plan --plan does not show %q before signing:\n%s", w, errs)
		}
	}
	approvalFile, _ := os.ReadFile(out)
	if !strings.Contains(string(approvalFile), wantHex) {
		t.Errorf("the approval does not name the plan file's SHA-256 %s:\n%s", wantHex, approvalFile)
	}
	verify := func(plan string) (int, string) {
		code, stdout, errs := runCLI(t, "", nil, "verify-plan-approval", "--plan", plan, "--policy", pol, "--author", "alice", "--approval", out)
		return code, stdout + errs
	}
	if code, msg := verify(tfplan); code != exitAllow {
		t.Errorf("verify-plan-approval of the approved file: exit %d\n%s", code, msg)
	}
	if code, msg := verify(other); code != exitBlock {
		t.Errorf("verify-plan-approval of another plan file: exit %d, want 1\n%s", code, msg)
	}
	// Several authors, bob among them: bob's approval does not count.
	if code, stdout, errs := runCLI(t, "", nil, "verify-plan-approval", "--plan", tfplan, "--policy", pol, "--author", "alice", "--author", "bob", "--approval", out); code != exitBlock {
		t.Errorf("verify-plan-approval with bob among the authors: exit %d, want 1\n%s%s", code, stdout, errs)
	}

	// The policy's scope or none: another --scope is refused.
	if code, _, errs := runCLI(t, "", envv, "approve-plan", "--plan", "tfplan", "--policy", pol, "--scope", "dev", "--key", filepath.Join(dir, "bob"), "--principal", "bob"); code != exitError || !strings.Contains(errs, `has scope "prod"`) {
		t.Errorf("--scope dev under a prod policy: exit %d %s", code, errs)
	}
	// The gate cannot read the plan (no terraform): an error, nothing signed.
	bad := map[string]string{"PLANGUARD_TERRAFORM": filepath.Join(dir, "no-such-terraform")}
	if code, stdout, errs := runCLI(t, "", bad, "approve-plan", "--plan", "tfplan", "--policy", pol, "--key", filepath.Join(dir, "bob"), "--principal", "bob"); code != exitError || stdout != "" || !strings.Contains(errs, "leave out --policy") {
		t.Errorf("unreadable plan: exit %d %q %s", code, stdout, errs)
	}
}

// TestApprovePlanFlags: --plan without --policy signs the file's hash in
// --scope; the flags that cannot go together are refused.
func TestApprovePlanFlags(t *testing.T) {
	dir := t.TempDir()
	pol := approvePlanKeys(t, dir)
	plan := filepath.Join(dir, "tfplan")
	os.WriteFile(plan, []byte("PK\x03\x04 a saved plan"), 0o600)
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte("PK\x03\x04 another saved plan"), 0o600)
	sum := sha256.Sum256([]byte("PK\x03\x04 a saved plan"))
	hexSum := hex.EncodeToString(sum[:])
	key := filepath.Join(dir, "bob")
	out := filepath.Join(dir, "bob.json")
	code, _, errs := runCLI(t, "", nil, "approve-plan", "--plan", plan, "--scope", "prod", "--key", key, "--principal", "bob", "--out", out)
	if code != exitAllow || !strings.Contains(errs, "sha256  "+hexSum) {
		t.Fatalf("approve-plan --plan --scope: exit %d\n%s", code, errs)
	}
	for p, want := range map[string]int{plan: exitAllow, other: exitBlock} {
		if code, stdout, errs := runCLI(t, "", nil, "verify-plan-approval", "--plan", p, "--policy", pol, "--author", "alice", "--approval", out); code != want {
			t.Errorf("verify-plan-approval %s: exit %d, want %d\n%s%s", p, code, want, stdout, errs)
		}
	}
	json, _ := filepath.Abs(qsPlan)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--plan", plan, "--plan-sha256", hexSum, "--scope", "prod"}, "mutually exclusive"},
		{[]string{"--plan-sha256", hexSum, "--scope", "prod", "--policy", pol}, "go with --plan"},
		{[]string{"--scope", "prod"}, "needs --plan or --plan-sha256"},
		{[]string{"--plan", plan}, "needs --scope"},
		{[]string{"--plan", json, "--scope", "prod"}, "not a saved plan"},
		{[]string{"--plan", filepath.Join(dir, "missing"), "--scope", "prod"}, "open plan"},
	} {
		args := append([]string{"approve-plan", "--key", key, "--principal", "bob"}, c.args...)
		if code, stdout, errs := runCLI(t, "", nil, args...); code != exitError || stdout != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d %q %s, want 2 and %q", c.args, code, stdout, errs, c.want)
		}
	}
}
