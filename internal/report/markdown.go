package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type markdownRenderer struct{ opts Options }

func (m markdownRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	icon := ":white_check_mark:"
	if r.Decision == gate.Block {
		icon = ":no_entry:"
	}
	fmt.Fprintf(bw, "### %s planguard: %s\n\n", icon, mdEscape(Summary(r)))
	fmt.Fprintf(bw, "Scope `%s` · plan `%s` · %s", codeEscape(r.Scope), short(r.Plan.SHA256), orUnknown(r.Plan.TerraformVersion))
	if r.PolicySHA256 != "" {
		fmt.Fprintf(bw, " · policy hash `%s`", short(r.PolicySHA256))
	}
	fmt.Fprint(bw, "\n\n")
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "> :warning: %s\n\n", mdEscape(w))
	}
	if len(r.Changes) > 0 {
		fmt.Fprintln(bw, "| Action | Address | Rules | Approvals | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, c := range r.Changes {
			v := verdict(c)
			if c.Blocked() {
				v = "**" + v + "** " + mdEscape(strings.Join(c.Problems, "; "))
			}
			by := count(c)
			if len(c.ApprovedBy) > 0 {
				by += " (" + mdEscape(strings.Join(c.ApprovedBy, ", ")) + ")"
			}
			fmt.Fprintf(bw, "| %s | `%s` | %s | %s | %s |\n", c.Action, codeEscape(Where(c)), mdEscape(ruleList(c)), by, v)
		}
		fmt.Fprintln(bw)
	}
	if len(r.Approvals) > 0 {
		fmt.Fprintln(bw, "<details><summary>Approvals in the plan</summary>")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Approval | Action | Target | Status | Signed by | Problems |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- | --- |")
		for _, a := range r.Approvals {
			fmt.Fprintf(bw, "| `%s` | %s | `%s` | %s | %s | %s |\n", codeEscape(a.Address), mdEscape(a.Action), codeEscape(a.Target), a.Status,
				mdEscape(strings.Join(a.Principals, ", ")), mdEscape(strings.Join(a.Problems, "; ")))
		}
		fmt.Fprintln(bw, "\n</details>")
		fmt.Fprintln(bw)
	}
	m.provisionMarkdown(bw, r, orig)
	m.actionMarkdown(bw, r, orig)
	var cmds []string
	for _, c := range orig.Changes { // the commands quote the exact strings
		if c.Blocked() && !c.Deferred {
			cmds = append(cmds, ApproveCommand(c, m.opts))
		}
	}
	if len(cmds) > 0 {
		fmt.Fprintln(bw, "To approve, an approver who is not the author runs:")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "```sh")
		for _, c := range cmds {
			fmt.Fprintln(bw, c)
		}
		fmt.Fprintln(bw, "```")
	}
	return bw.Flush()
}

// mdEscape keeps user text from breaking a table or injecting markup.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

// codeEscape keeps text inside a code span.
func codeEscape(s string) string { return codeReplacer.Replace(s) }

// The replacers are built once: a report of a huge plan escapes many cells.
var (
	mdReplacer   = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "'", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	codeReplacer = strings.NewReplacer("`", "'", "|", `\|`, "\n", " ", "\r", " ")
)
