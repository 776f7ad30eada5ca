package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Review hook55 F1: Gemini CLI 0.61's file tools pass the path through
// decodeURIComponent before they write (plangu%61rd.hcl is the policy, a
// %2E makes .gemini). A path with a %XX escape is refused for Gemini.
func TestHook55GeminiPercentPaths(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".gemini"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".gemini", "settings.json"), []byte("{}\n"), 0o600)
	for _, c := range []struct {
		tool  string
		input map[string]any
	}{
		{"write_file", map[string]any{"file_path": "plangu%61rd.hcl", "content": "evil\n"}},
		{"write_file", map[string]any{"file_path": "%2Egemini/settings.json", "content": "{}\n"}},
		{"replace", map[string]any{"file_path": "%2Egemini/settings.json", "old_string": "a", "new_string": "b"}},
		{"write_file", map[string]any{"file_path": filepath.Join(w.dir, "terraform%2Etfstate"), "content": "x\n"}},
		{"write_file", map[string]any{"file_path": "notes%20draft.md", "content": "x\n"}},
	} {
		if !hook10bGemini(t, w, c.tool, c.input) {
			t.Errorf("gemini %s %q: allowed, want denied", c.tool, c.input["file_path"])
		}
	}
	for _, p := range []string{"main.tf", "docs/100%.md", "notes%zz.md"} {
		if hook10bGemini(t, w, "write_file", map[string]any{"file_path": p, "content": "x\n"}) {
			t.Errorf("gemini write_file %q: denied, want allowed", p)
		}
	}
}
