package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// This file renders the provisioners and providers of a report (code the
// apply runs), for every format.

// ProvisionApproveCommand is the command an approver runs to approve the
// provisioners of a blocked instance.
func ProvisionApproveCommand(p gate.Provision, opts Options) string {
	return ApproveCommand(gate.Change{Address: p.Address, Action: "provision"}, opts)
}

// provisionSummary is the part of the verdict line about provisioners and
// providers, "" when the plan runs none and uses only allowed providers.
func provisionSummary(r *gate.Report) string {
	var parts []string
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
	return strings.Join(parts, "; ")
}

func provider(s string) string {
	if s == "" {
		return "(a provider configuration without full_name)"
	}
	return s
}

// provisionVerdict is the short status of a provisioner run.
func provisionVerdict(p gate.Provision) string {
	return allowVerdict(p.Status == gate.OutcomeAllowed, p.Status == gate.OutcomeApproved, p.AllowedBy, p.ApprovedBy, p.RequiredApprovals)
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

// allowVerdict is the short status of an item the policy may allow or
// approvals approve.
func allowVerdict(allowed, approved bool, allowedBy, approvedBy []string, required int) string {
	switch {
	case allowed:
		return "allowed by " + strings.Join(allowedBy, ",")
	case approved:
		return fmt.Sprintf("approved %d/%d by %s", len(approvedBy), required, strings.Join(approvedBy, ", "))
	}
	return fmt.Sprintf("BLOCKED %d/%d", len(approvedBy), required)
}

// markdownCommands writes approve commands as a shell block after intro.
func markdownCommands(bw io.Writer, intro string, cmds []string) {
	if len(cmds) == 0 {
		return
	}
	fmt.Fprintln(bw, intro)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "```sh")
	for _, c := range cmds {
		fmt.Fprintln(bw, c)
	}
	fmt.Fprintln(bw, "```")
	fmt.Fprintln(bw)
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
		return "(unknown: a removed block's provisioners are not in the plan JSON)"
	}
	return "-"
}

// provisionForHumans makes the untrusted strings of provisioners and
// providers printable.
func provisionForHumans(h *gate.Report, r *gate.Report) {
	h.Provisioners = make([]gate.Provision, len(r.Provisioners))
	for i, p := range r.Provisioners {
		p.Address = printable(p.Address)
		p.ResourceType = printable(p.ResourceType)
		p.Type = printable(p.Type)
		p.Deposed = printable(p.Deposed)
		p.Command = printable(p.Command)
		p.CommandReferences = printableAll(p.CommandReferences)
		p.Options = printableAll(p.Options)
		p.AllowedBy = printableAll(p.AllowedBy)
		p.Rules = printableAll(p.Rules)
		p.ApprovedBy = printableAll(p.ApprovedBy)
		p.Problems = printableAll(p.Problems)
		h.Provisioners[i] = p
	}
	h.Providers = make([]gate.Provider, len(r.Providers))
	for i, p := range r.Providers {
		p.Source = printable(p.Source)
		h.Providers[i] = p
	}
}

// provisionText writes the text report's provisioner and provider section.
func (t textRenderer) provisionText(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	if len(r.Provisioners) > 0 {
		fmt.Fprintln(bw, "\nProvisioners the apply would run (code run with the apply's credentials):")
		fmt.Fprintln(bw, t.paint(dim, "  (the plan JSON does not record `when`: every provisioner of an instance is listed for each create and destroy)"))
		for _, p := range r.Provisioners {
			v := provisionVerdict(p)
			if p.Blocked() {
				v = t.paint(red, v)
			}
			addr := p.Address
			if p.Deposed != "" {
				addr += " (deposed " + p.Deposed + ")"
			}
			fmt.Fprintf(bw, "  %s %s on %s (%s): %s: %s\n", p.Type, p.When, addr, p.Action, provisionCommand(p), v)
			for _, pr := range p.Problems {
				fmt.Fprintf(bw, "    %s\n", t.paint(dim, pr))
			}
		}
	}
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "\nProvider %s is not in the policy's providers list: the plan may not use it.\n", t.paint(red, provider(p.Source)))
		}
	}
	seen := map[string]bool{}
	first := true
	for _, p := range orig.Provisioners {
		if !p.Blocked() || seen[p.Address] {
			continue
		}
		seen[p.Address] = true
		if first {
			fmt.Fprintln(bw, "\nTo approve the provisioners of an instance, an approver (not the change's author) runs:")
			first = false
		}
		fmt.Fprintf(bw, "  %s\n", ProvisionApproveCommand(p, t.opts))
	}
}

