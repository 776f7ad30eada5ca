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
