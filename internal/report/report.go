// Package report renders a gate.Report for people and machines: text for a
// CI log, json (the contract), markdown for a pull-request comment, sarif,
// junit and github workflow annotations. Adding a format touches one file.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// Renderer writes a report in one format.
type Renderer interface {
	// Render writes the report of a check.
	Render(w io.Writer, r *gate.Report) error
	// Failed writes the document of a check that failed with err (exit 2,
	// which blocks): a valid document of the format that says so, so that
	// whatever reads it sees a failed run, not a missing or broken file.
	Failed(w io.Writer, err error) error
}

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in text output (only on a terminal, and
	// never when NO_COLOR is set; the CLI decides).
	Color bool
	// PlanPath and PolicyPath are echoed in the approve commands printed for
	// blocked changes, so they can be pasted as they are.
	PlanPath   string
	PolicyPath string
	// Version is planguard's version, for the formats that name the tool
	// (sarif).
	Version string
	// Locate, when set, says where the configuration declares the
	// resource or action of an address, for the formats that point at
	// code (sarif): a slash-separated path and a line, 0 when unknown;
	// "" when it does not know.
	Locate func(address string) (file string, line int)
}

// Formats lists the supported format names.
var Formats = []string{"text", "json", "markdown", "sarif", "junit", "github"}

// New returns the renderer for format.
func New(format string, opts Options) (Renderer, error) {
	switch format {
	case "text", "":
		return textRenderer{opts}, nil
	case "json":
		return jsonRenderer{}, nil
	case "markdown", "md":
		return markdownRenderer{opts}, nil
	case "sarif":
		return sarifRenderer{opts}, nil
	case "junit":
		return junitRenderer{}, nil
	case "github":
		return githubRenderer{opts}, nil
	}
	return nil, fmt.Errorf("unknown format %q (use one of %s)", format, strings.Join(Formats, ", "))
}

// ApproveCommand is the command an approver runs to create the approval a
// blocked change lacks.
func ApproveCommand(c gate.Change, opts Options) string {
	plan := opts.PlanPath
	if plan == "" || plan == "-" {
		plan = "PLAN"
	}
	var b strings.Builder
	b.WriteString("planguard approve")
	if opts.PolicyPath != "" && opts.PolicyPath != "planguard.hcl" {
		b.WriteString(" --policy " + shellQuote(opts.PolicyPath))
	}
	fmt.Fprintf(&b, " --plan %s --target %s", shellQuote(plan), shellQuote(c.Address))
	if c.PreviousAddress != "" {
		b.WriteString(" --from " + shellQuote(c.PreviousAddress))
	}
	fmt.Fprintf(&b, " --action %s --reason %s", c.Action, shellQuote("CHG-0000: why this "+c.Action+" is intended"))
	if c.MaxTTL > 0 && c.MaxTTL < 24*time.Hour {
		// approve's default validity, 24h, would exceed the rule's max_ttl.
		b.WriteString(" --expires " + c.MaxTTL.String())
	}
	b.WriteString(" --key ~/.ssh/id_ed25519 --principal YOU@example.com --out approvals.tf")
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs it. A string with a
// character that is not safe to show (see printable) is written in ANSI-C
// quoting, $'...' with \xNN escapes, so that the command both shows safely
// and, pasted into bash, zsh or ksh, passes exactly s.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@,+~") == "" {
		return s
	}
	if printable(s) != s {
		var b strings.Builder
		b.WriteString("$'")
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == '\\' || r == '\'':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r == utf8.RuneError && n <= 1, !safeRune(r):
				for j := i; j < i+n; j++ {
					fmt.Fprintf(&b, `\x%02x`, s[j])
				}
			default:
				b.WriteString(s[i : i+n])
			}
			i += n
		}
		b.WriteString("'")
		return b.String()
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// matched says, for each way a change can be judged as a protected
// object by what it imports or has, which of the object's keys matched.
var matched = map[string]string{
	gate.SubjectImport:         "imports the id",
	gate.SubjectImportIdentity: "imports the identity",
	gate.SubjectSameID:         "has the id",
	gate.SubjectSameIdentity:   "has the identity",
	gate.SubjectTakesID:        "creates an object with the id",
	gate.SubjectTakesIdentity:  "creates an object with the identity",
	gate.SubjectNamesID:        "an attribute of its new object names the id",
	gate.SubjectUnknownNames:   "an attribute of its new object is unknown at plan and could name the id",
}

// Where renders a change's address with what else it was judged as: its
// address before a move, the protected object whose id or resource
// identity it imports or has (saying which of the two matched), the
// attribute of its new object that names a protected id, the id it
// imports, a deposed key, an object the plan's refresh lost, deferral. Call it on a report made printable
// (forHumans) when the result is shown to people.
func Where(c gate.Change) string {
	var notes []string
	if c.PreviousAddress != "" {
		notes = append(notes, "moved from "+c.PreviousAddress)
	}
	identified := false
	for _, s := range c.JudgedAs {
		if m, ok := matched[s.Why]; ok {
			notes = append(notes, m+" of protected "+s.Address)
			identified = true
		}
	}
	switch {
	case !c.Importing || identified:
	case c.ImportID != "":
		notes = append(notes, fmt.Sprintf("imports id %q", c.ImportID))
	default:
		notes = append(notes, "imports by resource identity")
	}
	switch {
	case c.TakesIDAttribute != "":
		// Which value named it, identified or not.
		notes = append(notes, fmt.Sprintf("its new object's %s = %q names a protected id", c.TakesIDAttribute, c.TakesID))
	case c.UnknownAttribute != "":
		notes = append(notes, fmt.Sprintf("its new object's %s, set by the configuration, is unknown at plan", c.UnknownAttribute))
	case c.TakesID != "" && !identified:
		notes = append(notes, fmt.Sprintf("creates an object with the protected id %q", c.TakesID))
	}
	if c.Deposed != "" {
		notes = append(notes, "deposed "+c.Deposed)
	}
	switch c.Refresh {
	case "":
	case gate.RefreshChangedID:
		notes = append(notes, "the plan's refresh found another id")
	default:
		notes = append(notes, "lost by the plan's refresh")
	}
	if c.Deferred {
		notes = append(notes, "deferred")
	}
	if len(notes) == 0 {
		return c.Address
	}
	return c.Address + " (" + strings.Join(notes, "; ") + ")"
}
