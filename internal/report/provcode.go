package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// The sections of every format for code the apply runs through providers:
// the commands provider configurations run (gate.ProviderCommand) and the
// data sources of program-running providers read during the apply
// (gate.ApplyRead).

const (
	providerCommandsIntro = "Commands provider configurations run (whenever the provider is configured: at plan, and at apply with the apply's credentials):"
	applyReadsIntro       = "Data sources read during the apply by providers that run programs (with the apply's credentials):"
	remoteStatesIntro     = "Remote states the configuration reads (terraform_remote_state: at plan, and at apply when its configuration is known only then, with the job's credentials):"
)

// providerCodeSummary is the verdict line's part for provider commands
// and apply-time reads, "" when there are none.
func providerCodeSummary(r *gate.Report) []string {
	var parts []string
	count := func(n, of int, what, allow string) {
		switch {
		case n > 0:
			parts = append(parts, fmt.Sprintf("%d of %d %s not allowed by %s", n, of, what, allow))
		case of > 0:
			parts = append(parts, fmt.Sprintf("%d %s, all allowed by %s", of, what, allow))
		}
	}
	n := 0
	for _, c := range r.ProviderCommands {
		if c.Blocked() {
			n++
		}
	}
	count(n, len(r.ProviderCommands), "provider command(s)", "provider_exec")
	n = 0
	for _, a := range r.ApplyReads {
		if a.Blocked() {
			n++
		}
	}
	count(n, len(r.ApplyReads), "data source read(s) at apply", "allow_apply_reads")
	n = 0
	for _, s := range r.RemoteStates {
		if s.Blocked() {
			n++
		}
	}
	count(n, len(r.RemoteStates), "remote state read(s)", "remote_state")
	parts = append(parts, hostWritesSummary(r)...)
	return append(parts, configCodeSummary(r)...)
}

// remoteStateText names a terraform_remote_state data source and what it
// reads.
func remoteStateText(s gate.RemoteState) string {
	if len(s.Unreadable) > 0 {
		return fmt.Sprintf("%s (settings not constant: %s)", s.Address, strings.Join(s.Unreadable, "; "))
	}
	return fmt.Sprintf("%s: backend %q, config %s, workspace %q", s.Address, s.Backend, s.Config, s.Workspace)
}

// providerCommandText names a provider command: configuration, provider,
// setting and command line.
func providerCommandText(c gate.ProviderCommand) string {
	return fmt.Sprintf("%s (%s) %s: %s", c.Name, provider(c.Source), c.Setting, c.CommandLine())
}

// applyReadText names a data source read during the apply.
func applyReadText(a gate.ApplyRead) string {
	s := fmt.Sprintf("%s (%s)", a.Address, provider(a.ProviderName))
	if a.ActionReason != "" {
		s += " " + a.ActionReason
	}
	return s
}

func allowedWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "BLOCKED"
}

func (t textRenderer) providerCode(bw io.Writer, r *gate.Report) {
	if len(r.ProviderCommands) > 0 {
		fmt.Fprintln(bw, "\n"+providerCommandsIntro)
		for _, c := range r.ProviderCommands {
			w := allowedWord(c.Allowed)
			if !c.Allowed {
				w = t.paint(red, w)
			}
			fmt.Fprintf(bw, "  %s: %s\n", providerCommandText(c), w)
			if c.Problem != "" {
				t.problems(bw, []string{c.Problem})
			}
		}
	}
	if len(r.ApplyReads) > 0 {
		fmt.Fprintln(bw, "\n"+applyReadsIntro)
		for _, a := range r.ApplyReads {
			w := allowedWord(a.Allowed)
			if !a.Allowed {
				w = t.paint(red, w)
			}
			fmt.Fprintf(bw, "  %s: %s\n", applyReadText(a), w)
			if a.Problem != "" {
				t.problems(bw, []string{a.Problem})
			}
		}
	}
	t.hostWrites(bw, r)
	t.configCode(bw, r)
}

