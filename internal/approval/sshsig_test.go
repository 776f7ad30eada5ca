package approval

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/binary"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

var testStatement = Statement{Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "CHG-1042: retire", ExpiresAt: "2026-12-01T00:00:00Z", Identity: "db-1"}

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// sshKeygen returns the path of ssh-keygen; the tests need the real one
// (OpenSSH is the reference implementation), so its absence is a failure.
func sshKeygen(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Fatalf("ssh-keygen not found: install openssh-client (.ci/run does): %v", err)
	}
	return p
}

func run(t *testing.T, stdin []byte, name string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// newKey makes a key with ssh-keygen and returns the private key path and public key line.
func newKey(t *testing.T, dir, name string, args ...string) (string, string) {
	t.Helper()
	priv := filepath.Join(dir, name)
	out, err := run(t, nil, sshKeygen(t), append([]string{"-q", "-N", "", "-C", name, "-f", priv}, args...)...)
	if err != nil {
		t.Fatalf("ssh-keygen %v: %v\n%s", args, err, out)
	}
	pub, err := os.ReadFile(priv + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return priv, strings.TrimSpace(string(pub))
}

var keyTypes = []struct {
	name string
	args []string
}{
	{"ed25519", []string{"-t", "ed25519"}},
	{"ecdsa256", []string{"-t", "ecdsa", "-b", "256"}},
	{"ecdsa384", []string{"-t", "ecdsa", "-b", "384"}},
	{"ecdsa521", []string{"-t", "ecdsa", "-b", "521"}},
	{"rsa", []string{"-t", "rsa", "-b", "3072"}},
}

// TestSSHKeygenSignsPlanguardVerifies: what ssh-keygen -Y sign makes over the
// documented payload, planguard accepts.
func TestSSHKeygenSignsPlanguardVerifies(t *testing.T) {
	payload, err := testStatement.Payload()
	if err != nil {
		t.Fatal(err)
	}
	for _, kt := range keyTypes {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := newKey(t, dir, "alice", kt.args...)
			sig, err := run(t, payload, sshKeygen(t), "-q", "-Y", "sign", "-n", Namespace, "-f", priv)
			if err != nil {
				t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, sig)
			}
			trust, err := ParseAllowedSigners([]byte("alice@example.com "+pub+"\n"), "allowed_signers", ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			v, err := VerifySignature(testStatement, "alice@example.com", string(sig), trust, testNow)
			if err != nil {
				t.Fatalf("planguard refused ssh-keygen's signature: %v", err)
			}
			if v.Principal != "alice@example.com" || !strings.HasPrefix(v.Fingerprint, "SHA256:") {
				t.Fatalf("verified %+v", v)
			}
			// The same signature over any other statement must fail.
			other := testStatement
			other.Target = "terraform_data.other_db"
			if _, err := VerifySignature(other, "alice@example.com", string(sig), trust, testNow); err == nil {
				t.Fatal("signature verified over a different target")
			}
			// And under another principal's name it is untrusted.
			_, err = VerifySignature(testStatement, "bob@example.com", string(sig), trust, testNow)
			if se, ok := err.(*SignatureError); !ok || se.Kind != ProblemUntrusted {
				t.Fatalf("other principal: got %v, want untrusted", err)
			}
		})
	}
}

// TestPlanguardSignsSSHKeygenVerifies: what planguard signs, ssh-keygen -Y verify accepts.
func TestPlanguardSignsSSHKeygenVerifies(t *testing.T) {
	payload, err := testStatement.Payload()
	if err != nil {
		t.Fatal(err)
	}
	for _, kt := range keyTypes {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := newKey(t, dir, "alice", kt.args...)
			pem, err := os.ReadFile(priv)
			if err != nil {
				t.Fatal(err)
			}
			signer, err := ssh.ParsePrivateKey(pem)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := Sign(signer, payload, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			sshKeygenVerify(t, dir, "alice@example.com "+pub, "alice@example.com", sig, payload, true)
		})
	}
}

