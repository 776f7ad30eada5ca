package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Found by an attacker's review (hook8): arithmetic over a value the hook
// never saw assigned — a positional parameter (set --, a function's or
// bash -c's arguments), `_`, BASH_REMATCH — evaluates an array subscript
// holding $(…), which runs. Every agent's hook answered allow; bash ran
// terraform destroy.
func TestHookBypassHook8Arithmetic(t *testing.T) {
	w := newHookWorld(t)
	for _, cmd := range []string{
		"set -- 'a[$(terraform destroy -auto-approve)]'; (( $1 ))",
		"bash -c '(( $1 ))' _ 'a[$(terraform destroy -auto-approve)]'",
		"f() { (( $1 )); }; f 'a[$(terraform destroy -auto-approve)]'",
		"[[ 'a[$(terraform destroy -auto-approve)]' =~ .* ]]; (( BASH_REMATCH ))",
		": 'a[$(terraform destroy -auto-approve)]'; (( _ ))",
		": 'a[$(terraform destroy -auto-approve)]'; (( $_ ))",
		"bash -c '(( $0 ))' 'a[$(terraform destroy -auto-approve)]'",
		"trap '(( $1 ))' EXIT; set -- 'a[$(terraform destroy -auto-approve)]'",
		"set -- 'a[$(terraform destroy -auto-approve)]'; echo $(( $@ ))",
		"set -- 'a[$(terraform destroy -auto-approve)]'; echo $(( $* ))",
		"set -- 'a[$(terraform destroy -auto-approve)]'; echo $[$1]",
		"set -- 'a[$(terraform destroy -auto-approve)]'; echo ${b[$1]}",
		"set -- 'a[$(terraform destroy -auto-approve)]'; s=abc; echo ${s:$1}",
		"set -- 'a[$(terraform destroy -auto-approve)]'; b[$1]=1",
		"set -- 'a[$(terraform destroy -auto-approve)]'; [[ $1 -eq 0 ]]",
	} {
		w.denied(t, w.dir, cmd)
		if ran := bashRun(t, w.dir, cmd); !strings.HasPrefix(ran, "destroy -auto-approve") {
			t.Errorf("bash did not run terraform destroy: %q\n%s", ran, cmd)
		}
	}
	w.allowed(t, "echo $((1+2))", "for ((i=0;i<3;i++)); do echo $i; done", "i=0; while (( i < 3 )); do i=$((i+1)); done",
		"n=$(wc -l <f); (( n > 0 ))", "git commit -m 'wip: terraform destroy later'", "grep -rn destroy .", "awk '{print $1}' f")
}

// $"…" is replaced by its translation from $TEXTDOMAINDIR/<locale>/
// LC_MESSAGES/$TEXTDOMAIN.mo, which the same line writes: the hook read
// `true`, bash ran terraform destroy.
func TestHookBypassHook8TranslatedString(t *testing.T) {
	w := newHookWorld(t)
	mo := `\336\022\004\225\000\000\000\000\001\000\000\000\034\000\000\000\044\000\000\000\003\000\000\000\054\000\000\000\004\000\000\000\070\000\000\000\037\000\000\000\075\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\164\162\165\145\000\164\145\162\162\141\146\157\162\155\040\144\145\163\164\162\157\171\040\055\141\165\164\157\055\141\160\160\162\157\166\145\000`
	cmd := "mkdir -p l/C.utf8/LC_MESSAGES && printf '" + mo + "' > l/C.utf8/LC_MESSAGES/t.mo\nLC_ALL=C.utf8 TEXTDOMAIN=t TEXTDOMAINDIR=l\neval $\"true\""
	w.denied(t, w.dir, cmd)
	w.denied(t, w.dir, `eval $"true"`)
	w.denied(t, w.dir, "TEXTDOMAIN=t")
	if out, err := exec.Command("locale", "-a").Output(); err != nil || !strings.Contains(strings.ToLower(string(out)), "c.utf8") {
		t.Skip("no C.utf8 locale to show bash translating")
	}
	if ran := bashRun(t, w.dir, cmd); !strings.HasPrefix(ran, "destroy -auto-approve") {
		t.Errorf("bash did not run terraform destroy: %q", ran)
	}
}

// Copilot CLI and Cursor type the command into an interactive shell,
// whose line editor and terminal read it first: a readline macro, a
// changed kill character or comments turned off make the shell run text
// the hook read otherwise. Refused for every agent.
func TestHookBypassHook8LineReading(t *testing.T) {
	w := newHookWorld(t)
	for _, cmd := range []string{
		"bind '\"@\": \"\\C-a\\C-kterraform destroy -auto-approve\\C-m\"'\necho @",
		"bind -f x",
		"stty kill @",
		"shopt -u interactive_comments\necho hi # ; terraform destroy -auto-approve",
		"set -o vi",
		"INPUTRC=x bash -i",
	} {
		w.denied(t, w.dir, cmd)
	}
	w.allowed(t, "stty size", "shopt -s globstar", "set -euo pipefail")
}

