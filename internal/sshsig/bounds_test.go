package sshsig

import (
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// armoredWith builds an armored SSHSIG around any public key and signature
// value, as an attacker could.
func armoredWith(t *testing.T, pub ssh.PublicKey, format string, sigBlob []byte) string {
	t.Helper()
	blob := append([]byte(sigMagic), ssh.Marshal(wire{
		Version: sigVersion, PublicKey: pub.Marshal(), Namespace: testNamespace, HashAlgorithm: "sha512",
		Signature: ssh.Marshal(ssh.Signature{Format: format, Blob: sigBlob}),
	})...)
	return armorBegin + "\n" + base64.StdEncoding.EncodeToString(blob) + "\n" + armorEnd + "\n"
}

// TestRSAKeySizeBounds: RSA keys outside OpenSSH's 1024..16384 bits are
// refused before any verification (a huge modulus would make every check
// of the gate slow; a tiny one is breakable).
func TestRSAKeySizeBounds(t *testing.T) {
	for _, bits := range []int{512, 1023, 16385, 100000} {
		n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
		n.Add(n, big.NewInt(1))
		pub, err := ssh.NewPublicKey(&rsa.PublicKey{N: n, E: 65537})
		if err != nil {
			t.Fatal(err)
		}
		arm := armoredWith(t, pub, ssh.KeyAlgoRSASHA512, make([]byte, (bits+7)/8))
		if len(arm) > maxArmoredLen {
			continue // refused by length anyway; checked below
		}
		_, err = Parse(arm)
		// x/crypto/ssh itself refuses moduli over 16384 bits; we refuse the rest.
		if err == nil || !strings.Contains(err.Error(), "RSA key has") && !strings.Contains(err.Error(), "rsa modulus too large") {
			t.Errorf("%d-bit RSA key: err = %v", bits, err)
		}
	}
	// A 16384-bit key is within bounds: parsing gets past the size check.
	n := new(big.Int).Lsh(big.NewInt(1), 16383)
	n.Add(n, big.NewInt(1))
	pub, _ := ssh.NewPublicKey(&rsa.PublicKey{N: n, E: 65537})
	if _, err := Parse(armoredWith(t, pub, ssh.KeyAlgoRSASHA512, make([]byte, 2048))); err != nil {
		t.Errorf("16384-bit key refused: %v", err)
	}
}
