package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// The sections of every format for code of the configuration snapshot the
// apply runs (gate.ConfigCode): file reads that may happen only during the
// apply, ephemeral resources and functions of providers that run
// programs (judged), other provider function calls (listed). The
// providerCode methods of each format call these.

const configCodeIntro = "Code of the configuration the apply runs that the plan JSON does not show (from the saved plan's configuration snapshot):"

// configCodeSummary is the verdict line's part for configuration code.
func configCodeSummary(r *gate.Report) []string {
	n, judged := 0, 0
	for _, c := range r.ConfigCode {
		if c.Judged {
			judged++
		}
		if c.Blocked() {
			n++
		}
	}
	switch {
	case n > 0:
		return []string{fmt.Sprintf("%d of %d apply-time file read(s), ephemeral resource(s) or function call(s) not allowed", n, judged)}
	case judged > 0:
		return []string{fmt.Sprintf("%d apply-time file read(s), ephemeral resource(s) or function call(s), all allowed", judged)}
	}
	return nil
}

// configCodeText names a finding: what, where, and what it refers to.
func configCodeText(c gate.ConfigCode) string {
	where := fmt.Sprintf("%s:%d", c.File, c.Line)
	var s string
	switch c.Kind {
	case plan.CodeFileRead:
		s = fmt.Sprintf("%s calls %s (%s)", c.Address, c.Function, where)
		if c.InProvider && len(c.References) == 0 {
			s += " in a provider block"
		}
	case plan.CodeEphemeral:
		s = fmt.Sprintf("ephemeral resource %s (%s, %s)", c.Address, provider(c.Provider), where)
	case plan.CodeProviderFunction:
		s = fmt.Sprintf("%s calls %s (%s, %s)", c.Address, c.Function, provider(c.Provider), where)
	case plan.CodeUnreadable:
		return fmt.Sprintf("%s cannot be read: %s", c.File, c.Unreadable)
	default:
		s = fmt.Sprintf("%s %s (%s)", c.Kind, c.Address, where)
	}
	if len(c.References) > 0 {
		s += " with " + strings.Join(c.References, ", ")
	}
	return s
}

// configCodeVerdict is the verdict word: allowed, BLOCKED, or listed (not
// judged).
func configCodeVerdict(c gate.ConfigCode) string {
	if !c.Judged && c.Allowed {
		return "listed"
	}
	return allowedWord(c.Allowed)
}

// configCodeAllowedBy names the policy setting that allows c.
func configCodeAllowedBy(c gate.ConfigCode) string {
	switch {
	case c.Kind == plan.CodeEphemeral:
		return "allow_apply_reads"
	case c.Kind == plan.CodeProviderFunction && c.ProgramProvider:
		return "allow_provider_functions"
	}
	return "allow_apply_file_reads"
}

func (t textRenderer) configCode(bw io.Writer, r *gate.Report) {
	if len(r.ConfigCode) == 0 {
		return
	}
	fmt.Fprintln(bw, "\n"+configCodeIntro)
	for _, c := range r.ConfigCode {
		v := configCodeVerdict(c)
		if c.Blocked() {
			v = t.paint(red, v)
		}
		fmt.Fprintf(bw, "  %s: %s\n", configCodeText(c), v)
		if c.Problem != "" {
			t.problems(bw, []string{c.Problem})
		}
	}
}

func (m markdownRenderer) configCode(bw io.Writer, r *gate.Report) {
	if len(r.ConfigCode) == 0 {
		return
	}
	fmt.Fprintln(bw, mdEscape(configCodeIntro))
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Kind | Address | Where | Function or provider | Refers to | Verdict |")
	fmt.Fprintln(bw, "| --- | --- | --- | --- | --- | --- |")
	for _, c := range r.ConfigCode {
		v := mdEscape(configCodeVerdict(c))
		if c.Blocked() {
			v = "**" + v + "** " + mdEscape(c.Problem)
		}
		what := c.Function
		if what == "" {
			what = provider(c.Provider)
		}
		if c.Kind == plan.CodeUnreadable {
			what = c.Unreadable
		}
		fmt.Fprintf(bw, "| %s | `%s` | `%s:%d` | `%s` | `%s` | %s |\n", mdEscape(c.Kind), codeEscape(c.Address), codeEscape(c.File), c.Line, codeEscape(what), codeEscape(strings.Join(c.References, ", ")), v)
	}
	fmt.Fprintln(bw)
}

func (g githubRenderer) configCode(bw io.Writer, r *gate.Report) {
	for _, c := range r.ConfigCode {
		title := "planguard: " + c.Address + " runs code during the apply"
		switch {
		case c.Blocked():
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" (blocked)"), ghData(c.Problem))
		case c.Judged:
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData(configCodeText(c)+": allowed by "+configCodeAllowedBy(c)))
		default:
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty("planguard: "+c.Address+" calls a provider function"), ghData(configCodeText(c)))
		}
	}
}

// junitConfigCode: each finding is a case, failed when it blocks.
func junitConfigCode(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, c := range r.ConfigCode {
		tc := junitCase{Name: "configuration code " + configCodeText(c), Classname: "planguard.configuration_code"}
		if c.Blocked() {
			tc.Failure = &junitFailure{Message: c.Address + " runs code during the apply that the policy does not allow", Body: c.Problem}
		}
		cases = append(cases, tc)
	}
	return cases
}

// sarifConfigCodeRules are the rules of configuration code, listed only
// in reports that have some.
var sarifConfigCodeRules = []sarifRule{
	{ID: "planguard/apply-code", Name: "ApplyCode", ShortDescription: sarifMessage{"The configuration reads files or runs a program during the apply (a file function that reads other than the configuration's own files, an ephemeral resource or a function of a provider that runs programs), and the policy does not allow it"}},
	{ID: "planguard/allowed-apply-code", Name: "AllowedApplyCode", ShortDescription: sarifMessage{"The configuration reads files or runs a program during the apply, as the policy allows"}},
	{ID: "planguard/provider-function", Name: "ProviderFunction", ShortDescription: sarifMessage{"The configuration calls a provider-defined function (evaluated at plan and again at apply)"}},
}

func (s sarifRenderer) configCode(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, c := range r.ConfigCode {
		res := sarifResult{RuleID: "planguard/allowed-apply-code", Level: "note",
			Message: sarifMessage{configCodeText(c) + ": allowed by " + configCodeAllowedBy(c)}, Locations: s.at(c.Address, "module")}
		switch {
		case c.Blocked():
			res.RuleID, res.Level, res.Message.Text = "planguard/apply-code", "error", c.Problem
		case !c.Judged:
			res.RuleID, res.Message.Text = "planguard/provider-function", configCodeText(c)
		}
		res.PartialFingerprints = fingerprint(res.RuleID, c.Kind, c.Address, c.Function, c.Provider, strings.Join(c.References, ","))
		out = append(out, res)
	}
	return out
}

// configCodeForHumans returns r's configuration code with printable
// strings.
func configCodeForHumans(r *gate.Report) []gate.ConfigCode {
	if r.ConfigCode == nil {
		return nil
	}
	out := make([]gate.ConfigCode, len(r.ConfigCode))
	for i, c := range r.ConfigCode {
		c.Kind, c.Address, c.File, c.Function, c.Provider = printable(c.Kind), printable(c.Address), printable(c.File), printable(c.Function), printable(c.Provider)
		c.References, c.Unreadable, c.Problem = printableAll(c.References), printable(c.Unreadable), printable(c.Problem)
		out[i] = c
	}
	return out
}
