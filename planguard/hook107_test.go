package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Review hook107: Gemini CLI's run_shell_command with dir_path "l/..", l a
// link elsewhere. Gemini resolves it as text (the workspace itself), the
// hook resolved it through the link (another directory), and judged the
// line's relative paths from there: `echo pwned > ../planguard.hcl`
// passed. A dir_path with `..` is refused; one without is judged there.
func TestHook107GeminiDirPath(t *testing.T) {
	w := newHookWorld(t)
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(other, "a", "b"), filepath.Join(w.dir, "l")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(w.dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	event := func(command, dir string) string {
		b, _ := json.Marshal(map[string]any{"session_id": "s", "hook_event_name": "BeforeTool", "cwd": w.dir,
			"tool_name": "run_shell_command", "tool_input": map[string]any{"command": command, "dir_path": dir}})
		return string(b)
	}
	for _, c := range [][2]string{{"echo pwned > ../planguard.hcl", "l/.."}, {"rm -rf ../infra", "l/.."}, {"ls", "sub/.."}} {
		code, out, _ := w.hook(t, "gemini", event(c[0], c[1]), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s in %s", c[0], c[1])
		}
	}
	if code, out, _ := w.hook(t, "gemini", event("ls", "sub"), nil); code != 0 || out != "" {
		t.Errorf("ls in sub refused: %d %s", code, out)
	}
	if code, out, _ := w.hook(t, "gemini", event("echo x > ../../planguard.hcl", "sub"), nil); code == 0 && out == "" {
		t.Error("a write to the policy from sub allowed")
	}
}
