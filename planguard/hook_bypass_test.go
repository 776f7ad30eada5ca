package main

import (
	"strings"
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

// Found by a fresh attacker review (r17hook): each agent's event for these
// commands is answered allow, and bash then overwrote the policy or its
// allowed_signers (a glob or a computed path names them), or destroyed a
// terraform_data resource (git grep -O runs its pager option as a command;
// taskset -c takes no value, so the hook judged `destroy` as the program).
func TestHookBypassR17hook(t *testing.T) {
	w := newHookWorld(t)
	for _, cmd := range []string{
		"cp e.json ../plang*.hcl",
		"cp e.json ../allowed_sign*",
		`echo x > "$(echo ../allowed_signers)"`,
		"git grep -O'terraform destroy -auto-approve;:' prod_db",
		"taskset -c 0 terraform destroy -auto-approve",
	} {
		for _, agent := range []string{"claude", "gemini", "copilot", "cursor"} {
			code, out, _ := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil)
			if code == 0 && strings.TrimSpace(out) == "" {
				t.Errorf("%s: allowed, want denied: %s", agent, cmd)
			}
		}
	}
}
