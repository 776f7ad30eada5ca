// Package trust decides whose SSH signatures count, as ssh-keygen -Y verify
// decides: an OpenSSH allowed_signers file (ssh-keygen(1), "ALLOWED
// SIGNERS", the format git uses) names which keys, or which certificate
// authorities' user certificates, may sign for which principals, in which
// namespaces and when; a revocation file (an OpenSSH KRL or a list of keys)
// names keys and certificates that never count.
//
// Parsing is strict: a line OpenSSH would refuse, or one whose meaning
// planguard does not support, refuses the whole file. Authorization is in
// authorize.go, revocation in revoked.go.
package trust

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
)

// AllowedSigners is a parsed OpenSSH allowed_signers file (see ssh-keygen(1),
// "ALLOWED SIGNERS"): who may sign, with which key, for which namespaces and
// when.
type AllowedSigners struct {
	Entries []Entry
	// Revoked is the revocation file read with it (ParseOptions.RevokedKeys),
	// or nil.
	Revoked *Revocations
}

// Entry is one line of an allowed_signers file.
type Entry struct {
	// Line is the 1-based line number in the file.
	Line int
	// Principals is the pattern-list of identities, as written.
	Principals string
	// Key is the public key.
	Key ssh.PublicKey
	// Namespaces is the namespaces= pattern-list, or "" for any namespace.
	Namespaces string
	// ValidAfter and ValidBefore bound when the key is trusted; zero means unbounded.
	ValidAfter, ValidBefore time.Time
	// VerifyRequired demands the FIDO user-verification flag (verify-required).
	VerifyRequired bool
	// CertAuthority marks a cert-authority line: Key is a CA key, and the
	// line trusts signatures made with the user certificates it signs, for
	// the principals both the line and the certificate name.
	CertAuthority bool
}

// ParseOptions configure ParseAllowedSigners.
type ParseOptions struct {
	// Location interprets valid-after/valid-before times that lack a "Z"
	// suffix, as OpenSSH does with the system time zone. Nil means UTC.
	Location *time.Location
	// RevokedKeysName, when not "", names a revocation file (an OpenSSH
	// KRL or a list of public keys; see ParseRevocations) whose content is
	// RevokedKeys: a signature whose key, certificate or CA it revokes
	// never counts, as with ssh-keygen -Y verify -r FILE.
	RevokedKeysName string
	RevokedKeys     []byte
}

const maxAllowedSigners = 4 << 20

// ParseAllowedSigners parses an allowed_signers file. name is used in errors.
// Blank lines and lines starting with '#' are ignored; every other line must
// parse, or the whole file is refused (OpenSSH skips a line it cannot parse;
// a trust file with such a line is a mistake to report, not to work around).
//
// A line reads as OpenSSH's sshsig.c reads it: the principals (a
// pattern-list, up to the first white space, with one "quoted" part), then
// the options unless the next word is a key type, then the key.
func ParseAllowedSigners(data []byte, name string, opts ParseOptions) (*AllowedSigners, error) {
	if len(data) > maxAllowedSigners {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxAllowedSigners)
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	as := &AllowedSigners{}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimLeft(string(raw), " \t")
		if strings.Trim(line, sshWhitespace) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseLine(line, loc)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
		s.Line = i + 1
		as.Entries = append(as.Entries, s)
	}
	if len(as.Entries) == 0 {
		return nil, fmt.Errorf("%s: no signers: add lines like `alice@example.com ssh-ed25519 AAAA...`", name)
	}
	if opts.RevokedKeysName != "" {
		r, err := ParseRevocations(opts.RevokedKeys, opts.RevokedKeysName)
		if err != nil {
			return nil, err
		}
		as.Revoked = r
	}
	return as, nil
}

// sshWhitespace is OpenSSH's WHITESPACE (misc.h), which ends the principals.
const sshWhitespace = " \t\r\n"

// maxPattern is the longest pattern OpenSSH's match_pattern_list matches:
// a longer one (1023 bytes or more) makes the whole list match nothing.
const maxPattern = 1022

func parseLine(line string, loc *time.Location) (Entry, error) {
	var s Entry
	if strings.IndexByte(line, 0) >= 0 {
		return s, errors.New("line holds a NUL byte")
	}
	principals, rest, err := cutPrincipals(line)
	if err != nil {
		return s, err
	}
	if err := checkPatternList("principals", principals); err != nil {
		return s, err
	}
	s.Principals = principals
	// Options come first unless the line goes on with a key type, as
	// OpenSSH decides (it tries to read a key, then options).
	var options string
	if word, _, _ := strings.Cut(rest, " "); !isKeyType(strings.SplitN(word, "\t", 2)[0]) {
		options, rest, err = cutOptions(rest)
		if err != nil {
			return s, err
		}
	}
	pub, err := parseKey(rest)
	if err != nil {
		return s, fmt.Errorf("cannot parse key for %q: %w", principals, err)
	}
	if _, ok := pub.(*ssh.Certificate); ok {
		return s, errors.New("a certificate cannot be listed in allowed_signers: list the plain public key, or the CA key with cert-authority")
	}
	if err := sshsig.CheckKey(pub); err != nil {
		return s, err
	}
	s.Key = pub
	if err := parseOptions(&s, options, loc); err != nil {
		return s, err
	}
	return s, nil
}

