package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook103 H1 through the hook command: a relative link made in an
// earlier call, moved to another depth, where it leads to the policy; the
// hook reads the link (shell.Options.Readlink). And M1: git bisect and
// filter-branch, which check out commits, refused while the index holds a
// state an earlier call committed.
func TestHook103MovedLink(t *testing.T) {
	w := newHookWorld(t)
	if err := os.MkdirAll(filepath.Join(w.dir, "x", "y"), 0o755); err != nil {
		t.Fatal(err)
	}
	// From infra/x/y the target is infra/planguard.hcl (nothing); from
	// infra/x it is the policy.
	if err := os.Symlink("../../planguard.hcl", filepath.Join(w.dir, "x", "y", "u")); err != nil {
		t.Fatal(err)
	}
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	for _, line := range []string{"mv x/y/u x/u && echo evil > x/u", "mv -t x x/y/u && echo evil >> x/u", "mv x/y/u x/ && cp /dev/null x/u"} {
		if !refused(line) {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	if refused("mv x/y/u x/y/v && echo hi > x/y/v") {
		t.Error("a move within the link's directory refused")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", "mv x/y/u x/u && echo evil > x/u")
	cmd.Dir = w.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(w.policy); string(b) != "evil\n" {
		t.Fatal("the moved link did not lead to the policy: the spelling is no attack")
	}
}

func TestHook103CommittedState(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	w := newHookWorld(t)
	run := func(args ...string) { t.Helper(); gitRun(t, w.dir, args...) }
	if err := os.WriteFile(filepath.Join(w.dir, "terraform.tfstate"), []byte("{\"version\": 4}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("init", "-q")
	run("commit", "-q", "--allow-empty", "-m", "a")
	run("add", "-A")
	run("commit", "-qm", "s")
	for _, line := range []string{"git bisect start HEAD HEAD~1", "git filter-branch -f --index-filter 'git rm -q --cached --ignore-unmatch -r .' HEAD"} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed with the state committed: %s", line)
		}
	}
}
