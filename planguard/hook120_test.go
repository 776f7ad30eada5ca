package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook120, the agents' file tools: Gemini CLI drops `@` and every
// `/` or `\` after it from a file tool's path (`@\.gemini/settings.json`
// is the project's settings: H1); its replace looks a relative path that
// does not exist up in the whole workspace and edits the one file it
// finds (a hard link to the policy under another directory: M1); Copilot's
// str_replace and insert tools (L1).
func TestHook120FileTools(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".gemini"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".gemini", "settings.json"), []byte("{}\n"), 0o600)
	os.MkdirAll(filepath.Join(w.dir, "docs"), 0o755)
	// A replace names a file that exists (one that does not is looked up
	// in the whole workspace: refused, review hook120 M1).
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("# a\n"), 0o600)
	if err := os.Link(w.policy, filepath.Join(w.dir, "docs", "policy-copy.hcl")); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(w.dir, w.policy)
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": `@\.gemini/settings.json`, "content": "{}\n"}},
		{"write_file", map[string]any{"file_path": `@\\.gemini/settings.json`, "content": "{}\n"}},
		{"write_file", map[string]any{"file_path": `@\/.gemini/settings.json`, "content": "{}\n"}},
		{"replace", map[string]any{"file_path": `@\.gemini/settings.json`, "old_string": "a", "new_string": "b"}},
		{"write_file", map[string]any{"file_path": `@\.envrc`, "content": "x\n"}},
		{"write_file", map[string]any{"file_path": "@/" + rel, "content": "x\n"}},
		{"write_file", map[string]any{"file_path": `@\` + rel, "content": "x\n"}},
		{"replace", map[string]any{"file_path": "policy-copy.hcl", "old_string": "approvals = 1", "new_string": "approvals = 0"}},
	} {
		if !hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %v: allowed, want denied", c.tool, c.input)
		}
	}
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": "@/notes.md", "content": "x\n"}},
		{"replace", map[string]any{"file_path": "main.tf", "old_string": "a", "new_string": "b"}},
	} {
		if hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %v: denied, want allowed", c.tool, c.input)
		}
	}
	for _, tool := range []string{"str_replace", "insert"} {
		args, _ := json.Marshal(map[string]any{"path": w.policy, "old_str": "a", "new_str": "b"})
		ev, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": w.dir, "toolName": tool, "toolArgs": string(args)})
		if code, out, _ := w.hook(t, "copilot", string(ev), nil); code == 0 && strings.TrimSpace(out) == "" {
			t.Errorf("copilot %s of the policy: allowed, want denied", tool)
		}
	}
}
