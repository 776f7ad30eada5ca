package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook106 H1 through the hook command: a directory holding a
// relative link made in an earlier call, moved to another depth, where the
// link leads to the policy (shell.Options.LinksUnder).
func TestHook106MovedDirOfLinks(t *testing.T) {
	w := newHookWorld(t)
	if err := os.MkdirAll(filepath.Join(w.dir, "x", "y", "w"), 0o755); err != nil {
		t.Fatal(err)
	}
	// From infra/x/y/w the target is infra/x/planguard.hcl (nothing);
	// from infra/z, where the line moves w, it is the policy.
	if err := os.Symlink("../../planguard.hcl", filepath.Join(w.dir, "x", "y", "w", "u")); err != nil {
		t.Fatal(err)
	}
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	for _, line := range []string{"mv x/y/w z && echo evil > z/u", "cp -a x/y/w z && echo evil > z/u", "mv -t . x/y/w && echo evil > w/u"} {
		if !refused(line) {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	if refused("mv x/y/w x/y/v && echo hi > x/y/v/other") {
		t.Error("a move within the same directory refused")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", "mv x/y/w z && echo evil > z/u")
	cmd.Dir = w.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(w.policy); string(b) != "evil\n" {
		t.Fatal("the moved directory's link did not lead to the policy: the spelling is no attack")
	}
}
