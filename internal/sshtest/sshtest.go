// Package sshtest holds what the tests of the SSH packages (sshsig, trust,
// approval) share: the real ssh-keygen, which is the reference planguard's
// verdicts are compared with, and a software FIDO authenticator. Only tests
// import it.
package sshtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/binary"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// Keygen returns the path of ssh-keygen. The tests need the real one
// (OpenSSH is the reference implementation), so its absence is a failure.
func Keygen(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Fatalf("ssh-keygen not found: install openssh-client (.ci/run does): %v", err)
	}
	return p
}

// Run runs name with args and stdin, and returns its combined output.
func Run(t testing.TB, stdin []byte, name string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// NewKey makes a key with ssh-keygen (extra arguments such as -t ed25519)
// in dir and returns the private key's path and the public key line.
func NewKey(t testing.TB, dir, name string, args ...string) (string, string) {
	t.Helper()
	priv := filepath.Join(dir, name)
	out, err := Run(t, nil, Keygen(t), append([]string{"-q", "-N", "", "-C", name, "-f", priv}, args...)...)
	if err != nil {
		t.Fatalf("ssh-keygen %v: %v\n%s", args, err, out)
	}
	pub, err := os.ReadFile(priv + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return priv, strings.TrimSpace(string(pub))
}

// Signer reads the private key that NewKey wrote.
func Signer(t testing.TB, priv string) ssh.Signer {
	t.Helper()
	pem, err := os.ReadFile(priv)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SignFile signs message with ssh-keygen -Y sign and returns the armored
// signature.
func SignFile(t testing.TB, priv, namespace string, message []byte) string {
	t.Helper()
	sig, err := Run(t, message, Keygen(t), "-q", "-Y", "sign", "-n", namespace, "-f", priv)
	if err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, sig)
	}
	return string(sig)
}

// KeyTypes are the ssh-keygen arguments of every key type the tests sign with.
var KeyTypes = []struct {
	Name string
	Args []string
}{
	{"ed25519", []string{"-t", "ed25519"}},
	{"ecdsa256", []string{"-t", "ecdsa", "-b", "256"}},
	{"ecdsa384", []string{"-t", "ecdsa", "-b", "384"}},
	{"ecdsa521", []string{"-t", "ecdsa", "-b", "521"}},
	{"rsa", []string{"-t", "rsa", "-b", "3072"}},
}

// Verify runs ssh-keygen -Y verify over message with the allowed_signers
// text allowed, for principal and namespace, with extra arguments (such as
// -Overify-time=...), in dir. It reports whether ssh-keygen accepted the
// signature, and its output.
func Verify(t testing.TB, dir, allowed, principal, namespace, sig string, message []byte, extra ...string) (bool, string) {
	t.Helper()
	as := filepath.Join(dir, "allowed_signers")
	sf := filepath.Join(dir, "sig")
	if err := os.WriteFile(as, []byte(allowed+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sf, []byte(sig), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-Y", "verify", "-f", as, "-I", principal, "-n", namespace, "-s", sf}, extra...)
	out, err := Run(t, message, Keygen(t), args...)
	return err == nil, string(out)
}

// Flags of a FIDO signature.
const (
	FIDOUserPresent  = 0x01
	FIDOUserVerified = 0x04
)

// FIDOKey is a software stand-in for a FIDO authenticator: it signs exactly
// as a security key does, so sk- formats are tested without hardware. It is
// an ssh.Signer.
type FIDOKey struct {
	pub   ssh.PublicKey
	app   string
	Flags byte
	sign  func(digest []byte) []byte
}

// NewFIDOEd25519 makes an sk-ssh-ed25519@openssh.com key that signs with flags.
func NewFIDOEd25519(t testing.TB, flags byte) *FIDOKey {
	t.Helper()
	pk, sk, _ := ed25519.GenerateKey(rand.Reader)
	blob := ssh.Marshal(struct {
		Name, Key, App string
	}{ssh.KeyAlgoSKED25519, string(pk), "ssh:"})
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return &FIDOKey{pub: pub, app: "ssh:", Flags: flags, sign: func(d []byte) []byte { return ed25519.Sign(sk, d) }}
}

// NewFIDOECDSA makes an sk-ecdsa-sha2-nistp256@openssh.com key that signs with flags.
func NewFIDOECDSA(t testing.TB, flags byte) *FIDOKey {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	point := elliptic.Marshal(elliptic.P256(), k.X, k.Y) //nolint:staticcheck // the SSH wire format is the uncompressed point
	blob := ssh.Marshal(struct {
		Name, Curve, Key, App string
	}{ssh.KeyAlgoSKECDSA256, "nistp256", string(point), "ssh:"})
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	return &FIDOKey{pub: pub, app: "ssh:", Flags: flags, sign: func(d []byte) []byte {
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

// PublicKey is ssh.Signer's.
func (k *FIDOKey) PublicKey() ssh.PublicKey { return k.pub }

// Sign signs as an authenticator does: over the application's hash, the
// flags and a counter, and the data's hash.
func (k *FIDOKey) Sign(_ io.Reader, data []byte) (*ssh.Signature, error) {
	app := sha256.Sum256([]byte(k.app))
	msg := sha256.Sum256(data)
	rest := make([]byte, 5)
	rest[0] = k.Flags
	binary.BigEndian.PutUint32(rest[1:], 7)
	signed := append(append(append(app[:0:0], app[:]...), rest...), msg[:]...)
	return &ssh.Signature{Format: k.pub.Type(), Blob: k.sign(signed), Rest: rest}, nil
}

// Line returns the key's allowed_signers line for principal.
func (k *FIDOKey) Line(principal string) string {
	return principal + " " + string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(k.pub)))
}