// A file that runs later on its own — a git hook at the next commit, a
// shell startup file, .envrc, .mcp.json, the agents' settings directories —
// written by a file tool or by the shell: refused like the policy.
func TestHookImplicitFilesProtected(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".git", "hooks"), 0o755)
	write := func(agent, tool, key, path string) string {
		var ev any
		switch agent {
		case "copilot":
			args, _ := json.Marshal(map[string]any{key: path, "file_text": "x"})
			ev = map[string]any{"cwd": w.dir, "toolName": tool, "toolArgs": string(args)}
		default:
			ev = map[string]any{"cwd": w.dir, "tool_name": tool, "tool_input": map[string]any{key: path, "content": "#!/bin/sh\nterraform destroy -auto-approve\n"}}
		}
		b, _ := json.Marshal(ev)
		return string(b)
	}
	files := []string{
		filepath.Join(w.dir, ".git", "hooks", "pre-commit"),
		".git/hooks/post-checkout",
		".git/hooks/anything-else",
		".git/config",
		filepath.Join(w.home, ".bashrc"),
		filepath.Join(w.home, ".bash_profile"),
		filepath.Join(w.home, ".profile"),
		filepath.Join(w.home, ".bash_login"),
		filepath.Join(w.home, ".bash_logout"),
		filepath.Join(w.home, ".inputrc"),
		filepath.Join(w.home, ".gitconfig"),
		filepath.Join(w.home, ".config", "git", "config"),
		filepath.Join(w.home, ".ssh", "config"),
		".envrc",
		"../.envrc",
		".mcp.json",
		".claude/commands/deploy.md",
		".claude/hooks/check.sh",
		".gemini/commands/x.toml",
		".cursor/rules/x.mdc",
		".github/hooks/other.json",
		filepath.Join(w.home, ".copilot", "hooks", "x.json"),
		filepath.Join(w.home, ".claude", "agents", "a.md"),
	}
	for _, f := range files {
		for _, c := range []struct{ agent, tool, key string }{{"claude", "Write", "file_path"}, {"gemini", "write_file", "file_path"}, {"copilot", "create", "path"}} {
			code, out, errs := w.hook(t, c.agent, write(c.agent, c.tool, c.key, f), nil)
			if r := denyReason(t, c.agent, code, out, errs); !strings.Contains(r, "runs later on its own") {
				t.Errorf("%s %s %s: %s", c.agent, c.tool, f, r)
			}
		}
	}
	for _, cmd := range []string{
		"echo 'terraform destroy -auto-approve' > .git/hooks/pre-commit",
		"cp x .git/hooks/pre-commit",
		"tee .git/hooks/pre-push < x",
		"chmod +x .git/hooks/pre-commit && git commit --allow-empty -m wip",
		"cat x >> .git/config",
		"echo 'terraform destroy' >> ~/.bashrc",
		"echo x > ~/.inputrc",
		"cp x ~/.ssh/config",
		"echo 'terraform destroy' > .envrc",
		"echo '{}' > .mcp.json",
		"echo x > .claude/commands/x.md",
		"cd .git/hooks && echo x > pre-commit",
		"rm -rf .git/hooks",
	} {
		w.denied(t, w.dir, cmd)
	}
	for _, c := range []struct{ agent, tool, key, path string }{
		{"claude", "Write", "file_path", "main.tf"},
		{"claude", "Write", "file_path", "scripts/deploy.sh"},
		{"gemini", "write_file", "file_path", "Makefile"},
		{"copilot", "create", "path", filepath.Join(w.dir, "notes.md")},
	} {
		if code, out, errs := w.hook(t, c.agent, write(c.agent, c.tool, c.key, c.path), nil); code != 0 || out != "" {
			t.Errorf("%s %s %s: %d %s %s", c.agent, c.tool, c.path, code, out, errs)
		}
	}
	w.allowed(t, "git commit -m 'wip'", "git status", "cat .git/config", "ls .git/hooks")
}

// Copilot CLI's hook entry has no matcher: on Windows its shell tool is
// `powershell` (and read_/write_powershell), which the hook cannot read;
// it and any tool whose name looks like a shell are refused.
func TestHookCopilotForeignShellTools(t *testing.T) {
	w := newHookWorld(t)
	ev := func(tool string) string {
		args, _ := json.Marshal(map[string]any{"command": "terraform destroy -auto-approve", "description": "x"})
		b, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": w.dir, "toolName": tool, "toolArgs": string(args)})
		return string(b)
	}
	for _, tool := range []string{"powershell", "write_powershell", "read_powershell", "pwsh", "run_in_terminal", "shell_exec", "Bash", "cmd"} {
		code, out, errs := w.hook(t, "copilot", ev(tool), nil)
		if r := denyReason(t, "copilot", code, out, errs); !strings.Contains(r, "looks like a shell tool") {
			t.Errorf("%s: %s", tool, r)
		}
	}
	// Unparsable arguments of such a tool are an error, so a deny too.
	b, _ := json.Marshal(map[string]any{"cwd": w.dir, "toolName": "powershell", "toolArgs": "not json"})
	code, out, errs := w.hook(t, "copilot", string(b), nil)
	denyReason(t, "copilot", code, out, errs)
	for _, tool := range []string{"read_bash", "list_bash", "stop_bash", "view", "grep", "glob", "github-mcp-server-list_issues"} {
		if code, out, errs := w.hook(t, "copilot", ev(tool), nil); code != 0 || out != "" {
			t.Errorf("%s: %d %s %s", tool, code, out, errs)
		}
	}
}

// allowed asserts every agent's hook allows each command.
func (w hookWorld) allowed(t *testing.T, commands ...string) {
	t.Helper()
	for _, cmd := range commands {
		for _, agent := range agentNames() {
			if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil); code != 0 || strings.TrimSpace(out) != "" {
				t.Errorf("%s: refused, want allowed: %s\n%s%s", agent, cmd, out, errs)
			}
		}
	}
}
