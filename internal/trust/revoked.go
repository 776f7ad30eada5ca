package trust

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // KRLs name keys by their SHA-1 hash; no security rests on SHA-1 here beyond OpenSSH's own
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"golang.org/x/crypto/ssh"
)

// ErrRevoked is what errors.Is finds in the error Check, and Authorize,
// return for a key, certificate or certificate authority a revocation file
// revokes.
var ErrRevoked = errors.New("revoked")

// revokedError says why a key is revoked; it is ErrRevoked.
type revokedError struct{ reason string }

func (e *revokedError) Error() string        { return e.reason }
func (e *revokedError) Is(target error) bool { return target == ErrRevoked }

// Revocations is a parsed revocation file, the file ssh-keygen -Y verify
// takes with -r and sshd with RevokedKeys: an OpenSSH key revocation list
// (PROTOCOL.krl; ssh-keygen -k) or, when the file does not start with the
// KRL magic, a list of public keys, one per line.
//
// A key is revoked, as OpenSSH decides (krl.c ssh_krl_check_key,
// authfile.c sshkey_check_revoked), when the KRL lists it, its SHA-1 or
// SHA-256 hash, or, for a certificate, its serial or key id under its CA
// (or under any CA); a certificate is revoked with its certified key and
// with its CA key. A key list revokes the keys it lists, the certificates
// of those keys, and the certificates signed by those keys.
type Revocations struct {
	name string
	// keys are the revoked plain key blobs (explicit keys, or the list).
	keys map[string]bool
	// sha1s and sha256s are the revoked hashes of plain key blobs.
	sha1s, sha256s map[string]bool
	// certs are the certificate sections, by CA key blob ("" for any CA).
	certs map[string]*revokedCerts
}

// revokedCerts are the certificates one CA (or any CA) revoked.
type revokedCerts struct {
	serials [][2]uint64 // inclusive ranges, serial 0 never listed
	bitmaps []serialBitmap
	keyIDs  map[string]bool
}

// serialBitmap revokes serial offset+i when bit i of bits (big-endian, as
// the KRL's mpint) is set. It is kept as read: a KRL of bitmaps would take
// a thousand times its size as a list of serials.
type serialBitmap struct {
	offset uint64
	bits   []byte
}

func (b serialBitmap) has(serial uint64) bool {
	if serial < b.offset {
		return false
	}
	i := serial - b.offset
	return i < uint64(len(b.bits))*8 && b.bits[uint64(len(b.bits))-1-i/8]&(1<<(i%8)) != 0
}

const krlMagic = "SSHKRL\n\x00"

// KRL section types (PROTOCOL.krl).
const (
	krlCertificates      = 1
	krlExplicitKey       = 2
	krlFingerprintSHA1   = 3
	krlSignature         = 4
	krlFingerprintSHA256 = 5

	krlCertSerialList   = 0x20
	krlCertSerialRange  = 0x21
	krlCertSerialBitmap = 0x22
	krlCertKeyID        = 0x23
)

// maxBitmapBytes is OpenSSH's SSHBUF_MAX_BIGNUM: a serial bitmap is an
// mpint of at most 16384 bits.
const maxBitmapBytes = 16384 / 8

// ParseRevocations parses a revocation file; name is used in errors. A file
// that cannot be parsed is an error, never an empty revocation list: an
// unreadable list would unrevoke every key.
func ParseRevocations(data []byte, name string) (*Revocations, error) {
	r := &Revocations{name: name, keys: map[string]bool{}, sha1s: map[string]bool{}, sha256s: map[string]bool{}, certs: map[string]*revokedCerts{}}
	if !bytes.HasPrefix(data, []byte(krlMagic)) {
		if err := r.parseList(data); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return r, nil
	}
	if err := r.parseKRL(data[len(krlMagic):]); err != nil {
		return nil, fmt.Errorf("%s: not a valid OpenSSH KRL: %w", name, err)
	}
	return r, nil
}

// parseList reads a list of public keys as OpenSSH's sshkey_in_file does:
// blank lines and '#' comments skipped, every other line a key.
func (r *Revocations) parseList(data []byte) error {
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimLeft(string(raw), " \t")
		if line == "" || line[0] == '#' {
			continue
		}
		k, err := parseKey(line)
		if err != nil {
			return fmt.Errorf("line %d: %w (a revocation file is an OpenSSH KRL, ssh-keygen -k, or one public key per line)", i+1, err)
		}
		r.keys[string(plainBlob(k))] = true
	}
	return nil
}

