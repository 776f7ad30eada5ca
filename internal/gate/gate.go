// Package gate decides whether a plan may be applied: every destructive
// change to a protected resource must be covered by approvals that name it
// exactly and are signed by enough distinct trusted principals.
//
// The package does no I/O: the plan, the policy, the trust file and the clock
// are inputs, the report is the output.
package gate

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// Decisions.
const (
	Allow = "allow"
	Block = "block"
)

// Approval statuses, as reported.
const (
	StatusValid         = "valid"          // counted toward a change
	StatusUnused        = "unused"         // sound, but names no destructive change in this plan
	StatusUnknown       = "unknown"        // values unknown until apply: cannot be checked
	StatusInvalid       = "invalid"        // a field is malformed
	StatusWrongScope    = "wrong_scope"    // names another scope than the policy's
	StatusExpired       = "expired"        // expires_at has passed
	StatusBadSignature  = "bad_signature"  // no signature verifies over the payload
	StatusUntrusted     = "untrusted"      // signatures verify but allowed_signers trusts none of them
	StatusWrongAction   = "wrong_action"   // the target changes, but by another action
	StatusWrongIdentity = "wrong_identity" // bound to another object than the one the plan changes
	StatusTTLExceeded   = "ttl_exceeded"   // valid for longer than the rule's max_ttl
	StatusNoSigners     = "no_signers"     // only the author signed, or signatures did not reach quorum alone
)

// Input is everything the decision depends on.
type Input struct {
	Plan   *plan.Plan
	Policy *policy.Policy
	Trust  *approval.AllowedSigners
	// Now is the time approvals and trust windows are judged at.
	Now time.Time
	// Author is the principal who proposed the change (CI sets it); their
	// signatures never count, so nobody approves their own destruction.
	Author string
}

// Report is the outcome of a check; its JSON form is the contract of
// `planguard check --format json`.
type Report struct {
	Version  int       `json:"version"`
	Decision string    `json:"decision"`
	Scope    string    `json:"scope"`
	Plan     PlanInfo  `json:"plan"`
	Author   string    `json:"author,omitempty"`
	Now      time.Time `json:"checked_at"`
	// Provisioners and Providers: code the apply runs (see provision.go).
	// They come before the two long lists, which the json renderer streams.
	Provisioners []Provision `json:"provisioners"`
	Providers    []Provider  `json:"providers"`
	Changes      []Change    `json:"changes"`
	Approvals    []Approval  `json:"approvals"`
}

// PlanInfo identifies the plan that was checked.
type PlanInfo struct {
	TerraformVersion string `json:"terraform_version"`
	FormatVersion    string `json:"format_version"`
	SHA256           string `json:"sha256"`
}

// Change is one destructive change and its verdict.
type Change struct {
	Address           string   `json:"address"`
	Type              string   `json:"type"`
	Action            string   `json:"action"`
	Actions           []string `json:"actions"`
	ActionReason      string   `json:"action_reason"`
	Deposed           string   `json:"deposed,omitempty"`
	PriorID           string   `json:"prior_id,omitempty"`
	Deferred          bool     `json:"deferred,omitempty"`
	Protected         bool     `json:"protected"`
	Rules             []string `json:"rules"`
	RequiredApprovals int      `json:"required_approvals"`
	RequireIdentity   bool     `json:"require_identity,omitempty"`
	Approved          bool     `json:"approved"`
	ApprovedBy        []string `json:"approved_by"`
	Problems          []string `json:"problems"`

	maxTTL time.Duration
}

// Blocked reports whether this change stops the apply.
func (c Change) Blocked() bool { return c.Protected && !c.Approved }

// Approval is one planguard_approval found in the plan and what became of it.
type Approval struct {
	Address    string   `json:"address"`
	Scope      string   `json:"scope"`
	Target     string   `json:"target"`
	Action     string   `json:"action"`
	ExpiresAt  string   `json:"expires_at"`
	Identity   string   `json:"identity,omitempty"`
	Status     string   `json:"status"`
	Principals []string `json:"principals"`
	Problems   []string `json:"problems"`
}

// signer is one verified signature that may count toward a quorum.
type signer struct{ principal, fingerprint string }

// candidate is an approval whose own checks passed; matching decides the rest.
type candidate struct {
	index   int
	stmt    approval.Statement
	expires time.Time
	signers []signer
}

