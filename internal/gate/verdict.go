package gate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// Decision is the outcome of a check.
type Decision string

// Decisions.
const (
	Allow Decision = "allow"
	Block Decision = "block"
	// Failed is the decision reported when the check could not decide
	// (exit 2, which blocks); Decide never returns it, it returns an error.
	Failed Decision = "error"
)

// Outcome is the verdict on one judged item: a provisioner run or an action
// invocation, as reported in its status, or a protected change.
type Outcome string

// Outcomes.
const (
	OutcomeAllowed  Outcome = "allowed"  // a block of the policy allows it (allow_provisioners, allow_actions)
	OutcomeApproved Outcome = "approved" // enough valid approvals name it
	OutcomeBlocked  Outcome = "blocked"  // neither: it stops the apply
)

// Verdict is what the policy requires of a judged item (a change, a
// provisioner run, an action invocation) and what the approvals gave it.
// Its JSON fields stand where the type that embeds it puts them; a Change
// does not report Status and AllowedBy, a Provision and an Invocation do not
// report RequireIdentity and Approved (see their MarshalJSON).
type Verdict struct {
	// Status is OutcomeAllowed, OutcomeApproved or OutcomeBlocked; "" for
	// a change no rule protects.
	Status Outcome `json:"status"`
	// AllowedBy names the allow blocks of the policy that let it run.
	AllowedBy []string `json:"allowed_by"`
	// Rules, RequiredApprovals, RequireIdentity: what the rules that apply
	// require.
	Rules             []string `json:"rules"`
	RequiredApprovals int      `json:"required_approvals"`
	RequireIdentity   bool     `json:"require_identity,omitempty"`
	// Approved: enough distinct trusted principals signed (ApprovedBy).
	Approved   bool     `json:"approved"`
	ApprovedBy []string `json:"approved_by"`
	// Problems say what is wrong or missing, for people.
	Problems []string `json:"problems"`

	// MaxTTL is the shortest max_ttl of the rules that apply, 0 for none;
	// approvals must be signed with a lifetime no longer than it.
	MaxTTL time.Duration `json:"-"`
}

// Blocked reports whether this verdict stops the apply.
func (v Verdict) Blocked() bool { return v.Status == OutcomeBlocked }

// require sets what req requires.
func (v *Verdict) require(req policy.Requirement) {
	v.Rules = emptyIfNil(slices.Clone(req.Rules))
	v.RequiredApprovals = req.Approvals
	v.RequireIdentity = req.RequireIdentity
	v.MaxTTL = req.MaxTTL
}

// block marks the verdict blocked for problem.
func (v *Verdict) block(problem string) {
	v.Status, v.Approved = OutcomeBlocked, false
	v.Problems = append(v.Problems, problem)
}

// wanting says what a verdict short of approvals lacks: none is what no
// approval naming it means, noneValid what none of those that name it
// counting means.
type wanting struct{ none, noneValid string }

// quorum judges v by cands, the approvals that name the item: each that
// check lets count (it returns the status and problem of one that does
// not, else "") is used and valid, and its signers count once per
// principal and per key. v is approved when RequiredApprovals of them
// signed, else blocked with the problem want says.
func quorum(v *Verdict, cands []*candidate, reports []Approval, used []bool, want wanting, check func(*candidate) (Status, string)) {
	counted := map[string]bool{} // principals and key fingerprints already counted
	var approvers []string
	for _, c := range cands {
		a := &reports[c.index]
		if status, problem := check(c); status != "" {
			setStatus(a, status, problem)
			continue
		}
		used[c.index] = true
		for _, s := range c.signers {
			if counted["p:"+s.principal] || counted["k:"+s.fingerprint] {
				continue
			}
			counted["p:"+s.principal], counted["k:"+s.fingerprint] = true, true
			approvers = append(approvers, s.principal)
		}
		setStatus(a, StatusValid, "")
	}
	sort.Strings(approvers)
	v.ApprovedBy = emptyIfNil(approvers)
	switch {
	case len(approvers) >= v.RequiredApprovals:
		v.Status, v.Approved = OutcomeApproved, true
	case len(cands) == 0:
		v.block(want.none)
	case len(approvers) == 0:
		v.block(want.noneValid)
	default:
		v.block(fmt.Sprintf("%d of %d required approvals", len(approvers), v.RequiredApprovals))
	}
}

// withAction returns the candidates that approve action.
func withAction(cands []*candidate, action string) []*candidate {
	var out []*candidate
	for _, c := range cands {
		if c.stmt.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// noIdentityTTL is the check of approvals that bind no object (provision,
// invoke): no identity, and the rules' max_ttl.
func noIdentityTTL(v *Verdict, now time.Time, what string) func(*candidate) (Status, string) {
	return func(c *candidate) (Status, string) {
		if c.stmt.Identity != "" {
			return StatusWrongIdentity, "an approval of " + what + " binds no object identity; leave identity empty"
		}
		if v.MaxTTL > 0 {
			// The same rule as for destructive changes: a signed issued_at,
			// a signed lifetime within max_ttl, not issued in the future.
			return ttlProblem(c, v.MaxTTL, now)
		}
		return "", ""
	}
}

// marshalHiding writes v as JSON, as an Encoder without HTML escaping does
// (the report's encoder escapes, or not, again).
func marshalHiding(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// MarshalJSON writes a change without the verdict fields it does not
// report (status, allowed_by): its verdict is protected and approved.
func (c Change) MarshalJSON() ([]byte, error) {
	type change Change
	return marshalHiding(struct {
		change
		Status    Outcome  `json:"status,omitempty"`
		AllowedBy []string `json:"allowed_by,omitempty"`
	}{change: change(c)})
}

// MarshalJSON writes a provisioner run without approved (its status says)
// and require_identity (an approval of code binds no object).
func (p Provision) MarshalJSON() ([]byte, error) {
	type provision Provision
	return marshalHiding(struct {
		provision
		RequireIdentity bool `json:"require_identity,omitempty"`
		Approved        bool `json:"approved,omitempty"`
	}{provision: provision(p)})
}

// MarshalJSON writes an invocation without approved (its status says)
// and require_identity (an approval of code binds no object).
func (i Invocation) MarshalJSON() ([]byte, error) {
	type invocation Invocation
	return marshalHiding(struct {
		invocation
		RequireIdentity bool `json:"require_identity,omitempty"`
		Approved        bool `json:"approved,omitempty"`
	}{invocation: invocation(i)})
}
