package main

import (
	"os"
	"path/filepath"
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

// The same through a symbolic link an earlier tool call made (`ln -s
// ../planguard.hcl p`, itself allowed): the shell's redirection is judged by
// its path, never resolved. Verified with bash: both calls allowed, the
// policy overwritten; likewise `ln -s .claude c` then `echo {} > c/settings.json`.
func TestHookBypassR17hookSymlinkFromEarlierCall(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".claude"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".claude", "settings.json"), []byte("{}"), 0o600)
	for _, first := range []string{"ln -s ../planguard.hcl p", "ln -s ../allowed_signers s", "ln -s .claude c"} {
		if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, first), nil); code != 0 || out != "" {
			t.Logf("first call refused (fine): %s", first)
		}
	}
	os.Symlink("../planguard.hcl", filepath.Join(w.dir, "p"))
	os.Symlink("../allowed_signers", filepath.Join(w.dir, "s"))
	os.Symlink(".claude", filepath.Join(w.dir, "c"))
	for _, cmd := range []string{"echo x > p", "cp e.json s", "echo '{}' > c/settings.json", "truncate -s0 p"} {
		for _, agent := range []string{"claude", "gemini", "copilot", "cursor"} {
			code, out, _ := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil)
			if code == 0 && strings.TrimSpace(out) == "" {
				t.Errorf("%s: allowed, want denied: %s", agent, cmd)
			}
		}
	}
}
