package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
	"github.com/planguard/terraform-provider-planguard/internal/tfconfig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// TestApproveFromAndIssuedAtOnARealPlan: on a real Terraform plan with a
// moved block, approve takes from from the change's previous address, infers
// move for an object kept under a new address and the destruction (with
// from) for one moved and destroyed; issued_at is now unless told otherwise.
func TestApproveFromAndIssuedAtOnARealPlan(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	keyDir := t.TempDir()
	alice := sshKeygen(t, keyDir, "alice")
	pub, _ := os.ReadFile(alice + ".pub")
	os.WriteFile(filepath.Join(keyDir, "allowed_signers"), []byte(`alice@example.com namespaces="planguard-approval" `+string(pub)), 0o600)
	policyPath := filepath.Join(keyDir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"all\" {\n  types = [\"terraform_data\"]\n  max_ttl = \"72h\"\n}\n"), 0o600)
	tfplan := savedPlan(t, tf, dir,
		`resource "terraform_data" "prod_db" { input = "db" }
resource "terraform_data" "old_cache" { input = "c" }
resource "terraform_data" "gone" { input = "g" }
`,
		`resource "terraform_data" "archived_db" { input = "db" }
moved {
  from = terraform_data.prod_db
  to   = terraform_data.archived_db
}
resource "terraform_data" "cache" { input = "c2" }
moved {
  from = terraform_data.old_cache
  to   = terraform_data.cache
}
moved {
  from = terraform_data.gone
  to   = terraform_data.gone2
}
`)
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(dir, "terraformrc"))
	t.Setenv("CHECKPOINT_DISABLE", "1")
	now := "2026-11-25T12:00:00Z"
	approve := func(args ...string) (int, tfconfig.Block, string) {
		t.Helper()
		// --force: this test is about what approve derives from the plan;
		// most of these moves stay inside the one rule, so need no approval.
		a := append([]string{"approve", "--policy", policyPath, "--plan", tfplan, "--reason", "CHG-2001", "--now", now, "--key", alice, "--principal", "alice@example.com", "--force"}, args...)
		code, out, errs := runCLI(t, "", envv, a...)
		if code != 0 {
			return code, tfconfig.Block{}, errs
		}
		bs, err := tfconfig.Parse([]byte(out), "out.tf")
		if err != nil || len(bs) != 1 || !bs[0].Approval.Known {
			t.Fatalf("approve printed %v %+v:\n%s", err, bs, out)
		}
		return code, bs[0], out
	}
	cases := []struct {
		args                         []string
		name, action, from, issuedAt string
		identityFromPlan             bool
	}{
		// Kept under a new address (no-op): move, from the old address.
		{[]string{"--target", "terraform_data.archived_db"}, "move_terraform_data_archived_db", "move", "terraform_data.prod_db", "2026-11-25T12:00:00Z", true},
		// Moved and updated: move by default.
		{[]string{"--target", "terraform_data.cache"}, "move_terraform_data_cache", "move", "terraform_data.old_cache", "2026-11-25T12:00:00Z", true},
		// ... or the update, still naming where it came from.
		{[]string{"--target", "terraform_data.cache", "--action", "update"}, "update_terraform_data_cache", "update", "terraform_data.old_cache", "2026-11-25T12:00:00Z", true},
		// Moved to an address not in configuration, so destroyed: delete with from.
		{[]string{"--target", "terraform_data.gone2", "--issued-at", "2026-11-25T11:59:00Z"}, "delete_terraform_data_gone2", "delete", "terraform_data.gone", "2026-11-25T11:59:00Z", true},
		// An old-style approval: no issued_at.
		{[]string{"--target", "terraform_data.gone2", "--issued-at", "none"}, "delete_terraform_data_gone2", "delete", "terraform_data.gone", "", true},
	}
	for _, c := range cases {
		code, b, errs := approve(c.args...)
		if code != 0 {
			t.Fatalf("approve %v: exit %d: %s", c.args, code, errs)
		}
		a := b.Approval
		if b.Name != c.name || a.Action != c.action || a.From != c.from || a.IssuedAt != c.issuedAt || a.ExpiresAt != "2026-11-26T12:00:00Z" || (a.Identity == "") == c.identityFromPlan {
			t.Errorf("approve %v: %s %+v", c.args, b.Name, a)
		}
		// The signature covers from and issued_at.
		st := a.Statement
		signers, err := trust.ParseAllowedSigners([]byte(`alice@example.com `+string(pub)), "allowed_signers", trust.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := approval.VerifySignature(st, "alice@example.com", a.Signatures[0].Signature, signers, mustTime(t, now)); err != nil {
			t.Errorf("approve %v: signature: %v", c.args, err)
		}
		if c.from != "" {
			st.From = ""
			if st.Action == approval.ActionMove {
				st.Action = approval.ActionDelete
			}
			if _, err := approval.VerifySignature(st, "alice@example.com", a.Signatures[0].Signature, signers, mustTime(t, now)); err == nil {
				t.Errorf("approve %v: the signature verifies without from", c.args)
			}
		}
	}
	// Refused: a from the plan contradicts, a from for an unmoved object, an
	// action the change does not allow, move without from, a non-UTC issued_at.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--target", "terraform_data.archived_db", "--from", "terraform_data.other"}, "the plan moves terraform_data.archived_db from terraform_data.prod_db"},
		{[]string{"--target", "terraform_data.archived_db", "--action", "delete"}, "not delete"},
		{[]string{"--target", "terraform_data.gone2", "--action", "replace"}, "not replace"},
		{[]string{"--target", "terraform_data.archived_db", "--issued-at", "2026-11-25T13:00:00+01:00"}, "UTC"},
		{[]string{"--target", "terraform_data.archived_db", "--issued-at", "2026-11-27T00:00:00Z"}, "not before expires_at"},
		{[]string{"--target", "terraform_data.nothing"}, "does not delete, replace, update, forget or move"},
		{[]string{"--plan=", "--action", "move", "--target", "terraform_data.archived_db"}, "--action move needs --from"},
		{[]string{"--plan=", "--action", "move", "--target", "terraform_data.a", "--from", "terraform_data.a"}, "equals target"},
		{[]string{"--plan=", "--action", "provision", "--target", "terraform_data.a", "--from", "terraform_data.b"}, "must be empty when action is provision"},
	} {
		if code, _, errs := approve(c.args...); code != exitError || !strings.Contains(errs, c.want) {
			t.Errorf("approve %v: exit %d, stderr %q, want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
	// Without a plan: move with --from, provision without.
	if code, b, errs := approve("--plan=", "--action", "move", "--target", "module.archive.terraform_data.prod_db", "--from", "terraform_data.prod_db"); code != 0 ||
		b.Approval.From != "terraform_data.prod_db" || b.Approval.Action != "move" || b.Approval.IssuedAt != now {
		t.Errorf("approve move without plan: %d %+v %s", code, b.Approval, errs)
	}
	if code, b, errs := approve("--plan=", "--action", "provision", "--target", "terraform_data.housekeeping"); code != 0 || b.Approval.From != "" || b.Approval.Action != "provision" {
		t.Errorf("approve provision without plan: %d %+v %s", code, b.Approval, errs)
	}
}

// TestSignPayloadVerifyKeepFromAndIssuedAt: sign and payload co-sign the
// block as written (from and issued_at included); --from and --issued-at
// select among blocks of one target; ssh-keygen's signature over the
// printed payload is accepted; verify shows from and issued_at.
func TestSignPayloadVerifyKeepFromAndIssuedAt(t *testing.T) {
	dir := t.TempDir()
	alice, bob, carol := sshKeygen(t, dir, "alice"), sshKeygen(t, dir, "bob"), sshKeygen(t, dir, "carol")
	var trust strings.Builder
	for p, k := range map[string]string{"alice@example.com": alice, "bob@example.com": bob, "carol@example.com": carol} {
		pub, _ := os.ReadFile(k + ".pub")
		trust.WriteString(p + ` namespaces="planguard-approval" ` + string(pub))
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(trust.String()), 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"all\" {\n  types = [\"terraform_data\"]\n}\n"), 0o600)
	out := filepath.Join(dir, "approvals.tf")
	now := "2026-11-25T12:00:00Z"
	base := []string{"approve", "--policy", policyPath, "--plan=", "--target", "terraform_data.db", "--reason", "r", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out}
	if code, _, errs := runCLI(t, "", nil, append(base, "--action", "delete", "--from", "terraform_data.old_db", "--name", "moved_delete")...); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	if code, _, errs := runCLI(t, "", nil, append(base, "--action", "delete", "--issued-at", "2026-11-25T11:00:00Z", "--name", "plain_delete")...); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	// Two blocks for one target: --target alone is ambiguous, --from selects.
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--target", "terraform_data.db", "--principal", "bob@example.com", "--key", bob); code != exitError || !strings.Contains(errs, "--from") {
		t.Fatalf("ambiguous sign: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--target", "terraform_data.db", "--from", "terraform_data.old_db", "--principal", "bob@example.com", "--key", bob); code != 0 {
		t.Fatalf("sign --from: %s", errs)
	}
	if code, _, _ := runCLI(t, "", nil, "sign", "--file", out, "--target", "terraform_data.db", "--from", "terraform_data.nope", "--principal", "bob@example.com", "--key", bob); code != exitError {
		t.Fatal("sign --from matched no block and still signed")
	}
	// carol signs the second block with plain ssh-keygen over planguard payload.
	code, payload, errs := runCLI(t, "", nil, "payload", "--file", out, "--target", "terraform_data.db", "--issued-at", "2026-11-25T11:00:00Z")
	if code != 0 || !strings.Contains(payload, `"issued_at":"2026-11-25T11:00:00Z"`) || strings.Contains(payload, `"from"`) {
		t.Fatalf("payload: %d %q %s", code, payload, errs)
	}
	pf := filepath.Join(dir, "payload")
	os.WriteFile(pf, []byte(payload), 0o600)
	if o, err := runCmd("ssh-keygen", "-Y", "sign", "-n", "planguard-approval", "-f", carol, pf); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v %s", err, o)
	}
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--name", "plain_delete", "--principal", "carol@example.com", "--signature", pf+".sig"); code != 0 {
		t.Fatalf("sign --signature: %s", errs)
	}
	// The moved block's payload keeps from, and its issued_at is approve's now.
	code, payload, _ = runCLI(t, "", nil, "payload", "--file", out, "--name", "moved_delete")
	if code != 0 || !strings.Contains(payload, `"from":"terraform_data.old_db"`) || !strings.Contains(payload, `"issued_at":"`+now+`"`) {
		t.Fatalf("payload of moved_delete: %q", payload)
	}
	code, vout, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 ||
		!strings.Contains(vout, "planguard_approval.moved_delete: delete terraform_data.db (from terraform_data.old_db): valid (signed by alice@example.com, bob@example.com) (issued "+now+")") ||
		!strings.Contains(vout, "planguard_approval.plain_delete: delete terraform_data.db: valid (signed by alice@example.com, carol@example.com) (issued 2026-11-25T11:00:00Z)") {
		t.Fatalf("verify: %d %s %s", code, vout, errs)
	}
	if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, "--from", "terraform_data.old_db", out); code != 0 || strings.Contains(vout, "plain_delete") || !strings.Contains(vout, "moved_delete") {
		t.Fatalf("verify --from: %d %s", code, vout)
	}
	if code, _, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, "--issued-at", "none", out); code != exitError {
		t.Fatal("verify --issued-at none matched blocks that have issued_at")
	}
	// Editing the signed issued_at or from breaks every signature.
	for _, edit := range [][2]string{{`"2026-11-25T11:00:00Z"`, `"2026-11-25T10:00:00Z"`}, {`"terraform_data.old_db"`, `"terraform_data.older_db"`}} {
		src := readFile(t, out)
		os.WriteFile(out, []byte(strings.Replace(src, edit[0], edit[1], 1)), 0o600)
		if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out); code != exitBlock || !strings.Contains(vout, "bad_signature") {
			t.Errorf("verify after editing %s: %d %s", edit[0], code, vout)
		}
		os.WriteFile(out, []byte(src), 0o600)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func runCmd(name string, args ...string) ([]byte, error) {
	return exec.Command(name, args...).CombinedOutput()
}
