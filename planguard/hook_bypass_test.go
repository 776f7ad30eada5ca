package main

import (
	"encoding/json"
	"os"
	"os/exec"
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

// Found by a second attacker review of the hook (r17hook4). Each spelling
// below was answered allow by the hook; bashRun shows what real bash then
// does with it (writes the policy or the agent's settings, or runs a
// `terraform` that records its arguments).

// bashRun runs command with bash in dir, as the agent's shell tool does
// once the hook allowed it, with a `terraform` first on PATH that appends
// its arguments, then `|` and its TF_CLI_ARGS* settings, to
// dir/terraform.ran (returned: what it was asked to do).
func bashRun(t *testing.T, dir, command string, env ...string) string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := t.TempDir()
	ran := filepath.Join(dir, "terraform.ran")
	os.Remove(ran)
	os.WriteFile(filepath.Join(bin, "terraform"), []byte("#!/bin/sh\necho \"$* |$(env | grep '^TF_CLI_ARGS' | tr '\\n' ' ')\" >> '"+ran+"'\n"), 0o755)
	cmd := exec.Command(bash, "-c", command)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	out, _ := cmd.CombinedOutput()
	t.Logf("bash -c %q:\n%s", command, out)
	b, _ := os.ReadFile(ran)
	return string(b)
}

// denied asserts every agent's hook denies command run in cwd.
func (w hookWorld) denied(t *testing.T, cwd, command string) {
	t.Helper()
	for _, agent := range agentNames() {
		code, out, _ := w.hook(t, agent, shellEvent(agent, cwd, command), nil)
		if code == 0 && strings.TrimSpace(out) == "" {
			t.Errorf("%s: allowed, want denied: %s", agent, command)
		}
	}
}

// `..` after a directory name is resolved by the kernel through that
// directory: l → a/b makes l/../../.. the policy's directory, while the
// path, cleaned as text, names a file above it. And a cwd reached through
// a symbolic link has the parents of its target: ../../ROOT/.claude/… from
// x/y/link (→ ROOT/infra) is the project's settings file, not x/ROOT/….
func TestHookBypassR17hook4DotDotThroughLink(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, "a", "b"), 0o755)
	os.Symlink(filepath.Join("a", "b"), filepath.Join(w.dir, "l"))
	cmd := "echo pwned > l/../../../planguard.hcl"
	w.denied(t, w.dir, cmd)
	// The agent's file tools with the same path.
	ev, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
		"tool_input": map[string]any{"file_path": w.dir + "/l/../../../planguard.hcl", "content": "x"}})
	if code, out, _ := w.hook(t, "claude", string(ev), nil); code == 0 && out == "" {
		t.Errorf("Write %s/l/../../../planguard.hcl: allowed, want denied", w.dir)
	}
	bashRun(t, w.dir, cmd)
	if b, _ := os.ReadFile(w.policy); string(b) != "pwned\n" {
		t.Errorf("bash did not reach the policy through l/..: %q", b)
	}

	w = newHookWorld(t)
	root := filepath.Dir(w.dir)
	os.MkdirAll(filepath.Join(root, ".claude"), 0o755)
	linkDir := filepath.Join(t.TempDir(), "x", "y")
	os.MkdirAll(linkDir, 0o755)
	link := filepath.Join(linkDir, "link")
	os.Symlink(w.dir, link)
	cmd = "echo pwned > ../../" + filepath.Base(root) + "/.claude/settings.json"
	w.denied(t, link, cmd)
	bashRun(t, link, cmd)
	if b, _ := os.ReadFile(filepath.Join(root, ".claude", "settings.json")); string(b) != "pwned\n" {
		t.Errorf("bash did not write the project's settings from the linked cwd: %q", b)
	}
}