func sshKeygenVerify(t *testing.T, dir, allowed, principal, sig string, payload []byte, wantOK bool, extra ...string) {
	t.Helper()
	as := filepath.Join(dir, "allowed_signers")
	sf := filepath.Join(dir, "sig")
	if err := os.WriteFile(as, []byte(allowed+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sf, []byte(sig), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-Y", "verify", "-f", as, "-I", principal, "-n", Namespace, "-s", sf}, extra...)
	out, err := run(t, payload, sshKeygen(t), args...)
	if (err == nil) != wantOK {
		t.Fatalf("ssh-keygen -Y verify: ok=%v, want %v\n%s", err == nil, wantOK, out)
	}
}

// skKey is a software stand-in for a FIDO authenticator: it signs exactly
// as a security key does, so sk- formats are tested without hardware.
type skKey struct {
	pub   ssh.PublicKey
	app   string
	flags byte
	sign  func(digest []byte) []byte
}

func newSKEd25519(t *testing.T, flags byte) *skKey {
	pk, sk, _ := ed25519.GenerateKey(rand.Reader)
	blob := ssh.Marshal(struct {
		Name, Key, App string
	}{ssh.KeyAlgoSKED25519, string(pk), "ssh:"})
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return &skKey{pub: pub, app: "ssh:", flags: flags, sign: func(d []byte) []byte { return ed25519.Sign(sk, d) }}
}

func newSKECDSA(t *testing.T, flags byte) *skKey {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	point := elliptic.Marshal(elliptic.P256(), k.X, k.Y) //nolint:staticcheck // the SSH wire format is the uncompressed point
	blob := ssh.Marshal(struct {
		Name, Curve, Key, App string
	}{ssh.KeyAlgoSKECDSA256, "nistp256", string(point), "ssh:"})
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return &skKey{pub: pub, app: "ssh:", flags: flags, sign: func(d []byte) []byte {
		h := sha256.Sum256(d)
		der, err := ecdsa.SignASN1(rand.Reader, k, h[:])
		if err != nil {
			t.Fatal(err)
		}
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &rs); err != nil {
			t.Fatal(err)
		}
		return ssh.Marshal(rs)
	}}
}

func (k *skKey) PublicKey() ssh.PublicKey { return k.pub }

func (k *skKey) Sign(_ interface{ Read([]byte) (int, error) }, data []byte) (*ssh.Signature, error) {
	app := sha256.Sum256([]byte(k.app))
	msg := sha256.Sum256(data)
	rest := make([]byte, 5)
	rest[0] = k.flags
	binary.BigEndian.PutUint32(rest[1:], 7)
	signed := append(append(append(app[:0:0], app[:]...), rest...), msg[:]...)
	return &ssh.Signature{Format: k.pub.Type(), Blob: k.sign(signed), Rest: rest}, nil
}

func (k *skKey) armored(t *testing.T, payload []byte) string {
	data, err := toSign(Namespace, "sha512", payload)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := k.Sign(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	return (&Signature{PublicKey: k.pub, Namespace: Namespace, HashAlgorithm: "sha512", Signature: sig}).Marshal()
}

func TestFIDOKeys(t *testing.T) {
	payload, _ := testStatement.Payload()
	for name, mk := range map[string]func(*testing.T, byte) *skKey{"sk-ed25519": newSKEd25519, "sk-ecdsa": newSKECDSA} {
		t.Run(name, func(t *testing.T) {
			k := mk(t, skUserPresent)
			line := "alice@example.com " + string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(k.pub)))
			sig := k.armored(t, payload)
			trust, err := ParseAllowedSigners([]byte(line), "allowed_signers", ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifySignature(testStatement, "alice@example.com", sig, trust, testNow); err != nil {
				t.Fatalf("planguard refused a touched FIDO signature: %v", err)
			}
			// OpenSSH accepts the same bytes.
			sshKeygenVerify(t, t.TempDir(), line, "alice@example.com", sig, payload, true)

			// verify-required demands the user-verification flag.
			strict, err := ParseAllowedSigners([]byte("alice@example.com verify-required "+line[len("alice@example.com "):]), "allowed_signers", ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifySignature(testStatement, "alice@example.com", sig, strict, testNow); err == nil {
				t.Fatal("verify-required accepted a signature without user verification")
			}
			uv := *k
			uv.flags = skUserPresent | skUserVerified
			if _, err := VerifySignature(testStatement, "alice@example.com", uv.armored(t, payload), strict, testNow); err != nil {
				t.Fatalf("verify-required refused a verified signature: %v", err)
			}

			// No touch: refused.
			untouched := *k
			untouched.flags = 0
			if _, err := VerifySignature(testStatement, "alice@example.com", untouched.armored(t, payload), trust, testNow); err == nil {
				t.Fatal("accepted a FIDO signature without user presence")
			}
		})
	}
}

func TestTrustWindowAgreesWithSSHKeygen(t *testing.T) {
	payload, _ := testStatement.Payload()
	dir := t.TempDir()
	priv, pub := newKey(t, dir, "alice", "-t", "ed25519")
	sig, err := run(t, payload, sshKeygen(t), "-q", "-Y", "sign", "-n", Namespace, "-f", priv)
	if err != nil {
		t.Fatal(err)
	}
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
		trust, err := ParseAllowedSigners([]byte(c.line), "allowed_signers", ParseOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.line, err)
		}
		_, err = VerifySignature(testStatement, "alice@example.com", string(sig), trust, testNow)
		if (err == nil) != c.ok {
			t.Errorf("%s: planguard ok=%v (%v), want %v", c.line, err == nil, err, c.ok)
		}
		sshKeygenVerify(t, dir, c.line, "alice@example.com", string(sig), payload, c.ok, "-Overify-time=20261125120000Z")
	}
}