func (t textRenderer) remoteStates(bw io.Writer, r *gate.Report) {
	if len(r.RemoteStates) == 0 {
		return
	}
	fmt.Fprintln(bw, "\n"+remoteStatesIntro)
	for _, s := range r.RemoteStates {
		w := allowedWord(s.Allowed)
		if !s.Allowed {
			w = t.paint(red, w)
		}
		fmt.Fprintf(bw, "  %s: %s\n", remoteStateText(s), w)
		if s.Problem != "" {
			t.problems(bw, []string{s.Problem})
		}
	}
}

func (m markdownRenderer) providerCode(bw io.Writer, r *gate.Report) {
	if len(r.ProviderCommands) > 0 {
		fmt.Fprintln(bw, mdEscape(providerCommandsIntro))
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Configuration | Provider | Setting | Command | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, c := range r.ProviderCommands {
			v := mdEscape(allowedWord(c.Allowed))
			if !c.Allowed {
				v = "**" + v + "** " + mdEscape(c.Problem)
			}
			fmt.Fprintf(bw, "| `%s` | `%s` | `%s` | `%s` | %s |\n", codeEscape(c.Name), codeEscape(provider(c.Source)), codeEscape(c.Setting), codeEscape(c.CommandLine()), v)
		}
		fmt.Fprintln(bw)
	}
	if len(r.ApplyReads) > 0 {
		fmt.Fprintln(bw, mdEscape(applyReadsIntro))
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Data source | Provider | Reason | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- |")
		for _, a := range r.ApplyReads {
			v := mdEscape(allowedWord(a.Allowed))
			if !a.Allowed {
				v = "**" + v + "** " + mdEscape(a.Problem)
			}
			fmt.Fprintf(bw, "| `%s` | `%s` | %s | %s |\n", codeEscape(a.Address), codeEscape(provider(a.ProviderName)), mdEscape(a.ActionReason), v)
		}
		fmt.Fprintln(bw)
	}
	if len(r.RemoteStates) > 0 {
		fmt.Fprintln(bw, mdEscape(remoteStatesIntro))
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Data source | Reads | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- |")
		for _, s := range r.RemoteStates {
			v := mdEscape(allowedWord(s.Allowed))
			if !s.Allowed {
				v = "**" + v + "** " + mdEscape(s.Problem)
			}
			fmt.Fprintf(bw, "| `%s` | `%s` | %s |\n", codeEscape(s.Address), codeEscape(remoteStateText(s)), v)
		}
		fmt.Fprintln(bw)
	}
	m.hostWrites(bw, r)
	m.configCode(bw, r)
}

func (g githubRenderer) providerCode(bw io.Writer, r *gate.Report) {
	for _, c := range r.ProviderCommands {
		title := "planguard: provider configuration " + c.Name + " runs a command"
		if c.Allowed {
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData(providerCommandText(c)+": allowed by a provider_exec block"))
			continue
		}
		fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" (blocked)"), ghData(c.Problem))
	}
	for _, a := range r.ApplyReads {
		title := "planguard: data source " + a.Address + " is read during the apply"
		if a.Allowed {
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData(applyReadText(a)+": allowed by allow_apply_reads"))
			continue
		}
		fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" (blocked)"), ghData(a.Problem))
	}
	for _, s := range r.RemoteStates {
		title := "planguard: data source " + s.Address + " reads a remote state"
		if s.Allowed {
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData(remoteStateText(s)+": allowed by a remote_state block"))
			continue
		}
		fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" (blocked)"), ghData(s.Problem))
	}
	g.hostWrites(bw, r)
	g.configCode(bw, r)
}

// junitProviderCode: each provider command and apply-time read is a case,
// failed when it blocks.
func junitProviderCode(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, c := range r.ProviderCommands {
		tc := junitCase{Name: "provider command " + providerCommandText(c), Classname: "planguard.provider_command"}
		if !c.Allowed {
			tc.Failure = &junitFailure{Message: "provider configuration " + c.Name + " runs a command no provider_exec block allows", Body: c.Problem}
		}
		cases = append(cases, tc)
	}
	for _, a := range r.ApplyReads {
		tc := junitCase{Name: "data source read at apply " + applyReadText(a), Classname: "planguard.apply_read"}
		if !a.Allowed {
			tc.Failure = &junitFailure{Message: "data source " + a.Address + " runs its provider's program during the apply, and allow_apply_reads does not list it", Body: a.Problem}
		}
		cases = append(cases, tc)
	}
	for _, s := range r.RemoteStates {
		tc := junitCase{Name: "remote state " + remoteStateText(s), Classname: "planguard.remote_state"}
		if !s.Allowed {
			tc.Failure = &junitFailure{Message: "data source " + s.Address + " reads a remote state no remote_state block allows", Body: s.Problem}
		}
		cases = append(cases, tc)
	}
	cases = append(cases, junitHostWrites(r)...)
	return append(cases, junitConfigCode(r)...)
}

