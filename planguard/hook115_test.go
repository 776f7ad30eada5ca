package main

import "testing"

// Review hook115: planguard apply behind env or exec options that unset or
// clear the environment planguard reads (env -u PLANGUARD_AUTHOR: an
// approval the change's author signed would count; env -i, exec -c) is
// refused; plain env, nice, time and command, which keep it, allowed.
func TestHook115ApplyEnvironment(t *testing.T) {
	w := newHookWorld(t)
	self := hookExecutables()[0]
	apply := self + " apply --policy " + w.policy + " tfplan"
	for _, cmd := range []string{"env -u PLANGUARD_AUTHOR " + apply, "env -i " + apply, "exec -c " + apply, "/usr/bin/env --unset=PLANGUARD_TERRAFORM " + apply} {
		w.denied(t, w.dir, cmd)
	}
	for _, cmd := range []string{apply, "nice " + apply, "time " + apply, "command " + apply, "env " + apply} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}
