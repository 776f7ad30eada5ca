package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// What every format says the same way: the verdict line, the short status
// of a change, a provisioner run or an action invocation, what a
// provisioner runs, what invokes an action, and the commands that approve.

// Summary is the one-line verdict, with what blocks or runs among
// provisioners, providers and action invocations appended.
func Summary(r *gate.Report) string {
	parts := []string{changeSummary(r)}
	if s := judgedSummary(r.Provisioners, gate.Provision.Blocked, "provisioner run(s)"); s != "" {
		parts = append(parts, s)
	}
	var bad []string
	for _, p := range r.Providers {
		if !p.Allowed {
			bad = append(bad, provider(p.Source))
		}
	}
	if len(bad) > 0 {
		parts = append(parts, "provider(s) the policy does not allow: "+strings.Join(bad, ", "))
	}
	if s := judgedSummary(r.Invocations, gate.Invocation.Blocked, "action invocation(s)"); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, providerCodeSummary(r)...)
	return strings.Join(parts, "; ")
}

func changeSummary(r *gate.Report) string {
	blocked, protected := 0, 0
	for _, c := range r.Changes {
		if c.Protected {
			protected++
		}
		if c.Blocked() {
			blocked++
		}
	}
	if r.Decision == gate.Allow {
		if protected == 0 {
			return fmt.Sprintf("ALLOWED: %d destructive change(s), none protected", len(r.Changes))
		}
		return fmt.Sprintf("ALLOWED: %d protected destructive change(s), all approved", protected)
	}
	if blocked == 0 && (r.BlockedByCode() || r.BlockedByActions()) {
		return fmt.Sprintf("BLOCKED: %d destructive change(s), none blocked", len(r.Changes))
	}
	return fmt.Sprintf("BLOCKED: %d of %d protected destructive change(s) lack valid approval", blocked, protected)
}

// judgedSummary counts the blocked among judged items (provisioner runs,
// action invocations) for the verdict line, "" when there are none.
func judgedSummary[T any](items []T, blocked func(T) bool, what string) string {
	n := 0
	for _, it := range items {
		if blocked(it) {
			n++
		}
	}
	switch {
	case n > 0:
		return fmt.Sprintf("%d of %d %s neither allowed nor approved", n, len(items), what)
	case len(items) > 0:
		return fmt.Sprintf("%d %s, all allowed or approved", len(items), what)
	}
	return ""
}

// failedLine is the verdict line of a check that failed.
func failedLine(err error) string {
	return "ERROR: the check failed, so the plan is blocked: " + err.Error()
}

// ruleList renders the rule names of a change.
func ruleList(c gate.Change) string {
	if len(c.Rules) == 0 {
		return "-"
	}
	rs := append([]string(nil), c.Rules...)
	sort.Strings(rs)
	return strings.Join(rs, ",")
}

// verdict is the short status of a change.
func verdict(c gate.Change) string {
	switch {
	case !c.Protected:
		return "not protected"
	case c.Approved:
		return "approved"
	}
	return "BLOCKED"
}

// count renders a change's approvals as have/need.
func count(c gate.Change) string {
	if !c.Protected {
		return "-"
	}
	return fmt.Sprintf("%d/%d", len(c.ApprovedBy), c.RequiredApprovals)
}

// judged is the short status of an item the policy may allow or approvals
// approve: a provisioner run, an action invocation.
func judged(v gate.Verdict) string {
	switch v.Status {
	case gate.OutcomeAllowed:
		return "allowed by " + strings.Join(v.AllowedBy, ",")
	case gate.OutcomeApproved:
		return fmt.Sprintf("approved %d/%d by %s", len(v.ApprovedBy), v.RequiredApprovals, strings.Join(v.ApprovedBy, ", "))
	}
	return fmt.Sprintf("BLOCKED %d/%d", len(v.ApprovedBy), v.RequiredApprovals)
}

func provider(s string) string {
	if s == "" {
		return "(a provider configuration without full_name)"
	}
	return s
}