// krlReader reads the big-endian wire types of a KRL.
type krlReader struct {
	b   []byte
	err error
}

func (d *krlReader) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *krlReader) u8() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail("truncated")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *krlReader) u32() uint32 {
	if d.err != nil || len(d.b) < 4 {
		d.fail("truncated")
		return 0
	}
	v := binary.BigEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *krlReader) u64() uint64 {
	if d.err != nil || len(d.b) < 8 {
		d.fail("truncated")
		return 0
	}
	v := binary.BigEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *krlReader) bytes() []byte {
	n := d.u32()
	if d.err != nil || uint64(n) > uint64(len(d.b)) {
		d.fail("truncated")
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// cstring is a string without NUL bytes but, as sshbuf_get_cstring allows,
// one at its end.
func (d *krlReader) cstring() string {
	v := d.bytes()
	if i := bytes.IndexByte(v, 0); i >= 0 && i != len(v)-1 {
		d.fail("a string holds a NUL byte")
	}
	return strings.TrimSuffix(string(v), "\x00")
}

func (r *Revocations) parseKRL(b []byte) error {
	d := &krlReader{b: b}
	if v := d.u32(); d.err == nil && v != 1 {
		return fmt.Errorf("format version %d; only version 1 exists", v)
	}
	d.u64()     // krl_version
	d.u64()     // generated_date
	d.u64()     // flags: none defined
	d.bytes()   // reserved
	d.cstring() // comment
	for d.err == nil && len(d.b) > 0 {
		typ := d.u8()
		sect := &krlReader{b: d.bytes()}
		if d.err != nil {
			break
		}
		switch typ {
		case krlCertificates:
			r.parseCertSection(sect)
		case krlExplicitKey:
			blobSection(sect, r.keys, 0)
		case krlFingerprintSHA1:
			blobSection(sect, r.sha1s, sha1.Size)
		case krlFingerprintSHA256:
			blobSection(sect, r.sha256s, sha256.Size)
		case krlSignature:
			return errors.New("it is signed (a KRL_SECTION_SIGNATURE), which planguard does not read: keep the revocation file where the policy is, and leave it unsigned")
		default:
			return fmt.Errorf("unknown section type %d", typ)
		}
		if sect.err != nil {
			return sect.err
		}
		if len(sect.b) > 0 {
			return fmt.Errorf("section %d has %d bytes left over", typ, len(sect.b))
		}
	}
	return d.err
}

// blobSection reads strings into set; size, when not 0, is their length.
func blobSection(d *krlReader, set map[string]bool, size int) {
	for d.err == nil && len(d.b) > 0 {
		v := d.bytes()
		if d.err == nil && size != 0 && len(v) != size {
			d.fail("a hash is %d bytes, not %d", len(v), size)
		}
		set[string(v)] = true
	}
}

func (r *Revocations) parseCertSection(d *krlReader) {
	caBlob := d.bytes()
	d.bytes() // reserved
	ca := ""
	if d.err == nil && len(caBlob) > 0 {
		k, err := ssh.ParsePublicKey(caBlob)
		if err != nil {
			d.fail("certificate section: CA key: %v", err)
			return
		}
		ca = string(k.Marshal())
	}
	rc := r.certs[ca]
	if rc == nil {
		rc = &revokedCerts{keyIDs: map[string]bool{}}
		r.certs[ca] = rc
	}
	revoke := func(lo, hi uint64) {
		if lo == 0 || lo > hi {
			d.fail("certificate serial range %d-%d is not 1 or more, low to high", lo, hi)
			return
		}
		rc.serials = append(rc.serials, [2]uint64{lo, hi})
	}
	for d.err == nil && len(d.b) > 0 {
		typ := d.u8()
		sub := &krlReader{b: d.bytes()}
		if d.err != nil {
			return
		}
		switch typ {
		case krlCertSerialList:
			for sub.err == nil && len(sub.b) > 0 {
				if s := sub.u64(); sub.err == nil {
					revoke(s, s)
				}
			}
		case krlCertSerialRange:
			lo, hi := sub.u64(), sub.u64()
			if sub.err == nil {
				revoke(lo, hi)
			}
		case krlCertSerialBitmap:
			offset, bitmap := sub.u64(), sub.bytes()
			if sub.err != nil {
				break
			}
			if len(bitmap) > 0 && bitmap[0]&0x80 != 0 {
				d.fail("serial bitmap is a negative mpint")
				return
			}
			if len(bitmap) > maxBitmapBytes+1 || len(bitmap) == maxBitmapBytes+1 && bitmap[0] != 0 {
				d.fail("serial bitmap is longer than %d bits", maxBitmapBytes*8)
				return
			}
			bitmap = bytes.TrimLeft(bitmap, "\x00")
			if len(bitmap) == 0 {
				break
			}
			// As krl.c reads it: no serial 0, no serial past 2^64-1.
			top := uint64(len(bitmap))*8 - 1 - uint64(bits.LeadingZeros8(bitmap[0]))
			if top > math.MaxUint64-offset {
				d.fail("serial bitmap goes past the largest serial")
				return
			}
			if offset == 0 && bitmap[len(bitmap)-1]&1 != 0 {
				d.fail("serial bitmap revokes serial 0")
				return
			}
			rc.bitmaps = append(rc.bitmaps, serialBitmap{offset, bitmap})
		case krlCertKeyID:
			for sub.err == nil && len(sub.b) > 0 {
				if id := sub.cstring(); sub.err == nil {
					rc.keyIDs[id] = true
				}
			}
		default:
			d.fail("unknown certificate section type %#x", typ)
			return
		}
		if sub.err != nil {
			d.fail("certificate section %#x: %v", typ, sub.err)
			return
		}
		if len(sub.b) > 0 {
			d.fail("certificate section %#x has %d bytes left over", typ, len(sub.b))
			return
		}
	}
}

// plainBlob is the wire form of k, or of the key a certificate certifies.
func plainBlob(k ssh.PublicKey) []byte {
	if c, ok := k.(*ssh.Certificate); ok {
		return c.Key.Marshal()
	}
	return k.Marshal()
}

// Check returns an error that is ErrRevoked, saying why, when the file
// revokes key (a plain key or a certificate), and nil when it does not. r
// may be nil: no revocation file.
func (r *Revocations) Check(key ssh.PublicKey) error {
	if r == nil {
		return nil
	}
	cert, _ := key.(*ssh.Certificate)
	if why := r.keyRevoked(key); why != "" {
		return &revokedError{keyName(key) + " is revoked: " + why}
	}
	if cert == nil {
		return nil
	}
	if why := r.keyRevoked(cert.SignatureKey); why != "" {
		return &revokedError{fmt.Sprintf("%s is revoked with its CA key %s: %s", keyName(key), ssh.FingerprintSHA256(cert.SignatureKey), why)}
	}
	return nil
}

func keyName(key ssh.PublicKey) string {
	if c, ok := key.(*ssh.Certificate); ok {
		return fmt.Sprintf("certificate %q (serial %d) of key %s", c.KeyId, c.Serial, ssh.FingerprintSHA256(c.Key))
	}
	return "key " + ssh.FingerprintSHA256(key)
}

// keyRevoked says how the file revokes key itself (not its CA), or "".
func (r *Revocations) keyRevoked(key ssh.PublicKey) string {
	blob := plainBlob(key)
	h1, h256 := sha1.Sum(blob), sha256.Sum256(blob) //nolint:gosec // see the import
	switch {
	case r.sha1s[string(h1[:])]:
		return fmt.Sprintf("the revocation file %s lists its SHA-1 hash", r.name)
	case r.sha256s[string(h256[:])]:
		return fmt.Sprintf("the revocation file %s lists its SHA-256 hash", r.name)
	case r.keys[string(blob)]:
		return fmt.Sprintf("the revocation file %s lists the key", r.name)
	}
	cert, ok := key.(*ssh.Certificate)
	if !ok {
		return ""
	}
	for _, ca := range []string{string(cert.SignatureKey.Marshal()), ""} {
		rc := r.certs[ca]
		if rc == nil {
			continue
		}
		if rc.keyIDs[cert.KeyId] {
			return fmt.Sprintf("the revocation file %s lists its key id", r.name)
		}
		if cert.Serial == 0 {
			continue // OpenSSH ignores serial 0, the default of ssh-keygen -s
		}
		for _, s := range rc.serials {
			if s[0] <= cert.Serial && cert.Serial <= s[1] {
				return fmt.Sprintf("the revocation file %s lists its serial", r.name)
			}
		}
		for _, b := range rc.bitmaps {
			if b.has(cert.Serial) {
				return fmt.Sprintf("the revocation file %s lists its serial", r.name)
			}
		}
	}
	return ""
}
