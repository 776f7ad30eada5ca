package policy

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// This file holds what a policy says to `planguard runner`, the local
// service that holds the apply credentials: the runner block. See
// docs/guides/policy.md and docs/guides/agents-without-credentials.md.

// DefaultPlanApprovals is the number of plan approvals `planguard runner
// apply` needs when the policy has no runner block or does not set
// plan_approvals.
const DefaultPlanApprovals = 1

var runnerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "plan_approvals"}, {Name: "deny_data_sources"}},
}

// typeName is the form of a data source type: its provider's local name,
// then usually an underscore and more ("http" is a whole type).
var typeName = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]*$`)

// RunnerSettings is the runner block.
type RunnerSettings struct {
	// PlanApprovals is how many distinct trusted principals must sign a
	// plan approval (planguard.plan-approval/v1) over the exact saved plan
	// before the runner applies it, on top of the gate's decision; 0 means
	// the gate alone decides (a sandbox). Default DefaultPlanApprovals.
	PlanApprovals int
	// DenyDataSources are data source (and ephemeral resource) types the
	// runner refuses before init, on top of its own default list of types
	// that return the runner's credentials or tokens made from them (see
	// internal/runner's DefaultDeniedDataSources): deny_data_sources =
	// ["aws_secretsmanager_secret_version"]. It only adds; the policy's
	// bytes, and so this list, are covered by the policy hash.
	DenyDataSources []string
	// Range is the block's header, or the file's end when there is none.
	Range hcl.Range
}

// decodeRunner reads the runner block, at most one.
func decodeRunner(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	p.Runner = RunnerSettings{PlanApprovals: DefaultPlanApprovals, Range: content.MissingItemRange}
	var diags hcl.Diagnostics
	var first *hcl.Block
	for _, b := range content.Blocks {
		if b.Type != "runner" {
			continue
		}
		if first != nil {
			diags = append(diags, errorAt(b.DefRange, "Duplicate runner block",
				fmt.Sprintf("Only one runner block is allowed; the first is at %s. Merge them.", first.DefRange)))
			continue
		}
		first = b
		p.Runner.Range = b.DefRange
		body, more := b.Body.Content(runnerSchema)
		diags = append(diags, more...)
		if a, ok := body.Attributes["plan_approvals"]; ok {
			n, d := intAttr(a)
			diags = append(diags, d...)
			if !d.HasErrors() && n < 0 {
				diags = append(diags, errorAt(a.Expr.Range(), "Invalid plan_approvals",
					fmt.Sprintf("plan_approvals = %d: the number of people who must sign a plan before the runner applies it; 0 leaves the decision to the gate alone.", n)))
			}
			p.Runner.PlanApprovals = n
		}
		if a, ok := body.Attributes["deny_data_sources"]; ok {
			list, ranges, d := stringListAttr(a)
			diags = append(diags, d...)
			for i, typ := range list {
				if !typeName.MatchString(typ) {
					diags = append(diags, errorAt(ranges[i], "Invalid deny_data_sources",
						fmt.Sprintf("deny_data_sources[%d] %q is not a data source type (a name such as \"google_client_config\", no wildcard).", i, typ)))
				}
			}
			p.Runner.DenyDataSources = list
		}
	}
	return diags
}
