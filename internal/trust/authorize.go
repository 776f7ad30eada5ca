package trust

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
)

// Error says why a key is not trusted for a principal.
type Error struct {
	Principal string
	Reason    string
	// Err is ErrRevoked (wrapped) when a revocation file revokes the key.
	Err error
}

func (e *Error) Error() string { return e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Authorize reports whether sig, a signature package sshsig has verified,
// counts for principal in namespace at time now, as ssh-keygen -Y verify
// decides: some line's principals pattern-list matches the principal
// exactly (case-sensitive, '*' and '?' wildcards, '!' negation), its key
// equals the signing key (or, on a cert-authority line, signed the user
// certificate that made the signature, which names the principal, is valid
// at now and has no critical options), its namespaces allow namespace, and
// now lies within its validity window; and, for a line with
// verify-required, the signature carries the FIDO user-verification flag.
// It returns that line; the error explains the closest miss. A signature
// whose key, certificate or CA the revocation file revokes never counts:
// the error then wraps ErrRevoked.
func (a *AllowedSigners) Authorize(principal string, sig *sshsig.Signature, namespace string, now time.Time) (*Entry, error) {
	if a != nil {
		// Revocation first, as ssh-keygen -Y verify -r checks it.
		if err := a.Revoked.Check(sig.PublicKey); err != nil {
			return nil, &Error{principal, err.Error(), err}
		}
	}
	e, err := a.authorizeKey(principal, sig.PublicKey, namespace, now)
	if err != nil {
		return nil, err
	}
	if e.VerifyRequired {
		if !sshsig.IsFIDO(sig.PublicKey) {
			return nil, &Error{principal, fmt.Sprintf("allowed_signers line %d requires user verification, which only FIDO keys provide", e.Line), nil}
		}
		if !sig.UserVerified() {
			return nil, &Error{principal, fmt.Sprintf("allowed_signers line %d requires user verification (PIN), and the signature lacks it", e.Line), nil}
		}
	}
	return e, nil
}

// AuthorizeKey is Authorize before a signature exists (approve checks a key
// before it signs): revocation, and the line that trusts key for principal
// in namespace at now. A verify-required line is judged when the signature
// is.
func (a *AllowedSigners) AuthorizeKey(principal string, key ssh.PublicKey, namespace string, now time.Time) (*Entry, error) {
	if a != nil {
		if err := a.Revoked.Check(key); err != nil {
			return nil, &Error{principal, err.Error(), err}
		}
	}
	return a.authorizeKey(principal, key, namespace, now)
}

// authorizeKey is Authorize without the signature's flags: the line that
// trusts key for principal in namespace at now.
func (a *AllowedSigners) authorizeKey(principal string, key ssh.PublicKey, namespace string, now time.Time) (*Entry, error) {
	if a == nil {
		return nil, &Error{principal, "no allowed_signers file", nil}
	}
	keyBytes := key.Marshal()
	cert, _ := key.(*ssh.Certificate)
	reason := fmt.Sprintf("key %s is not listed for principal %q in allowed_signers", ssh.FingerprintSHA256(key), principal)
	if cert != nil {
		reason = fmt.Sprintf("no cert-authority line for principal %q lists the CA key %s of certificate %q (serial %d)",
			principal, ssh.FingerprintSHA256(cert.SignatureKey), cert.KeyId, cert.Serial)
	}
	for i := range a.Entries {
		e := &a.Entries[i]
		switch {
		case !e.CertAuthority && !bytes.Equal(e.Key.Marshal(), keyBytes):
			continue
		case e.CertAuthority && (cert == nil || !bytes.Equal(e.Key.Marshal(), cert.SignatureKey.Marshal())):
			continue
		}
		if matchPatternList(principal, e.Principals) != 1 {
			continue
		}
		if e.CertAuthority {
			if why := certProblem(cert, principal, now); why != "" {
				reason = fmt.Sprintf("allowed_signers line %d: certificate %q (serial %d) %s", e.Line, cert.KeyId, cert.Serial, why)
				continue
			}
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
	return nil, &Error{principal, reason, nil}
}

// certProblem says why a user certificate signed by a trusted CA does not
// count for principal at now, or "" when it does. The checks are OpenSSH's
// sshkey_cert_check_authority (a user certificate, valid at now, naming
// the principal exactly), and, stricter than ssh-keygen -Y verify, no
// critical options: force-command and source-address restrict what a
// certificate may do, so such a certificate does not carry an approver's
// full authority.
func certProblem(cert *ssh.Certificate, principal string, now time.Time) string {
	t := uint64(max(now.Unix(), 0))
	switch {
	case cert.CertType != ssh.UserCert:
		return "is not a user certificate"
	case t < cert.ValidAfter:
		return "is not valid until " + certTime(cert.ValidAfter)
	case t >= cert.ValidBefore:
		return "expired at " + certTime(cert.ValidBefore)
	case len(cert.ValidPrincipals) == 0:
		return "lists no principals (OpenSSH refuses such a certificate here)"
	case !slices.Contains(cert.ValidPrincipals, principal):
		return fmt.Sprintf("does not list principal %q (it lists %s)", principal, strings.Join(cert.ValidPrincipals, ", "))
	case len(cert.CriticalOptions) > 0:
		names := slices.Sorted(maps.Keys(cert.CriticalOptions))
		return fmt.Sprintf("has critical options (%s), which restrict what it may do: planguard does not count signatures by restricted certificates", strings.Join(names, ", "))
	}
	return ""
}

func certTime(t uint64) string {
	if t > math.MaxInt64 {
		return "forever"
	}
	return time.Unix(int64(t), 0).UTC().Format(time.RFC3339)
}

// KeysOf returns the SHA256 fingerprints of every key that some line other
// than a cert-authority line lists for principal (its pattern-list matches
// it, ignoring case), whatever the line's namespaces and validity window.
// The gate uses it for separation of duties: a signature made with any key
// of the change's author does not count, under whatever principal name it
// claims. Unlike Authorize, it folds case: it excludes, and excluding too
// much is the safe side. (A certificate's own principals say whose it is;
// see approval.Certificate.)
func (a *AllowedSigners) KeysOf(principal string) map[string]bool {
	keys := map[string]bool{}
	if a == nil || principal == "" {
		return keys
	}
	for i := range a.Entries {
		if a.Entries[i].CertAuthority {
			continue // a CA key signs certificates, not approvals
		}
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
