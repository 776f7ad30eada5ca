package report

import (
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// This file renders the action invocations of a report (Terraform 1.14+:
// provider-defined actions the apply invokes), for every format. Every
// invocation is listed, allowed, approved or blocked.

// InvokeApproveCommand is the command an approver runs to approve an
// action invocation.
func InvokeApproveCommand(iv gate.Invocation, opts Options) string {
	return ApproveCommand(gate.Change{Address: iv.Address, Action: "invoke"}, opts)
}

// actionSummary is the part of the verdict line about action
// invocations, "" when the plan invokes none.
func actionSummary(r *gate.Report) string {
	return judgedSummary(r.Invocations, gate.Invocation.Blocked, "action invocation(s)")
}

// invocationVerdict is the short status of an invocation.
func invocationVerdict(iv gate.Invocation) string {
	return allowVerdict(iv.Status == gate.OutcomeAllowed, iv.Status == gate.OutcomeApproved, iv.AllowedBy, iv.ApprovedBy, iv.RequiredApprovals)
}

// invocationTrigger says what invokes the action.
func invocationTrigger(iv gate.Invocation) string {
	if iv.TriggeringResource != "" {
		return fmt.Sprintf("%s of %s", iv.Event, iv.TriggeringResource)
	}
	return "terraform apply -invoke"
}

// actionsForHumans makes the untrusted strings of invocations printable.
func actionsForHumans(h *gate.Report, r *gate.Report) {
	h.Invocations = make([]gate.Invocation, len(r.Invocations))
	for i, iv := range r.Invocations {
		iv.Address = printable(iv.Address)
		iv.Type = printable(iv.Type)
		iv.ProviderName = printable(iv.ProviderName)
		iv.Trigger = printable(iv.Trigger)
		iv.TriggeringResource = printable(iv.TriggeringResource)
		iv.Event = printable(iv.Event)
		iv.AllowedBy = printableAll(iv.AllowedBy)
		iv.Rules = printableAll(iv.Rules)
		iv.ApprovedBy = printableAll(iv.ApprovedBy)
		iv.Problems = printableAll(iv.Problems)
		h.Invocations[i] = iv
	}
}

// blockedInvocations returns the approve commands of blocked invocations,
// one per address, from the report with the exact strings.
func blockedInvocations(orig *gate.Report, opts Options) []string {
	var cmds []string
	seen := map[string]bool{}
	for _, iv := range orig.Invocations {
		if iv.Blocked() && !seen[iv.Address] {
			seen[iv.Address] = true
			cmds = append(cmds, InvokeApproveCommand(iv, opts))
		}
	}
	return cmds
}

// actionText writes the text report's action section.
func (t textRenderer) actionText(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	if len(r.Invocations) == 0 {
		return
	}
	fmt.Fprintln(bw, "\nActions the apply would invoke (provider-defined operations outside any resource change):")
	for _, iv := range r.Invocations {
		v := invocationVerdict(iv)
		if iv.Blocked() {
			v = t.paint(red, v)
		}
		fmt.Fprintf(bw, "  %s (%s, %s): %s\n", iv.Address, iv.ProviderName, invocationTrigger(iv), v)
		for _, pr := range iv.Problems {
			fmt.Fprintf(bw, "    %s\n", t.paint(dim, pr))
		}
	}
	if cmds := blockedInvocations(orig, t.opts); len(cmds) > 0 {
		fmt.Fprintln(bw, "\nTo approve an action invocation, an approver (not the change's author) runs:")
		for _, c := range cmds {
			fmt.Fprintf(bw, "  %s\n", c)
		}
	}
}

// actionMarkdown writes the markdown report's action section.
func (m markdownRenderer) actionMarkdown(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	if len(r.Invocations) == 0 {
		return
	}
	fmt.Fprintln(bw, "Actions the apply would invoke:")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Action | Provider | Invoked by | Verdict |")
	fmt.Fprintln(bw, "| --- | --- | --- | --- |")
	for _, iv := range r.Invocations {
		v := mdEscape(invocationVerdict(iv))
		if iv.Blocked() {
			v = "**" + v + "** " + mdEscape(strings.Join(iv.Problems, "; "))
		}
		fmt.Fprintf(bw, "| `%s` | `%s` | %s | %s |\n", codeEscape(iv.Address), codeEscape(iv.ProviderName), mdEscape(invocationTrigger(iv)), v)
	}
	fmt.Fprintln(bw)
	markdownCommands(bw, "To approve the action invocations, an approver who is not the author runs:", blockedInvocations(orig, m.opts))
}

// actionSarif returns the SARIF results for action invocations.
func actionSarif(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, iv := range r.Invocations {
		res := sarifResult{
			RuleID:    "planguard/judged-action",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("action %s (%s) invoked by %s: %s", iv.Address, iv.Type, invocationTrigger(iv), invocationVerdict(iv))},
			Locations: []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: iv.Address, Kind: "function"}}}},
		}
		if iv.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-action", "error"
			res.Message.Text += ": " + strings.Join(iv.Problems, "; ")
		}
		out = append(out, res)
	}
	return out
}

// actionSarifRules are the SARIF rules of actionSarif.
var actionSarifRules = []sarifRule{
	{ID: "planguard/unapproved-action", Name: "UnapprovedAction", ShortDescription: sarifMessage{"An action the apply would invoke is neither allowed by the policy nor approved"}},
	{ID: "planguard/judged-action", Name: "JudgedAction", ShortDescription: sarifMessage{"An action the apply would invoke is allowed by the policy or approved"}},
}

// actionJUnit returns the JUnit test cases for action invocations.
func actionJUnit(r *gate.Report) (cases []junitCase, failures int) {
	for _, iv := range r.Invocations {
		tc := junitCase{Name: "invoke " + iv.Address + " (" + invocationTrigger(iv) + ")", Classname: "planguard.action"}
		if iv.Blocked() {
			failures++
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("action %s is invoked without approval (%d/%d)", iv.Address, len(iv.ApprovedBy), iv.RequiredApprovals),
				Body:    strings.Join(iv.Problems, "\n"),
			}
		}
		cases = append(cases, tc)
	}
	return cases, failures
}

// actionGitHub writes annotations for action invocations.
func (g githubRenderer) actionGitHub(bw interface {
	Write([]byte) (int, error)
}, r, orig *gate.Report) {
	for i, iv := range r.Invocations {
		title := "planguard: action " + iv.Address
		if iv.Blocked() {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" blocked"),
				ghData("invoked by "+invocationTrigger(iv)+": "+strings.Join(iv.Problems, "; ")+". To approve: "+InvokeApproveCommand(orig.Invocations[i], g.opts)))
			continue
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData("invoked by "+invocationTrigger(iv)+": "+invocationVerdict(iv)))
	}
}
