package main

import "testing"

// Review hook87's false refusal through the hook command, which also asks
// bash how it reads each script: a trap that removes the line's mktemp
// directory is allowed (bash's reading of the trap's script knows the
// directory too); one that climbs out of it, or one set before mktemp, is
// not.
func TestHook87TrapCleanup(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		`tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; cp main.tf "$tmp"/`,
		`tmp=$(mktemp -d); cleanup() { rm -rf "$tmp"; }; trap cleanup EXIT; echo x > "$tmp/a"`,
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s", line, out)
		}
	}
	for _, line := range []string{
		`tmp=$(mktemp -d); trap 'rm -rf "$tmp"/..' EXIT`,
		`trap 'rm -rf "$tmp"' EXIT; tmp=$(mktemp -d)`,
		`tmp=$(mktemp -d); trap 'bash -c "rm -rf \"\$tmp\""' EXIT`,
		`tmp=$(mktemp -d); trap 'tmp=.; rm -rf "$tmp"' EXIT`,
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}
