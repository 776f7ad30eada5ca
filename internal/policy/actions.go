package policy

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// This file holds what a policy says about actions (Terraform 1.14+): the
// provider-defined operations a plan invokes, by `terraform apply -invoke`
// or by a resource's lifecycle action_trigger, outside any resource change.
// The gate judges every invocation: protect_actions blocks name the action
// types that need approvals (action invoke), allow_actions blocks those
// that run without; an invocation neither names needs
// DefaultInvokeApprovals approvals. See docs/guides/policy.md.

// DefaultInvokeApprovals is the number of approvals an action invocation
// needs when no protect_actions block matches its type and no
// allow_actions block allows it: an action the policy does not mention is
// not let through unseen.
const DefaultInvokeApprovals = 1

var (
	protectActionsSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "types", Required: true},
			{Name: "approvals"},
			{Name: "max_ttl"},
		},
	}
	allowActionsSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "types", Required: true},
		},
	}
)

// ActionRule is one protect_actions block: invocations of actions of the
// listed types need approvals with action invoke.
type ActionRule struct {
	// Name is the block's label, unique among protect_actions blocks.
	Name string
	// Types are action type globs, e.g. "aws_ec2_stop_instance", "aws_*".
	Types []string
	// Approvals is the number of distinct trusted principals that must
	// sign; at least 1, by default 1.
	Approvals int
	// MaxTTL, when not 0, counts only approvals signed for at most this
	// long (as in protect).
	MaxTTL time.Duration
	// Range is the block's header, for messages.
	Range hcl.Range

	types []glob
}

// ActionAllowance is one allow_actions block: invocations of actions of
// the listed types run without approval.
type ActionAllowance struct {
	// Name is the block's label, unique among allow_actions blocks.
	Name string
	// Types are action type globs.
	Types []string
	// Range is the block's header, for messages.
	Range hcl.Range

	types []glob
}

// decodeActions reads the protect_actions and allow_actions blocks.
func decodeActions(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	rules, allows := map[string]hcl.Range{}, map[string]hcl.Range{}
	for _, b := range content.Blocks {
		var seen map[string]hcl.Range
		switch b.Type {
		case "protect_actions":
			r, d := decodeActionRule(b)
			diags = append(diags, d...)
			p.ActionRules = append(p.ActionRules, r)
			seen = rules
		case "allow_actions":
			al := &ActionAllowance{Name: b.Labels[0], Range: b.DefRange}
			body, d := b.Body.Content(allowActionsSchema)
			diags = append(diags, d...)
			diags = append(diags, actionTypes(body, &al.Types, &al.types)...)
			p.AllowActions = append(p.AllowActions, al)
			seen = allows
		default:
			continue
		}
		name := b.Labels[0]
		if !namePattern.MatchString(name) {
			diags = append(diags, errorAt(b.LabelRanges[0], "Invalid "+b.Type+" name",
				fmt.Sprintf("%s %q: a name may only contain letters, digits, '.', '_' and '-', and must not be empty.", b.Type, name)))
		}
		if first, dup := seen[name]; dup {
			diags = append(diags, errorAt(b.LabelRanges[0], "Duplicate "+b.Type+" block",
				fmt.Sprintf("A %s block named %q is already defined at %s; names must be unique.", b.Type, name, first)))
		}
		seen[name] = b.DefRange
	}
	return diags
}

func decodeActionRule(b *hcl.Block) (*ActionRule, hcl.Diagnostics) {
	r := &ActionRule{Name: b.Labels[0], Range: b.DefRange, Approvals: 1}
	content, diags := b.Body.Content(protectActionsSchema)
	diags = append(diags, actionTypes(content, &r.Types, &r.types)...)
	if a, ok := content.Attributes["approvals"]; ok {
		n, d := approvalsAttr(a)
		diags = append(diags, d...)
		r.Approvals = n
	}
	if a, ok := content.Attributes["max_ttl"]; ok {
		ttl, d := ttlAttr(a)
		diags = append(diags, d...)
		r.MaxTTL = ttl
	}
	return r, diags
}

// actionTypes reads the types attribute of an action block: action type
// globs, at least one.
func actionTypes(content *hcl.BodyContent, list *[]string, globs *[]glob) hcl.Diagnostics {
	a, ok := content.Attributes["types"]
	if !ok {
		return nil // Content reported the missing attribute
	}
	var ranges []hcl.Range
	var diags hcl.Diagnostics
	*list, ranges, diags = stringListAttr(a) // refuses an empty list
	for i, t := range *list {
		g, err := nameGlob(t, "action type glob")
		if err != nil {
			diags = append(diags, errorAt(ranges[i], "Invalid action type glob", fmt.Sprintf("types[%d]: %s.", i, err)))
			continue
		}
		*globs = append(*globs, g)
	}
	return diags
}

func matchesAny(globs []glob, s string) bool {
	for _, g := range globs {
		if g.match(s) {
			return true
		}
	}
	return false
}

// ActionRequirement says what an invocation of an action of type
// actionType needs. When protect_actions blocks match the type, their
// strictest requirement (their names in Rules), whatever allow_actions
// says: protection wins. Else, when allow_actions blocks match, their names
// in allowedBy: it runs without approval. Else DefaultInvokeApprovals
// approvals.
func (p *Policy) ActionRequirement(actionType string) (req Requirement, allowedBy []string) {
	for _, r := range p.ActionRules {
		if matchesAny(r.types, actionType) {
			req.Merge(Requirement{Rules: []string{r.Name}, Approvals: r.Approvals, MaxTTL: r.MaxTTL})
		}
	}
	if len(req.Rules) > 0 {
		return req, nil
	}
	for _, al := range p.AllowActions {
		if matchesAny(al.types, actionType) {
			allowedBy = append(allowedBy, al.Name)
		}
	}
	if len(allowedBy) > 0 {
		return Requirement{}, allowedBy
	}
	return Requirement{Approvals: DefaultInvokeApprovals}, nil
}
