package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Review hook38 H4: Gemini CLI removes NULs from a file tool's path before
// it writes; a client may trim spaces or expand ~. The hook refuses a path
// with a control or invisible character, and judges a path as written and
// as cleaned.
func TestHook38FileToolPaths(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".gemini"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".gemini", "settings.json"), []byte("{}\n"), 0o600)
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": filepath.Join(w.dir, "terraform.tfstate\x00"), "content": "evil\n"}},
		{"replace", map[string]any{"file_path": filepath.Join(w.dir, "terraform.tfstate\x00"), "old_string": "a", "new_string": "b"}},
		{"write_file", map[string]any{"file_path": filepath.Join(w.dir, ".gem\x00ini", "settings.json"), "content": "{}\n"}},
		{"write_file", map[string]any{"file_path": ".envrc\x00", "content": "x\n"}},
		{"write_file", map[string]any{"file_path": ".env\u200brc", "content": "x\n"}},
		{"write_file", map[string]any{"file_path": " .envrc ", "content": "x\n"}},
		{"write_file", map[string]any{"file_path": "terraform.tfstate\t", "content": "x\n"}},
		{"write_file", map[string]any{"file_path": "~/.bashrc", "content": "x\n"}},
	} {
		if !hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %q: allowed, want denied", c.tool, c.input["file_path"])
		}
	}
	for _, p := range []string{"main.tf", " notes.md", "docs/~draft.md"} {
		if hook10bGemini(t, w, "write_file", map[string]any{"file_path": p, "content": "x\n"}) {
			t.Errorf("gemini write_file %q: denied, want allowed", p)
		}
	}
}
