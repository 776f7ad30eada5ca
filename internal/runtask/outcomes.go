package runtask

import (
	"bytes"
	"fmt"
	"strings"

	tfe "github.com/hashicorp/go-tfe"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

// Bounds on what a callback carries, well inside what HCP Terraform shows.
const (
	maxOutcomes     = 50
	maxOutcomeBody  = 32 << 10
	maxMessageBytes = 400
)

// PlanFileName is the plan path the approve commands name: the approver
// downloads the run's plan JSON to it (the decision page says how).
const PlanFileName = "plan.json"

// result is what the service tells HCP Terraform about one task.
func callbackFor(rep *gate.Report, pageURL string) *tfe.TaskResultCallbackRequestOptions {
	opts := &tfe.TaskResultCallbackRequestOptions{Status: tfe.TaskFailed, URL: pageURL}
	if rep.Decision == gate.Allow {
		opts.Status = tfe.TaskPassed
	}
	opts.Message = oneLine("planguard: " + report.Summary(rep))
	var outs []*tfe.TaskResultOutcome
	for i, c := range rep.Changes {
		if !c.Protected {
			continue
		}
		status, level := "Approved", "info"
		desc := fmt.Sprintf("%s %s: approved by %s", c.Action, c.Address, strings.Join(c.ApprovedBy, ", "))
		if c.Blocked() {
			status, level = "Blocked", "error"
			desc = fmt.Sprintf("%s %s: %d of %d approvals", c.Action, c.Address, len(c.ApprovedBy), c.RequiredApprovals)
		}
		o := &tfe.TaskResultOutcome{
			OutcomeID:   fmt.Sprintf("PG-%d", i+1),
			Description: oneLine(desc),
			Body:        changeSection(rep, c),
			Tags: map[string][]*tfe.TaskResultTag{
				"Status": {{Label: status, Level: level}},
				"Action": {{Label: c.Action}},
			},
		}
		if pageURL != "" {
			o.URL = fmt.Sprintf("%s#change-%d", pageURL, i+1)
		}
		outs = append(outs, o)
	}
	if rep.BlockedByCode() || rep.BlockedByActions() {
		n := *rep
		n.Changes, n.Approvals, n.Warnings = nil, nil, nil
		outs = append(outs, &tfe.TaskResultOutcome{
			OutcomeID:   "PG-CODE",
			Description: "code the apply would run is not allowed",
			Body:        render(&n),
			Tags:        map[string][]*tfe.TaskResultTag{"Status": {{Label: "Blocked", Level: "error"}}},
			URL:         pageURL,
		})
	}
	if len(outs) > maxOutcomes {
		outs = outs[:maxOutcomes]
		opts.Message = oneLine(opts.Message + fmt.Sprintf(" (first %d changes shown; the decision page lists all)", maxOutcomes))
	}
	opts.Outcomes = outs
	return opts
}

// failedCallback is the callback for a task the gate could not decide.
func failedCallback(reason, pageURL string) *tfe.TaskResultCallbackRequestOptions {
	return &tfe.TaskResultCallbackRequestOptions{Status: tfe.TaskFailed, Message: oneLine("planguard: " + reason), URL: pageURL}
}

// changeSection is the markdown report narrowed to one change and the
// approvals that name it: required approvals, who signed, and the approve
// command, from the same renderer as `planguard check --format markdown`.
func changeSection(rep *gate.Report, c gate.Change) string {
	n := *rep
	n.Changes = []gate.Change{c}
	n.Provisioners, n.Providers, n.Invocations, n.Warnings = nil, nil, nil, nil
	n.Approvals = nil
	for _, a := range rep.Approvals {
		if a.Target == c.Address || (c.PreviousAddress != "" && a.Target == c.PreviousAddress) {
			n.Approvals = append(n.Approvals, a)
		}
	}
	n.Decision = gate.Allow
	if c.Blocked() {
		n.Decision = gate.Block
	}
	return render(&n)
}

func render(r *gate.Report) string {
	md, err := report.New("markdown", report.Options{PlanPath: PlanFileName})
	if err != nil {
		return err.Error()
	}
	var b bytes.Buffer
	if err := md.Render(&b, r); err != nil {
		return "could not render the report: " + err.Error()
	}
	s := b.String()
	if len(s) > maxOutcomeBody {
		s = strings.ToValidUTF8(s[:maxOutcomeBody], "") + "\n\n(cut; the decision page has the whole report)\n"
	}
	return s
}

// oneLine makes s one printable line of at most maxMessageBytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
	if len(s) > maxMessageBytes {
		s = strings.ToValidUTF8(s[:maxMessageBytes-3], "") + "…"
	}
	return s
}
