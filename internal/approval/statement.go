// Package approval defines what a planguard approval is and what is signed:
// the approval statement, its canonical payload (RFC 8785 JSON), OpenSSH
// SSHSIG signatures over it, and the OpenSSH allowed_signers trust file that
// says whose signatures count.
//
// The provider and the gate both use this package, so there is exactly one
// definition of the signed bytes.
package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/address"
)

// PayloadType is the "type" member of every payload; it versions the format.
const PayloadType = "planguard.approval/v1"

// Namespace is the SSHSIG namespace of approval signatures
// (ssh-keygen -Y sign -n planguard-approval).
const Namespace = "planguard-approval"

// Actions an approval can name.
const (
	ActionDelete  = "delete"
	ActionReplace = "replace"
	ActionUpdate  = "update"
	ActionForget  = "forget"
	// ActionProvision approves the provisioners (code run at apply time)
	// of the target resource instance.
	ActionProvision = "provision"
)

// Actions lists the valid actions, in documentation order.
var Actions = []string{ActionDelete, ActionReplace, ActionUpdate, ActionForget, ActionProvision}

// Limits on field sizes; an approval is a short statement, not a document.
const (
	maxScope  = 128
	maxReason = 4096
	maxID     = 1024
)

// Statement is what an approver agrees to: one action on one resource
// instance, in one scope, until a time.
type Statement struct {
	Scope     string
	Target    string
	Action    string
	Reason    string
	ExpiresAt string // RFC 3339, signed exactly as written
	Identity  string // the object's prior id, or "" when not bound
}

// FieldError reports which field of a statement is invalid.
type FieldError struct {
	Field string // scope, target, action, reason, expires_at, identity
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// ValidScope reports whether s is a valid scope: 1 to 128 characters of
// A-Z, a-z, 0-9, '.', '_' and '-'.
func ValidScope(s string) error {
	if s == "" {
		return errors.New("scope is empty")
	}
	if len(s) > maxScope {
		return fmt.Errorf("scope is longer than %d characters", maxScope)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("scope %q may contain only letters, digits, '.', '_' and '-'", s)
		}
	}
	return nil
}

// ValidAction reports whether a is one of delete, replace, update, forget, provision.
func ValidAction(a string) error {
	for _, v := range Actions {
		if a == v {
			return nil
		}
	}
	return fmt.Errorf("action %q is not one of %s", a, strings.Join(Actions, ", "))
}

// ParseExpiry parses an RFC 3339 timestamp such as 2026-12-01T00:00:00Z.
func ParseExpiry(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expires_at %q is not an RFC 3339 time such as 2026-12-01T00:00:00Z", s)
	}
	return t, nil
}

// Validate checks every field and returns a *FieldError for the first bad one.
func (s Statement) Validate() error {
	if err := ValidScope(s.Scope); err != nil {
		return &FieldError{"scope", err}
	}
	if _, err := address.Parse(s.Target); err != nil {
		return &FieldError{"target", err}
	}
	if err := ValidAction(s.Action); err != nil {
		return &FieldError{"action", err}
	}
	if strings.TrimSpace(s.Reason) == "" {
		return &FieldError{"reason", errors.New("reason is empty: say why, e.g. a change ticket")}
	}
	if len(s.Reason) > maxReason {
		return &FieldError{"reason", fmt.Errorf("reason is longer than %d bytes", maxReason)}
	}
	if !utf8.ValidString(s.Reason) {
		return &FieldError{"reason", errors.New("reason is not valid UTF-8")}
	}
	if _, err := ParseExpiry(s.ExpiresAt); err != nil {
		return &FieldError{"expires_at", err}
	}
	if len(s.Identity) > maxID {
		return &FieldError{"identity", fmt.Errorf("identity is longer than %d bytes", maxID)}
	}
	if !utf8.ValidString(s.Identity) {
		return &FieldError{"identity", errors.New("identity is not valid UTF-8")}
	}
	return nil
}

// Payload returns the canonical bytes that approvers sign: the RFC 8785 JSON
// of the statement's members and "type". It validates the statement first.
func (s Statement) Payload() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	members := map[string]string{
		"type":       PayloadType,
		"scope":      s.Scope,
		"target":     s.Target,
		"action":     s.Action,
		"reason":     s.Reason,
		"expires_at": s.ExpiresAt,
		"identity":   s.Identity,
	}
	return canonicalObject(members), nil
}

// ID returns the hex SHA-256 of the payload.
func (s Statement) ID() (string, error) {
	p, err := s.Payload()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:]), nil
}

// canonicalObject serialises a flat object of strings per RFC 8785: members
// sorted by the UTF-16 code units of their names, no white space, strings
// escaped as ECMAScript's JSON.stringify does. Keys here are ASCII, so byte
// order equals UTF-16 order. Values must be valid UTF-8 (Validate ensures it).
func canonicalObject(m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, k)
		b.WriteByte(':')
		writeJSONString(&b, m[k])
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// writeJSONString writes s as an RFC 8785 string: only '"', '\\' and
// control characters below U+0020 are escaped, using the short forms
// \b \t \n \f \r where they exist and \u00xx (lower-case hex) otherwise.
func writeJSONString(b *strings.Builder, s string) {
	const hexdigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexdigits[c>>4])
			b.WriteByte(hexdigits[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