// cutPrincipals splits off the principals as OpenSSH's strdelimw does: up
// to the first white space or double quote; a quote opens a part that runs
// to the next quote, white space included, and ends the field. White space
// after the field is skipped.
func cutPrincipals(line string) (field, rest string, err error) {
	i := strings.IndexAny(line, sshWhitespace+`"`)
	if i < 0 {
		return "", "", errors.New("expected `PRINCIPALS [OPTIONS] KEYTYPE BASE64KEY [COMMENT]`")
	}
	if line[i] != '"' {
		field, rest = line[:i], strings.TrimLeft(line[i+1:], sshWhitespace)
	} else {
		j := strings.IndexByte(line[i+1:], '"')
		if j < 0 {
			return "", "", errors.New("principals have an unterminated quote")
		}
		field, rest = line[:i]+line[i+1:i+1+j], strings.TrimLeft(line[i+2+j:], sshWhitespace)
	}
	if field == "" || rest == "" {
		return "", "", errors.New("expected `PRINCIPALS [OPTIONS] KEYTYPE BASE64KEY [COMMENT]`")
	}
	return field, rest, nil
}

// checkPatternList refuses a pattern-list with an empty pattern (a stray
// comma, or a lone "!"), which OpenSSH reads as a pattern matching only the
// empty string, and one with a pattern too long for OpenSSH to match.
func checkPatternList(what, list string) error {
	for _, p := range strings.Split(list, ",") {
		if p == "" || p == "!" {
			return fmt.Errorf("%s %q has an empty pattern", what, list)
		}
		if len(strings.TrimPrefix(p, "!")) > maxPattern {
			return fmt.Errorf("%s has a pattern of %d bytes; OpenSSH matches nothing with a pattern longer than %d", what, len(strings.TrimPrefix(p, "!")), maxPattern)
		}
	}
	return nil
}

// keyTypes are the key type names OpenSSH reads at the start of a key.
var keyTypes = map[string]bool{}

func init() {
	for _, t := range []string{ssh.KeyAlgoRSA, "ssh-dss", ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384,
		ssh.KeyAlgoECDSA521, ssh.KeyAlgoSKED25519, ssh.KeyAlgoSKECDSA256,
		ssh.CertAlgoRSAv01, "ssh-dss-cert-v01@openssh.com", ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01,
		ssh.CertAlgoECDSA521v01, ssh.CertAlgoSKED25519v01, ssh.CertAlgoSKECDSA256v01} {
		keyTypes[t] = true
	}
}

func isKeyType(word string) bool { return keyTypes[word] }

// cutOptions splits off the options as OpenSSH's
// sshkey_advance_past_options does: up to the first space or tab outside
// double quotes (\" inside quotes is a quote, not its end).
func cutOptions(rest string) (options, key string, err error) {
	quoted := false
	i := 0
	for ; i < len(rest) && (quoted || rest[i] != ' ' && rest[i] != '\t'); i++ {
		if rest[i] == '\\' && i+1 < len(rest) && rest[i+1] == '"' {
			i++
		} else if rest[i] == '"' {
			quoted = !quoted
		}
	}
	if quoted {
		return "", "", errors.New("options have an unterminated quote")
	}
	if i == len(rest) {
		return "", "", errors.New("missing key after the options")
	}
	return rest[:i], strings.TrimLeft(rest[i:], " \t"), nil
}

// parseKey reads "KEYTYPE BASE64 [COMMENT]" as OpenSSH's sshkey_read does:
// the type names the key the base64 holds; white space inside the base64
// (a CR at the end of the line, say) is skipped.
func parseKey(text string) (ssh.PublicKey, error) {
	i := strings.IndexAny(text, " \t")
	if i < 0 {
		return nil, errors.New("expected `KEYTYPE BASE64KEY`")
	}
	typ := text[:i]
	if !isKeyType(typ) {
		return nil, fmt.Errorf("%q is not a key type", typ)
	}
	b64 := strings.TrimLeft(text[i:], " \t")
	if j := strings.IndexAny(b64, " \t"); j >= 0 {
		b64 = b64[:j]
	}
	b64 = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\n\v\f\r", r) {
			return -1
		}
		return r
	}, b64)
	if b64 == "" {
		return nil, errors.New("expected `KEYTYPE BASE64KEY`")
	}
	blob, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("key is not valid base64: %w", err)
	}
	pub, err := ssh.ParsePublicKey(blob)
	if err != nil {
		return nil, err
	}
	if pub.Type() != typ {
		return nil, fmt.Errorf("key is a %s key, not %s as the line says", pub.Type(), typ)
	}
	return pub, nil
}

