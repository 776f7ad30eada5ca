package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// The sections of every format for files the apply writes on the machine
// it runs on (gate.HostWrite, judged) and for the provider configurations
// Terraform may configure only during the apply (plan.ApplyTimeProvider,
// reported). The providerCode methods of each format call these.

const (
	hostWritesIntro         = "Files the apply writes on the machine it runs on (a file written during the apply can run as code before the job ends):"
	applyTimeProvidersIntro = "Provider configurations that refer to resources, data sources, module outputs or locals (Terraform may configure them, and start their plugin, only during the apply, after what they refer to was applied):"
)

// hostWritesSummary is the verdict line's part for host writes.
func hostWritesSummary(r *gate.Report) []string {
	n := 0
	for _, w := range r.HostWrites {
		if w.Blocked() {
			n++
		}
	}
	switch {
	case n > 0:
		return []string{fmt.Sprintf("%d of %d write(s) on the apply machine not allowed by allow_host_writes", n, len(r.HostWrites))}
	case len(r.HostWrites) > 0:
		return []string{fmt.Sprintf("%d write(s) on the apply machine, all allowed by allow_host_writes", len(r.HostWrites))}
	}
	return nil
}

// hostWriteText names a host write: address, provider, action and file.
func hostWriteText(w gate.HostWrite) string {
	s := fmt.Sprintf("%s %s (%s)", w.Action, w.Address, provider(w.ProviderName))
	switch {
	case w.PathAttribute == "":
		s += ": file not named"
	case w.PathUnknown:
		s += ": " + w.PathAttribute + " known only at apply"
	case w.Path != "":
		s += ": " + w.PathAttribute + " = " + quoteJSONString(w.Path)
	}
	if w.PriorPath != "" {
		s += " (was " + quoteJSONString(w.PriorPath) + ")"
	}
	return s
}

// applyTimeProviderText names a provider configuration and what it refers to.
func applyTimeProviderText(p plan.ApplyTimeProvider) string {
	return fmt.Sprintf("%s (%s) refers to %s", p.Name, provider(p.Source), strings.Join(p.References, ", "))
}

func quoteJSONString(s string) string { return fmt.Sprintf("%q", s) }

func (t textRenderer) hostWrites(bw io.Writer, r *gate.Report) {
	if len(r.HostWrites) > 0 {
		fmt.Fprintln(bw, "\n"+hostWritesIntro)
		for _, w := range r.HostWrites {
			v := allowedWord(w.Allowed)
			if !w.Allowed {
				v = t.paint(red, v)
			}
			fmt.Fprintf(bw, "  %s: %s\n", hostWriteText(w), v)
			if w.Problem != "" {
				t.problems(bw, []string{w.Problem})
			}
		}
	}
	if len(r.ApplyTimeProviders) > 0 {
		fmt.Fprintln(bw, "\n"+applyTimeProvidersIntro)
		for _, p := range r.ApplyTimeProviders {
			fmt.Fprintf(bw, "  %s\n", applyTimeProviderText(p))
		}
	}
}

func (m markdownRenderer) hostWrites(bw io.Writer, r *gate.Report) {
	if len(r.HostWrites) > 0 {
		fmt.Fprintln(bw, mdEscape(hostWritesIntro))
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Action | Address | Provider | File | Verdict |")
		fmt.Fprintln(bw, "| --- | --- | --- | --- | --- |")
		for _, w := range r.HostWrites {
			v := mdEscape(allowedWord(w.Allowed))
			if !w.Allowed {
				v = "**" + v + "** " + mdEscape(w.Problem)
			}
			file := w.Path
			switch {
			case w.PathAttribute == "":
				file = "(not named)"
			case w.PathUnknown:
				file = "(known only at apply)"
			case w.Path == "":
				file = w.PriorPath
			}
			fmt.Fprintf(bw, "| %s | `%s` | `%s` | `%s` | %s |\n", mdEscape(string(w.Action)), codeEscape(w.Address), codeEscape(provider(w.ProviderName)), codeEscape(file), v)
		}
		fmt.Fprintln(bw)
	}
	if len(r.ApplyTimeProviders) > 0 {
		fmt.Fprintln(bw, mdEscape(applyTimeProvidersIntro))
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "| Configuration | Provider | Refers to |")
		fmt.Fprintln(bw, "| --- | --- | --- |")
		for _, p := range r.ApplyTimeProviders {
			fmt.Fprintf(bw, "| `%s` | `%s` | `%s` |\n", codeEscape(p.Name), codeEscape(provider(p.Source)), codeEscape(strings.Join(p.References, ", ")))
		}
		fmt.Fprintln(bw)
	}
}

