package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type textRenderer struct{ opts Options }

const (
	red   = "\x1b[31;1m"
	green = "\x1b[32;1m"
	dim   = "\x1b[2m"
	reset = "\x1b[0m"
)

func (t textRenderer) paint(color, s string) string {
	if !t.opts.Color {
		return s
	}
	return color + s + reset
}

// Render writes the sections in order; a new section is one method here.
func (t textRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	t.header(bw, r)
	t.changes(bw, r)
	t.approvals(bw, r)
	t.provisioners(bw, r)
	t.providers(bw, r)
	t.endpoints(bw, r)
	t.providerCode(bw, r)
	t.remoteStates(bw, r)
	_, provisions, invocations := approveCommands(orig, t.opts)
	t.commands(bw, "To approve the provisioners of an instance, an approver (not the change's author) runs:", provisions)
	t.actions(bw, r)
	t.commands(bw, "To approve an action invocation, an approver (not the change's author) runs:", invocations)
	t.changeCommands(bw, orig)
	fmt.Fprintln(bw)
	s := Summary(r)
	if r.Decision == gate.Allow {
		s = t.paint(green, s)
	} else {
		s = t.paint(red, s)
	}
	fmt.Fprintln(bw, s)
	return bw.Flush()
}

func (t textRenderer) header(bw io.Writer, r *gate.Report) {
	fmt.Fprintf(bw, "planguard: scope %q, plan sha256 %s (%s, format %s)", r.Scope, short(r.Plan.SHA256), orUnknown(r.Plan.TerraformVersion), r.Plan.FormatVersion)
	if r.PolicySHA256 != "" {
		fmt.Fprintf(bw, ", policy hash %s", short(r.PolicySHA256))
	}
	fmt.Fprintln(bw)
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "warning: %s\n", w)
	}
	for _, d := range r.RefreshDrift {
		fmt.Fprintf(bw, "refreshed: %s: %s\n", driftObject(d), driftAttributes(d))
	}
}

// driftObject names a refreshed object: its address and deposed key.
func driftObject(d gate.RefreshDrift) string {
	if d.Deposed == "" {
		return d.Address
	}
	return d.Address + " deposed " + d.Deposed
}

// driftAttributes says which attributes of a refreshed object changed.
func driftAttributes(d gate.RefreshDrift) string {
	if len(d.Attributes) == 1 && d.Attributes[0] == "" {
		return "the refresh changed its attributes"
	}
	return "the refresh changed " + strings.Join(d.Attributes, ", ")
}

func (t textRenderer) changes(bw io.Writer, r *gate.Report) {
	if len(r.Changes) == 0 {
		fmt.Fprintln(bw, "No destructive changes in this plan.")
		return
	}
	fmt.Fprintln(bw)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tADDRESS\tRULES\tAPPROVALS\tVERDICT")
	for _, c := range r.Changes {
		v := verdict(c)
		switch {
		case c.Blocked():
			v = t.paint(red, v)
		case c.Protected:
			v = t.paint(green, v)
		}
		by := ""
		if len(c.ApprovedBy) > 0 {
			by = " by " + strings.Join(c.ApprovedBy, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\t%s\n", c.Action, Where(c), ruleList(c), count(c), by, v)
	}
	tw.Flush()
	for _, c := range r.Changes {
		for _, p := range c.Problems {
			fmt.Fprintf(bw, "  %s %s: %s\n", c.Action, c.Address, p)
		}
	}
}

func (t textRenderer) approvals(bw io.Writer, r *gate.Report) {
	if len(r.Approvals) == 0 {
		return
	}
	fmt.Fprintln(bw, "\nApprovals in the plan:")
	for _, a := range r.Approvals {
		who := ""
		if len(a.Principals) > 0 {
			who = " signed by " + strings.Join(signedBy(a), ", ")
		}
		fmt.Fprintf(bw, "  %s: %s %s%s: %s\n", a.Address, a.Action, a.Target, who, a.Status)
		t.problems(bw, a.Problems)
	}
}

func (t textRenderer) provisioners(bw io.Writer, r *gate.Report) {
	if len(r.Provisioners) == 0 {
		return
	}
	fmt.Fprintln(bw, "\nProvisioners the apply would run (code run with the apply's credentials):")
	fmt.Fprintln(bw, t.paint(dim, "  (the plan JSON does not record `when`: every provisioner of an instance is listed for each create and destroy)"))
	for _, p := range r.Provisioners {
		addr := p.Address
		if p.Deposed != "" {
			addr += " (deposed " + p.Deposed + ")"
		}
		fmt.Fprintf(bw, "  %s %s on %s (%s): %s: %s\n", p.Type, p.When, addr, p.Action, provisionCommand(p), t.judged(p.Verdict))
		t.problems(bw, p.Problems)
	}
}

func (t textRenderer) providers(bw io.Writer, r *gate.Report) {
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "\nProvider %s is not in the policy's providers list: the plan may not use it.\n", t.paint(red, provider(p.Source)))
		}
	}
}

