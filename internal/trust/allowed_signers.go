// Package trust decides whose SSH signatures count: an OpenSSH
// allowed_signers file (ssh-keygen(1), "ALLOWED SIGNERS", the format git
// uses) names which keys may sign for which principals, in which namespaces
// and when.
//
// Parsing is strict: a line OpenSSH would refuse, or one whose meaning
// planguard does not support, refuses the whole file.
package trust

import (
	"bytes"
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
}

// ParseOptions configure ParseAllowedSigners.
type ParseOptions struct {
	// Location interprets valid-after/valid-before times that lack a "Z"
	// suffix, as OpenSSH does with the system time zone. Nil means UTC.
	Location *time.Location
}

const maxAllowedSigners = 4 << 20

// ParseAllowedSigners parses an allowed_signers file. name is used in errors.
// Blank lines and lines starting with '#' are ignored; every other line must
// parse, or the whole file is refused.
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
		line := strings.TrimSpace(string(bytes.TrimSuffix(raw, []byte("\r"))))
		if line == "" || strings.HasPrefix(line, "#") {
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
	return as, nil
}

func parseLine(line string, loc *time.Location) (Entry, error) {
	var s Entry
	principals, rest, err := cutField(line)
	if err != nil {
		return s, err
	}
	if principals == "" || rest == "" {
		return s, errors.New("expected `PRINCIPALS [OPTIONS] KEYTYPE BASE64KEY [COMMENT]`")
	}
	for _, p := range strings.Split(principals, ",") {
		if p == "" || p == "!" {
			return s, fmt.Errorf("principals %q has an empty pattern", principals)
		}
	}
	s.Principals = principals
	// The remainder has authorized_keys syntax: [options] keytype key [comment].
	pub, _, options, _, err := ssh.ParseAuthorizedKey([]byte(rest))
	if err != nil {
		return s, fmt.Errorf("cannot parse key for %q: %w", principals, err)
	}
	if _, ok := pub.(*ssh.Certificate); ok {
		return s, errors.New("certificates are not supported in allowed_signers; list the plain public key")
	}
	if err := sshsig.CheckKey(pub); err != nil {
		return s, err
	}
	s.Key = pub
	seen := map[string]bool{}
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, "=")
		// OpenSSH refuses a line that repeats an option ("multiple
		// \"valid-before\" clauses"): with the last value winning, an
		// appended valid-before could undo one that revoked the key.
		lower := strings.ToLower(name)
		if seen[lower] {
			return s, fmt.Errorf("option %s appears more than once; OpenSSH refuses such a line: keep one %s", lower, lower)
		}
		seen[lower] = true
		switch lower {
		case "cert-authority":
			return s, errors.New("cert-authority is not supported: planguard trusts plain keys only; list each approver's public key")
		case "namespaces":
			v, err := unquote(value, hasValue, name)
			if err != nil {
				return s, err
			}
			if v == "" {
				return s, errors.New(`namespaces="" allows nothing; remove the option or list namespaces`)
			}
			s.Namespaces = v
		case "valid-after", "valid-before":
			v, err := unquote(value, hasValue, name)
			if err != nil {
				return s, err
			}
			t, err := parseSSHTime(v, loc)
			if err != nil {
				return s, fmt.Errorf("%s: %w", name, err)
			}
			if name == "valid-after" {
				s.ValidAfter = t
			} else {
				s.ValidBefore = t
			}
		case "verify-required":
			if hasValue {
				return s, errors.New("verify-required takes no value")
			}
			s.VerifyRequired = true
		default:
			return s, fmt.Errorf("unknown option %q (supported: namespaces, valid-after, valid-before, verify-required)", name)
		}
	}
	if !s.ValidAfter.IsZero() && !s.ValidBefore.IsZero() && !s.ValidBefore.After(s.ValidAfter) {
		return s, errors.New("valid-before is not after valid-after")
	}
	return s, nil
}