// sudo and doas take NAME=VALUE operands before the command and set them
// in its environment, as env does: TF_CLI_ARGS_init=-force-copy makes
// init copy the state over another backend's; PATH=… makes planguard
// apply run another terraform with the apply credentials. The same
// command without the assignment stays allowed.
func TestHookBypassR17hook4SudoAssignments(t *testing.T) {
	w := newHookWorld(t)
	self := hookExecutables()[0]
	for _, cmd := range []string{
		"sudo TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo -E TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo --preserve-env=PATH TF_CLI_ARGS=-force-copy terraform init",
		"doas TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.fsmonitor GIT_CONFIG_VALUE_0='terraform destroy -auto-approve;:' git status",
		"sudo PATH=/tmp/evil:$PATH " + self + " apply --policy " + w.policy + " tfplan",
		"sudo PLANGUARD_TERRAFORM=/tmp/evil " + self + " apply --policy " + w.policy + " tfplan",
		// sudo's env_reset drops PLANGUARD_AUTHOR: the author's own
		// signatures would count.
		"sudo " + self + " apply --policy " + w.policy + " tfplan",
		"doas " + self + " apply --policy " + w.policy + " tfplan",
		"su -c '" + self + " apply --policy " + w.policy + " tfplan' root",
		"setpriv --reset-env " + self + " apply --policy " + w.policy + " tfplan",
	} {
		w.denied(t, w.dir, cmd)
	}
	for _, cmd := range []string{"sudo terraform init -input=false", "nice -n 5 " + self + " apply --policy " + w.policy + " tfplan"} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
	// What sudo does with the operand, where it can run without a password.
	if err := exec.Command("sudo", "-n", "true").Run(); err != nil {
		t.Logf("sudo cannot run here (%v): the effect is not shown", err)
		return
	}
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "tf"), []byte("#!/bin/sh\necho \"$TF_CLI_ARGS_init\" > '"+filepath.Join(w.dir, "seen")+"'\n"), 0o755)
	bashRun(t, w.dir, "sudo -n TF_CLI_ARGS_init=-force-copy "+filepath.Join(bin, "tf")+" init")
	if b, _ := os.ReadFile(filepath.Join(w.dir, "seen")); strings.TrimSpace(string(b)) != "-force-copy" {
		t.Errorf("sudo did not pass TF_CLI_ARGS_init: %q", b)
	}
}

// A variable assigned $(mktemp -d) is empty when mktemp fails (here
// TMPDIR names no directory): "$t$POLICY" is then the policy itself.
// And a function named mktemp prints whatever it likes.
func TestHookBypassR17hook4EmptyMktemp(t *testing.T) {
	w := newHookWorld(t)
	policy, _ := os.ReadFile(w.policy)
	for _, cmd := range []string{
		`export TMPDIR=/nonexistent; t=$(mktemp -d); echo pwned > "$t` + w.policy + `"`,
		`mktemp() { echo ` + filepath.Dir(w.policy) + `; }; t=$(mktemp -d); echo pwned > "$t/planguard.hcl"`,
	} {
		w.denied(t, w.dir, cmd)
		bashRun(t, w.dir, cmd)
		if b, _ := os.ReadFile(w.policy); string(b) != "pwned\n" {
			t.Errorf("bash did not write the policy: %q\n%s", b, cmd)
		}
		os.WriteFile(w.policy, policy, 0o600)
	}
	// Writes under a temporary path that mktemp made stay allowed.
	for _, cmd := range []string{`t=$(mktemp -d); echo x > "$t/out.json"; rm -rf "$t"`, `t=$(mktemp); terraform show -no-color tfplan > "$t"`} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}