func (t textRenderer) endpoints(bw io.Writer, r *gate.Report) {
	if len(r.ProviderEndpoints) == 0 {
		return
	}
	fmt.Fprintln(bw, "\n"+endpointsIntro)
	for _, e := range r.ProviderEndpoints {
		fmt.Fprintf(bw, "  %s\n", endpointText(e))
	}
}

func (t textRenderer) actions(bw io.Writer, r *gate.Report) {
	if len(r.Invocations) == 0 {
		return
	}
	fmt.Fprintln(bw, "\nActions the apply would invoke (provider-defined operations outside any resource change):")
	for _, iv := range r.Invocations {
		fmt.Fprintf(bw, "  %s (%s, %s): %s\n", iv.Address, iv.ProviderName, invocationTrigger(iv), t.judged(iv.Verdict))
		t.problems(bw, iv.Problems)
	}
}

// changeCommands writes the commands that approve the blocked changes,
// with the co-signing a quorum needs; orig has the exact strings.
func (t textRenderer) changeCommands(bw io.Writer, orig *gate.Report) {
	first := true
	for _, c := range orig.Changes {
		if !c.Blocked() || c.Deferred {
			continue
		}
		if first {
			fmt.Fprintln(bw, "\nTo approve a blocked change, an approver (not the change's author) runs:")
			first = false
		}
		fmt.Fprintf(bw, "  %s\n", ApproveCommand(c, t.opts))
		if c.RequiredApprovals > 1 {
			fmt.Fprintf(bw, "  and %d more approver(s) co-sign: planguard sign --file approvals.tf --target %s --key KEY --principal THEM@example.com\n", c.RequiredApprovals-1, shellQuote(c.Address))
		}
	}
	if !first {
		fmt.Fprintln(bw, "then commit approvals.tf, plan again and re-run planguard check.")
	}
}

func (t textRenderer) commands(bw io.Writer, intro string, cmds []string) {
	if len(cmds) == 0 {
		return
	}
	fmt.Fprintln(bw, "\n"+intro)
	for _, c := range cmds {
		fmt.Fprintf(bw, "  %s\n", c)
	}
}

// judged is the status of a provisioner run or an invocation, red when it blocks.
func (t textRenderer) judged(v gate.Verdict) string {
	if v.Blocked() {
		return t.paint(red, judged(v))
	}
	return judged(v)
}

func (t textRenderer) problems(bw io.Writer, problems []string) {
	for _, p := range problems {
		fmt.Fprintf(bw, "    %s\n", t.paint(dim, p))
	}
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func orUnknown(v string) string {
	if v == "" {
		return "terraform version unknown"
	}
	return "terraform " + v
}

// Failed writes the verdict line of a failed check.
func (t textRenderer) Failed(w io.Writer, err error) error {
	_, werr := fmt.Fprintln(w, t.paint(red, printable(failedLine(err))))
	return werr
}
