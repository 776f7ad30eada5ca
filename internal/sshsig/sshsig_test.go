package sshsig

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
)

// testNamespace is the namespace of planguard's approvals; any would do.
const testNamespace = "planguard-approval"

// testMessage is the payload of the approval the seeds of FuzzParse signed.
var testMessage = []byte(`{"action":"delete","expires_at":"2026-12-01T00:00:00Z","identity":"db-1","reason":"CHG-1042: retire","scope":"prod","target":"terraform_data.prod_db","type":"planguard.approval/v1"}`)

// TestSSHKeygenSignsWeVerify: what ssh-keygen -Y sign makes, Parse reads
// and Verify accepts over the same message and namespace, and only those.
func TestSSHKeygenSignsWeVerify(t *testing.T) {
	for _, kt := range sshtest.KeyTypes {
		t.Run(kt.Name, func(t *testing.T) {
			priv, pub := sshtest.NewKey(t, t.TempDir(), "alice", kt.Args...)
			sig, err := Parse(sshtest.SignFile(t, priv, testNamespace, testMessage))
			if err != nil {
				t.Fatalf("refused ssh-keygen's signature: %v", err)
			}
			if got := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sig.PublicKey))); !strings.HasPrefix(pub, got) {
				t.Fatalf("key %s, want %s", got, pub)
			}
			if err := sig.Verify(testMessage, testNamespace); err != nil {
				t.Fatal(err)
			}
			if err := sig.Verify(append(testMessage, ' '), testNamespace); err == nil {
				t.Fatal("verified over another message")
			}
			if err := sig.Verify(testMessage, "git"); err == nil {
				t.Fatal("verified in another namespace")
			}
		})
	}
}

// TestWeSignSSHKeygenVerifies: what Sign makes, ssh-keygen -Y verify accepts.
func TestWeSignSSHKeygenVerifies(t *testing.T) {
	for _, kt := range sshtest.KeyTypes {
		t.Run(kt.Name, func(t *testing.T) {
			dir := t.TempDir()
			priv, pub := sshtest.NewKey(t, dir, "alice", kt.Args...)
			sig, err := Sign(sshtest.Signer(t, priv), testMessage, testNamespace)
			if err != nil {
				t.Fatal(err)
			}
			if ok, out := sshtest.Verify(t, dir, "alice@example.com "+pub, "alice@example.com", testNamespace, sig, testMessage); !ok {
				t.Fatalf("ssh-keygen -Y verify refused our signature:\n%s", out)
			}
		})
	}
}

// TestFIDOUserPresence: a FIDO signature counts only with the
// user-presence flag; UserVerified reads the user-verification flag.
func TestFIDOUserPresence(t *testing.T) {
	for name, mk := range map[string]func(testing.TB, byte) *sshtest.FIDOKey{"sk-ed25519": sshtest.NewFIDOEd25519, "sk-ecdsa": sshtest.NewFIDOECDSA} {
		t.Run(name, func(t *testing.T) {
			for _, c := range []struct {
				flags        byte
				ok, verified bool
			}{
				{sshtest.FIDOUserPresent, true, false},
				{sshtest.FIDOUserPresent | sshtest.FIDOUserVerified, true, true},
				{0, false, false},
				{sshtest.FIDOUserVerified, false, true},
			} {
				k := mk(t, c.flags)
				armored, err := Sign(k, testMessage, testNamespace)
				if err != nil {
					t.Fatal(err)
				}
				sig, err := Parse(armored)
				if err != nil {
					t.Fatal(err)
				}
				if err := sig.Verify(testMessage, testNamespace); (err == nil) != c.ok {
					t.Errorf("flags %#x: Verify = %v, want ok %v", c.flags, err, c.ok)
				}
				if sig.UserVerified() != c.verified {
					t.Errorf("flags %#x: UserVerified = %v", c.flags, sig.UserVerified())
				}
				if !IsFIDO(sig.PublicKey) {
					t.Error("IsFIDO false for a FIDO key")
				}
			}
		})
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	_, pk, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(pk)
	good, err := Sign(signer, testMessage, testNamespace)
	if err != nil {
		t.Fatal(err)
	}
	if sig, err := Parse(good); err != nil || sig.Verify(testMessage, testNamespace) != nil {
		t.Fatalf("good signature: %v", err)
	}
	wrongNS, _ := Sign(signer, testMessage, "git")
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
	for name, s := range cases {
		sig, err := Parse(s)
		if err == nil {
			err = sig.Verify(testMessage, testNamespace)
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRSASHA1Refused(t *testing.T) {
	priv, _ := sshtest.NewKey(t, t.TempDir(), "r", "-t", "rsa", "-b", "2048")
	signer := sshtest.Signer(t, priv)
	data, _ := toSign(testNamespace, "sha512", testMessage)
	sig, err := signer.(ssh.AlgorithmSigner).SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSA)
	if err != nil {
		t.Fatal(err)
	}
	armored := (&Signature{PublicKey: signer.PublicKey(), Namespace: testNamespace, HashAlgorithm: "sha512", Signature: sig}).Marshal()
	if _, err := Parse(armored); err == nil || !strings.Contains(err.Error(), "rsa-sha2") {
		t.Fatalf("ssh-rsa (SHA-1) signature: got %v", err)
	}
}