// provisionMarkdown writes the markdown report's provisioner section.
func (m markdownRenderer) provisionMarkdown(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	if len(r.Provisioners) > 0 {
		fmt.Fprintln(bw, "Provisioners the apply would run:")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Type | When | Address | Command | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, p := range r.Provisioners {
			v := mdEscape(provisionVerdict(p))
			if p.Blocked() {
				v = "**" + v + "** " + mdEscape(strings.Join(p.Problems, "; "))
			}
			fmt.Fprintf(bw, "| %s | %s | `%s` | `%s` | %s |\n", mdEscape(p.Type), p.When, codeEscape(p.Address), codeEscape(provisionCommand(p)), v)
		}
		fmt.Fprintln(bw)
	}
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "**Provider `%s` is not in the policy's providers list.**\n\n", codeEscape(provider(p.Source)))
		}
	}
	var cmds []string
	seen := map[string]bool{}
	for _, p := range orig.Provisioners {
		if p.Blocked() && !seen[p.Address] {
			seen[p.Address] = true
			cmds = append(cmds, ProvisionApproveCommand(p, m.opts))
		}
	}
	markdownCommands(bw, "To approve the provisioners, an approver who is not the author runs:", cmds)
}

// provisionSarif returns the SARIF results for provisioners and providers.
func provisionSarif(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, p := range r.Provisioners {
		res := sarifResult{
			RuleID:    "planguard/judged-provisioner",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s provisioner (%s) of %s runs %s: %s", p.Type, p.When, p.Address, provisionCommand(p), provisionVerdict(p))},
			Locations: []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: p.Address, Kind: "resource"}}}},
		}
		if p.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-provisioner", "error"
			res.Message.Text += ": " + strings.Join(p.Problems, "; ")
		}
		out = append(out, res)
	}
	for _, p := range r.Providers {
		if !p.Allowed {
			out = append(out, sarifResult{
				RuleID:    "planguard/disallowed-provider",
				Level:     "error",
				Message:   sarifMessage{fmt.Sprintf("the plan uses provider %s, which the policy's providers list does not allow", provider(p.Source))},
				Locations: []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: provider(p.Source), Kind: "module"}}}},
			})
		}
	}
	return out
}

// provisionSarifRules are the SARIF rules of provisionSarif.
var provisionSarifRules = []sarifRule{
	{ID: "planguard/unapproved-provisioner", Name: "UnapprovedProvisioner", ShortDescription: sarifMessage{"A provisioner the apply would run is neither allowed by the policy nor approved"}},
	{ID: "planguard/judged-provisioner", Name: "JudgedProvisioner", ShortDescription: sarifMessage{"A provisioner the apply would run is allowed by the policy or approved"}},
	{ID: "planguard/disallowed-provider", Name: "DisallowedProvider", ShortDescription: sarifMessage{"The plan uses a provider the policy's providers list does not allow"}},
}

// provisionJUnit returns the JUnit test cases for provisioners and providers.
func provisionJUnit(r *gate.Report) (cases []junitCase, failures int) {
	for _, p := range r.Provisioners {
		tc := junitCase{Name: "provision " + p.Address + " " + p.Type + " (" + p.When + ")", Classname: "planguard.provision"}
		if p.Blocked() {
			failures++
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("%s provisioner of %s runs %s without approval (%d/%d)", p.Type, p.Address, provisionCommand(p), len(p.ApprovedBy), p.RequiredApprovals),
				Body:    strings.Join(p.Problems, "\n"),
			}
		}
		cases = append(cases, tc)
	}
	// Only disallowed providers are cases: an allowed one is no check a
	// reader needs to see (a policy without providers allows all).
	for _, p := range r.Providers {
		if !p.Allowed {
			failures++
			cases = append(cases, junitCase{Name: "provider " + provider(p.Source), Classname: "planguard.provider",
				Failure: &junitFailure{Message: provider(p.Source) + " is not in the policy's providers list"}})
		}
	}
	return cases, failures
}

// provisionGitHub writes annotations for provisioners and providers.
func (g githubRenderer) provisionGitHub(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	for i, p := range r.Provisioners {
		title := "planguard: " + p.Type + " provisioner of " + p.Address
		if p.Blocked() {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" blocked"),
				ghData("runs "+provisionCommand(p)+": "+strings.Join(p.Problems, "; ")+". To approve: "+ProvisionApproveCommand(orig.Provisioners[i], g.opts)))
			continue
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData("runs "+provisionCommand(p)+": "+provisionVerdict(p)))
	}
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty("planguard: provider "+provider(p.Source)+" not allowed"),
				ghData("the policy's providers list does not allow "+provider(p.Source)))
		}
	}
}
