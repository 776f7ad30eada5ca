package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// F8 of the hook17 review: Gemini CLI 0.61 takes a double-quoted
// `bash -c "…"` script apart with shell-quote, whose escapes differ from
// bash's; a backslash or `${` there is refused for Gemini.
func TestHook9bGeminiDoubleQuotedWrapper(t *testing.T) {
	w := newHookWorld(t)
	review := "bash -c \"echo \\\"'\\\" # \\\nterraform destroy -auto-approve #'\""
	for _, cmd := range []string{
		review,
		`bash -c "echo \"hi\""`,
		`sh -c "echo \\$HOME"`,
		`/bin/bash -c "echo ${HOME}x"`,
		"  zsh -c \"echo \\`date\\`\"  ",
	} {
		code, out, errs := w.hook(t, "gemini", shellEvent("gemini", w.dir, cmd), nil)
		if r := denyReason(t, "gemini", code, out, errs); !strings.Contains(r, "shell-quote") {
			t.Errorf("%q: reason %q", cmd, r)
		}
	}
	// The same texts are no wrapper for the other agents' reading: judged
	// as bash reads them (the review's command is one comment to bash).
	code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, `bash -c "echo \"hi\""`), nil)
	if code != 0 || strings.Contains(out, "deny") {
		t.Errorf("claude: %d %s", code, out)
	}
	for _, cmd := range []string{`bash -c "echo hi"`, `bash -c 'echo "a\b"'`, `echo "a\\b"`, `bash -c "ls" && echo \\x`} {
		code, out, errs := w.hook(t, "gemini", shellEvent("gemini", w.dir, cmd), nil)
		if code != 0 || strings.Contains(out, "deny") {
			t.Errorf("gemini %q: %d %s %s", cmd, code, out, errs)
		}
	}
	if geminiUnescaped(`cmd.exe /c "echo \x"`) != "" || geminiUnescaped(`powershell -Command "echo \x"`) != "" {
		t.Error("cmd.exe and PowerShell wrappers are stripped plainly")
	}
}

// F9: hook install warns when the person's shell is not bash or sh, for
// the agents that run commands in it.
func TestHook9bInstallWarnsOtherShell(t *testing.T) {
	w := newHookWorld(t)
	t.Chdir(w.dir)
	for _, c := range []struct {
		agent, shell string
		warn         bool
	}{{"claude", "/bin/zsh", true}, {"cursor", "/usr/bin/fish", true}, {"claude", "/bin/bash", false}, {"gemini", "/bin/zsh", false}, {"claude", "", false}} {
		os.RemoveAll(filepath.Join(w.dir, ".claude"))
		os.RemoveAll(filepath.Join(w.dir, ".cursor"))
		envv := map[string]string{"HOME": w.home, "SHELL": c.shell}
		code, _, errs := runCLI(t, "", envv, "hook", "install", "--agent", c.agent, "--policy", w.policy, "--planguard-bin", "/opt/planguard")
		if code != 0 {
			t.Fatalf("%+v: exit %d %s", c, code, errs)
		}
		if got := strings.Contains(errs, "reads commands as bash"); got != c.warn {
			t.Errorf("%+v: warning %v, want %v: %s", c, got, c.warn, errs)
		}
		if c.warn && c.agent == "claude" && !strings.Contains(errs, "CLAUDE_CODE_SHELL") {
			t.Errorf("claude warning lacks the fix: %s", errs)
		}
	}
}
