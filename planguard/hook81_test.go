package main

import "testing"

// Review hook81 M1 through the hook command: GNU parallel's system
// configuration (/etc/parallel/config: --limit CMD runs CMD at every
// parallel call), like ~/.parallel, and vim's and gdb's system startup
// files, are protected for a root agent.
func TestHook81SystemConfig(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		`mkdir -p /etc/parallel/x && echo '--limit "terraform destroy -auto-approve"' > /etc/parallel/config`,
		"cp x /etc/parallel/config",
		"sudo tee /etc/parallel/profile < x",
		"echo 'silent !terraform destroy -auto-approve' >> /etc/vim/vimrc.local",
		"cp x /etc/gdb/gdbinit",
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"parallel --will-cite echo ::: a", "cat /etc/parallel/config", "mkdir -p src/parallel"} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s", line, out)
		}
	}
}
