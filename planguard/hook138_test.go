package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook138 (on 26aef5e): the agents' file tools wrote the trees the
// shell's writes are refused for (the home directory's hidden files,
// python's site directories, .pth, pip.conf: H1), and Gemini CLI's home
// moved by GEMINI_CLI_HOME, with its settings files named in its
// environment (H2). Review hook140 H2: `planguard runner serve` started by
// the agent with a policy it wrote.
func TestHook138FileToolsTrees(t *testing.T) {
	w := newHookWorld(t)
	denied := func(agent, ev string, env map[string]string) bool {
		t.Helper()
		code, out, _ := w.hook(t, agent, ev, env)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	events := func(p string) map[string]string {
		cw, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
			"tool_input": map[string]any{"file_path": p, "content": "import os\n"}})
		gw, _ := json.Marshal(map[string]any{"session_id": "s", "cwd": w.dir, "hook_event_name": "BeforeTool",
			"tool_name": "write_file", "tool_input": map[string]any{"file_path": p, "content": "x\n"}})
		args, _ := json.Marshal(map[string]any{"path": p, "file_text": "x\n"})
		pc, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": w.dir, "toolName": "create", "toolArgs": string(args)})
		return map[string]string{"claude": string(cw), "gemini": string(gw), "copilot": string(pc)}
	}
	for _, p := range []string{
		filepath.Join(w.home, ".local/lib/python3.11/site-packages/zz_init.pth"),
		filepath.Join(w.home, ".psqlrc"),
		filepath.Join(w.home, ".sqliterc"),
		filepath.Join(w.home, ".gdbearlyinit"),
		filepath.Join(w.dir, ".venv/lib/python3.11/site-packages/x.py"),
		filepath.Join(w.dir, ".venv/pip.conf"),
		filepath.Join(w.dir, "sitecustomize.py"),
	} {
		for agent, ev := range events(p) {
			if !denied(agent, ev, nil) {
				t.Errorf("%s file tool write of %s: allowed, want denied", agent, p)
			}
		}
	}
	for agent, ev := range events(filepath.Join(w.dir, "notes.md")) {
		if denied(agent, ev, nil) {
			t.Errorf("%s file tool write of notes.md: denied, want allowed", agent)
		}
	}
	// H2: GEMINI_CLI_HOME outside the home directory.
	gh := filepath.Join(filepath.Dir(w.dir), "ghome")
	env := map[string]string{"GEMINI_CLI_HOME": gh, "GEMINI_CLI_TRUSTED_FOLDERS_PATH": filepath.Join(gh, "tf.json"),
		"GEMINI_CLI_SYSTEM_SETTINGS_PATH": filepath.Join(gh, "sys.json")}
	for _, p := range []string{".gemini/settings.json", "tf.json", "sys.json"} {
		cmd := "mkdir -p " + filepath.Dir(filepath.Join(gh, p)) + " && echo '{}' > " + filepath.Join(gh, p)
		if !denied("gemini", shellEvent("gemini", w.dir, cmd), env) {
			t.Errorf("gemini with GEMINI_CLI_HOME: allowed, want denied: %s", cmd)
		}
	}
	// Review hook140 H2.
	for _, cmd := range []string{
		"planguard runner serve --socket /tmp/pg.sock --policy /tmp/evil.hcl --env-file /dev/null &",
		"setarch x86_64 planguard runner serve --socket /tmp/pg.sock",
	} {
		if !denied("claude", shellEvent("claude", w.dir, cmd), nil) {
			t.Errorf("allowed, want denied: %s", cmd)
		}
	}
	for _, cmd := range []string{"planguard runner plan .", "planguard runner apply 0123abcd", "planguard runner show 0123abcd"} {
		if denied("claude", shellEvent("claude", w.dir, cmd), nil) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
}