func TestAllowedSignersErrors(t *testing.T) {
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	cases := map[string]string{
		"empty":          "",
		"only comments":  "# nobody\n\n",
		"no key":         "alice@example.com",
		"bad key":        "alice@example.com ssh-ed25519 AAAA!!!",
		"cert-authority": "alice@example.com cert-authority " + pub,
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

func TestParseSignatureRefusesMalformed(t *testing.T) {
	payload, _ := testStatement.Payload()
	_, pk, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(pk)
	good, err := Sign(signer, payload, Namespace)
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := ParseAllowedSigners([]byte("a "+string(ssh.MarshalAuthorizedKey(signer.PublicKey()))), "as", ParseOptions{})
	if _, err := VerifySignature(testStatement, "a", good, trust, testNow); err != nil {
		t.Fatal(err)
	}
	wrongNS, _ := Sign(signer, payload, "git")
	body := strings.Split(good, "\n")
	flipped := []byte(good)
	flipped[len(armorBegin)+40] ^= 0x01
	cases := map[string]string{
		"empty":           "",
		"no armor":        strings.Join(body[1:len(body)-2], ""),
		"truncated":       good[:len(good)/2],
		"no end":          strings.TrimSuffix(strings.TrimSpace(good), armorEnd),
		"bad base64":      armorBegin + "\n!!!!\n" + armorEnd,
		"not sshsig":      armorBegin + "\nAAAA\n" + armorEnd,
		"bit flip":        string(flipped),
		"wrong namespace": wrongNS,
		"huge":            strings.Repeat("A", maxArmoredLen+1),
	}
	for name, sig := range cases {
		_, err := VerifySignature(testStatement, "a", sig, trust, testNow)
		se, ok := err.(*SignatureError)
		if !ok || se.Kind != ProblemBadSignature {
			t.Errorf("%s: got %v, want bad_signature", name, err)
		}
	}
}

func TestRSASHA1Refused(t *testing.T) {
	payload, _ := testStatement.Payload()
	dir := t.TempDir()
	priv, _ := newKey(t, dir, "r", "-t", "rsa", "-b", "2048")
	pem, _ := os.ReadFile(priv)
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := toSign(Namespace, "sha512", payload)
	sig, err := signer.(ssh.AlgorithmSigner).SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSA)
	if err != nil {
		t.Fatal(err)
	}
	armored := (&Signature{PublicKey: signer.PublicKey(), Namespace: Namespace, HashAlgorithm: "sha512", Signature: sig}).Marshal()
	if _, err := ParseSignature(armored); err == nil || !strings.Contains(err.Error(), "rsa-sha2") {
		t.Fatalf("ssh-rsa (SHA-1) signature: got %v", err)
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
	for _, kt := range keyTypes {
		t.Run(kt.name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := newKey(t, dir, "alice", kt.args...)
			trust, err := ParseAllowedSigners([]byte("alice@example.com "+pub+"\n"), "allowed_signers", ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			// ssh-keygen signs, planguard verifies.
			sig, err := run(t, payload, sshKeygen(t), "-q", "-Y", "sign", "-n", Namespace, "-f", priv)
			if err != nil {
				t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, sig)
			}
			if _, err := VerifySignature(st, "alice@example.com", string(sig), trust, testNow); err != nil {
				t.Fatalf("planguard refused ssh-keygen's signature over from/issued_at: %v", err)
			}
			for name, v := range variants {
				_, err := VerifySignature(v, "alice@example.com", string(sig), trust, testNow)
				if se, ok := err.(*SignatureError); !ok || se.Kind != ProblemBadSignature {
					t.Errorf("%s: ssh-keygen's signature over the full statement: got %v, want bad_signature", name, err)
				}
			}
			// planguard signs, ssh-keygen verifies.
			pem, err := os.ReadFile(priv)
			if err != nil {
				t.Fatal(err)
			}
			signer, err := ssh.ParsePrivateKey(pem)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := Sign(signer, payload, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			sshKeygenVerify(t, dir, "alice@example.com "+pub, "alice@example.com", ours, payload, true)
			// ssh-keygen refuses it over the payload without issued_at.
			bare, _ := variants["no issued_at"].Payload()
			sshKeygenVerify(t, dir, "alice@example.com "+pub, "alice@example.com", ours, bare, false)
			// A signature over the statement without the new members does not
			// verify for the statement with them.
			bareSig, err := Sign(signer, bare, Namespace)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifySignature(st, "alice@example.com", bareSig, trust, testNow); err == nil {
				t.Error("a signature over the payload without issued_at verified for the statement with it")
			}
		})
	}
}

// TestRepeatedOptionRefusedLikeSSHKeygen: a line that repeats an option is
// refused, naming the file and the line, and ssh-keygen -Y verify refuses
// the same line ("multiple ... clauses"). With the last value winning, an
// appended valid-before would undo an earlier one that revoked the key.
func TestRepeatedOptionRefusedLikeSSHKeygen(t *testing.T) {
	payload, _ := testStatement.Payload()
	dir := t.TempDir()
	priv, pub := newKey(t, dir, "alice", "-t", "ed25519")
	sig, err := run(t, payload, sshKeygen(t), "-q", "-Y", "sign", "-n", Namespace, "-f", priv)
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
		sshKeygenVerify(t, dir, line, "alice@example.com", string(sig), payload, false, "-Overify-time=20261125120000Z")
	}
	// Control: each option once is accepted by both.
	line := `alice@example.com namespaces="planguard-approval",valid-after="20200101Z",valid-before="20301231Z" ` + pub
	trust, err := ParseAllowedSigners([]byte(line), "allowed_signers", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifySignature(testStatement, "alice@example.com", string(sig), trust, testNow); err != nil {
		t.Fatal(err)
	}
	sshKeygenVerify(t, dir, line, "alice@example.com", string(sig), payload, true, "-Overify-time=20261125120000Z")
}
