package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook145 H3 through the hook command: git worktree remove and move
// find the worktree by the end of its path, before reading the argument as
// a path (`git worktree remove repo-wt` in the main repository removes
// ../repo-wt); the hook reads the repository's linked worktrees
// (linkedWorktrees, shell.Options.Worktrees) and judges each one whose
// path ends in the argument.
func TestHook145WorktreeSuffix(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	w := newHookWorld(t)
	root := filepath.Dir(w.dir)
	repo := filepath.Join(root, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, ".gitignore"), []byte("*.tfstate*\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", ".gitignore")
	gitRun(t, repo, "commit", "-qm", "init")
	gitRun(t, repo, "worktree", "add", "-q", "../repo-wt")
	gitRun(t, repo, "worktree", "add", "-q", "../other-wt")
	state := filepath.Join(root, "repo-wt", "infra", "terraform.tfstate")
	if err := os.MkdirAll(filepath.Dir(state), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte("{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wts, ok := linkedWorktrees(repo)
	if !ok || len(wts) != 2 {
		t.Fatalf("linkedWorktrees(%s) = %q, %v; want the two linked worktrees", repo, wts, ok)
	}
	if wts, ok := linkedWorktrees(filepath.Join(root, "other-wt")); !ok || len(wts) != 2 {
		t.Fatalf("linkedWorktrees from a linked worktree = %q, %v; want the two linked worktrees", wts, ok)
	}
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", repo, line), nil)
		return code != 0 || out != ""
	}
	for _, line := range []string{"git worktree remove repo-wt", "git worktree remove --force repo-wt", "git worktree move repo-wt ../moved"} {
		if !refused(line) {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"git worktree list", "git worktree remove other-wt", "git worktree remove ../other-wt"} {
		if refused(line) {
			t.Errorf("refused, want allowed: %s", line)
		}
	}
	// The attack is real: git takes repo-wt for ../repo-wt and removes it,
	// its git-ignored state with it, without --force.
	gitRun(t, repo, "worktree", "remove", "repo-wt")
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("git worktree remove repo-wt left %s (%v): the spelling is no attack", state, err)
	}
}

// Review hook145 H4 through the hook command, in three calls: the link
// made (harmless where it is), the directory carrying it moved to where it
// leads to the policy (refused), and a recursive copy into a directory that
// holds such a link on disk (refused: cp writes through it).
func TestHook145CopyThroughLink(t *testing.T) {
	w := newHookWorld(t)
	root := filepath.Dir(w.dir)
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	ev := filepath.Join(root, "ev")
	if err := os.MkdirAll(ev, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ev, "p"), []byte("evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if refused("mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p") {
		t.Fatal("the link where it leads nowhere refused")
	}
	if err := os.MkdirAll(filepath.Join(w.dir, "a", "b", "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../planguard.hcl", filepath.Join(w.dir, "a", "b", "c", "p")); err != nil {
		t.Fatal(err)
	}
	if !refused("mv a/b/c c") {
		t.Error("allowed, want refused: mv a/b/c c (the link then leads to the policy)")
	}
	if refused("cp -r " + ev + "/. a/b/c/") {
		t.Error("refused, want allowed: a copy into a/b/c, whose link leads to a/planguard.hcl (nothing)")
	}
	// The link where it leads to the policy, made some other way.
	if err := os.Rename(filepath.Join(w.dir, "a", "b", "c"), filepath.Join(w.dir, "c")); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"cp -r " + ev + "/. c/", "cp -a " + ev + "/. c", "cp " + ev + "/p* c/"} {
		if !refused(line) {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	if refused("cp -rn " + ev + "/. c/") {
		t.Error("refused, want allowed: cp -rn (opens no existing file)")
	}
	// A link to a directory (a provider in the plugin cache under
	// ~/.terraform.d, a protected directory): cp does not write into it.
	cache := filepath.Join(w.home, ".terraform.d", "plugin-cache", "registry.terraform.io", "hashicorp", "null", "3.2.0", "linux_amd64")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	prov := filepath.Join(w.dir, "mod", ".terraform", "providers", "registry.terraform.io", "hashicorp", "null", "3.2.0")
	if err := os.MkdirAll(prov, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cache, filepath.Join(prov, "linux_amd64")); err != nil {
		t.Fatal(err)
	}
	if refused("cp -r " + ev + "/. mod/") {
		t.Error("refused, want allowed: a copy into a directory whose link leads to a directory (cp does not write into it)")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", "cp -r "+ev+"/. c/")
	cmd.Dir = w.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(w.policy); string(b) != "evil\n" {
		t.Fatal("cp -r did not write through the link: the spelling is no attack")
	}
}
