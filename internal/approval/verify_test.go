package approval

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

var testStatement = Statement{Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "CHG-1042: retire", ExpiresAt: "2026-12-01T00:00:00Z", Identity: "db-1"}

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func parseTrust(t *testing.T, text string) *trust.AllowedSigners {
	t.Helper()
	as, err := trust.ParseAllowedSigners([]byte(text), "allowed_signers", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func sshKeygenVerify(t *testing.T, dir, allowed, principal, sig string, payload []byte, wantOK bool, extra ...string) {
	t.Helper()
	if ok, out := sshtest.Verify(t, dir, allowed, principal, Namespace, sig, payload, extra...); ok != wantOK {
		t.Fatalf("ssh-keygen -Y verify: ok=%v, want %v\n%s", ok, wantOK, out)
	}
}

// TestSSHKeygenSignsPlanguardVerifies: what ssh-keygen -Y sign makes over the
// documented payload, planguard accepts.
func TestSSHKeygenSignsPlanguardVerifies(t *testing.T) {
	payload, err := testStatement.Payload()
	if err != nil {
		t.Fatal(err)
	}
	for _, kt := range sshtest.KeyTypes {
		t.Run(kt.Name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := sshtest.NewKey(t, dir, "alice", kt.Args...)
			sig := sshtest.SignFile(t, priv, Namespace, payload)
			signers := parseTrust(t, "alice@example.com "+pub+"\n")
			v, err := VerifySignature(testStatement, "alice@example.com", sig, signers, testNow)
			if err != nil {
				t.Fatalf("planguard refused ssh-keygen's signature: %v", err)
			}
			if v.Principal != "alice@example.com" || !strings.HasPrefix(v.Fingerprint, "SHA256:") {
				t.Fatalf("verified %+v", v)
			}
			// The same signature over any other statement must fail.
			other := testStatement
			other.Target = "terraform_data.other_db"
			if _, err := VerifySignature(other, "alice@example.com", sig, signers, testNow); err == nil {
				t.Fatal("signature verified over a different target")
			}
			// And under another principal's name it is untrusted.
			_, err = VerifySignature(testStatement, "bob@example.com", sig, signers, testNow)
			if se, ok := err.(*SignatureError); !ok || se.Kind != ProblemUntrusted {
				t.Fatalf("other principal: got %v, want untrusted", err)
			}
		})
	}
}

func TestFIDOKeys(t *testing.T) {
	payload, _ := testStatement.Payload()
	armored := func(k *sshtest.FIDOKey) string {
		t.Helper()
		sig, err := sshsig.Sign(k, payload, Namespace)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	for name, mk := range map[string]func(testing.TB, byte) *sshtest.FIDOKey{"sk-ed25519": sshtest.NewFIDOEd25519, "sk-ecdsa": sshtest.NewFIDOECDSA} {
		t.Run(name, func(t *testing.T) {
			k := mk(t, sshtest.FIDOUserPresent)
			line := k.Line("alice@example.com")
			sig := armored(k)
			signers := parseTrust(t, line)
			if _, err := VerifySignature(testStatement, "alice@example.com", sig, signers, testNow); err != nil {
				t.Fatalf("planguard refused a touched FIDO signature: %v", err)
			}
			// OpenSSH accepts the same bytes.
			sshKeygenVerify(t, t.TempDir(), line, "alice@example.com", sig, payload, true)

			// verify-required demands the user-verification flag.
			strict := parseTrust(t, "alice@example.com verify-required "+line[len("alice@example.com "):])
			if _, err := VerifySignature(testStatement, "alice@example.com", sig, strict, testNow); err == nil {
				t.Fatal("verify-required accepted a signature without user verification")
			}
			uv := *k
			uv.Flags = sshtest.FIDOUserPresent | sshtest.FIDOUserVerified
			if _, err := VerifySignature(testStatement, "alice@example.com", armored(&uv), strict, testNow); err != nil {
				t.Fatalf("verify-required refused a verified signature: %v", err)
			}

			// No touch: refused.
			untouched := *k
			untouched.Flags = 0
			if _, err := VerifySignature(testStatement, "alice@example.com", armored(&untouched), signers, testNow); err == nil {
				t.Fatal("accepted a FIDO signature without user presence")
			}
		})
	}
}

func TestTrustWindowAgreesWithSSHKeygen(t *testing.T) {
	payload, _ := testStatement.Payload()
	dir := t.TempDir()
	priv, pub := sshtest.NewKey(t, dir, "alice", "-t", "ed25519")
	sig := sshtest.SignFile(t, priv, Namespace, payload)
	cases := []struct {
		line string
		ok   bool
	}{
		{`alice@example.com ` + pub, true},
		{`*@example.com ` + pub, true},
		{`"alice@example.com,bob@example.com" ` + pub, true},
		{`bob@example.com,alice@example.com ` + pub, true},
		{`!alice@example.com,*@example.com ` + pub, false},
		{`Alice@example.com ` + pub, false},
		{`alice@example.co? ` + pub, true},
		{`alice@example.com namespaces="git,planguard-*" ` + pub, true},
		{`alice@example.com namespaces="git,file" ` + pub, false},
		{`alice@example.com valid-after="20261101Z" ` + pub, true},
		{`alice@example.com valid-after="20261126Z" ` + pub, false},
		{`alice@example.com valid-before="20261125120000Z" ` + pub, true},
		{`alice@example.com valid-before="20261125115959Z" ` + pub, false},
		{`alice@example.com valid-after="202611010000Z",valid-before="20261201Z" ` + pub, true},
	}
	for _, c := range cases {
		signers := parseTrust(t, c.line)
		_, err := VerifySignature(testStatement, "alice@example.com", sig, signers, testNow)
		if (err == nil) != c.ok {
			t.Errorf("%s: planguard ok=%v (%v), want %v", c.line, err == nil, err, c.ok)
		}
		sshKeygenVerify(t, dir, c.line, "alice@example.com", sig, payload, c.ok, "-Overify-time=20261125120000Z")
	}
}

// TestMalformedSignatureIsBadSignature: whatever sshsig refuses is a
// bad_signature, not untrusted.
func TestMalformedSignatureIsBadSignature(t *testing.T) {
	payload, _ := testStatement.Payload()
	_, pk, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(pk)
	good, err := sshsig.Sign(signer, payload, Namespace)
	if err != nil {
		t.Fatal(err)
	}
	signers := parseTrust(t, "a "+string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	if _, err := VerifySignature(testStatement, "a", good, signers, testNow); err != nil {
		t.Fatal(err)
	}
	wrongNS, _ := sshsig.Sign(signer, payload, "git")
	body := strings.Split(good, "\n")
	flipped := []byte(good)
	flipped[len("-----BEGIN SSH SIGNATURE-----")+40] ^= 0x01
	cases := map[string]string{
		"empty":           "",
		"no armor":        strings.Join(body[1:len(body)-2], ""),
		"truncated":       good[:len(good)/2],
		"no end":          strings.TrimSuffix(strings.TrimSpace(good), "-----END SSH SIGNATURE-----"),
		"bad base64":      "-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----",
		"not sshsig":      "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----",
		"bit flip":        string(flipped),
		"wrong namespace": wrongNS,
		"huge":            strings.Repeat("A", 64<<10+1),
	}
	for name, sig := range cases {
		_, err := VerifySignature(testStatement, "a", sig, signers, testNow)
		se, ok := err.(*SignatureError)
		if !ok || se.Kind != ProblemBadSignature {
			t.Errorf("%s: got %v, want bad_signature", name, err)
		}
	}
}

// TestInteropFromAndIssuedAt: over a payload with from and issued_at, what
// ssh-keygen -Y sign makes planguard accepts and what planguard signs
// ssh-keygen -Y verify accepts; and a signature over the statement with
// them never verifies for the statement without either (or with another
// value), nor the reverse.
func TestInteropFromAndIssuedAt(t *testing.T) {
	st := Statement{Scope: "prod", Target: "module.archive.terraform_data.prod_db", Action: ActionMove, Reason: "CHG-2001: archive",
		ExpiresAt: "2026-12-01T00:00:00Z", Identity: "db-1", From: "terraform_data.prod_db", IssuedAt: "2026-11-24T09:30:00Z"}
	payload, err := st.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(payload, []byte(`"from":"terraform_data.prod_db"`)) || !bytes.Contains(payload, []byte(`"issued_at":"2026-11-24T09:30:00Z"`)) {
		t.Fatalf("payload lacks from/issued_at: %s", payload)
	}
	variants := map[string]Statement{}
	for name, edit := range map[string]func(*Statement){
		"no issued_at":      func(s *Statement) { s.IssuedAt = "" },
		"other issued_at":   func(s *Statement) { s.IssuedAt = "2026-11-24T09:30:01Z" },
		"other from":        func(s *Statement) { s.From = "terraform_data.other_db" },
		"delete, from kept": func(s *Statement) { s.Action = ActionDelete },
		"delete, no from":   func(s *Statement) { s.Action, s.From = ActionDelete, "" },
	} {
		v := st
		edit(&v)
		variants[name] = v
	}
	for _, kt := range sshtest.KeyTypes {
		t.Run(kt.Name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := sshtest.NewKey(t, dir, "alice", kt.Args...)
			signers := parseTrust(t, "alice@example.com "+pub+"\n")
			// ssh-keygen signs, planguard verifies.
			sig := sshtest.SignFile(t, priv, Namespace, payload)
			if _, err := VerifySignature(st, "alice@example.com", sig, signers, testNow); err != nil {
				t.Fatalf("planguard refused ssh-keygen's signature over from/issued_at: %v", err)
			}
			for name, v := range variants {
				_, err := VerifySignature(v, "alice@example.com", sig, signers, testNow)
				if se, ok := err.(*SignatureError); !ok || se.Kind != ProblemBadSignature {
					t.Errorf("%s: ssh-keygen's signature over the full statement: got %v, want bad_signature", name, err)
				}
			}
			// planguard signs, ssh-keygen verifies.
			ours, err := sshsig.Sign(sshtest.Signer(t, priv), payload, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			sshKeygenVerify(t, dir, "alice@example.com "+pub, "alice@example.com", ours, payload, true)
			// ssh-keygen refuses it over the payload without issued_at.
			bare, _ := variants["no issued_at"].Payload()
			sshKeygenVerify(t, dir, "alice@example.com "+pub, "alice@example.com", ours, bare, false)
			// A signature over the statement without the new members does not
			// verify for the statement with them.
			bareSig, err := sshsig.Sign(sshtest.Signer(t, priv), bare, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifySignature(st, "alice@example.com", bareSig, signers, testNow); err == nil {
				t.Error("a signature over the payload without issued_at verified for the statement with it")
			}
		})
	}
}

// TestRevokedIsItsOwnProblem: a signature the revocation file revokes is
// ProblemRevoked, not untrusted, even though allowed_signers lists the key.
func TestRevokedIsItsOwnProblem(t *testing.T) {
	payload, _ := testStatement.Payload()
	priv, pub := sshtest.NewKey(t, t.TempDir(), "alice", "-t", "ed25519")
	sig := sshtest.SignFile(t, priv, Namespace, payload)
	for revoked, want := range map[string]string{"": "", pub + "\n": ProblemRevoked, "# nobody\n": ""} {
		signers, err := trust.ParseAllowedSigners([]byte("alice@example.com "+pub), "allowed_signers",
			trust.ParseOptions{RevokedKeysName: "revoked", RevokedKeys: []byte(revoked)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = VerifySignature(testStatement, "alice@example.com", sig, signers, testNow)
		var se *SignatureError
		switch {
		case want == "" && err != nil:
			t.Errorf("revoked %q: %v", revoked, err)
		case want != "" && (!errors.As(err, &se) || se.Kind != want):
			t.Errorf("revoked %q: %v, want %s", revoked, err, want)
		}
	}
}
