package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// approveWorld is the quickstart plan and policy with a trust file of
// fresh keys: alice (trusted), mallory (in no line), gitonly (trusted for
// another namespace) and retired (trusted until 2020).
type approveWorld struct {
	dir, policy string
	keys        map[string]string
}

func newApproveWorld(t *testing.T) approveWorld {
	t.Helper()
	dir := t.TempDir()
	w := approveWorld{dir: dir, policy: filepath.Join(dir, "planguard.hcl"), keys: map[string]string{}}
	var trust strings.Builder
	for _, who := range []string{"alice", "bob", "mallory", "gitonly", "retired"} {
		w.keys[who] = sshKeygen(t, dir, who)
		pub, _ := os.ReadFile(w.keys[who] + ".pub")
		switch who {
		case "alice", "bob":
			trust.WriteString(who + `@example.com namespaces="planguard-approval" ` + string(pub))
		case "gitonly":
			trust.WriteString(who + `@example.com namespaces="git" ` + string(pub))
		case "retired":
			trust.WriteString(who + `@example.com namespaces="planguard-approval",valid-before="20200101Z" ` + string(pub))
		}
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(trust.String()), 0o600)
	pol, _ := os.ReadFile(qsPolicy)
	os.WriteFile(w.policy, pol, 0o600)
	return w
}

func (w approveWorld) approve(t *testing.T, who string, extra ...string) (int, string, string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "approvals.tf")
	args := append([]string{"approve", "--policy", w.policy, "--plan", qsPlan, "--reason", "CHG-1042", "--now", "2026-11-25T12:00:00Z",
		"--key", w.keys[who], "--principal", who + "@example.com", "--out", out}, extra...)
	code, stdout, stderr := runCLI(t, "", nil, args...)
	written, _ := os.ReadFile(out)
	return code, stdout, stderr, string(written)
}

// TestApproveRefusesADud: approve checks, against the policy, everything
// that would make the gate ignore the signature; each failure is exit 2
// with nothing written, and --force signs anyway with warnings.
func TestApproveRefusesADud(t *testing.T) {
	w := newApproveWorld(t)
	for _, c := range []struct {
		name, who string
		args      []string
		want      string
	}{
		{"untrusted key", "mallory", []string{"--target", "terraform_data.prod_db"}, `is not listed for principal "mallory@example.com"`},
		{"key of another principal", "mallory", []string{"--target", "terraform_data.prod_db", "--principal", "alice@example.com"}, `is not listed for principal "alice@example.com"`},
		{"namespace not allowed", "gitonly", []string{"--target", "terraform_data.prod_db"}, `does not allow namespace "planguard-approval"`},
		{"trust window over", "retired", []string{"--target", "terraform_data.prod_db"}, "expired at 2020-01-01T00:00:00Z"},
		{"longer than max_ttl", "alice", []string{"--target", "terraform_data.prod_db", "--expires", "4d"}, "longer than the max_ttl 72h0m0s of rule(s) databases"},
		{"max_ttl without issued_at", "alice", []string{"--target", "terraform_data.prod_db", "--issued-at", "none"}, "counts only approvals with issued_at"},
		{"require_identity without identity", "alice", []string{"--target", "terraform_data.prod_db_backup", "--no-identity"}, "rule(s) backups have require_identity"},
		{"unprotected target", "alice", []string{"--target", "terraform_data.cache"}, "no rule of the policy " + w.policy + " in this plan requires an approval to replace terraform_data.cache"},
		{"another scope", "alice", []string{"--target", "terraform_data.prod_db", "--scope", "staging"}, `scope "staging": the policy`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs, written := w.approve(t, c.who, c.args...)
			if code != exitError || !strings.Contains(errs, c.want) || written != "" {
				t.Fatalf("exit %d, wrote %q, stderr:\n%s\nwant exit 2, nothing written and %q", code, written, errs, c.want)
			}
			if !strings.Contains(errs, "--force signs anyway") {
				t.Errorf("no hint about --force:\n%s", errs)
			}
			code, _, errs, written = w.approve(t, c.who, append(c.args, "--force")...)
			if code != exitAllow || !strings.Contains(errs, "warning: ") || !strings.Contains(errs, "(signing anyway: --force)") || !strings.Contains(written, "planguard_approval") {
				t.Fatalf("--force: exit %d, wrote %q, stderr:\n%s", code, written, errs)
			}
		})
	}
	// A sound approval passes, with the preview on stderr (no terminal).
	code, _, errs, written := w.approve(t, "alice", "--target", "terraform_data.prod_db", "--expires", "72h")
	if code != exitAllow || written == "" {
		t.Fatalf("sound approval: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"about to sign as alice@example.com (key SHA256:",
		"change    delete terraform_data.prod_db (scope prod)",
		"expires   2026-11-28T12:00:00Z (in 72h0m0s)",
		"needs     1 approval(s) under rule(s) databases",
		"the plan also destroys: delete terraform_data.prod_db_backup, replace terraform_data.cache",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("preview lacks %q:\n%s", want, errs)
		}
	}
}

