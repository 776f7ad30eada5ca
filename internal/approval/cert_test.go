package approval

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// certify makes a user key name in dir, certifies it with ssh-keygen -s ca
// and the extra arguments, and returns the signature ssh-keygen -Y sign
// makes over payload with the certificate.
func certify(t *testing.T, dir, name, ca string, payload []byte, keyArgs []string, args ...string) string {
	t.Helper()
	priv, _ := sshtest.NewKey(t, dir, name, keyArgs...)
	a := append([]string{"-q", "-s", ca}, args...)
	if out, err := sshtest.Run(t, nil, sshtest.Keygen(t), append(a, priv+".pub")...); err != nil {
		t.Fatalf("ssh-keygen -s %v: %v\n%s", args, err, out)
	}
	return sshtest.SignFile(t, priv+"-cert.pub", Namespace, payload)
}

// verdict is planguard's: the trust file parses and VerifySignature accepts.
func verdict(allowed, principal, sig string) (Verified, error) {
	signers, err := trust.ParseAllowedSigners([]byte(allowed+"\n"), "allowed_signers", trust.ParseOptions{})
	if err != nil {
		return Verified{}, err
	}
	return VerifySignature(testStatement, principal, sig, signers, testNow)
}

// TestCertificatesAgreeWithSSHKeygen: signatures made with OpenSSH user
// certificates (ssh-keygen -s with ed25519, ecdsa and rsa CAs) count
// through cert-authority lines exactly when ssh-keygen -Y verify accepts
// them, except where planguard is deliberately stricter (critical options,
// a SHA-1 CA signature), which the signing guide lists.
func TestCertificatesAgreeWithSSHKeygen(t *testing.T) {
	payload, err := testStatement.Payload()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const alice = "alice@example.com"
	cas := map[string]string{} // name: private key path
	caLine := map[string]string{}
	for _, kt := range []struct{ name, typ, bits string }{{"ed25519", "ed25519", "256"}, {"ecdsa", "ecdsa", "384"}, {"rsa", "rsa", "2048"}} {
		priv, pub := sshtest.NewKey(t, dir, "ca-"+kt.name, "-t", kt.typ, "-b", kt.bits)
		cas[kt.name], caLine[kt.name] = priv, pub
	}
	ed := []string{"-t", "ed25519"}
	window := []string{"-V", "20261101Z:20261201Z"}
	n := 0
	cert := func(ca string, keyArgs []string, args ...string) string {
		n++
		return certify(t, dir, "user"+strings.Repeat("x", n), cas[ca], payload, keyArgs, append([]string{"-I", "alice-laptop", "-z", "42"}, args...)...)
	}
	userPriv, userPub := sshtest.NewKey(t, dir, "plain", "-t", "ed25519")
	plainSig := sshtest.SignFile(t, userPriv, Namespace, payload)
	if out, err := sshtest.Run(t, nil, sshtest.Keygen(t), "-q", "-s", cas["ed25519"], "-I", "plain", "-n", alice, userPriv+".pub"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	plainCertSig := sshtest.SignFile(t, userPriv+"-cert.pub", Namespace, payload)

	good := cert("ed25519", ed, append(window, "-n", alice)...)
	caAlice := alice + " cert-authority " + caLine["ed25519"]
	cases := []struct {
		name, allowed, principal, sig string
		openssh                       bool // ssh-keygen -Y verify's verdict
		stricter                      bool // planguard refuses what OpenSSH accepts (documented)
	}{
		{"ed25519 CA", caAlice, alice, good, true, false},
		{"ecdsa CA", alice + " cert-authority " + caLine["ecdsa"], alice, cert("ecdsa", ed, append(window, "-n", alice)...), true, false},
		{"rsa CA", alice + " cert-authority " + caLine["rsa"], alice, cert("rsa", ed, append(window, "-n", alice)...), true, false},
		{"rsa CA, rsa-sha2-256", alice + " cert-authority " + caLine["rsa"], alice, cert("rsa", ed, append(window, "-n", alice, "-t", "rsa-sha2-256")...), true, false},
		{"rsa CA, SHA-1", alice + " cert-authority " + caLine["rsa"], alice, cert("rsa", ed, append(window, "-n", alice, "-t", "ssh-rsa")...), true, true},
		{"ecdsa user key", caAlice, alice, cert("ed25519", []string{"-t", "ecdsa"}, append(window, "-n", alice)...), true, false},
		{"rsa user key", caAlice, alice, cert("ed25519", []string{"-t", "rsa", "-b", "2048"}, append(window, "-n", alice)...), true, false},
		{"no validity window", caAlice, alice, cert("ed25519", ed, "-n", alice), true, false},
		{"two principals", caAlice, alice, cert("ed25519", ed, append(window, "-n", "bob@example.com,"+alice)...), true, false},
		{"other principal", caAlice, alice, cert("ed25519", ed, append(window, "-n", "bob@example.com")...), false, false},
		{"principal in another case", caAlice, alice, cert("ed25519", ed, append(window, "-n", "Alice@example.com")...), false, false},
		{"wildcard principal", "* cert-authority " + caLine["ed25519"], alice, cert("ed25519", ed, append(window, "-n", "*")...), false, false},
		{"no principals", caAlice, alice, cert("ed25519", ed, window...), false, false},
		{"host certificate", caAlice, alice, cert("ed25519", ed, append(window, "-h", "-n", alice)...), false, false},
		{"expired", caAlice, alice, cert("ed25519", ed, "-V", "20250101Z:20250201Z", "-n", alice), false, false},
		{"not yet valid", caAlice, alice, cert("ed25519", ed, "-V", "20270101Z:20280101Z", "-n", alice), false, false},
		{"valid until now", caAlice, alice, cert("ed25519", ed, "-V", "20261101Z:20261125120000Z", "-n", alice), false, false},
		{"valid from now", caAlice, alice, cert("ed25519", ed, "-V", "20261125120000Z:20261201Z", "-n", alice), true, false},
		{"force-command", caAlice, alice, cert("ed25519", ed, append(window, "-n", alice, "-O", "force-command=/bin/true")...), true, true},
		{"source-address", caAlice, alice, cert("ed25519", ed, append(window, "-n", alice, "-O", "source-address=10.0.0.0/8")...), true, true},
		{"no extensions", caAlice, alice, cert("ed25519", ed, append(window, "-n", alice, "-O", "clear")...), true, false},
		{"line pattern", "*@example.com cert-authority " + caLine["ed25519"], alice, good, true, false},
		{"line pattern excludes", "*@example.com,!alice@example.com cert-authority " + caLine["ed25519"], alice, good, false, false},
		{"line for another principal", "bob@example.com cert-authority " + caLine["ed25519"], alice, good, false, false},
		{"line namespaces", alice + ` cert-authority,namespaces="planguard-approval" ` + caLine["ed25519"], alice, good, true, false},
		{"line other namespace", alice + ` namespaces="git",cert-authority ` + caLine["ed25519"], alice, good, false, false},
		{"line expired", alice + ` cert-authority,valid-before="20261101Z" ` + caLine["ed25519"], alice, good, false, false},
		{"line not yet valid", alice + ` valid-after="20261201Z",cert-authority ` + caLine["ed25519"], alice, good, false, false},
		{"CERT-AUTHORITY", alice + " CERT-AUTHORITY " + caLine["ed25519"], alice, good, true, false},
		{"cert-authority twice", alice + " cert-authority,cert-authority " + caLine["ed25519"], alice, good, true, false},
		{"another CA", alice + " cert-authority " + caLine["ecdsa"], alice, good, false, false},
		{"CA key without cert-authority", alice + " " + caLine["ed25519"], alice, good, false, false},
		{"user key listed, certificate signs", alice + " " + userPub, alice, plainCertSig, false, false},
		{"user key listed, key signs", alice + " " + userPub, alice, plainSig, true, false},
		{"CA line, plain key signs", caAlice, alice, plainSig, false, false},
		{"CA line and key line", caAlice + "\n" + alice + " " + userPub, alice, plainSig, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, why := verdict(c.allowed, c.principal, c.sig)
			ours := why == nil
			theirs, out := sshtest.Verify(t, t.TempDir(), c.allowed, c.principal, Namespace, c.sig, payload, "-Overify-time=20261125120000Z")
			if theirs != c.openssh {
				t.Fatalf("ssh-keygen -Y verify says ok=%v, the table %v: the test is wrong or OpenSSH differs\n%s", theirs, c.openssh, out)
			}
			switch {
			case ours && !theirs:
				t.Errorf("planguard accepts what ssh-keygen -Y verify refuses:\n%s", out)
			case !ours && theirs && !c.stricter:
				t.Errorf("planguard refuses (%v) what ssh-keygen -Y verify accepts", why)
			case ours == theirs && c.stricter:
				t.Errorf("marked stricter, but both say ok=%v (%v)", ours, why)
			}
		})
	}

	// The verification result names the certificate.
	v, err := verdict(caAlice, alice, good)
	if err != nil {
		t.Fatal(err)
	}
	if v.Certificate == nil || v.Certificate.KeyID != "alice-laptop" || v.Certificate.Serial != 42 ||
		len(v.Certificate.Principals) != 1 || v.Certificate.Principals[0] != alice || !strings.HasPrefix(v.Certificate.CA, "SHA256:") {
		t.Fatalf("verified %+v, certificate %+v", v, v.Certificate)
	}
	sig, _ := sshsig.Parse(good)
	if v.Fingerprint != ssh.FingerprintSHA256(sig.PublicKey.(*ssh.Certificate).Key) {
		t.Errorf("fingerprint %s is not the certified key's", v.Fingerprint)
	}
	if v, err := verdict(alice+" "+userPub, alice, plainSig); err != nil || v.Certificate != nil {
		t.Errorf("plain key: %+v, %v", v, err)
	}
}