// parseOptions reads the options as OpenSSH's sshsigopt_parse does: names
// in any case, values in double quotes, separated by single commas; and
// planguard's verify-required. Each option at most once: OpenSSH refuses a
// repeated namespaces, valid-after or valid-before ("multiple ... clauses"),
// since with the last value winning an appended valid-before could undo one
// that revoked the key.
func parseOptions(s *Entry, opts string, loc *time.Location) error {
	seen := map[string]bool{}
	for opts != "" {
		var name string
		for _, n := range []string{"cert-authority", "verify-required", "namespaces=", "valid-after=", "valid-before="} {
			if len(opts) >= len(n) && strings.EqualFold(opts[:len(n)], n) {
				name = strings.TrimSuffix(n, "=")
				opts = opts[len(n):]
				break
			}
		}
		// OpenSSH sets the cert-authority flag again; a value it would keep
		// the last of is refused.
		if name != "" && name != "cert-authority" && seen[name] {
			return fmt.Errorf("option %s appears more than once; OpenSSH refuses such a line: keep one %s", name, name)
		}
		seen[name] = true
		switch name {
		case "":
			// OpenSSH skips an empty option (",," or a leading comma).
			if opts[0] != ',' {
				opt, _, _ := strings.Cut(opts, ",")
				return fmt.Errorf("unknown option %q (supported: namespaces, valid-after, valid-before, verify-required)", opt)
			}
		case "cert-authority":
			s.CertAuthority = true
		case "verify-required":
			s.VerifyRequired = true
		default:
			v, tail, err := dequote(opts)
			if err != nil {
				return fmt.Errorf("option %s: %w", name, err)
			}
			opts = tail
			switch name {
			case "namespaces":
				if v == "" {
					return errors.New(`namespaces="" allows nothing; remove the option or list namespaces`)
				}
				if err := checkPatternList("namespaces", v); err != nil {
					return err
				}
				s.Namespaces = v
			case "valid-after", "valid-before":
				t, err := parseSSHTime(v, loc)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if name == "valid-after" {
					s.ValidAfter = t
				} else {
					s.ValidBefore = t
				}
			}
		}
		if opts == "" {
			break
		}
		if opts[0] != ',' {
			opt, _, _ := strings.Cut(opts, ",")
			return fmt.Errorf("option %s is followed by %q: separate options with one comma", name, opt)
		}
		opts = opts[1:]
		if opts == "" {
			return errors.New("options end with a comma; OpenSSH refuses it: remove the comma")
		}
	}
	if !s.ValidAfter.IsZero() && !s.ValidBefore.IsZero() && !s.ValidBefore.After(s.ValidAfter) {
		return errors.New("valid-before is not after valid-after")
	}
	return nil
}

// dequote reads a double-quoted value at the start of s as OpenSSH's
// opt_dequote does (\" stands for a quote), and returns it and what follows.
func dequote(s string) (value, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", errors.New(`the value must be in double quotes, as OpenSSH requires: name="value"`)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case s[i] == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", errors.New("the value's closing quote is missing")
}

// parseSSHTime parses OpenSSH's YYYYMMDD[HHMM[SS]][Z], a time after the
// epoch (OpenSSH reads the epoch itself as "no time"). Stricter than
// OpenSSH, it refuses the suffix "UTC" and dates that do not exist (OpenSSH
// reads 20260231 as 3 March).
func parseSSHTime(v string, loc *time.Location) (time.Time, error) {
	s := v
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		s = s[:len(s)-1]
		loc = time.UTC
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return time.Time{}, fmt.Errorf("time %q is not YYYYMMDD[HHMM[SS]][Z]", v)
		}
	}
	var layout string
	switch len(s) {
	case 8:
		layout = "20060102"
	case 12:
		layout = "200601021504"
	case 14:
		layout = "20060102150405"
	default:
		return time.Time{}, fmt.Errorf("time %q is not YYYYMMDD[HHMM[SS]][Z]", v)
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is invalid: %w", v, err)
	}
	if t.Unix() <= 0 {
		return time.Time{}, fmt.Errorf("time %q is not after 1970-01-01T00:00:00Z; OpenSSH refuses it", v)
	}
	return t, nil
}
