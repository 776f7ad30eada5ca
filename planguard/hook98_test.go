package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook98 H1 across calls: a state staged by an earlier call (git add
// -f, or a .gitignore that no longer ignores it) is taken out of the
// working tree by a plain git stash. The hook command reads the
// repository's index (go-git's decoder): git stash is refused while the
// index names a state file, or when the index cannot be decoded (a split
// index), and allowed once the state is unstaged.
func TestHook98StagedState(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	w := newHookWorld(t)
	run := func(args ...string) { t.Helper(); gitRun(t, w.dir, args...) }
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	writeFile := func(p, body string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	state := filepath.Join(w.dir, "terraform.tfstate")
	writeFile(filepath.Join(w.dir, "main.tf"), "resource \"terraform_data\" \"prod_db\" {}\n")
	writeFile(filepath.Join(w.dir, ".gitignore"), "*.tfstate\n")
	writeFile(state, "{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n")
	run("init", "-q")
	run("add", "main.tf", ".gitignore")
	run("commit", "-qm", "init")
	if refused("git stash") {
		t.Fatal("git stash refused with the state ignored and not in the index")
	}
	run("add", "-f", "terraform.tfstate")
	if !refused("git stash") || !refused("git stash push -q") || !refused("git stash save wip") {
		t.Error("git stash allowed with the state in the index")
	}
	run("update-index", "--split-index")
	if !refused("git stash") {
		t.Error("git stash allowed with a split index the hook cannot decode")
	}
	run("update-index", "--no-split-index")
	run("-c", "index.version=4", "update-index", "--index-version", "4")
	if !refused("git stash") {
		t.Error("git stash allowed with the state in a version 4 index")
	}
	// The attack is real: git stash takes the staged state away.
	run("stash", "-q")
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("git stash left the staged state in the working tree (%v): the spelling is no attack", err)
	}
	run("stash", "pop", "-q")
	run("rm", "-q", "--cached", "terraform.tfstate")
	if refused("git stash") {
		t.Error("git stash refused once the state was unstaged")
	}
}

// gitRun runs git in dir with a committer identity of its own, failing the
// test on an error.
func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.email=a@b.c", "-c", "user.name=a"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}