// TestApproveNeedsAPolicy: without a policy file approve refuses, unless
// --force (with --scope) says to sign unchecked.
func TestApproveNeedsAPolicy(t *testing.T) {
	w := newApproveWorld(t)
	args := []string{"approve", "--scope", "prod", "--target", "terraform_data.prod_db", "--action", "delete", "--reason", "r",
		"--key", w.keys["alice"], "--principal", "alice@example.com"}
	code, out, errs := runCLI(t, "", nil, args...)
	if code != exitError || out != "" || !strings.Contains(errs, "no policy at planguard.hcl") || !strings.Contains(errs, "--force") {
		t.Fatalf("without a policy: exit %d %q\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", nil, append(args, "--force")...)
	if code != exitAllow || !strings.Contains(out, "planguard_approval") || !strings.Contains(errs, "warning: no policy at planguard.hcl") {
		t.Fatalf("--force without a policy: exit %d %q\n%s", code, out, errs)
	}
	// A policy named but missing is an error even for sign.
	code, _, errs = runCLI(t, "", nil, "sign", "--policy", filepath.Join(w.dir, "nope.hcl"), "--file", "x.tf", "--name", "x", "--principal", "a", "--key", w.keys["alice"])
	if code != exitError || !strings.Contains(errs, "no policy at") {
		t.Fatalf("sign with a missing --policy: exit %d\n%s", code, errs)
	}
}

// terminalIn is a stdin that the test's isTerminal calls a terminal.
type terminalIn struct {
	io.Reader
	io.Writer
}

// TestApproveAsksOnATerminal: on a terminal approve asks [y/N]; only y
// signs; --yes does not ask.
func TestApproveAsksOnATerminal(t *testing.T) {
	w := newApproveWorld(t)
	for _, c := range []struct {
		answer string
		yes    bool
		code   int
		asked  bool
	}{
		{"y\n", false, exitAllow, true},
		{"yes\n", false, exitAllow, true},
		{"n\n", false, exitBlock, true},
		{"\n", false, exitBlock, true},
		{"", false, exitBlock, true},
		{"", true, exitAllow, false},
	} {
		out := filepath.Join(t.TempDir(), "approvals.tf")
		in := terminalIn{Reader: strings.NewReader(c.answer), Writer: io.Discard}
		var stdout, stderr bytes.Buffer
		e := &env{stdin: in, stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
			isTerminal: func(w io.Writer) bool { _, ok := w.(terminalIn); return ok }}
		args := []string{"approve", "--policy", w.policy, "--plan", qsPlan, "--target", "terraform_data.prod_db", "--reason", "r",
			"--key", w.keys["alice"], "--principal", "alice@example.com", "--out", out}
		if c.yes {
			args = append(args, "--yes")
		}
		code := run(e, args)
		_, err := os.Stat(out)
		if code != c.code || (err == nil) != (c.code == exitAllow) || strings.Contains(stderr.String(), "Sign? [y/N]") != c.asked {
			t.Errorf("answer %q yes=%v: exit %d, written %v\n%s", c.answer, c.yes, code, err == nil, stderr.String())
		}
	}
}

// TestSignRefusesADud: sign checks the co-signer's key against the policy
// as approve does.
func TestSignRefusesADud(t *testing.T) {
	w := newApproveWorld(t)
	out := filepath.Join(w.dir, "approvals.tf")
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", w.policy, "--plan", qsPlan, "--target", "terraform_data.prod_db_backup",
		"--reason", "r", "--key", w.keys["alice"], "--principal", "alice@example.com", "--out", out); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	before := readFile(t, out)
	sign := func(who string, extra ...string) (int, string) {
		args := append([]string{"sign", "--policy", w.policy, "--file", out, "--target", "terraform_data.prod_db_backup",
			"--principal", who + "@example.com", "--key", w.keys[who]}, extra...)
		code, _, errs := runCLI(t, "", nil, args...)
		return code, errs
	}
	if code, errs := sign("mallory"); code != exitError || !strings.Contains(errs, "is not listed") || readFile(t, out) != before {
		t.Fatalf("sign with an untrusted key: exit %d\n%s", code, errs)
	}
	if code, errs := sign("bob"); code != exitAllow || !strings.Contains(errs, "about to sign as bob@example.com") || !strings.Contains(errs, "needs     2 approval(s) under rule(s) backups") {
		t.Fatalf("sign by bob: exit %d\n%s", code, errs)
	}
}

// TestKeygenWarnsUnencrypted: keygen says its key is not encrypted and
// points to a FIDO key.
func TestKeygenWarnsUnencrypted(t *testing.T) {
	code, _, errs := runCLI(t, "", nil, "keygen", "--out", filepath.Join(t.TempDir(), "k"), "--principal", "alice@example.com")
	if code != 0 || !strings.Contains(errs, "warning: ") || !strings.Contains(errs, "is not encrypted") || !strings.Contains(errs, "ssh-keygen -t ed25519-sk") {
		t.Fatalf("keygen: exit %d\n%s", code, errs)
	}
}
