package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type markdownRenderer struct{ opts Options }

// Render writes the sections in order; a new section is one method here.
func (m markdownRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	m.header(bw, r)
	m.changes(bw, r)
	m.approvals(bw, r)
	m.provisioners(bw, r)
	m.providers(bw, r)
	m.endpoints(bw, r)
	m.providerCode(bw, r)
	changes, provisions, invocations := approveCommands(orig, m.opts)
	m.commands(bw, "To approve the provisioners, an approver who is not the author runs:", provisions, true)
	m.actions(bw, r)
	m.commands(bw, "To approve the action invocations, an approver who is not the author runs:", invocations, true)
	m.commands(bw, "To approve, an approver who is not the author runs:", changes, false)
	return bw.Flush()
}

func (m markdownRenderer) header(bw io.Writer, r *gate.Report) {
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
	if len(r.RefreshDrift) > 0 {
		fmt.Fprint(bw, "Refreshed (changed outside Terraform, written into the state by the apply):\n\n")
		for _, d := range r.RefreshDrift {
			fmt.Fprintf(bw, "- `%s`: %s\n", codeEscape(driftObject(d)), mdEscape(driftAttributes(d)))
		}
		fmt.Fprint(bw, "\n")
	}
}

func (m markdownRenderer) changes(bw io.Writer, r *gate.Report) {
	if len(r.Changes) == 0 {
		return
	}
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

func (m markdownRenderer) approvals(bw io.Writer, r *gate.Report) {
	if len(r.Approvals) == 0 {
		return
	}
	fmt.Fprintln(bw, "<details><summary>Approvals in the plan</summary>")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Approval | Action | Target | Status | Signed by | Problems |")
	fmt.Fprintln(bw, "| --- | --- | --- | --- | --- | --- |")
	for _, a := range r.Approvals {
		fmt.Fprintf(bw, "| `%s` | %s | `%s` | %s | %s | %s |\n", codeEscape(a.Address), mdEscape(a.Action), codeEscape(a.Target), a.Status,
			mdEscape(strings.Join(signedBy(a), ", ")), mdEscape(strings.Join(a.Problems, "; ")))
	}
	fmt.Fprintln(bw, "\n</details>")
	fmt.Fprintln(bw)
}

func (m markdownRenderer) provisioners(bw io.Writer, r *gate.Report) {
	if len(r.Provisioners) == 0 {
		return
	}
	fmt.Fprintln(bw, "Provisioners the apply would run:")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Type | When | Address | Command | Verdict |")
	fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
	for _, p := range r.Provisioners {
		fmt.Fprintf(bw, "| %s | %s | `%s` | `%s` | %s |\n", mdEscape(p.Type), p.When, codeEscape(p.Address), codeEscape(provisionCommand(p)), m.judged(p.Verdict))
	}
	fmt.Fprintln(bw)
}

func (m markdownRenderer) providers(bw io.Writer, r *gate.Report) {
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "**Provider `%s` is not in the policy's providers list.**\n\n", codeEscape(provider(p.Source)))
		}
	}
}

func (m markdownRenderer) endpoints(bw io.Writer, r *gate.Report) {
	if len(r.ProviderEndpoints) == 0 {
		return
	}
	fmt.Fprintln(bw, mdEscape(endpointsIntro))
	fmt.Fprintln(bw)
	for _, e := range r.ProviderEndpoints {
		fmt.Fprintf(bw, "- `%s` (`%s`) sets %s\n", codeEscape(e.Name), codeEscape(e.Provider), mdEscape(strings.Join(e.Arguments, ", ")))
	}
	fmt.Fprintln(bw)
}

func (m markdownRenderer) actions(bw io.Writer, r *gate.Report) {
	if len(r.Invocations) == 0 {
		return
	}
	fmt.Fprintln(bw, "Actions the apply would invoke:")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Action | Provider | Invoked by | Verdict |")
	fmt.Fprintln(bw, "| --- | --- | --- | --- |")
	for _, iv := range r.Invocations {
		fmt.Fprintf(bw, "| `%s` | `%s` | %s | %s |\n", codeEscape(iv.Address), codeEscape(iv.ProviderName), mdEscape(invocationTrigger(iv)), m.judged(iv.Verdict))
	}
	fmt.Fprintln(bw)
}

// judged is the verdict cell of a provisioner run or an invocation.
func (m markdownRenderer) judged(v gate.Verdict) string {
	if v.Blocked() {
		return "**" + mdEscape(judged(v)) + "** " + mdEscape(strings.Join(v.Problems, "; "))
	}
	return mdEscape(judged(v))
}

// commands writes approve commands as a shell block after intro (and a
// blank line after it, unless it is the report's last).
func (m markdownRenderer) commands(bw io.Writer, intro string, cmds []string, more bool) {
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
	if more {
		fmt.Fprintln(bw)
	}
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

// Failed writes a heading that says the check failed, and why.
func (m markdownRenderer) Failed(w io.Writer, err error) error {
	_, werr := fmt.Fprintf(w, "### :no_entry: planguard: %s\n", mdEscape(printable(failedLine(err))))
	return werr
}
