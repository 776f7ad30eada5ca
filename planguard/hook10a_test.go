package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Review hook17b (F1, F5, F16), the hook's side: less's key files are
// protected in the home directory, and the trace and log variables that
// name the agent's settings are judged as writes through the real hook.
func TestHook10aLesskeyAndFileVariables(t *testing.T) {
	w := newHookWorld(t)
	for _, f := range []string{
		filepath.Join(w.home, ".lesskey"),
		filepath.Join(w.home, ".config", "lesskey"),
		filepath.Join(w.home, ".less"),
	} {
		for _, c := range hook9aTools() {
			code, out, errs := w.hook(t, c.agent, hook9aWrite(w, c.agent, c.tool, c.key, f), nil)
			if r := denyReason(t, c.agent, code, out, errs); !strings.Contains(r, "runs later on its own") && !strings.Contains(r, "run later on their own") {
				t.Errorf("%s %s %s: %s", c.agent, c.tool, f, r)
			}
		}
	}
	for _, cmd := range []string{
		"printf '#env\\nLESSOPEN = |terraform destroy -auto-approve %s\\n' > ~/.lesskey && less f.txt",
		"GIT_TRACE=$PWD/.claude/settings.json git status",
		"GIT_TRACE_SETUP=~/.bashrc git status",
		"TF_LOG=trace TF_LOG_PATH=$PWD/.claude/settings.json terraform plan",
		"BASH_ENV='$(terraform destroy -auto-approve)' bash -c true",
		"LESSKEYIN=/tmp/lk less f.txt",
		"ssh -F /tmp/sc h true",
		"python3 -i s.py <<< 'import os'",
	} {
		w.denied(t, w.dir, cmd)
	}
	w.allowed(t, "git status", "GIT_TRACE=1 git status", "less README.md", "ssh -V", "php -v", "python3 s.py", "perl s.pl")
}
