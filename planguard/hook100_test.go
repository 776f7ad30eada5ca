package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook100 through the hook command: an empty .git directory, which
// git passes over for the repository above it, hid that repository's
// index, where an earlier call staged the state (M2); and the commands
// that rewrite the working tree from commits (checkout, switch, revert,
// pull…) refused while the index holds the state, as git stash is.
func TestHook100IndexAbove(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	w := newHookWorld(t)
	root := filepath.Dir(w.dir)
	run := func(dir string, args ...string) { t.Helper(); gitRun(t, dir, args...) }
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	state := filepath.Join(w.dir, "terraform.tfstate")
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("resource \"terraform_data\" \"prod_db\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte("{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(root, "init", "-q")
	run(root, "add", "infra/main.tf")
	run(root, "commit", "-qm", "init")
	run(root, "add", "infra/terraform.tfstate")
	if err := os.Mkdir(filepath.Join(w.dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"git stash", "git checkout -q HEAD~0", "git switch main", "git revert --no-edit HEAD", "git pull", "git merge feature", "git rebase main"} {
		if !refused(line) {
			t.Errorf("allowed with the state in the index of the repository above an empty .git: %s", line)
		}
	}
	// The attack is real: git passes over the empty .git and stashes the
	// state of the repository above.
	run(w.dir, "stash", "-q")
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("git stash in %s left the state (%v): the spelling is no attack", w.dir, err)
	}
	run(w.dir, "stash", "pop", "-q")
	run(root, "rm", "-q", "--cached", "infra/terraform.tfstate")
	if line := "git stash"; refused(line) {
		t.Errorf("refused once the state was unstaged: %s", line)
	}
	// A state in the working tree, tracked or not, still stops a move to
	// another commit: git replaces or removes it when it is ignored
	// (review hook121 H1, H2); without it, the moves pass.
	for _, line := range []string{"git checkout main", "git pull"} {
		if !refused(line) {
			t.Errorf("allowed with a state file in the working tree: %s", line)
		}
	}
	if err := os.Remove(state); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"git stash", "git checkout main", "git pull", "git checkout -b feature"} {
		if refused(line) {
			t.Errorf("refused with no state in the index or the working tree: %s", line)
		}
	}
}