// TestCertificatesOpenSSHCannotMake: certificates ssh-keygen -s does not
// write, made with x/crypto/ssh, are refused as OpenSSH refuses them.
func TestCertificatesOpenSSHCannotMake(t *testing.T) {
	payload, _ := testStatement.Payload()
	const alice = "alice@example.com"
	newSigner := func() ssh.Signer {
		_, k, _ := ed25519.GenerateKey(rand.Reader)
		s, _ := ssh.NewSignerFromKey(k)
		return s
	}
	ca, user, inter := newSigner(), newSigner(), newSigner()
	mk := func(key ssh.PublicKey, by ssh.Signer, principals []string) *ssh.Certificate {
		c := &ssh.Certificate{Key: key, CertType: ssh.UserCert, KeyId: "k", Serial: 7, ValidPrincipals: principals,
			ValidAfter: 0, ValidBefore: ssh.CertTimeInfinity}
		if err := c.SignCert(rand.Reader, by); err != nil {
			t.Fatal(err)
		}
		return c
	}
	signWith := func(c *ssh.Certificate) string {
		s, err := ssh.NewCertSigner(c, user)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := sshsig.Sign(s, payload, Namespace)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	caLine := alice + " cert-authority " + authorizedLine(ca.PublicKey())
	dir := t.TempDir()
	var err error
	// Control: a certificate x/crypto makes counts for both.
	ok := signWith(mk(user.PublicKey(), ca, []string{alice}))
	if _, err := verdict(caLine, alice, ok); err != nil {
		t.Fatal(err)
	}
	if theirs, out := sshtest.Verify(t, dir, caLine, alice, Namespace, ok, payload); !theirs {
		t.Fatalf("ssh-keygen refused the control:\n%s", out)
	}
	// A CA that is itself a certificate (x/crypto/ssh refuses to make
	// one; signed by hand).
	interCert := mk(inter.PublicKey(), ca, []string{"ca"})
	c := &ssh.Certificate{Key: user.PublicKey(), CertType: ssh.UserCert, KeyId: "k", ValidPrincipals: []string{alice},
		ValidBefore: ssh.CertTimeInfinity, SignatureKey: interCert}
	signed := c.Marshal()
	if c.Signature, err = inter.Sign(rand.Reader, signed[:len(signed)-4]); err != nil {
		t.Fatal(err)
	}
	byCert := signWith(c)
	// 257 principals.
	many := make([]string, 257)
	for i := range many {
		many[i] = alice
	}
	tooMany := signWith(mk(user.PublicKey(), ca, many))
	// A CA signature over other bytes: the key id changed after signing.
	forged := mk(user.PublicKey(), ca, []string{alice})
	forged.KeyId = "other"
	badSig := signWith(forged)
	for name, sig := range map[string]string{"CA is a certificate": byCert, "257 principals": tooMany, "CA signature does not verify": badSig} {
		for _, allowed := range []string{caLine, alice + " cert-authority " + authorizedLine(inter.PublicKey())} {
			if _, err := verdict(allowed, alice, sig); err == nil {
				t.Errorf("%s: planguard accepted it", name)
			}
			if theirs, _ := sshtest.Verify(t, dir, allowed, alice, Namespace, sig, payload); theirs {
				t.Errorf("%s: ssh-keygen accepted it", name)
			}
		}
	}
}
