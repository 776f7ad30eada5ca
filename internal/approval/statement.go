// Package approval defines what a planguard approval is and what is signed:
// the approval statement and its canonical payload (RFC 8785 JSON), and
// VerifySignature, which checks one signature over it: an OpenSSH SSHSIG
// (package sshsig) by a key an allowed_signers file trusts (package trust).
//
// The provider and the gate both use this package, so there is exactly one
// definition of the signed bytes.
package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/address"
	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
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
	// ActionMove approves keeping an object in state under a new address
	// (a moved block): the statement's From names its previous address.
	ActionMove = "move"
	// ActionProvision approves the provisioners a plan would run on the
	// resource instance Target.
	ActionProvision = "provision"
	// ActionInvoke approves the invocation of the action (Terraform 1.14+)
	// whose address is Target, e.g. action.aws_ec2_stop_instance.db.
	ActionInvoke = "invoke"
)

// Actions lists the valid actions, in documentation order.
var Actions = []string{ActionDelete, ActionReplace, ActionUpdate, ActionForget, ActionMove, ActionProvision, ActionInvoke}

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
	// From is the previous resource instance address of an object the plan
	// moves (Terraform's previous_address), or "" for an unmoved object.
	// Required for action move, allowed with delete, replace, update and
	// forget, refused with provision.
	From string
	// IssuedAt is when the approval was issued: RFC 3339 in UTC ("Z"),
	// signed exactly as written, before ExpiresAt; "" when not stated.
	IssuedAt string
}

// FieldError reports which field of a statement is invalid.
type FieldError struct {
	Field string // scope, target, action, reason, expires_at, identity, from, issued_at
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

// ValidAction reports whether a is one of delete, replace, update, forget,
// move, provision, invoke.
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

// ParseIssuedAt parses issued_at: an RFC 3339 timestamp in UTC, written with
// the "Z" suffix, such as 2026-11-24T09:30:00Z (fractional seconds allowed,
// as in expires_at; offsets such as +01:00 are refused).
func ParseIssuedAt(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		return time.Time{}, fmt.Errorf("issued_at %q is not an RFC 3339 time in UTC such as 2026-11-24T09:30:00Z", s)
	}
	return t, nil
}

// CheckFrom checks from against the statement's target and action: empty,
// or a resource instance address other than target; required when action is
// move, refused when action is provision. target and action are assumed
// valid (Validate checks them first).
func CheckFrom(from, target, action string) error {
	if from == "" {
		if action == ActionMove {
			return errors.New("from is required when action is move: the previous address of the moved object")
		}
		return nil
	}
	if action == ActionProvision || action == ActionInvoke {
		return fmt.Errorf("from must be empty when action is %s (it names %q)", action, from)
	}
	if _, err := address.Parse(from); err != nil {
		return err
	}
	if from == target {
		return fmt.Errorf("from %q equals target: from is the object's previous address, target its new one", from)
	}
	return nil
}

// CheckTarget checks a target against a valid action: the address of an
// action (Terraform 1.14+) for invoke, else a managed resource instance
// address; canonical either way.
func CheckTarget(target, action string) error {
	if action == ActionInvoke {
		_, err := address.ParseAction(target)
		return err
	}
	_, err := address.Parse(target)
	return err
}

// CheckIssuedAt checks issuedAt, when not empty, against expiresAt: an
// RFC 3339 UTC time strictly before expires_at. An unparsable expiresAt is
// left to ParseExpiry to report.
func CheckIssuedAt(issuedAt, expiresAt string) error {
	if issuedAt == "" {
		return nil
	}
	issued, err := ParseIssuedAt(issuedAt)
	if err != nil {
		return err
	}
	if expires, err := ParseExpiry(expiresAt); err == nil && !issued.Before(expires) {
		return fmt.Errorf("issued_at %s is not before expires_at %s", issuedAt, expiresAt)
	}
	return nil
}

// Validate checks every field and returns a *FieldError for the first bad one.
func (s Statement) Validate() error {
	if err := ValidScope(s.Scope); err != nil {
		return &FieldError{"scope", err}
	}
	if err := ValidAction(s.Action); err != nil {
		return &FieldError{"action", err}
	}
	if err := CheckTarget(s.Target, s.Action); err != nil {
		return &FieldError{"target", err}
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
	if err := CheckFrom(s.From, s.Target, s.Action); err != nil {
		return &FieldError{"from", err}
	}
	if err := CheckIssuedAt(s.IssuedAt, s.ExpiresAt); err != nil {
		return &FieldError{"issued_at", err}
	}
	return nil
}

// Payload returns the canonical bytes that approvers sign: the RFC 8785 JSON
// of the statement's members and "type". "from" and "issued_at" are members
// only when not empty, so that a statement without them signs the same bytes
// as before they existed. It validates the statement first.
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
	if s.From != "" {
		members["from"] = s.From
	}
	if s.IssuedAt != "" {
		members["issued_at"] = s.IssuedAt
	}
	return canonjson.StringObject(members), nil
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
