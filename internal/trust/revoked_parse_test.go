package trust

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// krlBuilder writes a KRL as PROTOCOL.krl lays it out, for inputs
// ssh-keygen -k does not make.
type krlBuilder []byte

func (b krlBuilder) u8(v byte) krlBuilder { return append(b, v) }
func (b krlBuilder) u32(v uint32) krlBuilder {
	return binary.BigEndian.AppendUint32(b, v)
}
func (b krlBuilder) u64(v uint64) krlBuilder {
	return binary.BigEndian.AppendUint64(b, v)
}
func (b krlBuilder) str(s []byte) krlBuilder { return append(b.u32(uint32(len(s))), s...) }

func krlHeader() krlBuilder {
	return krlBuilder(krlMagic).u32(1).u64(1).u64(0).u64(0).str(nil).str([]byte("comment"))
}

func certSection(ca []byte, subs ...krlBuilder) krlBuilder {
	body := krlBuilder(nil).str(ca).str(nil)
	for _, s := range subs {
		body = append(body, s...)
	}
	return krlBuilder(nil).u8(krlCertificates).str(body)
}

func sub(typ byte, data krlBuilder) krlBuilder { return krlBuilder(nil).u8(typ).str(data) }

// TestParseRevocationsRefusesMalformed: what krl.c refuses, and what
// planguard refuses on purpose (a signed KRL), is an error naming the file.
func TestParseRevocationsRefusesMalformed(t *testing.T) {
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(k)
	ca := signer.PublicKey().Marshal()
	ok := append(krlHeader(), certSection(ca, sub(krlCertSerialList, krlBuilder(nil).u64(5)))...)
	if r, err := ParseRevocations(ok, "revoked"); err != nil || len(r.certs) != 1 {
		t.Fatalf("control: %v", err)
	}
	cases := map[string][]byte{
		"version 2":                   krlBuilder(krlMagic).u32(2).u64(1).u64(0).u64(0).str(nil).str(nil),
		"truncated header":            krlBuilder(krlMagic).u32(1).u64(1),
		"truncated section":           append(krlHeader().u8(krlExplicitKey), 0, 0, 0, 9, 1),
		"unknown section":             append(krlHeader(), sub(9, nil)...),
		"signature section":           append(krlHeader(), sub(krlSignature, krlBuilder(nil).str(ca))...),
		"short SHA-1":                 append(krlHeader(), sub(krlFingerprintSHA1, krlBuilder(nil).str(make([]byte, 19)))...),
		"long SHA-256":                append(krlHeader(), sub(krlFingerprintSHA256, krlBuilder(nil).str(make([]byte, 33)))...),
		"section with bytes left":     append(krlHeader(), sub(krlExplicitKey, krlBuilder(nil).str([]byte("k")).u8(0))...),
		"bad CA key":                  append(krlHeader(), certSection([]byte("junk"))...),
		"serial 0":                    append(krlHeader(), certSection(ca, sub(krlCertSerialList, krlBuilder(nil).u64(0)))...),
		"serial list not 8 bytes":     append(krlHeader(), certSection(ca, sub(krlCertSerialList, krlBuilder(nil).u32(5)))...),
		"range high to low":           append(krlHeader(), certSection(ca, sub(krlCertSerialRange, krlBuilder(nil).u64(9).u64(5)))...),
		"range from 0":                append(krlHeader(), certSection(ca, sub(krlCertSerialRange, krlBuilder(nil).u64(0).u64(5)))...),
		"range with bytes left":       append(krlHeader(), certSection(ca, sub(krlCertSerialRange, krlBuilder(nil).u64(1).u64(5).u8(0)))...),
		"bitmap with serial 0":        append(krlHeader(), certSection(ca, sub(krlCertSerialBitmap, krlBuilder(nil).u64(0).str([]byte{1})))...),
		"negative bitmap":             append(krlHeader(), certSection(ca, sub(krlCertSerialBitmap, krlBuilder(nil).u64(1).str([]byte{0x80})))...),
		"bitmap too long":             append(krlHeader(), certSection(ca, sub(krlCertSerialBitmap, krlBuilder(nil).u64(1).str(append([]byte{1}, make([]byte, 2048)...))))...),
		"bitmap past the end":         append(krlHeader(), certSection(ca, sub(krlCertSerialBitmap, krlBuilder(nil).u64(^uint64(0)).str([]byte{3})))...),
		"key id with a NUL":           append(krlHeader(), certSection(ca, sub(krlCertKeyID, krlBuilder(nil).str([]byte("a\x00b"))))...),
		"unknown certificate section": append(krlHeader(), certSection(ca, sub(0x30, nil))...),
		"list with a bad line":        []byte("ssh-ed25519 AAAA\n"),
		"list with options":           []byte(`no-pty ` + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + "\n"),
		"list with a CR line":         []byte("\r\n"),
	}
	for name, data := range cases {
		if r, err := ParseRevocations(data, "ci/revoked"); err == nil {
			t.Errorf("%s: accepted: %+v", name, r)
		} else if !strings.HasPrefix(err.Error(), "ci/revoked: ") {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
	// What krl.c accepts: a key id ending in one NUL, a bitmap with a
	// leading zero byte, an empty certificate section for any CA.
	for name, data := range map[string][]byte{
		"key id ending in NUL":  append(krlHeader(), certSection(ca, sub(krlCertKeyID, krlBuilder(nil).str([]byte("a\x00"))))...),
		"bitmap leading zero":   append(krlHeader(), certSection(ca, sub(krlCertSerialBitmap, krlBuilder(nil).u64(1).str([]byte{0, 0x80})))...),
		"any CA, no revocation": append(krlHeader(), certSection(nil)...),
	} {
		if _, err := ParseRevocations(data, "revoked"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzParseRevocations: any input parses to an error or to revocations
// Check can use; never a panic; and a key a parsed file revokes stays
// revoked when the file is parsed again.
func FuzzParseRevocations(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "krl", "*.krl"))
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n# c\n"))
	f.Add([]byte(krlHeader()))
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(k)
	cert := &ssh.Certificate{Key: signer.PublicKey(), CertType: ssh.UserCert, KeyId: "alice", Serial: 5, ValidPrincipals: []string{"alice"}, ValidBefore: ssh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, signer); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRevocations(data, "fuzz")
		if err != nil {
			if r != nil {
				t.Fatal("error with a result")
			}
			return
		}
		again, err := ParseRevocations(data, "fuzz")
		if err != nil {
			t.Fatal("parsed once, refused the second time")
		}
		for _, key := range []ssh.PublicKey{signer.PublicKey(), cert} {
			if (r.Check(key) == nil) != (again.Check(key) == nil) {
				t.Fatal("two parses disagree")
			}
		}
	})
}

// TestSerialBitmap: bit i of a bitmap section revokes serial offset+i, for
// its CA only, up to the largest serial.
func TestSerialBitmap(t *testing.T) {
	_, k, _ := ed25519.GenerateKey(rand.Reader)
	ca, _ := ssh.NewSignerFromKey(k)
	_, k2, _ := ed25519.GenerateKey(rand.Reader)
	other, _ := ssh.NewSignerFromKey(k2)
	cert := func(by ssh.Signer, serial uint64) *ssh.Certificate {
		c := &ssh.Certificate{Key: ca.PublicKey(), CertType: ssh.UserCert, KeyId: "k", Serial: serial, ValidPrincipals: []string{"a"}, ValidBefore: ssh.CertTimeInfinity}
		if err := c.SignCert(rand.Reader, by); err != nil {
			t.Fatal(err)
		}
		return c
	}
	bitmap := func(offset uint64, bits ...byte) *Revocations {
		r, err := ParseRevocations(append(krlHeader(), certSection(ca.PublicKey().Marshal(), sub(krlCertSerialBitmap, krlBuilder(nil).u64(offset).str(bits)))...), "revoked")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := bitmap(100, 0x00, 0x01, 0x05) // bits 0, 2 and 8: serials 100, 102, 108
	for serial, want := range map[uint64]bool{99: false, 100: true, 101: false, 102: true, 107: false, 108: true, 109: false, 1 << 40: false} {
		if got := r.Check(cert(ca, serial)) != nil; got != want {
			t.Errorf("serial %d: revoked %v, want %v", serial, got, want)
		}
		if r.Check(cert(other, serial)) != nil {
			t.Errorf("serial %d of another CA revoked", serial)
		}
	}
	top := bitmap(^uint64(0)-8, 0x01, 0x00) // bit 8: the largest serial
	if top.Check(cert(ca, ^uint64(0))) == nil || top.Check(cert(ca, ^uint64(0)-1)) != nil {
		t.Error("bitmap at the largest serial")
	}
}
