package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook144 (on 1344c53): the agents' settings directories at any
// depth — a subdirectory's .claude/skills (Claude Code finds skills there,
// whose hooks run commands: H1) — and Copilot CLI's custom agents in
// .github/agents (their MCP servers start commands: H2), by the shell and
// by every agent's file tools; MCP servers files at any depth.
func TestHook144AgentDirsAnyDepth(t *testing.T) {
	w := newHookWorld(t)
	denied := func(agent, ev string) bool {
		t.Helper()
		code, out, _ := w.hook(t, agent, ev, nil)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	for _, rel := range []string{"sub/.claude/skills/zz/SKILL.md", "sub/.gemini/settings.json", "sub/.mcp.json",
		".github/agents/cleaner.agent.md", "sub/.github/copilot/settings.json", "a/b/.cursor/hooks.json"} {
		p := filepath.Join(w.dir, rel)
		cw, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
			"tool_input": map[string]any{"file_path": p, "content": "x\n"}})
		args, _ := json.Marshal(map[string]any{"path": p, "file_text": "x\n"})
		pc, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": w.dir, "toolName": "create", "toolArgs": string(args)})
		for agent, ev := range map[string]string{"claude": string(cw), "copilot": string(pc),
			"gemini": shellEvent("gemini", w.dir, "mkdir -p "+filepath.Dir(rel)+" && echo x > "+rel)} {
			if !denied(agent, ev) {
				t.Errorf("%s write of %s: allowed, want denied", agent, rel)
			}
		}
	}
	for _, cmd := range []string{"ls sub/.claude", "cat .github/agents/x.agent.md", "mkdir -p .github/workflows", "echo x > docs/claude.md"} {
		if denied("claude", shellEvent("claude", w.dir, cmd)) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
}
