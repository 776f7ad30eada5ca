package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// Much of a report is written by the actor the gate contains: addresses and
// their index keys, an approval's target and principals, and the problems
// that quote them. Reports that a person reads (text, markdown, GitHub
// annotations) show such strings through printable, so that they cannot
// move the cursor, recolour or rewrite the log (ANSI escapes, carriage
// returns, newlines), reorder what is shown (bidirectional overrides) or
// hide characters (zero-width ones). The machine formats (json, sarif, junit)
// carry the strings exactly, escaped by their encoders.

// safeRune reports whether r may be shown as it is.
func safeRune(r rune) bool {
	return r != utf8.RuneError && (r == ' ' || unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r))
}

// printable returns s with every rune that is not safe to show (controls,
// format characters such as U+202E or U+200B, invalid UTF-8) replaced by a
// visible escape: \x1b, \u202e.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if !safeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case safeRune(r):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// PrintableLines is printable for a message that may span lines on
// purpose (an error with a list, a hint with an example): each line is made
// printable, and every line after the first is indented, so that a line a
// quoted string starts (an edited plan's type with a newline in it) can
// neither pass for one of planguard's own lines nor recolour the log.
func PrintableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = printable(l)
		if i > 0 && lines[i] != "" {
			lines[i] = "  " + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func printableAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = printable(s)
	}
	return out
}