// Decide checks a plan against a policy. It fails closed: missing inputs are
// an error, and the caller must treat an error as a block.
func Decide(in Input) (*Report, error) {
	if in.Plan == nil || in.Policy == nil || in.Trust == nil {
		return nil, errors.New("gate: plan, policy and trust are all required")
	}
	if in.Now.IsZero() {
		return nil, errors.New("gate: the time of the check is not set")
	}
	r := &Report{
		Version:   1,
		Scope:     in.Policy.Scope,
		Author:    in.Author,
		Now:       in.Now.UTC(),
		Plan:      PlanInfo{TerraformVersion: in.Plan.TerraformVersion, FormatVersion: in.Plan.FormatVersion, SHA256: in.Plan.SHA256},
		Changes:   []Change{},
		Approvals: make([]Approval, 0, len(in.Plan.Approvals)),
	}

	// Each approval is verified once, whatever the number of changes.
	byTarget := map[string][]*candidate{}
	for i, pa := range in.Plan.Approvals {
		a, c := checkApproval(in, pa)
		a.Principals, a.Problems = emptyIfNil(a.Principals), emptyIfNil(a.Problems)
		r.Approvals = append(r.Approvals, a)
		if c != nil {
			c.index = i
			byTarget[c.stmt.Target] = append(byTarget[c.stmt.Target], c)
		}
	}
	used := make([]bool, len(r.Approvals))

	for _, pc := range in.Plan.Changes {
		if ch, ok := destructive(in.Policy, pc); ok {
			judge(in, &ch, pc, byTarget[pc.Address], r.Approvals, used)
			r.Changes = append(r.Changes, ch)
		}
	}
	for _, pc := range in.Plan.Deferred {
		if ch, ok := destructive(in.Policy, pc); ok {
			ch.Deferred = true
			if ch.Protected {
				ch.Problems = append(ch.Problems, "the change is deferred: its final form is unknown, so it cannot be approved yet; apply the prerequisites first, then plan again")
			}
			r.Changes = append(r.Changes, ch)
		}
	}

	if err := judgeProvisioning(in, r, byTarget, used); err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}

	// Approvals that passed their own checks but covered nothing.
	for _, cs := range byTarget {
		for _, c := range cs {
			if !used[c.index] && r.Approvals[c.index].Status == "" {
				r.Approvals[c.index].Status = StatusUnused
				r.Approvals[c.index].Problems = append(r.Approvals[c.index].Problems, "names no destructive change in this plan")
			}
		}
	}

	r.Decision = Allow
	for _, c := range r.Changes {
		if c.Blocked() {
			r.Decision = Block
		}
	}
	if r.BlockedByCode() {
		r.Decision = Block
	}
	return r, nil
}

// destructive reports whether pc is a change the report lists, with its
// protection requirement filled in.
func destructive(p *policy.Policy, pc plan.Change) (Change, bool) {
	action := string(pc.Kind)
	if !pc.Kind.Destructive() && pc.Kind != plan.KindUpdate {
		return Change{}, false
	}
	req, protected := p.Require(pc.Address, pc.Type, action, pc.ChangedAttributes)
	if pc.Kind == plan.KindUpdate && !protected {
		// An update is destructive only when a rule says which attributes matter.
		return Change{}, false
	}
	ch := Change{
		Address:      pc.Address,
		Type:         pc.Type,
		Action:       action,
		Actions:      emptyIfNil(pc.Actions),
		ActionReason: pc.ActionReason,
		Deposed:      pc.Deposed,
		PriorID:      pc.PriorID,
		Protected:    protected,
		Rules:        []string{},
		ApprovedBy:   []string{},
		Problems:     []string{},
	}
	if protected {
		ch.Rules = req.Rules
		ch.RequiredApprovals = req.Approvals
		ch.RequireIdentity = req.RequireIdentity
		ch.maxTTL = req.MaxTTL
	}
	return ch, true
}

// judge counts the approvals naming a protected change.
func judge(in Input, ch *Change, pc plan.Change, cands []*candidate, reports []Approval, used []bool) {
	if !ch.Protected {
		// Approving an unprotected change is harmless; it is not "unused".
		for _, c := range cands {
			if c.stmt.Action == ch.Action {
				used[c.index] = true
				setStatus(&reports[c.index], StatusValid, "")
			}
		}
		return
	}
	counted := map[string]bool{} // principals and key fingerprints already counted
	var approvers []string
	for _, c := range cands {
		a := &reports[c.index]
		if c.stmt.Action != ch.Action {
			setStatus(a, StatusWrongAction, fmt.Sprintf("approves %s, but the plan will %s %s", c.stmt.Action, ch.Action, ch.Address))
			continue
		}
		if c.stmt.Identity != "" && c.stmt.Identity != pc.PriorID {
			setStatus(a, StatusWrongIdentity, fmt.Sprintf("bound to object %q, but the plan changes object %q", c.stmt.Identity, pc.PriorID))
			continue
		}
		if ch.RequireIdentity && (c.stmt.Identity == "" || pc.PriorID == "") {
			setStatus(a, StatusWrongIdentity, "the policy requires the approval to bind the object's prior id (identity), and it does not")
			continue
		}
		if ch.maxTTL > 0 && c.expires.Sub(in.Now) > ch.maxTTL {
			setStatus(a, StatusTTLExceeded, fmt.Sprintf("valid until %s, longer than the policy's max_ttl of %s", c.stmt.ExpiresAt, ch.maxTTL))
			continue
		}
		used[c.index] = true
		contributed := false
		for _, s := range c.signers {
			if counted["p:"+s.principal] || counted["k:"+s.fingerprint] {
				continue
			}
			counted["p:"+s.principal], counted["k:"+s.fingerprint] = true, true
			approvers = append(approvers, s.principal)
			contributed = true
		}
		if contributed || len(c.signers) > 0 {
			setStatus(a, StatusValid, "")
		}
	}
	sort.Strings(approvers)
	ch.ApprovedBy = emptyIfNil(approvers)
	ch.Approved = len(approvers) >= ch.RequiredApprovals
	switch {
	case ch.Approved:
	case len(cands) == 0:
		ch.Problems = append(ch.Problems, "no approval names this change")
	case len(approvers) == 0:
		ch.Problems = append(ch.Problems, "no valid approval names this change")
	default:
		ch.Problems = append(ch.Problems, fmt.Sprintf("%d of %d required approvals", len(approvers), ch.RequiredApprovals))
	}
}

