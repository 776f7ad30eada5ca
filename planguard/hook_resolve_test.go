package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symbolic link an earlier call made to a protected file that does not
// exist yet (.claude/settings.local.json): a write through it creates
// that file, so the hook judges the link by where it leads.
func TestHookResolvesDanglingLinkToProtectedFile(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".claude"), 0o755)
	if err := os.Symlink(".claude/settings.local.json", filepath.Join(w.dir, "l")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("l", filepath.Join(w.dir, "l2")); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(w.dir, ".claude", "settings.local.json")
	for _, p := range []string{"l", "l2"} {
		if got := resolveLinks(filepath.Join(w.dir, p)); got != want {
			t.Errorf("resolveLinks(%s) = %s, want %s", p, got, want)
		}
	}
	if got := resolveLinks(filepath.Join(w.dir, "new", "file")); got != filepath.Join(w.dir, "new", "file") {
		t.Errorf("resolveLinks of a path that does not exist = %s", got)
	}
	for _, cmd := range []string{"echo '{}' > l", "cp e.json l2", "echo x > notes.md"} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil)
		denied := code != 0 || strings.TrimSpace(out) != ""
		if denied != (cmd != "echo x > notes.md") {
			t.Errorf("%s: denied=%v\n%s", cmd, denied, out)
		}
	}
}
