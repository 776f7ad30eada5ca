package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Findings F6, F10, F11 and F14 of the hook17b review
// (/work/notes/reviews/hook17b/report.md), through the hook command.

func hook10bGemini(t *testing.T, w hookWorld, tool string, input map[string]any) bool {
	t.Helper()
	ev, _ := json.Marshal(map[string]any{"session_id": "s", "cwd": w.dir, "hook_event_name": "BeforeTool",
		"tool_name": tool, "tool_input": input})
	code, out, _ := w.hook(t, "gemini", string(ev), nil)
	return code != 0 || strings.TrimSpace(out) != ""
}

func TestHook10bGeminiFileTools(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".gemini"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".gemini", "settings.json"), []byte("{}\n"), 0o600)
	// A replace names a file that exists (one that does not is looked up
	// in the whole workspace: refused, review hook120 M1).
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("# a\n"), 0o600)
	bare := filepath.Join(w.dir, "b")
	os.MkdirAll(filepath.Join(bare, "objects"), 0o755)
	os.MkdirAll(filepath.Join(bare, "hooks"), 0o755)
	os.WriteFile(filepath.Join(bare, "HEAD"), []byte("ref: refs/heads/main\n"), 0o600)
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": "@.gemini/settings.json", "content": "{}\n"}},
		{"replace", map[string]any{"file_path": "@.gemini/settings.json", "old_string": "a", "new_string": "b"}},
		{"replace", map[string]any{"file_path": "settings.json", "old_string": "a", "new_string": "b"}},
		{"write_file", map[string]any{"file_path": ".env", "content": "GIT_EXTERNAL_DIFF=x\n"}},
		{"write_file", map[string]any{"file_path": "@.env", "content": "GIT_EXTERNAL_DIFF=x\n"}},
		{"write_file", map[string]any{"file_path": filepath.Join(w.home, ".env"), "content": "X=1\n"}},
		{"write_file", map[string]any{"file_path": "terraform.tfstate", "content": "{}\n"}},
		{"replace", map[string]any{"file_path": "envs/prod.tfstate.backup", "old_string": "a", "new_string": "b"}},
		{"write_file", map[string]any{"file_path": "b/hooks/pre-receive", "content": "#!/bin/sh\n"}},
	} {
		if !hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %v: allowed, want denied", c.tool, c.input)
		}
	}
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": "main.tf", "content": "# x\n"}},
		{"write_file", map[string]any{"file_path": "config", "content": "x\n"}},
		{"write_file", map[string]any{"file_path": "web/hooks/useX.ts", "content": "x\n"}},
		{"replace", map[string]any{"file_path": "main.tf", "old_string": "a", "new_string": "b"}},
	} {
		if hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %v: denied, want allowed", c.tool, c.input)
		}
	}
	for _, cmd := range []string{
		"printf 'GIT_EXTERNAL_DIFF=\"terraform destroy -auto-approve #\"\\n' > .env",
		"cp /tmp/s.json terraform.tfstate",
		"echo x > b/hooks/pre-receive",
	} {
		if code, out, _ := w.hook(t, "gemini", shellEvent("gemini", w.dir, cmd), nil); code == 0 && strings.TrimSpace(out) == "" {
			t.Errorf("gemini shell %s: allowed, want denied", cmd)
		}
	}
	for _, cmd := range []string{"cat .env", "cat terraform.tfstate"} {
		if code, out, _ := w.hook(t, "gemini", shellEvent("gemini", w.dir, cmd), nil); code != 0 || strings.TrimSpace(out) != "" {
			t.Errorf("gemini shell %s: denied, want allowed: %s", cmd, out)
		}
	}
}