// provisionCommand renders what a provisioner runs, as far as the plan says.
func provisionCommand(p gate.Provision) string {
	cmd := provisionCommandOnly(p)
	if len(p.Options) > 0 {
		// The interpreter runs before the command: show it with it.
		cmd += " [" + strings.Join(p.Options, "; ") + "]"
	}
	return cmd
}

func provisionCommandOnly(p gate.Provision) string {
	switch {
	case p.Command != "":
		return p.Command
	case len(p.CommandReferences) > 0:
		return "(computed at apply from " + strings.Join(p.CommandReferences, ", ") + ")"
	case p.Type == "local-exec":
		return "(not shown in the plan)"
	case p.Type == plan.TypeRemovedBlock:
		return "(unknown: a removed block's provisioners are not in the plan JSON; read the configuration's removed block)"
	case p.Type == "file" || p.Type == "remote-exec":
		// What it sends or runs is in Options; where is not in the plan.
		return "(to the host of the configuration's connection block, which the plan JSON does not hold: read it)"
	}
	return "-"
}

// invocationTrigger says what invokes the action.
func invocationTrigger(iv gate.Invocation) string {
	if iv.TriggeringResource != "" {
		return fmt.Sprintf("%s of %s", iv.Event, iv.TriggeringResource)
	}
	return "terraform apply -invoke"
}

// ProvisionApproveCommand is the command an approver runs to approve the
// provisioners of a blocked instance.
func ProvisionApproveCommand(p gate.Provision, opts Options) string {
	return ApproveCommand(gate.Change{Address: p.Address, Action: "provision"}, opts)
}

// InvokeApproveCommand is the command an approver runs to approve an
// action invocation.
func InvokeApproveCommand(iv gate.Invocation, opts Options) string {
	return ApproveCommand(gate.Change{Address: iv.Address, Action: "invoke"}, opts)
}

// approveCommands are the commands that approve the blocked changes, the
// provisioners of blocked instances (one per instance) and the blocked
// action invocations (one per action), from the report with the exact
// strings (not the printable copy: the commands quote them).
func approveCommands(orig *gate.Report, opts Options) (changes, provisions, invocations []string) {
	for _, c := range orig.Changes {
		if c.Blocked() && !c.Deferred {
			changes = append(changes, ApproveCommand(c, opts))
		}
	}
	seen := map[string]bool{}
	for _, p := range orig.Provisioners {
		if p.Blocked() && !seen[p.Address] {
			seen[p.Address] = true
			provisions = append(provisions, ProvisionApproveCommand(p, opts))
		}
	}
	seen = map[string]bool{}
	for _, iv := range orig.Invocations {
		if iv.Blocked() && !seen[iv.Address] {
			seen[iv.Address] = true
			invocations = append(invocations, InvokeApproveCommand(iv, opts))
		}
	}
	return changes, provisions, invocations
}

// signedBy lists who signed an approval, each certificate signature with the
// certificate's key id and serial: bob@example.com (certificate
// "bob-laptop", serial 43).
func signedBy(a gate.Approval) []string {
	out := make([]string, 0, len(a.Principals))
	certs := a.Certificates
	for _, p := range a.Principals {
		if len(certs) > 0 && certs[0].Principal == p {
			out = append(out, certificateWords(certs[0]))
			certs = certs[1:]
			continue
		}
		out = append(out, p)
	}
	return out
}

// certificateWords names a certificate signature.
func certificateWords(c gate.CertificateSigner) string {
	return fmt.Sprintf("%s (certificate %q, serial %d)", c.Principal, c.KeyID, c.Serial)
}

// endpointsIntro introduces the provider configurations that name where
// their provider connects, in every human format.
const endpointsIntro = "Provider configurations that name their endpoint (the apply's credentials reach whatever they name):"

// endpointText says what one provider configuration sets, e.g.
// "aws.west (aws) sets endpoints".
func endpointText(e plan.ProviderEndpoint) string {
	return fmt.Sprintf("%s (%s) sets %s", e.Name, e.Provider, strings.Join(e.Arguments, ", "))
}
