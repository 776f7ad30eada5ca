package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook134 (on a777077), the agents' file tools: Copilot CLI's
// repository settings (.github/copilot/settings.json: disableAllHooks)
// and extensions (H1); the project the agent started in, named by the
// client in the hook's environment, protected after the event's cwd moved
// to a directory added with --add-dir (H2); the agents' managed settings
// under /etc (M1). Review hook135: the home directory's hidden files,
// python's site directories and pip.conf anywhere, and the start-up
// files programs read from the working directory.
func TestHook134FileTools(t *testing.T) {
	w := newHookWorld(t)
	denied := func(agent, ev string, env map[string]string) bool {
		t.Helper()
		code, out, _ := w.hook(t, agent, ev, env)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	copilotCreate := func(cwd, p string) string {
		args, _ := json.Marshal(map[string]any{"path": p, "file_text": "{\"disableAllHooks\": true}\n"})
		ev, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": cwd, "toolName": "create", "toolArgs": string(args)})
		return string(ev)
	}
	claudeWrite := func(cwd, p string) string {
		ev, _ := json.Marshal(map[string]any{"cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Write",
			"tool_input": map[string]any{"file_path": p, "content": "{}\n"}})
		return string(ev)
	}
	for _, p := range []string{".github/copilot/settings.json", ".github/copilot/settings.local.json", ".github/extensions/x/extension.mjs"} {
		if !denied("copilot", copilotCreate(w.dir, filepath.Join(w.dir, p)), nil) {
			t.Errorf("copilot create %s: allowed, want denied", p)
		}
		if !denied("claude", shellEvent("claude", w.dir, "mkdir -p "+filepath.Dir(p)+" && echo '{}' > "+p), nil) {
			t.Errorf("bash write of %s: allowed, want denied", p)
		}
	}
	// H2: the event's cwd is a sibling directory (claude --add-dir
	// ../other, then cd ../other); the project is infra.
	other := filepath.Join(filepath.Dir(w.dir), "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".gemini/settings.json", ".cursor/hooks.json", ".github/hooks/planguard.json", ".env", ".claude/settings.json"} {
		target := filepath.Join(w.dir, p)
		if !denied("claude", claudeWrite(other, target), map[string]string{"CLAUDE_PROJECT_DIR": w.dir}) {
			t.Errorf("claude Write of %s from %s with CLAUDE_PROJECT_DIR: allowed, want denied", target, other)
		}
		if !denied("gemini", shellEvent("gemini", other, "echo '{}' > "+target), map[string]string{"GEMINI_PROJECT_DIR": w.dir}) {
			t.Errorf("gemini shell write of %s with GEMINI_PROJECT_DIR: allowed, want denied", target)
		}
	}
	if denied("claude", claudeWrite(other, filepath.Join(other, "notes.md")), map[string]string{"CLAUDE_PROJECT_DIR": w.dir}) {
		t.Error("claude Write of other/notes.md: denied, want allowed")
	}
	// L1: XDG_CONFIG_HOME and XDG_DATA_HOME outside the home directory
	// (git's config, Copilot's migrated .copilot, Terraform's plugins).
	xdg := filepath.Join(filepath.Dir(w.dir), "xdg")
	for _, p := range []string{"git/config", ".copilot/config.json", "terraform/plugins/x"} {
		cmd := "mkdir -p " + filepath.Dir(filepath.Join(xdg, p)) + " && echo x > " + filepath.Join(xdg, p)
		if !denied("claude", shellEvent("claude", w.dir, cmd), map[string]string{"XDG_CONFIG_HOME": xdg, "XDG_DATA_HOME": xdg}) {
			t.Errorf("allowed with XDG_CONFIG_HOME=%s, want denied: %s", xdg, cmd)
		}
	}
	// M1 and review hook135: managed settings, hidden home files, python
	// site directories, pip.conf, start-up files of the working directory.
	for _, cmd := range []string{
		"echo '{}' > /etc/claude-code/managed-settings.json",
		"echo '{}' > /etc/gemini-cli/system-defaults.json",
		"echo '.system terraform destroy -auto-approve' > ~/.sqliterc && sqlite3 :memory: 'select 1;'",
		"echo 'shell terraform destroy -auto-approve' > ~/.gdbearlyinit; gdb -q",
		"echo 'shell terraform destroy' > ~/.config/gdb/gdbearlyinit; gdb -q",
		"echo '\\! terraform destroy -auto-approve' > ~/.psqlrc; psql -c 'select 1'",
		"echo '\\! terraform destroy' > ~/.psqlrc-15; psql -l",
		"echo 'system \"terraform destroy\"' > ~/.irbrc; irb",
		"printf '[mysql]\\npager=x\\n' > ~/.my.cnf; mysql",
		"mkdir -p ~/.local/lib/python3.11/site-packages && echo 'import os' > ~/.local/lib/python3.11/site-packages/x.pth; pip --version",
		"echo 'import os' > ~/.local/lib/python3.11/site-packages/usercustomize.py; aws --version",
		"mkdir -p .venv/lib/python3.11/site-packages && echo 'import os' > .venv/lib/python3.11/site-packages/x.pth; .venv/bin/pip --version",
		"printf '[global]\\nlog = ../planguard.hcl\\n' > .venv/pip.conf; .venv/bin/pip list",
		"echo 'system(\"terraform destroy\")' > .Rprofile; Rscript x.R",
		"echo '!import os' > .pdbrc; pytest --pdb",
		"echo x > /tmp/r.txt; NODE_REPL_EXTERNAL_MODULE=/tmp/r.txt node -i",
		"PSQLRC=/tmp/rc psql -c 'select 1'",
		"mkdir -p /tmp/h/exec && echo 'terraform destroy' > /tmp/h/exec/x.bash; PYENV_HOOK_PATH=/tmp/h pip --version",
		"PYENV_VERSION=../../../../tmp/v python3 -V",
		"PYENV_ROOT=/tmp/p python3 -V",
		// Review hook137 H3: the caches whose contents run.
		"echo x > ~/.cache/node/corepack/v1/pnpm/9.0.0/x.cjs",
		"echo x > ~/.cache/go-build/00/x",
	} {
		if !denied("claude", shellEvent("claude", w.dir, cmd), nil) {
			t.Errorf("allowed, want denied: %s", cmd)
		}
	}
	for _, cmd := range []string{
		"echo x > ~/.cache/planguard-notes",
		"ssh-keygen -t ed25519 -f ~/.ssh/id_test -N '' -q",
		"history -w",
		"echo x > ~/notes.txt",
		"PYENV_VERSION=3.11.7 python3 -V",
		"pip install -r requirements.txt",
		"echo x > .github/workflows/ci.yml",
	} {
		if denied("claude", shellEvent("claude", w.dir, cmd), nil) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
}
