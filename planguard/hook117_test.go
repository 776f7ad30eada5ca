package main

import (
	"path/filepath"
	"testing"
)

// Review hook117 through the hook command: planguard apply with the
// environment it reads changed by an option of a wrapper (strace -E NAME
// unsets it, -E NAME=VALUE sets it: H1) or behind env and exec spelled
// with quotes or a backslash (H3), wherever the wrapper stands in the
// line. sudo's reset environment is tested in hook_bypass_test.go (H2).
func TestHook117ApplyEnvironment(t *testing.T) {
	w := newHookWorld(t)
	self := hookExecutables()[0]
	apply := self + " apply --policy " + w.policy + " tfplan"
	for _, cmd := range []string{
		"strace -qq -f -o /dev/null -E PLANGUARD_AUTHOR " + apply,
		"strace -EPLANGUARD_AUTHOR " + apply,
		"strace --env=PLANGUARD_AUTHOR " + apply,
		"strace -E PLANGUARD_AUTHOR=bob " + apply,
		"strace -E PLANGUARD_TERRAFORM=/tmp/fake " + apply,
		"e''nv -u PLANGUARD_AUTHOR " + apply,
		`en\v -u PLANGUARD_AUTHOR ` + apply,
		`"en"v -i ` + apply,
		"ex''ec -c " + apply,
		`$'\x65nv' -u PLANGUARD_AUTHOR ` + apply,
	} {
		w.denied(t, w.dir, cmd)
	}
	for _, cmd := range []string{apply, "strace -f -o /dev/null " + apply} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}

// Review hook116 M1, M2 through the hook command: tmux's and screen's
// startup files are protected (a server or session runs their commands).
func TestHook116StartupFiles(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		`echo "run-shell 'terraform destroy -auto-approve'" > ~/.tmux.conf`,
		`mkdir -p ~/.config/tmux && echo x > ~/.config/tmux/tmux.conf`,
		`printf 'screen terraform destroy -auto-approve\n' >> ~/.screenrc`,
	} {
		w.denied(t, w.dir, line)
	}
	for _, p := range []string{filepath.Join(w.home, ".tmux.conf"), filepath.Join(w.home, ".screenrc")} {
		ev := `{"hook_event_name":"PreToolUse","tool_name":"Write","cwd":"` + w.dir + `","tool_input":{"file_path":"` + p + `","content":"x"}}`
		if code, out, _ := w.hook(t, "claude", ev, nil); code == 0 && out == "" {
			t.Errorf("Write of %s allowed", p)
		}
	}
}
