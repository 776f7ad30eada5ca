package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/attest"
	"github.com/planguard/terraform-provider-planguard/internal/check"
)

// pinDir copies the quickstart policy and trust file into a new directory
// and returns the policy's path.
func pinDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"planguard.hcl", "allowed_signers"} {
		b, err := os.ReadFile(filepath.Join("../examples/quickstart", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
	}
	return filepath.Join(dir, "planguard.hcl")
}

// TestPolicyHashCommand: planguard policy-hash prints the SHA-256 of the
// manifest --manifest prints, which the security guide's sha256sum recipe
// reproduces without planguard.
func TestPolicyHashCommand(t *testing.T) {
	pol := pinDir(t)
	code, out, errs := runCLI(t, "", nil, "policy-hash", "--policy", pol)
	hash := strings.TrimSpace(out)
	if code != 0 || !validPin(hash) || out != hash+"\n" {
		t.Fatalf("policy-hash: %d %q %s", code, out, errs)
	}
	code, manifest, _ := runCLI(t, "", nil, "policy-hash", "--policy", pol, "--manifest")
	lines := strings.Split(manifest, "\n")
	if code != 0 || len(lines) != 4 || lines[0] != "planguard policy-hash v1" || !strings.HasPrefix(lines[1], "policy ") || !strings.HasPrefix(lines[2], "allowed_signers ") || lines[3] != "" {
		t.Fatalf("manifest: %d %q", code, manifest)
	}
	if s := sha256.Sum256([]byte(manifest)); hex.EncodeToString(s[:]) != hash {
		t.Fatalf("hash %s is not the SHA-256 of the manifest", hash)
	}
	cmd := exec.Command("sh", "-c", `{ printf 'planguard policy-hash v1\n'
  printf 'policy %s\n' "$(sha256sum < planguard.hcl | cut -d' ' -f1)"
  printf 'allowed_signers %s\n' "$(sha256sum < allowed_signers | cut -d' ' -f1)"
} | sha256sum`)
	cmd.Dir = filepath.Dir(pol)
	sh, err := cmd.Output()
	if err != nil || strings.Fields(string(sh))[0] != hash {
		t.Fatalf("sha256sum recipe: %v %q, want %s", err, sh, hash)
	}
	// Errors: an argument, a missing policy, a trust file OpenSSH would refuse.
	if code, _, _ := runCLI(t, "", nil, "policy-hash", "--policy", pol, "extra"); code != exitError {
		t.Errorf("extra argument: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", nil, "policy-hash", "--policy", filepath.Join(t.TempDir(), "none.hcl")); code != exitError {
		t.Errorf("missing policy: exit %d", code)
	}
	signers := filepath.Join(filepath.Dir(pol), "allowed_signers")
	b, _ := os.ReadFile(signers)
	os.WriteFile(signers, []byte(strings.Replace(string(b), `namespaces="planguard-approval"`, `namespaces="planguard-approval",valid-before="20200101Z",valid-before="20991231Z"`, 1)), 0o600)
	if code, out, errs := runCLI(t, "", nil, "policy-hash", "--policy", pol); code != exitError || out != "" || !strings.Contains(errs, "allowed_signers:2: option valid-before appears more than once") {
		t.Errorf("repeated option: exit %d %q %s", code, out, errs)
	}
}

// TestPolicyPinCoversTrust: check (and apply) with the pin refuse any byte
// changed in the policy or its allowed_signers, a pin of the policy file
// alone (with a message saying so), and a pin that is not a SHA-256; the
// report, the audit log and the attestation record the policy hash.
func TestPolicyPinCoversTrust(t *testing.T) {
	pol := pinDir(t)
	dir := filepath.Dir(pol)
	_, out, _ := runCLI(t, "", nil, "policy-hash", "--policy", pol)
	pin := strings.TrimSpace(out)
	checkPin := func(p string) (int, string, string) {
		return runCLI(t, "", nil, "check", "--policy", pol, "--policy-sha256", p, "--now", "2026-11-25T12:00:00Z", qsPlan)
	}
	if code, _, errs := checkPin(pin); code != exitBlock {
		t.Fatalf("the right pin: exit %d %s", code, errs)
	}
	if code, _, errs := checkPin(strings.ToUpper(pin)); code != exitBlock {
		t.Fatalf("the right pin in upper case: exit %d %s", code, errs)
	}
	for _, f := range []string{"planguard.hcl", "allowed_signers"} {
		path := filepath.Join(dir, f)
		orig, _ := os.ReadFile(path)
		for name, mutated := range map[string][]byte{
			"one byte appended": append(append([]byte{}, orig...), '\n'),
			"one byte changed":  append(append([]byte{}, orig[:2]...), append([]byte{'X'}, orig[3:]...)...), // inside the first comment
		} {
			os.WriteFile(path, mutated, 0o600)
			code, out, errs := checkPin(pin)
			if code != exitError || out != "" || !strings.Contains(errs, "not the pinned "+pin) {
				t.Errorf("%s %s: exit %d %q %s", f, name, code, out, errs)
			}
		}
		os.WriteFile(path, orig, 0o600)
	}
	// allowed_signers replaced by another valid file (the attacker's key).
	signers := filepath.Join(dir, "allowed_signers")
	orig, _ := os.ReadFile(signers)
	os.WriteFile(signers, []byte("mallory@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"), 0o600)
	if code, _, errs := checkPin(pin); code != exitError || !strings.Contains(errs, "allowed_signers") {
		t.Errorf("replaced trust file: exit %d %s", code, errs)
	}
	os.WriteFile(signers, orig, 0o600)
	// The old construction: the SHA-256 of the policy file alone.
	alone, _ := fileSHA256(pol)
	if code, _, errs := checkPin(alone); code != exitError || !strings.Contains(errs, "the SHA-256 of "+pol+" alone") || !strings.Contains(errs, "planguard policy-hash") {
		t.Errorf("old pin: exit %d %s", code, errs)
	}
	for _, bad := range []string{"yes", pin[:63], pin + "0", strings.Repeat("g", 64)} {
		if code, _, errs := checkPin(bad); code != exitError || !strings.Contains(errs, "not a hex SHA-256") {
			t.Errorf("pin %q: exit %d %s", bad, code, errs)
		}
	}
	// apply refuses a wrong pin before terraform could run (no plan file is needed to tell).
	if code, _, errs := runCLI(t, "", nil, "apply", "--policy", pol, "--policy-sha256", strings.Repeat("0", 64), "../examples/quickstart/plan.json"); code != exitError {
		t.Errorf("apply with another pin: exit %d %s", code, errs)
	}

	// Records: JSON report, audit log, attestation.
	tmp := t.TempDir()
	log, att := filepath.Join(tmp, "audit.jsonl"), filepath.Join(tmp, "check.att")
	gate := sshKeygen(t, tmp, "gate")
	code, out, errs := runCLI(t, "", nil, "check", "--policy", pol, "--policy-sha256", pin, "--format", "json", "--audit-log", log, "--attest", att, "--attest-key", gate, qsPlan)
	var rep struct {
		PolicySHA256 string `json:"policy_sha256"`
	}
	if code != exitBlock || json.Unmarshal([]byte(out), &rep) != nil || rep.PolicySHA256 != pin {
		t.Fatalf("json report: %d %s %s", code, out, errs)
	}
	var rec check.Record
	if b, _ := os.ReadFile(log); json.Unmarshal(b, &rec) != nil || rec.PolicySHA256 != pin {
		t.Errorf("audit record: %+v", rec)
	}
	var env attest.Envelope
	b, _ := os.ReadFile(att)
	json.Unmarshal(b, &env)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	var st attest.Statement
	if json.Unmarshal(payload, &st) != nil || st.Predicate.PolicySHA256 != pin {
		t.Errorf("attestation predicate: %s", payload)
	}
}

// TestAttestationNeedsThePin: apply --attestation and verify-attestation
// refuse without --policy-sha256, with another policy hash, and with an
// unexpected --scope; an attestation made under a lenient policy (scope
// "preview", nothing protected) by the same gate key does not count.
func TestAttestationNeedsThePin(t *testing.T) {
	dir := t.TempDir()
	gate := sshKeygen(t, dir, "gate")
	pub, _ := os.ReadFile(gate + ".pub")
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte("planguard-gate namespaces=\"planguard-attestation\" "+string(pub)), 0o600)
	prod := pinDir(t)
	_, out, _ := runCLI(t, "", nil, "policy-hash", "--policy", prod)
	pin := strings.TrimSpace(out)
	lenient := filepath.Join(filepath.Dir(prod), "lenient.hcl")
	os.WriteFile(lenient, []byte("scope = \"preview\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"nothing\" {\n  addresses = [\"terraform_data.nothing\"]\n}\n"), 0o600)
	plan := filepath.Join(dir, "plan.json")
	src, _ := os.ReadFile(qsPlan)
	os.WriteFile(plan, src, 0o600)
	att := filepath.Join(dir, "lenient.att")
	now := "2026-11-25T12:00:00Z"
	// The quickstart plan deletes the protected database: the lenient policy allows it.
	if code, _, errs := runCLI(t, "", nil, "check", "--policy", lenient, "--now", now, "--attest", att, "--attest-key", gate, plan); code != exitAllow {
		t.Fatalf("lenient check: %d %s", code, errs)
	}
	for _, cmd := range []string{"verify-attestation", "apply"} {
		run := func(extra ...string) (int, string) {
			code, _, errs := runCLI(t, "", nil, append([]string{cmd, "--attestation", att, "--attestation-signers", signers, "--now", now}, append(extra, plan)...)...)
			return code, errs
		}
		if code, errs := run(); code != exitError || !strings.Contains(errs, "accepted only with --policy-sha256") {
			t.Errorf("%s without a pin: exit %d %s", cmd, code, errs)
		}
		// (apply needs a saved plan to get this far: e2e/pin_test.go runs it on real plans)
		if code, errs := run("--policy-sha256", pin); cmd == "verify-attestation" && (code != exitError || !strings.Contains(errs, "not the pinned "+pin)) {
			t.Errorf("%s with the prod pin: exit %d %s", cmd, code, errs)
		}
		if code, errs := run("--policy-sha256", "nope"); code != exitError || !strings.Contains(errs, "not a hex SHA-256") {
			t.Errorf("%s with a bad pin: exit %d %s", cmd, code, errs)
		}
	}
	// Its own pin passes the hash, but not the expected scope.
	_, out, _ = runCLI(t, "", nil, "policy-hash", "--policy", lenient)
	lenientPin := strings.TrimSpace(out)
	code, _, errs := runCLI(t, "", nil, "verify-attestation", "--attestation", att, "--attestation-signers", signers, "--now", now, "--policy-sha256", lenientPin, "--scope", "prod", plan)
	if code != exitError || !strings.Contains(errs, `checked in scope "preview", not the expected "prod"`) {
		t.Errorf("scope: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", nil, "verify-attestation", "--attestation", att, "--attestation-signers", signers, "--now", now, "--policy-sha256", lenientPin, "--scope", "preview", plan); code != exitAllow {
		t.Errorf("control, matching pin and scope: exit %d %s", code, errs)
	}
}

// TestAuthorFlag: --author is trimmed; given but empty (or blank, also in
// $PLANGUARD_AUTHOR) it is an error before anything is read; an author that
// allowed_signers does not name is a warning on stderr and in the report.
func TestAuthorFlag(t *testing.T) {
	check := func(envv map[string]string, args ...string) (int, string, string) {
		return runCLI(t, "", envv, append([]string{"check", "--policy", qsPolicy, "--format", "json"}, append(args, qsPlan)...)...)
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--author", ""}},
		{nil, []string{"--author", "  \t"}},
		{nil, []string{"--author="}},
		{map[string]string{"PLANGUARD_AUTHOR": "bob@example.com"}, []string{"--author", " "}},
		{map[string]string{"PLANGUARD_AUTHOR": "   "}, nil},
		{nil, []string{"--author", "bob@example.com", "--author", " "}},
	} {
		code, out, errs := check(tt.env, tt.args...)
		if code != exitError || !strings.HasPrefix(out, "{\n  \"version\": 1,\n  \"decision\": \"error\",\n  \"error\": ") || !strings.Contains(errs, "is empty") {
			t.Errorf("%v %q: exit %d %q %s", tt.env, tt.args, code, out, errs)
		}
	}
	for _, cmd := range [][]string{{"apply", "--policy", qsPolicy, "--author", " ", "../examples/quickstart/plan.json"}, {"verify", "--policy", qsPolicy, "--author", "", "."}} {
		if code, _, errs := runCLI(t, "", nil, cmd...); code != exitError || !strings.Contains(errs, "--author is empty") {
			t.Errorf("%v: exit %d %s", cmd, code, errs)
		}
	}
	var rep struct {
		Author   string   `json:"author"`
		Warnings []string `json:"warnings"`
	}
	// Absent: nobody excluded, no warning. Trimmed: the report names the trimmed author.
	for _, tt := range []struct {
		env    map[string]string
		args   []string
		author string
		warn   bool
	}{
		{nil, nil, "", false},
		{nil, []string{"--author", " bob@example.com\n"}, "bob@example.com", false},
		{map[string]string{"PLANGUARD_AUTHOR": " alice@example.com "}, nil, "alice@example.com", false},
		{nil, []string{"--author", "bob"}, "bob", true},
		{nil, []string{"--author", "agent@example.com"}, "agent@example.com", true},
	} {
		code, out, errs := check(tt.env, tt.args...)
		rep.Author, rep.Warnings = "", nil
		if code != exitBlock || json.Unmarshal([]byte(out), &rep) != nil || rep.Author != tt.author || (len(rep.Warnings) > 0) != tt.warn {
			t.Errorf("%v %q: exit %d author %q warnings %q\n%s", tt.env, tt.args, code, rep.Author, rep.Warnings, errs)
		}
		if got := strings.Contains(errs, "planguard: warning: author "); got != tt.warn {
			t.Errorf("%v %q: stderr %q", tt.env, tt.args, errs)
		}
	}
}

// TestAuthorRepeated: a plan of main can carry several merges not yet
// applied; --author repeats, every author reaches the gate (the report's
// author stays the first, authors lists them all), and each one
// allowed_signers does not name is warned about.
func TestAuthorRepeated(t *testing.T) {
	var rep struct {
		Author   string   `json:"author"`
		Authors  []string `json:"authors"`
		Warnings []string `json:"warnings"`
	}
	code, out, errs := runCLI(t, "", map[string]string{"PLANGUARD_AUTHOR": "carol@example.com"}, "check", "--policy", qsPolicy, "--format", "json",
		"--author", "bob@example.com", "--author", "dave", "--author", "BOB@example.com", "--author", "alice@example.com", qsPlan)
	if code != exitBlock || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if rep.Author != "bob@example.com" || strings.Join(rep.Authors, ",") != "bob@example.com,dave,alice@example.com" {
		t.Errorf("author %q authors %q, want bob@example.com and bob@example.com,dave,alice@example.com (--author replaces $PLANGUARD_AUTHOR; duplicates dropped)", rep.Author, rep.Authors)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `"dave"`) {
		t.Errorf("warnings %q, want one for dave", rep.Warnings)
	}
	// One author: no authors field (the report is as before).
	code, out, _ = runCLI(t, "", nil, "check", "--policy", qsPolicy, "--format", "json", "--author", "bob@example.com", qsPlan)
	if code != exitBlock || strings.Contains(out, `"authors"`) {
		t.Errorf("one author: exit %d, report has authors:\n%s", code, out)
	}
}