func (g githubRenderer) hostWrites(bw io.Writer, r *gate.Report) {
	for _, w := range r.HostWrites {
		title := "planguard: " + w.Address + " writes on the apply machine"
		if w.Allowed {
			fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData(hostWriteText(w)+": allowed by allow_host_writes "+strings.Join(w.AllowedBy, ", ")))
			continue
		}
		fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" (blocked)"), ghData(w.Problem))
	}
	for _, p := range r.ApplyTimeProviders {
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty("planguard: provider configuration "+p.Name+" may be configured during the apply"),
			ghData(applyTimeProviderText(p)+": it reads what those wrote, with the apply's credentials"))
	}
}

// junitHostWrites: each host write is a case, failed when it blocks; each
// apply-time provider configuration a passing case.
func junitHostWrites(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, w := range r.HostWrites {
		tc := junitCase{Name: "write on the apply machine " + hostWriteText(w), Classname: "planguard.host_write"}
		if !w.Allowed {
			tc.Failure = &junitFailure{Message: w.Address + " writes a file on the machine that applies the plan, and allow_host_writes does not allow it", Body: w.Problem}
		}
		cases = append(cases, tc)
	}
	for _, p := range r.ApplyTimeProviders {
		cases = append(cases, junitCase{Name: "provider configuration " + applyTimeProviderText(p), Classname: "planguard.apply_time_provider"})
	}
	return cases
}

// sarifHostWriteRules are the rules of host writes and apply-time provider
// configurations, listed only in reports that have one.
var sarifHostWriteRules = []sarifRule{
	{ID: "planguard/host-write", Name: "HostWrite", ShortDescription: sarifMessage{"A resource or data source writes a file on the machine that applies the plan, and no allow_host_writes block of the policy allows it"}},
	{ID: "planguard/allowed-host-write", Name: "AllowedHostWrite", ShortDescription: sarifMessage{"A resource or data source writes a file on the machine that applies the plan, as an allow_host_writes block allows"}},
	{ID: "planguard/apply-time-provider", Name: "ApplyTimeProvider", ShortDescription: sarifMessage{"A provider configuration refers to what may be known only during the apply: Terraform then configures it after the changes it refers to were applied"}},
}

func (s sarifRenderer) hostWrites(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, w := range r.HostWrites {
		res := sarifResult{RuleID: "planguard/allowed-host-write", Level: "note",
			Message: sarifMessage{hostWriteText(w) + ": allowed by allow_host_writes " + strings.Join(w.AllowedBy, ", ")}, Locations: s.at(w.Address, "resource")}
		if !w.Allowed {
			res.RuleID, res.Level, res.Message.Text = "planguard/host-write", "error", w.Problem
		}
		res.PartialFingerprints = fingerprint(res.RuleID, w.Address, string(w.Action), w.Path, w.PriorPath)
		out = append(out, res)
	}
	for _, p := range r.ApplyTimeProviders {
		out = append(out, sarifResult{RuleID: "planguard/apply-time-provider", Level: "note",
			Message:             sarifMessage{"provider configuration " + applyTimeProviderText(p) + ": Terraform may configure it only during the apply, so it reads what those wrote"},
			Locations:           s.at(p.Name, "module"),
			PartialFingerprints: fingerprint("planguard/apply-time-provider", p.Name, strings.Join(p.References, ","))})
	}
	return out
}

// hasHostWrites reports whether the report has a host write or an
// apply-time provider configuration.
func hasHostWrites(r *gate.Report) bool {
	return len(r.HostWrites) > 0 || len(r.ApplyTimeProviders) > 0
}

// hostWritesForHumans returns the host writes and apply-time provider
// configurations of r with printable strings.
func hostWritesForHumans(r *gate.Report) ([]gate.HostWrite, []plan.ApplyTimeProvider) {
	var ws []gate.HostWrite
	if r.HostWrites != nil {
		ws = make([]gate.HostWrite, len(r.HostWrites))
		for i, w := range r.HostWrites {
			w.Address, w.Mode, w.Type, w.ProviderName, w.ActionReason = printable(w.Address), printable(w.Mode), printable(w.Type), printable(w.ProviderName), printable(w.ActionReason)
			w.Deposed, w.PathAttribute, w.Path, w.PriorPath, w.Problem = printable(w.Deposed), printable(w.PathAttribute), printable(w.Path), printable(w.PriorPath), printable(w.Problem)
			w.Action = plan.Kind(printable(string(w.Action)))
			w.AllowedBy = printableAll(w.AllowedBy)
			ws[i] = w
		}
	}
	var ps []plan.ApplyTimeProvider
	if r.ApplyTimeProviders != nil {
		ps = make([]plan.ApplyTimeProvider, len(r.ApplyTimeProviders))
		for i, p := range r.ApplyTimeProviders {
			ps[i] = plan.ApplyTimeProvider{Name: printable(p.Name), Provider: printable(p.Provider), Source: printable(p.Source), References: printableAll(p.References)}
		}
	}
	return ws, ps
}
