package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook121 through the hook command: a commit that tracks a file at
// the path of a git-ignored state (built with git hash-object -t tree and
// -t commit: H1, or committed in a scratch repository and fetched: H2)
// replaces the state when checked out and removes it when left. hash-object
// of anything but a blob is refused, and so is a move of the working tree
// to another commit while a state file lies in it; a new branch at HEAD
// passes. The attack is run with real git.
func TestHook121IgnoredStateCheckout(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	w := newHookWorld(t)
	refused := func(line string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		return code != 0 || out != ""
	}
	state := filepath.Join(w.dir, "terraform.tfstate")
	for name, body := range map[string]string{"main.tf": "resource \"terraform_data\" \"prod_db\" {}\n", ".gitignore": "*.tfstate\n",
		"terraform.tfstate": "{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n"} {
		if err := os.WriteFile(filepath.Join(w.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, w.dir, "init", "-q", "-b", "main")
	gitRun(t, w.dir, "add", "main.tf", ".gitignore")
	gitRun(t, w.dir, "commit", "-qm", "init")
	scratch := t.TempDir()
	gitRun(t, scratch, "init", "-q")
	if err := os.WriteFile(filepath.Join(scratch, "terraform.tfstate"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, scratch, "add", "-f", "terraform.tfstate")
	gitRun(t, scratch, "commit", "-qm", "x")
	for _, line := range []string{
		`printf '100644 terraform.tfstate\0\x09\x67\xef\x42\x4b\xce\x67\x91\x89\x3e\x9a\x57\xbb\x95\x2f\x80\xfd\x53\x6e\x93' | git hash-object -t tree -w --stdin`,
		`printf 'tree 216044433b990581b71fc6d577b6061c8f895213\n\nwip\n' | git hash-object -t commit -w --stdin`,
		`git hash-object --type=tree -w x`,
		`git hash-object --literally -t blob -w x`,
		"git fetch -q " + scratch + " HEAD:refs/heads/wip && git checkout -q wip && git checkout -q main",
		"git checkout -q wip",
		"git switch wip",
		"git merge wip",
		"git pull " + scratch + " HEAD",
		// review hook122 H1, H2: a checkout with a -- and no pathspec,
		// and a stash (a commit) applied.
		"git checkout -q wip --",
		"git checkout -b z wip --",
		"git stash apply",
		"git stash pop stash@{0}",
		"git stash branch b",
	} {
		if !refused(line) {
			t.Errorf("allowed with a git-ignored state in the working tree: %s", line)
		}
	}
	for _, line := range []string{"git checkout -b feature", "git switch -c f2", "git status", "echo x | git hash-object -w --stdin", "git diff | git apply -R",
		"git checkout -- main.tf", "git stash list", "git stash"} {
		if refused(line) {
			t.Errorf("refused, want allowed: %s", line)
		}
	}
	// The attack is real: git overwrites the ignored state with the
	// commit's file, and removes it on the way back.
	gitRun(t, w.dir, "fetch", "-q", scratch, "HEAD:refs/heads/wip")
	gitRun(t, w.dir, "checkout", "-q", "wip")
	if b, _ := os.ReadFile(state); strings.TrimSpace(string(b)) != "{}" {
		t.Fatalf("git checkout left the ignored state as it was (%q): the spelling is no attack", b)
	}
	gitRun(t, w.dir, "checkout", "-q", "main")
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("git checkout back left the state (%v): the spelling is no attack", err)
	}
}
