package main

import "testing"

// Review hook90 L1/L2 through the hook command: go's settings file
// (GOMODCACHE there makes go clean -modcache remove the directory it
// names; GOFLAGS=-toolexec runs a program) and cargo's user configuration
// are protected like ~/.terraformrc.
func TestHook90ToolConfig(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		"mkdir -p ~/.config/go && printf 'GOMODCACHE=/work\\n' > ~/.config/go/env && go clean -modcache",
		"printf 'GOFLAGS=-toolexec=/tmp/x\\n' >> ~/.config/go/env",
		"mkdir -p ~/.cargo && printf '[build]\\ntarget-dir = \"/work\"\\n' > ~/.cargo/config.toml",
		"cp x ~/.cargo/config",
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"go env GOMODCACHE", "cat ~/.config/go/env", "cargo build", "go build ./..."} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s", line, out)
		}
	}
}

// TestHook89UnrolledLoop: through the hook command (bash's own reading
// on), a loop over spelled-out words is judged unrolled (review hook89
// false refusal 3).
func TestHook89UnrolledLoop(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		`for f in a b c; do touch "$f.txt"; done`,
		`for t in Unit E2E; do go test -run "Test$t" ./...; done`,
		`for t in Unit E2E; do go test -run "Test$t" ./...; done; echo ok`,
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s", line, out)
		}
	}
	for _, line := range []string{
		`for f in notes ../planguard; do touch "$f.hcl"; done`,
		`for f in a b; do cp x "$f"; done; for g in c ../planguard.hcl; do cp x "$g"; done`,
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}
