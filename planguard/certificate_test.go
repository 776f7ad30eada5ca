package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/tfconfig"
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

// TestApproveWithCertificate: approve and sign --key KEY-cert.pub sign with
// the certificate and the private key beside it, or the key ssh-agent holds;
// the preflight accepts the certificate for its principal only; an
// expires_at after the certificate's valid_before is refused unless
// --force; ssh-keygen -Y verify accepts the signatures.
func TestApproveWithCertificate(t *testing.T) {
	dir := t.TempDir()
	ca, bob, carol := sshKeygen(t, dir, "ca"), sshKeygen(t, dir, "bob"), sshKeygen(t, dir, "carol")
	for _, c := range []struct{ key, id, serial, principal string }{{bob, "bob-laptop", "43", "bob@example.com"}, {carol, "carol-laptop", "44", "carol@example.com"}} {
		if o, err := runCmd("ssh-keygen", "-q", "-s", ca, "-I", c.id, "-z", c.serial, "-n", c.principal, "-V", "20261101Z:20270101Z", c.key+".pub"); err != nil {
			t.Fatalf("ssh-keygen -s: %v %s", err, o)
		}
	}
	caPub, _ := os.ReadFile(ca + ".pub")
	signers := filepath.Join(dir, "allowed_signers")
	os.WriteFile(signers, []byte(`*@example.com cert-authority,namespaces="planguard-approval" `+string(caPub)), 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"all\" {\n  types = [\"terraform_data\"]\n}\n"), 0o600)
	now := "2026-11-25T12:00:00Z"
	approve := func(out, key, principal, expires string, extra ...string) (int, string, string) {
		args := append([]string{"approve", "--policy", policyPath, "--plan=", "--target", "terraform_data.db", "--action", "delete",
			"--reason", "r", "--now", now, "--expires", expires, "--key", key, "--principal", principal, "--out", out, "--name", "db"}, extra...)
		return runCLI(t, "", nil, args...)
	}
	out := filepath.Join(dir, "approvals.tf")

	// The certificate names bob, not alice: the preflight refuses.
	if code, _, errs := approve(out, bob+"-cert.pub", "alice@example.com", "72h"); code != exitError || !strings.Contains(errs, `certificate "bob-laptop" (serial 43)`) {
		t.Fatalf("certificate used for a principal it does not name: %d %s", code, errs)
	}
	// Outliving the certificate: refused, and why.
	code, _, errs := approve(out, bob+"-cert.pub", "bob@example.com", "2027-02-01T00:00:00Z")
	if code != exitError || !strings.Contains(errs, "valid only until 2027-01-01T00:00:00Z") || !strings.Contains(errs, "no trusted time") {
		t.Fatalf("expires_at after the certificate: %d %s", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a refused approve wrote the file")
	}
	// With --force it signs, and says so.
	forced := filepath.Join(dir, "forced.tf")
	if code, _, errs := approve(forced, bob+"-cert.pub", "bob@example.com", "2027-02-01T00:00:00Z", "--force"); code != 0 || !strings.Contains(errs, "warning: certificate") {
		t.Fatalf("--force: %d %s", code, errs)
	}
	// A host certificate is not an approver's.
	host := sshKeygen(t, dir, "host")
	if o, err := runCmd("ssh-keygen", "-q", "-s", ca, "-h", "-I", "db-host", "-n", "bob@example.com", host+".pub"); err != nil {
		t.Fatalf("ssh-keygen -s -h: %v %s", err, o)
	}
	if code, _, errs := approve(out, host+"-cert.pub", "bob@example.com", "72h", "--force"); code != exitError || !strings.Contains(errs, "host certificate") {
		t.Fatalf("host certificate: %d %s", code, errs)
	}
	// Within its validity: signed with bob's certificate and the key beside it.
	if code, _, errs := approve(out, bob+"-cert.pub", "bob@example.com", "72h"); code != 0 {
		t.Fatalf("approve --key KEY-cert.pub: %s", errs)
	}
	// carol co-signs through ssh-agent (her private key is not beside her
	// certificate: the agent holds it).
	sock := startAgent(t, dir)
	if o, err := exec.Command("ssh-add", carol).CombinedOutput(); err != nil {
		t.Skipf("ssh-add: %v %s", err, o)
	}
	carolCert := filepath.Join(dir, "elsewhere", "carol-cert.pub")
	os.MkdirAll(filepath.Dir(carolCert), 0o700)
	b, _ := os.ReadFile(carol + "-cert.pub")
	os.WriteFile(carolCert, b, 0o600)
	if code, _, errs := runCLI(t, "", map[string]string{"SSH_AUTH_SOCK": sock}, "sign", "--policy", policyPath, "--file", out, "--name", "db",
		"--now", now, "--key", carolCert, "--principal", "carol@example.com"); code != 0 {
		t.Fatalf("sign --key KEY-cert.pub through ssh-agent: %s", errs)
	}
	code, vout, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 || !strings.Contains(vout, "signed by bob@example.com, carol@example.com") {
		t.Fatalf("verify: %d %s %s", code, vout, errs)
	}
	// ssh-keygen -Y verify accepts both certificate signatures.
	blocks, err := tfconfig.Load([]string{out})
	if err != nil || len(blocks) != 1 {
		t.Fatalf("load %s: %v", out, err)
	}
	payload, err := blocks[0].Approval.Payload()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range blocks[0].Approval.Signatures {
		if !strings.Contains(s.Signature, "BEGIN SSH SIGNATURE") {
			t.Fatalf("not an armored signature: %q", s.Signature)
		}
		sigFile := filepath.Join(dir, s.Principal+".sig")
		os.WriteFile(sigFile, []byte(s.Signature), 0o600)
		cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", signers, "-I", s.Principal, "-n", "planguard-approval", "-s", sigFile, "-Overify-time=20261125120000Z")
		cmd.Stdin = strings.NewReader(string(payload))
		if o, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -Y verify of %s's signature: %v %s", s.Principal, err, o)
		}
	}
}

// startAgent starts an ssh-agent for the test and returns its socket.
func startAgent(t *testing.T, dir string) string {
	t.Helper()
	sock := filepath.Join(dir, "agent.sock")
	cmd := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := cmd.Start(); err != nil {
		t.Skipf("ssh-agent: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for range 100 {
		if _, err := os.Stat(sock); err == nil {
			t.Setenv("SSH_AUTH_SOCK", sock)
			return sock
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("ssh-agent did not create its socket")
	return ""
}
