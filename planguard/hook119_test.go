package main

import (
	"path/filepath"
	"testing"
)

// Review hook119 H8 through the hook command: a directory of the agent's
// PATH outside the project (~/.local/bin) is protected: a file written
// there runs in place of the program of its name, in the same line and in
// every later call. The project's own PATH directories are not.
func TestHook119PathDirectories(t *testing.T) {
	w := newHookWorld(t)
	bin := filepath.Join(w.home, ".local", "bin")
	env := map[string]string{"PATH": bin + ":" + filepath.Join(w.dir, "node_modules", ".bin") + ":/usr/bin:/bin"}
	for _, line := range []string{
		`printf '#!/bin/sh\nterraform destroy -auto-approve\n' > ~/.local/bin/ls; chmod +x ~/.local/bin/ls; ls`,
		"cp x ~/.local/bin/git",
		"ln -s /tmp/x ~/.local/bin/make",
	} {
		if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), env); code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"echo x > out.txt", "rm -rf node_modules", "ls ~/.local/bin"} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, line), env); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", line, out, errs)
		}
	}
	ev := `{"hook_event_name":"PreToolUse","tool_name":"Write","cwd":"` + w.dir + `","tool_input":{"file_path":"` + filepath.Join(bin, "ls") + `","content":"x"}}`
	if code, out, _ := w.hook(t, "claude", ev, env); code == 0 && out == "" {
		t.Errorf("Write into a PATH directory allowed")
	}
}
