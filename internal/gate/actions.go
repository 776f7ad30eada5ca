package gate

import (
	"slices"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
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
	Trigger            string `json:"trigger"`
	TriggeringResource string `json:"triggering_resource,omitempty"`
	Event              string `json:"event,omitempty"`
	// Verdict: OutcomeAllowed by an allow_actions block for its type, or
	// OutcomeApproved by approvals with action invoke naming it, else
	// OutcomeBlocked.
	Verdict
}

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
			Verdict: Verdict{AllowedBy: []string{}, Rules: []string{}, ApprovedBy: []string{}, Problems: []string{}},
		}
		req, allowedBy := in.Policy.ActionRequirement(a.Type)
		if len(allowedBy) > 0 {
			iv.Status, iv.AllowedBy = OutcomeAllowed, allowedBy
			r.Invocations = append(r.Invocations, iv)
			continue
		}
		iv.require(req)
		want := wanting{"no approval with action invoke names this action", "no valid approval with action invoke names this action"}
		if len(req.Rules) == 0 {
			want.none = "the policy neither protects nor allows actions of this type, so an invocation needs an approval with action invoke naming the action (or an allow_actions block for its type)"
		}
		quorum(&iv.Verdict, withAction(byTarget[a.Address], approval.ActionInvoke), r.Approvals, used, want, noIdentityTTL(&iv.Verdict, in.Now, "an action invocation"))
		r.Invocations = append(r.Invocations, iv)
	}
}