// forHumans returns a copy of r whose strings are printable.
func forHumans(r *gate.Report) *gate.Report {
	h := *r
	h.Scope = printable(r.Scope)
	h.Author = printable(r.Author)
	h.Authors = printableAll(r.Authors)
	h.PolicySHA256 = printable(r.PolicySHA256)
	h.Warnings = printableAll(r.Warnings)
	h.RefreshDrift = make([]gate.RefreshDrift, len(r.RefreshDrift))
	for i, d := range r.RefreshDrift {
		h.RefreshDrift[i] = gate.RefreshDrift{Address: printable(d.Address), Deposed: printable(d.Deposed), Attributes: printableAll(d.Attributes)}
	}
	h.Plan.TerraformVersion = printable(r.Plan.TerraformVersion)
	h.Plan.FormatVersion = printable(r.Plan.FormatVersion)
	h.Changes = make([]gate.Change, len(r.Changes))
	for i, c := range r.Changes {
		c.Address = printable(c.Address)
		c.Type = printable(c.Type)
		c.ActionReason = printable(c.ActionReason)
		c.Deposed = printable(c.Deposed)
		c.PriorID = printable(c.PriorID)
		c.PriorIdentity = printable(c.PriorIdentity)
		c.PreviousAddress = printable(c.PreviousAddress)
		c.ImportID = printable(c.ImportID)
		c.TakesID = printable(c.TakesID)
		c.TakesIDAttribute = printable(c.TakesIDAttribute)
		c.UnknownAttribute = printable(c.UnknownAttribute)
		c.JudgedAs = append([]gate.Subject(nil), c.JudgedAs...)
		for j := range c.JudgedAs {
			c.JudgedAs[j].Address = printable(c.JudgedAs[j].Address)
			c.JudgedAs[j].Type = printable(c.JudgedAs[j].Type)
		}
		c.Verdict = verdictForHumans(c.Verdict)
		h.Changes[i] = c
	}
	h.Approvals = make([]gate.Approval, len(r.Approvals))
	for i, a := range r.Approvals {
		a.Address = printable(a.Address)
		a.Scope = printable(a.Scope)
		a.Target = printable(a.Target)
		a.Action = printable(a.Action)
		a.ExpiresAt = printable(a.ExpiresAt)
		a.Identity = printable(a.Identity)
		a.From = printable(a.From)
		a.IssuedAt = printable(a.IssuedAt)
		a.Principals = printableAll(a.Principals)
		a.Certificates = append([]gate.CertificateSigner(nil), a.Certificates...)
		for j := range a.Certificates {
			a.Certificates[j].Principal = printable(a.Certificates[j].Principal)
			a.Certificates[j].KeyID = printable(a.Certificates[j].KeyID)
		}
		a.Problems = printableAll(a.Problems)
		h.Approvals[i] = a
	}
	h.Provisioners = make([]gate.Provision, len(r.Provisioners))
	for i, p := range r.Provisioners {
		p.Address = printable(p.Address)
		p.ResourceType = printable(p.ResourceType)
		p.Type = printable(p.Type)
		p.Deposed = printable(p.Deposed)
		p.Command = printable(p.Command)
		p.CommandReferences = printableAll(p.CommandReferences)
		p.Options = printableAll(p.Options)
		p.Verdict = verdictForHumans(p.Verdict)
		h.Provisioners[i] = p
	}
	h.Providers = make([]gate.Provider, len(r.Providers))
	for i, p := range r.Providers {
		p.Source = printable(p.Source)
		h.Providers[i] = p
	}
	if r.ProviderEndpoints != nil {
		h.ProviderEndpoints = make([]plan.ProviderEndpoint, len(r.ProviderEndpoints))
		for i, e := range r.ProviderEndpoints {
			h.ProviderEndpoints[i] = plan.ProviderEndpoint{Provider: printable(e.Provider), Name: printable(e.Name), Arguments: printableAll(e.Arguments)}
		}
	}
	if r.ProviderCommands != nil {
		h.ProviderCommands = make([]gate.ProviderCommand, len(r.ProviderCommands))
		for i, c := range r.ProviderCommands {
			c.Name, c.Provider, c.Source, c.Setting = printable(c.Name), printable(c.Provider), printable(c.Source), printable(c.Setting)
			c.Command, c.Args, c.Unreadable, c.Problem = printable(c.Command), printableAll(c.Args), printableAll(c.Unreadable), printable(c.Problem)
			if c.Env != nil {
				env := make(map[string]string, len(c.Env))
				for k, v := range c.Env {
					env[printable(k)] = printable(v)
				}
				c.Env = env
			}
			h.ProviderCommands[i] = c
		}
	}
	if r.ApplyReads != nil {
		h.ApplyReads = make([]gate.ApplyRead, len(r.ApplyReads))
		for i, a := range r.ApplyReads {
			a.Address, a.Type, a.ProviderName, a.ActionReason, a.Problem = printable(a.Address), printable(a.Type), printable(a.ProviderName), printable(a.ActionReason), printable(a.Problem)
			h.ApplyReads[i] = a
		}
	}
	if r.RemoteStates != nil {
		h.RemoteStates = make([]gate.RemoteState, len(r.RemoteStates))
		for i, s := range r.RemoteStates {
			s.Address, s.Backend, s.Workspace, s.Problem = printable(s.Address), printable(s.Backend), printable(s.Workspace), printable(s.Problem)
			s.Unreadable = printableAll(s.Unreadable)
			if s.Config != nil {
				s.Config = []byte(printable(string(s.Config)))
			}
			h.RemoteStates[i] = s
		}
	}
	h.HostWrites, h.ApplyTimeProviders = hostWritesForHumans(r)
	h.ConfigCode = configCodeForHumans(r)
	h.Invocations = make([]gate.Invocation, len(r.Invocations))
	for i, iv := range r.Invocations {
		iv.Address = printable(iv.Address)
		iv.Type = printable(iv.Type)
		iv.ProviderName = printable(iv.ProviderName)
		iv.Trigger = printable(iv.Trigger)
		iv.TriggeringResource = printable(iv.TriggeringResource)
		iv.Event = printable(iv.Event)
		iv.Verdict = verdictForHumans(iv.Verdict)
		h.Invocations[i] = iv
	}
	return &h
}

// verdictForHumans returns v with its strings printable.
func verdictForHumans(v gate.Verdict) gate.Verdict {
	v.AllowedBy = printableAll(v.AllowedBy)
	v.Rules = printableAll(v.Rules)
	v.ApprovedBy = printableAll(v.ApprovedBy)
	v.Problems = printableAll(v.Problems)
	return v
}