// cutField splits off the first field, which may be double-quoted.
func cutField(line string) (field, rest string, err error) {
	if strings.HasPrefix(line, `"`) {
		end := strings.IndexByte(line[1:], '"')
		if end < 0 {
			return "", "", errors.New("unterminated quoted principals")
		}
		return line[1 : end+1], strings.TrimSpace(line[end+2:]), nil
	}
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return line, "", nil
	}
	return line[:i], strings.TrimSpace(line[i:]), nil
}

func unquote(v string, hasValue bool, name string) (string, error) {
	if !hasValue {
		return "", fmt.Errorf("option %s needs a value", name)
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1], nil
	}
	if strings.ContainsRune(v, '"') {
		return "", fmt.Errorf("option %s has a badly quoted value", name)
	}
	return v, nil
}

// parseSSHTime parses OpenSSH's YYYYMMDD[HHMM[SS]][Z].
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
	return t, nil
}

// Error says why a key is not trusted for a principal.
type Error struct {
	Principal string
	Reason    string
}

func (e *Error) Error() string { return e.Reason }

// Authorize reports whether key may sign for principal in namespace at time
// now: some line's principals pattern-list matches the principal exactly
// (case-sensitive, '*' and '?' wildcards, '!' negation), its key equals key,
// its namespaces allow namespace, and now lies within its validity window.
// The error explains the closest miss.
func (a *AllowedSigners) Authorize(principal string, key ssh.PublicKey, namespace string, now time.Time) (*Entry, error) {
	if a == nil {
		return nil, &Error{principal, "no allowed_signers file"}
	}
	keyBytes := key.Marshal()
	reason := fmt.Sprintf("key %s is not listed for principal %q in allowed_signers", ssh.FingerprintSHA256(key), principal)
	for i := range a.Entries {
		e := &a.Entries[i]
		if !bytes.Equal(e.Key.Marshal(), keyBytes) {
			continue
		}
		if matchPatternList(principal, e.Principals) != 1 {
			continue
		}
		if e.Namespaces != "" && matchPatternList(namespace, e.Namespaces) != 1 {
			reason = fmt.Sprintf("allowed_signers line %d does not allow namespace %q for %q", e.Line, namespace, principal)
			continue
		}
		if !e.ValidAfter.IsZero() && now.Before(e.ValidAfter) {
			reason = fmt.Sprintf("allowed_signers line %d: key for %q is not valid until %s", e.Line, principal, e.ValidAfter.UTC().Format(time.RFC3339))
			continue
		}
		if !e.ValidBefore.IsZero() && now.After(e.ValidBefore) {
			reason = fmt.Sprintf("allowed_signers line %d: key for %q expired at %s", e.Line, principal, e.ValidBefore.UTC().Format(time.RFC3339))
			continue
		}
		return e, nil
	}
	return nil, &Error{principal, reason}
}

// KeysOf returns the SHA256 fingerprints of every key that some line lists
// for principal (its pattern-list matches it, ignoring case), whatever the
// line's namespaces and validity window. The gate uses it for separation of
// duties: a signature made with any key of the change's author does not
// count, under whatever principal name it claims. Unlike Authorize, it folds
// case: it excludes, and excluding too much is the safe side.
func (a *AllowedSigners) KeysOf(principal string) map[string]bool {
	keys := map[string]bool{}
	if a == nil || principal == "" {
		return keys
	}
	for i := range a.Entries {
		if matchPatternList(strings.ToLower(principal), strings.ToLower(a.Entries[i].Principals)) == 1 {
			keys[ssh.FingerprintSHA256(a.Entries[i].Key)] = true
		}
	}
	return keys
}

// matchPatternList implements OpenSSH's match_pattern_list without case
// folding: 1 when a positive pattern matches and no negated one does, -1 when
// a negated pattern matches, 0 otherwise.
func matchPatternList(s, list string) int {
	got := 0
	for _, p := range strings.Split(list, ",") {
		negated := strings.HasPrefix(p, "!")
		if negated {
			p = p[1:]
		}
		if matchPattern(s, p) {
			if negated {
				return -1
			}
			got = 1
		}
	}
	return got
}

// matchPattern matches s against a pattern with '*' (any run) and '?' (one byte).
func matchPattern(s, p string) bool {
	// Iterative wildcard match with backtracking on the last '*'.
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			si++
			pi++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