// unset makes later words mean something else: "$d"../planguard.hcl is
// safe../planguard.hcl to the hook, ../planguard.hcl to bash once d is
// unset. An alias takes effect only from the next line bash reads (and
// never in bash -c): `terraform` below is terraform. A function named
// echo prints what it likes into the shell the hook read `echo ls` for.
func TestHookBypassR17hook4UnsetAliasFunction(t *testing.T) {
	w := newHookWorld(t)
	policy, _ := os.ReadFile(w.policy)
	os.WriteFile(filepath.Join(w.dir, "e.json"), []byte("pwned\n"), 0o600)
	cmd := `d=safe; unset d; cp e.json "$d"../planguard.hcl`
	w.denied(t, w.dir, cmd)
	bashRun(t, w.dir, cmd)
	if b, _ := os.ReadFile(w.policy); string(b) != "pwned\n" {
		t.Errorf("bash did not write the policy: %q", b)
	}
	os.WriteFile(w.policy, policy, 0o600)
	for _, cmd := range []string{
		"alias terraform=echo; terraform destroy -auto-approve",
		"echo() { printf 'terraform destroy -auto-approve'; }; echo ls | bash",
	} {
		w.denied(t, w.dir, cmd)
		if ran := bashRun(t, w.dir, cmd); !strings.HasPrefix(ran, "destroy -auto-approve") {
			t.Errorf("bash did not run terraform destroy: %q\n%s", ran, cmd)
		}
	}
	for _, cmd := range []string{"unset TF_LOG", "alias ll='ls -l'; ll", "echo ls | bash"} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}

// The integer attribute makes every later assignment evaluate its value
// as arithmetic, and a nameref makes an expansion read the variable its
// value names: an array subscript there (a[$(…)]) runs its command
// substitution. So does arithmetic over a command's output, and a
// computed name given to printf -v. f holds such a subscript; bash runs
// the destroy in every spelling.
func TestHookBypassR17hook4ArithmeticAndAttributes(t *testing.T) {
	w := newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "f"), []byte("a[$(terraform destroy -auto-approve)]\n"), 0o600)
	os.WriteFile(filepath.Join(w.dir, "g"), []byte("$(terraform destroy -auto-approve)\n"), 0o600)
	for _, cmd := range []string{
		"declare -i x; x=$(cat f)",
		"declare -i x; read x < f",
		"\\declare -i x; x=$(cat f)",
		"typeset -gi x; mapfile x < f",
		"read v < f; declare -n r=$v; echo $r",
		"echo $(( $(cat f) ))",
		"a[$(cat f)]=1",
		`k=$(cat g); printf -v "a[$k]" %s 1`,
		`k=$(cat f); echo "${!k}"`,
	} {
		w.denied(t, w.dir, cmd)
		if ran := bashRun(t, w.dir, cmd); !strings.HasPrefix(ran, "destroy -auto-approve") {
			t.Errorf("bash did not run terraform destroy: %q\n%s", ran, cmd)
		}
	}
	for _, cmd := range []string{"echo $(( $(wc -l <f) + 1 ))", "declare -a xs=(a b); echo \"${xs[@]}\""} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}

// Siblings found while fixing the above: bash's keyword mode puts
// NAME=VALUE arguments into the command's environment, and a computed IFS
// splits an expansion the hook read as one word.
func TestHookBypassR17hook4KeywordModeAndIFS(t *testing.T) {
	w := newHookWorld(t)
	for cmd, want := range map[string]string{
		"set -k; terraform init TF_CLI_ARGS_init=-force-copy":                         "init |TF_CLI_ARGS_init=-force-copy",
		"env SHELLOPTS=keyword bash -c 'terraform init TF_CLI_ARGS_init=-force-copy'": "init |TF_CLI_ARGS_init=-force-copy",
		"IFS=$(printf _); x=terraform_destroy_-auto-approve; $x":                      "destroy -auto-approve |",
		"systemd-run --setenv=TF_CLI_ARGS_init=-force-copy terraform init || true":    "",
	} {
		w.denied(t, w.dir, cmd)
		if want == "" {
			continue // systemd-run: not run here
		}
		if ran := bashRun(t, w.dir, cmd); strings.TrimSpace(ran) != want {
			t.Errorf("bash ran terraform as %q, want %q\n%s", ran, want, cmd)
		}
	}
}
