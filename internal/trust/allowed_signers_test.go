package trust

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
)

const testNamespace = "planguard-approval"

var testMessage = []byte(`{"action":"delete","expires_at":"2026-12-01T00:00:00Z","identity":"db-1","reason":"CHG-1042: retire","scope":"prod","target":"terraform_data.prod_db","type":"planguard.approval/v1"}`)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestAllowedSignersErrors(t *testing.T) {
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	cases := map[string]string{
		"empty":          "",
		"only comments":  "# nobody\n\n",
		"no key":         "alice@example.com",
		"bad key":        "alice@example.com ssh-ed25519 AAAA!!!",
		"unknown option": "alice@example.com no-pty " + pub,
		"bad time":       `alice@example.com valid-after="2026-11-01" ` + pub,
		"bad time len":   `alice@example.com valid-after="202611" ` + pub,
		"window":         `alice@example.com valid-after="20261201Z",valid-before="20261101Z" ` + pub,
		"empty pattern":  "alice@example.com,,bob " + pub,
		"unterminated":   `"alice@example.com ` + pub,
		"empty ns":       `alice@example.com namespaces="" ` + pub,
		"one bad line":   "alice@example.com " + pub + "\nbob@example.com ssh-ed25519\n",
	}
	for name, in := range cases {
		if as, err := ParseAllowedSigners([]byte(in), "allowed_signers", ParseOptions{}); err == nil {
			t.Errorf("%s: accepted: %+v", name, as)
		} else if !strings.Contains(err.Error(), "allowed_signers") {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
	as, err := ParseAllowedSigners([]byte("# team\n\nalice@example.com "+pub+" alice's laptop\r\n"), "f", ParseOptions{})
	if err != nil || len(as.Entries) != 1 || as.Entries[0].Line != 3 {
		t.Fatalf("got %+v, %v", as, err)
	}
}

func TestMatchPattern(t *testing.T) {
	cases := []struct {
		s, p string
		ok   bool
	}{
		{"alice@example.com", "alice@example.com", true},
		{"alice@example.com", "*", true},
		{"alice@example.com", "*@example.com", true},
		{"alice@example.com", "a?ice@*", true},
		{"alice@example.com", "*@example.org", false},
		{"alice@example.com", "alice@example.co", false},
		{"", "*", true},
		{"", "?", false},
		{"aaa", "a*a*a", true},
		{"aa", "a*a*a", false},
	}
	for _, c := range cases {
		if got := matchPattern(c.s, c.p); got != c.ok {
			t.Errorf("matchPattern(%q, %q) = %v", c.s, c.p, got)
		}
	}
	if fmt.Sprint(matchPatternList("x@y", "!x@*,*")) != "-1" {
		t.Error("negation did not win")
	}
}

// TestRepeatedOptionRefusedLikeSSHKeygen: a line that repeats an option is
// refused, naming the file and the line, and ssh-keygen -Y verify refuses
// the same line ("multiple ... clauses"). With the last value winning, an
// appended valid-before would undo an earlier one that revoked the key.
func TestRepeatedOptionRefusedLikeSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	priv, pub := sshtest.NewKey(t, dir, "alice", "-t", "ed25519")
	sig := sshtest.SignFile(t, priv, testNamespace, testMessage)
	parsed, err := sshsig.Parse(sig)
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{
		`valid-before="20261101Z",valid-before="20301231Z"`,
		`valid-before="20301231Z",VALID-BEFORE="20261101Z"`,
		`valid-after="20200101Z",valid-after="20210101Z"`,
		`namespaces="file",namespaces="planguard-approval"`,
		`namespaces="planguard-approval",valid-after="20200101Z",Namespaces="planguard-approval"`,
	} {
		line := "alice@example.com " + opts + " " + pub
		_, err := ParseAllowedSigners([]byte("# team\n\n"+line+"\n"), "trust/allowed_signers", ParseOptions{})
		if err == nil || !strings.Contains(err.Error(), "trust/allowed_signers:3:") || !strings.Contains(err.Error(), "more than once") {
			t.Errorf("%s: got %v, want an error naming trust/allowed_signers:3 and the repeated option", opts, err)
		}
		if ok, out := sshtest.Verify(t, dir, line, "alice@example.com", testNamespace, sig, testMessage, "-Overify-time=20261125120000Z"); ok {
			t.Errorf("%s: ssh-keygen -Y verify accepted it:\n%s", opts, out)
		}
	}
	// Control: each option once is accepted by both.
	line := `alice@example.com namespaces="planguard-approval",valid-after="20200101Z",valid-before="20301231Z" ` + pub
	trust, err := ParseAllowedSigners([]byte(line), "allowed_signers", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trust.Authorize("alice@example.com", parsed, testNamespace, testNow); err != nil {
		t.Fatal(err)
	}
	if ok, out := sshtest.Verify(t, dir, line, "alice@example.com", testNamespace, sig, testMessage, "-Overify-time=20261125120000Z"); !ok {
		t.Errorf("ssh-keygen -Y verify refused it:\n%s", out)
	}
}

// TestKeysOfSkipsCertificateAuthorities: a CA key signs certificates, not
// approvals, so it is not one of the author's keys; a plain key is.
func TestKeysOfSkipsCertificateAuthorities(t *testing.T) {
	_, ca := sshtest.NewKey(t, t.TempDir(), "ca", "-t", "ed25519")
	_, user := sshtest.NewKey(t, t.TempDir(), "user", "-t", "ed25519")
	as, err := ParseAllowedSigners([]byte("*@example.com cert-authority "+ca+"\nalice@example.com "+user+"\n"), "allowed_signers", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !as.Entries[0].CertAuthority || as.Entries[1].CertAuthority {
		t.Fatalf("entries %+v", as.Entries)
	}
	keys := as.KeysOf("Alice@Example.com")
	if len(keys) != 1 || !keys[fingerprint(t, user)] {
		t.Fatalf("KeysOf = %v, want only the user key", keys)
	}
}

func fingerprint(t *testing.T, line string) string {
	t.Helper()
	k, err := parseKey(line)
	if err != nil {
		t.Fatal(err)
	}
	return ssh.FingerprintSHA256(k)
}