// sarifProviderCodeRules are the rules of provider commands and apply-time
// reads, listed only in reports that have one.
var sarifProviderCodeRules = []sarifRule{
	{ID: "planguard/provider-command", Name: "ProviderCommand", ShortDescription: sarifMessage{"A provider configuration runs a command (at apply with the apply's credentials) that no provider_exec block of the policy allows"}},
	{ID: "planguard/allowed-provider-command", Name: "AllowedProviderCommand", ShortDescription: sarifMessage{"A provider configuration runs a command that a provider_exec block of the policy allows"}},
	{ID: "planguard/apply-read", Name: "ApplyRead", ShortDescription: sarifMessage{"A data source of a provider that runs programs is read during the apply, and allow_apply_reads does not list it"}},
	{ID: "planguard/allowed-apply-read", Name: "AllowedApplyRead", ShortDescription: sarifMessage{"A data source of a provider that runs programs is read during the apply, as allow_apply_reads allows"}},
	{ID: "planguard/remote-state", Name: "RemoteState", ShortDescription: sarifMessage{"A terraform_remote_state data source reads a state (with the job's credentials, through the backend it names) that no remote_state block of the policy allows"}},
	{ID: "planguard/allowed-remote-state", Name: "AllowedRemoteState", ShortDescription: sarifMessage{"A terraform_remote_state data source reads a state that a remote_state block of the policy allows"}},
}

func (s sarifRenderer) providerCode(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, c := range r.ProviderCommands {
		res := sarifResult{RuleID: "planguard/allowed-provider-command", Level: "note",
			Message: sarifMessage{"provider configuration " + providerCommandText(c) + ": allowed by a provider_exec block"}, Locations: s.at(c.Name, "module")}
		if !c.Allowed {
			res.RuleID, res.Level, res.Message.Text = "planguard/provider-command", "error", c.Problem
		}
		res.PartialFingerprints = fingerprint(res.RuleID, c.Name, c.Setting, c.CommandLine())
		out = append(out, res)
	}
	for _, a := range r.ApplyReads {
		res := sarifResult{RuleID: "planguard/allowed-apply-read", Level: "note",
			Message: sarifMessage{"data source " + applyReadText(a) + " is read during the apply: allowed by allow_apply_reads"}, Locations: s.at(a.Address, "resource")}
		if !a.Allowed {
			res.RuleID, res.Level, res.Message.Text = "planguard/apply-read", "error", a.Problem
		}
		res.PartialFingerprints = fingerprint(res.RuleID, a.Address)
		out = append(out, res)
	}
	for _, rs := range r.RemoteStates {
		res := sarifResult{RuleID: "planguard/allowed-remote-state", Level: "note",
			Message: sarifMessage{"remote state " + remoteStateText(rs) + ": allowed by a remote_state block"}, Locations: s.at(rs.Address, "resource")}
		if !rs.Allowed {
			res.RuleID, res.Level, res.Message.Text = "planguard/remote-state", "error", rs.Problem
		}
		res.PartialFingerprints = fingerprint(res.RuleID, rs.Address)
		out = append(out, res)
	}
	out = append(out, s.hostWrites(r)...)
	return append(out, s.configCode(r)...)
}

// hasProviderCode reports whether the report has a provider command or an
// apply-time read.
func hasProviderCode(r *gate.Report) bool {
	return len(r.ProviderCommands) > 0 || len(r.ApplyReads) > 0 || len(r.RemoteStates) > 0
}
