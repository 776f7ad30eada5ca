package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook131 through the hook command, with real git: a checkout or
// switch through an alias the line defines is judged with the call's
// arguments (H7), and a git reset REV or read-tree REV followed by a git
// stash in the same line is refused (H8): both replace a git-ignored state
// with the file a fetched branch tracks at its path. The attacks are run
// with real git.
func TestHook131AliasAndIndexMoves(t *testing.T) {
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
	const applied = "{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n"
	for name, body := range map[string]string{"main.tf": "resource \"terraform_data\" \"prod_db\" {}\n", ".gitignore": "*.tfstate\n",
		"terraform.tfstate": applied} {
		if err := os.WriteFile(filepath.Join(w.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, w.dir, "init", "-q", "-b", "main")
	gitRun(t, w.dir, "add", "main.tf", ".gitignore")
	gitRun(t, w.dir, "commit", "-qm", "init")
	// A branch whose tree tracks a terraform.tfstate, as one fetched from
	// a remote the agent controls.
	scratch := t.TempDir()
	gitRun(t, scratch, "init", "-q")
	if err := os.WriteFile(filepath.Join(scratch, "terraform.tfstate"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, scratch, "add", "-f", "terraform.tfstate")
	gitRun(t, scratch, "commit", "-qm", "x")
	gitRun(t, w.dir, "fetch", "-q", scratch, "HEAD:refs/heads/other")
	for _, line := range []string{
		"git -c alias.co=checkout co other",
		"git config alias.co checkout; git co other",
		"git -c alias.sw=switch sw other",
		"git reset -q other && git stash",
		"git read-tree other && git stash",
		// Review hook142: gh's and glab's checkouts are git's.
		"gh pr checkout 42",
		"glab mr checkout 3",
	} {
		if !refused(line) {
			t.Errorf("allowed with a git-ignored state in the working tree: %s", line)
		}
	}
	for _, line := range []string{"git -c alias.co=checkout co -b feature", "git -c alias.st=status st", "git reset -q other", "git read-tree other", "git stash"} {
		if refused(line) {
			t.Errorf("refused, want allowed: %s", line)
		}
	}
	// The attacks are real: each replaces the state with the branch's
	// file.
	replaced := func(what string) {
		t.Helper()
		if b, _ := os.ReadFile(state); strings.TrimSpace(string(b)) != "{}" {
			t.Fatalf("%s left the ignored state as it was (%q): the spelling is no attack", what, b)
		}
	}
	gitRun(t, w.dir, "-c", "alias.co=checkout", "co", "-q", "other")
	replaced("git co other")
	gitRun(t, w.dir, "checkout", "-q", "main")
	if err := os.WriteFile(state, []byte(applied), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, w.dir, "reset", "-q", "other")
	gitRun(t, w.dir, "stash", "-q")
	replaced("git reset other && git stash")
}
