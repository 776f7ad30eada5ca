package policy

import (
	"strings"
	"testing"
)

func TestRunnerBlock(t *testing.T) {
	const head = "scope = \"prod\"\ntrust {\n  allowed_signers = \"a\"\n}\nprotect \"db\" {\n  types = [\"terraform_data\"]\n}\n"
	for _, c := range []struct {
		src  string
		want int
		err  string
	}{
		{"", DefaultPlanApprovals, ""},
		{"runner {}\n", DefaultPlanApprovals, ""},
		{"runner {\n  plan_approvals = 0\n}\n", 0, ""},
		{"runner {\n  plan_approvals = 2\n}\n", 2, ""},
		{"runner {\n  plan_approvals = -1\n}\n", 0, "Invalid plan_approvals"},
		{"runner {\n  plan_approvals = 1.5\n}\n", 0, "whole number"},
		{"runner {\n  approvals = 1\n}\n", 0, "Unsupported argument"},
		{"runner {}\nrunner {}\n", 0, "Duplicate runner block"},
		{"runner \"x\" {}\n", 0, "Extraneous label"},
	} {
		p, err := Parse([]byte(head+c.src), "planguard.hcl")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if p.Runner.PlanApprovals != c.want {
			t.Errorf("%q: plan_approvals %d, want %d", c.src, p.Runner.PlanApprovals, c.want)
		}
	}
}