func setStatus(a *Approval, status, problem string) {
	// The first failing change decides the status; a use elsewhere makes it valid.
	if a.Status == StatusValid {
		return
	}
	if status == StatusValid {
		a.Status = StatusValid
		return
	}
	if a.Status == "" {
		a.Status = status
	}
	if problem != "" {
		a.Problems = append(a.Problems, problem)
	}
}

// checkApproval verifies what can be verified about an approval alone:
// fields, scope, expiry and signatures.
func checkApproval(in Input, pa plan.Approval) (Approval, *candidate) {
	a := Approval{Address: pa.Address, Scope: pa.Scope, Target: pa.Target, Action: pa.Action, ExpiresAt: pa.ExpiresAt, Identity: pa.Identity}
	fail := func(status, problem string) (Approval, *candidate) {
		a.Status = status
		a.Problems = append(a.Problems, problem)
		return a, nil
	}
	if !pa.Known {
		return fail(StatusUnknown, "its values are unknown until apply, so its signatures cannot be checked: use literal values")
	}
	st := approval.Statement{Scope: pa.Scope, Target: pa.Target, Action: pa.Action, Reason: pa.Reason, ExpiresAt: pa.ExpiresAt, Identity: pa.Identity}
	if err := st.Validate(); err != nil {
		return fail(StatusInvalid, err.Error())
	}
	if st.Scope != in.Policy.Scope {
		return fail(StatusWrongScope, fmt.Sprintf("names scope %q; this policy's scope is %q", st.Scope, in.Policy.Scope))
	}
	expires, _ := approval.ParseExpiry(st.ExpiresAt)
	if !in.Now.Before(expires) {
		return fail(StatusExpired, fmt.Sprintf("expired at %s", st.ExpiresAt))
	}
	c := &candidate{stmt: st, expires: expires}
	badKind := ""
	authorKeys := in.Trust.KeysOf(in.Author)
	for _, s := range pa.Signatures {
		// Case folded: excluding a near-match of the author is the safe side.
		if in.Author != "" && strings.EqualFold(s.Principal, in.Author) {
			a.Problems = append(a.Problems, fmt.Sprintf("%s is the change's author and cannot approve it", s.Principal))
			if badKind == "" {
				badKind = StatusNoSigners
			}
			continue
		}
		v, err := approval.VerifySignature(st, s.Principal, s.Signature, in.Trust, in.Now)
		if err != nil {
			a.Problems = append(a.Problems, err.Error())
			var se *approval.SignatureError
			if errors.As(err, &se) && (badKind == "" || badKind == StatusNoSigners) {
				badKind = se.Kind
			}
			continue
		}
		if authorKeys[v.Fingerprint] {
			// The author's own key, trusted under another name too (a
			// wildcard line, or the key listed twice): still the author.
			a.Problems = append(a.Problems, fmt.Sprintf("%s signed with key %s, which allowed_signers lists for the change's author %s, who cannot approve it", s.Principal, v.Fingerprint, in.Author))
			if badKind == "" {
				badKind = StatusNoSigners
			}
			continue
		}
		c.signers = append(c.signers, signer{principal: v.Principal, fingerprint: v.Fingerprint})
		a.Principals = append(a.Principals, v.Principal)
	}
	if len(c.signers) == 0 {
		if badKind == "" {
			badKind = StatusNoSigners
			a.Problems = append(a.Problems, "has no signatures")
		}
		a.Status = badKind
		return a, nil
	}
	return a, c
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CheckApprovals verifies approvals on their own, without a plan: fields,
// scope, expiry and signatures against the trust file. Sound approvals get
// StatusValid; whether they cover a change only a plan can tell.
func CheckApprovals(pol *policy.Policy, trust *approval.AllowedSigners, now time.Time, author string, approvals []plan.Approval) ([]Approval, error) {
	if pol == nil || trust == nil || now.IsZero() {
		return nil, errors.New("gate: policy, trust and time are all required")
	}
	in := Input{Plan: &plan.Plan{}, Policy: pol, Trust: trust, Now: now, Author: author}
	out := make([]Approval, 0, len(approvals))
	for _, pa := range approvals {
		a, c := checkApproval(in, pa)
		if c != nil {
			a.Status = StatusValid
		}
		a.Principals, a.Problems = emptyIfNil(a.Principals), emptyIfNil(a.Problems)
		out = append(out, a)
	}
	return out, nil
}
