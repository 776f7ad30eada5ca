package main

import (
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/shell"
)

// Found by an attacker's review of the hook: `terraform -chdir=/abs apply tfplan` made the hook
// check CWD/abs/tfplan while terraform applied /abs/tfplan.
func TestHookPlanPathAbsoluteChdir(t *testing.T) {
	for _, c := range []struct {
		ap        shell.PlanApply
		dir, plan string
	}{
		{shell.PlanApply{Tool: "terraform", Plan: "tfplan"}, "/repo", "/repo/tfplan"},
		{shell.PlanApply{Tool: "terraform", Chdir: "infra", Plan: "tfplan"}, "/repo/infra", "/repo/infra/tfplan"},
		{shell.PlanApply{Tool: "terraform", Chdir: "/tmp/evil", Plan: "tfplan"}, "/tmp/evil", "/tmp/evil/tfplan"},
		{shell.PlanApply{Tool: "terraform", Chdir: "/tmp/evil", Plan: "/abs/tfplan"}, "/tmp/evil", "/abs/tfplan"},
	} {
		dir, plan := hookPlanPath("/repo", c.ap)
		if dir != c.dir || plan != c.plan {
			t.Errorf("%+v: got dir %s plan %s, want %s %s", c.ap, dir, plan, c.dir, c.plan)
		}
	}
}
