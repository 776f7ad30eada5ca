package approval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
	"golang.org/x/crypto/ssh"
)

// PlanApprovalType is the "type" member of a plan approval's payload.
const PlanApprovalType = "planguard.plan-approval/v1"

// MaxPlanApprovalFile bounds a plan approval file: a few short strings and
// one armored signature.
const MaxPlanApprovalFile = 64 << 10

// PlanApproval is what an approver of a whole saved plan agrees to: that
// exactly the plan file whose SHA-256 is PlanSHA256 may be applied in
// Scope until ExpiresAt. `planguard runner apply` counts these when the
// policy's runner block asks for plan approvals.
type PlanApproval struct {
	Scope      string
	PlanSHA256 string // lower-case hex SHA-256 of the binary saved plan file
	ExpiresAt  string // RFC 3339, signed exactly as written
}

// Validate checks every field and returns a *FieldError for the first bad one.
func (p PlanApproval) Validate() error {
	if err := ValidScope(p.Scope); err != nil {
		return &FieldError{"scope", err}
	}
	if !isLowerHex(p.PlanSHA256, 64) {
		return &FieldError{"plan_sha256", fmt.Errorf("plan_sha256 %q is not 64 lower-case hex digits (the SHA-256 of the saved plan file)", p.PlanSHA256)}
	}
	if _, err := ParseExpiry(p.ExpiresAt); err != nil {
		return &FieldError{"expires_at", err}
	}
	return nil
}

// Payload returns the bytes an approver signs: the RFC 8785 JSON of
// {"expires_at","plan_sha256","scope","type"}, which, the members being
// sorted, is exactly
//
//	{"expires_at":"…","plan_sha256":"…","scope":"…","type":"planguard.plan-approval/v1"}
//
// with no white space. It validates first.
func (p PlanApproval) Payload() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return canonjson.StringObject(map[string]string{
		"type":        PlanApprovalType,
		"scope":       p.Scope,
		"plan_sha256": p.PlanSHA256,
		"expires_at":  p.ExpiresAt,
	}), nil
}

// PlanApprovalFile is a plan approval as it is kept and passed around: the
// statement, who signed it, and the armored SSHSIG.
type PlanApprovalFile struct {
	Scope      string `json:"scope"`
	PlanSHA256 string `json:"plan_sha256"`
	ExpiresAt  string `json:"expires_at"`
	Principal  string `json:"principal"`
	Signature  string `json:"signature"`
}

// Statement returns the signed statement of the file.
func (f PlanApprovalFile) Statement() PlanApproval {
	return PlanApproval{Scope: f.Scope, PlanSHA256: f.PlanSHA256, ExpiresAt: f.ExpiresAt}
}

// ParsePlanApprovalFile decodes a plan approval file strictly: one JSON
// object with exactly the five members, each a non-empty string, at most
// MaxPlanApprovalFile bytes, and a valid statement.
func ParsePlanApprovalFile(b []byte) (PlanApprovalFile, error) {
	var f PlanApprovalFile
	if len(b) > MaxPlanApprovalFile {
		return f, fmt.Errorf("plan approval is %d bytes, more than %d", len(b), MaxPlanApprovalFile)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("plan approval: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, errors.New("plan approval: data after the JSON object")
	}
	for name, v := range map[string]string{"scope": f.Scope, "plan_sha256": f.PlanSHA256, "expires_at": f.ExpiresAt, "principal": f.Principal, "signature": f.Signature} {
		if v == "" {
			return f, fmt.Errorf("plan approval: %s is missing or empty", name)
		}
	}
	if err := f.Statement().Validate(); err != nil {
		return f, fmt.Errorf("plan approval: %w", err)
	}
	return f, nil
}

// Marshal returns the file's JSON form, one object and a newline.
func (f PlanApprovalFile) Marshal() []byte {
	b, _ := json.MarshalIndent(f, "", "  ") // strings only: cannot fail
	return append(b, '\n')
}

// SignPlanApproval signs the payload of p with signer in namespace
// planguard-approval.
func SignPlanApproval(p PlanApproval, signer ssh.Signer) (string, error) {
	payload, err := p.Payload()
	if err != nil {
		return "", err
	}
	return sshsig.Sign(signer, payload, Namespace)
}

// VerifyPlanApproval checks that armored is a valid SSHSIG by principal
// over the payload of p, in namespace planguard-approval, with a key trust
// allows for that principal at now. It does not judge expiry or which plan
// and scope are wanted: the caller compares those.
func VerifyPlanApproval(p PlanApproval, principal, armored string, signers *trust.AllowedSigners, now time.Time) (Verified, error) {
	payload, err := p.Payload()
	if err != nil {
		return Verified{}, &SignatureError{Principal: principal, Kind: ProblemBadSignature, Err: err}
	}
	return verifyPayload(payload, principal, armored, signers, now)
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}
