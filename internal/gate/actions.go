package gate

import (
	"fmt"
	"slices"
	"sort"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// Invocation verdicts, as reported in Invocation.Status.
const (
	InvocationAllowed  = "allowed"  // an allow_actions block of the policy allows its type
	InvocationApproved = "approved" // enough valid approvals with action invoke name the action
	InvocationBlocked  = "blocked"  // neither: it stops the apply
)

// Invocation is one action the plan invokes (Terraform 1.14+:
// action_invocations) and its verdict. An action is a provider-defined
// operation with side effects outside any resource change (stopping an
// instance, invoking a function, …), so every invocation is judged: a
// protect_actions block of the policy may require approvals for its type,
// an allow_actions block may let it run, and one the policy names in
// neither needs policy.DefaultInvokeApprovals approvals.
type Invocation struct {
	// Address is the action's address, the target an approval names.
	Address      string `json:"address"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	// Trigger is invoke (terraform apply -invoke) or lifecycle (a
	// resource's action_trigger), with TriggeringResource and Event.
	Trigger            string   `json:"trigger"`
	TriggeringResource string   `json:"triggering_resource,omitempty"`
	Event              string   `json:"event,omitempty"`
	Status             string   `json:"status"`
	AllowedBy          []string `json:"allowed_by"`
	Rules              []string `json:"rules"`
	RequiredApprovals  int      `json:"required_approvals"`
	ApprovedBy         []string `json:"approved_by"`
	Problems           []string `json:"problems"`
}

// Blocked reports whether this invocation stops the apply.
func (i Invocation) Blocked() bool { return i.Status == InvocationBlocked }

// BlockedByActions reports whether an action invocation blocks the report.
func (r *Report) BlockedByActions() bool {
	return slices.ContainsFunc(r.Invocations, Invocation.Blocked)
}

// judgeActions fills r.Invocations: every action the plan invokes must be
// allowed by the policy or approved (action invoke, target its address).
func judgeActions(in Input, r *Report, byTarget map[string][]*candidate, used []bool) {
	r.Invocations = make([]Invocation, 0, len(in.Plan.ActionInvocations))
	for _, a := range in.Plan.ActionInvocations {
		iv := Invocation{
			Address: a.Address, Type: a.Type, ProviderName: a.ProviderName,
			Trigger: a.Trigger, TriggeringResource: a.TriggeringResource, Event: a.Event,
			AllowedBy: []string{}, Rules: []string{}, ApprovedBy: []string{}, Problems: []string{},
		}
		req, allowedBy := in.Policy.ActionRequirement(a.Type)
		if len(allowedBy) > 0 {
			iv.Status, iv.AllowedBy = InvocationAllowed, allowedBy
			r.Invocations = append(r.Invocations, iv)
			continue
		}
		iv.Rules = emptyIfNil(slices.Clone(req.Rules))
		iv.RequiredApprovals = req.Approvals
		approvers, problem := countInvokeApprovals(in, req, byTarget[a.Address], r.Approvals, used)
		iv.ApprovedBy = emptyIfNil(approvers)
		if len(approvers) >= req.Approvals {
			iv.Status = InvocationApproved
		} else {
			iv.Status = InvocationBlocked
			iv.Problems = append(iv.Problems, problem)
		}
		r.Invocations = append(r.Invocations, iv)
	}
}

// countInvokeApprovals counts the distinct trusted principals of the
// approvals with action invoke among cands, and says what is missing.
func countInvokeApprovals(in Input, req policy.Requirement, cands []*candidate, reports []Approval, used []bool) ([]string, string) {
	approvers, named := countSigned(cands, approval.ActionInvoke, reports, used, func(c *candidate) (string, string) {
		if c.stmt.Identity != "" {
			return StatusWrongIdentity, "an approval of an action invocation binds no object identity; leave identity empty"
		}
		if req.MaxTTL > 0 {
			return ttlProblem(c, req.MaxTTL, in.Now)
		}
		return "", ""
	})
	switch {
	case len(approvers) >= req.Approvals:
		return approvers, ""
	case named == 0 && len(req.Rules) == 0:
		return approvers, "the policy neither protects nor allows actions of this type, so an invocation needs an approval with action invoke naming the action (or an allow_actions block for its type)"
	case named == 0:
		return approvers, "no approval with action invoke names this action"
	case len(approvers) == 0:
		return approvers, "no valid approval with action invoke names this action"
	}
	return approvers, fmt.Sprintf("%d of %d required approvals", len(approvers), req.Approvals)
}

// countSigned counts the distinct trusted principals (and keys) of the
// approvals with action among cands that reject lets count (it returns the
// status and problem of one that does not, else ""), marking them used and
// valid. It returns the sorted approvers and how many approvals named the
// action at all.
func countSigned(cands []*candidate, action string, reports []Approval, used []bool, reject func(*candidate) (string, string)) ([]string, int) {
	counted := map[string]bool{}
	var approvers []string
	named := 0
	for _, c := range cands {
		if c.stmt.Action != action {
			continue
		}
		named++
		a := &reports[c.index]
		if status, problem := reject(c); status != "" {
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
	return approvers, named
}
