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

func (t textRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "planguard: scope %q, plan sha256 %s (%s, format %s)", r.Scope, short(r.Plan.SHA256), orUnknown(r.Plan.TerraformVersion), r.Plan.FormatVersion)
	if r.PolicySHA256 != "" {
		fmt.Fprintf(bw, ", policy hash %s", short(r.PolicySHA256))
	}
	fmt.Fprintln(bw)
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "warning: %s\n", w)
	}
	if len(r.Changes) == 0 {
		fmt.Fprintln(bw, "No destructive changes in this plan.")
	} else {
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
			addr := Where(c)
			by := ""
			if len(c.ApprovedBy) > 0 {
				by = " by " + strings.Join(c.ApprovedBy, ", ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\t%s\n", c.Action, addr, ruleList(c), count(c), by, v)
		}
		tw.Flush()
		for _, c := range r.Changes {
			for _, p := range c.Problems {
				fmt.Fprintf(bw, "  %s %s: %s\n", c.Action, c.Address, p)
			}
		}
	}
	if len(r.Approvals) > 0 {
		fmt.Fprintln(bw, "\nApprovals in the plan:")
		for _, a := range r.Approvals {
			who := ""
			if len(a.Principals) > 0 {
				who = " signed by " + strings.Join(a.Principals, ", ")
			}
			fmt.Fprintf(bw, "  %s: %s %s%s: %s\n", a.Address, a.Action, a.Target, who, a.Status)
			for _, p := range a.Problems {
				fmt.Fprintf(bw, "    %s\n", t.paint(dim, p))
			}
		}
	}
	t.provisionText(bw, r, orig)
	t.actionText(bw, r, orig)
	first := true
	for _, c := range orig.Changes { // the commands quote the exact strings
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
