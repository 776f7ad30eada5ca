package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook155 (on a69f7e2): git stash resets the tracked files to HEAD,
// so a HEAD or an index moved to a commit that tracks the state's path —
// git update-ref, symbolic-ref, replace, restore --staged --source=REV,
// apply --cached — makes it bring back that commit's state or take the
// state away (H1, H2): refused in the same line as a move of the index or
// HEAD, and while HEAD's commit tracks a path where a state lies (a move in
// an earlier call).
var h155Stashes = []string{
	"git update-ref HEAD HEAD~1 && git stash -q",
	"git replace HEAD HEAD~1 && git stash -q",
	"git branch -f old HEAD~1 && git symbolic-ref HEAD refs/heads/old && git stash -q",
	"git restore --staged --source=HEAD~1 -- . && git stash -q",
	"git apply --cached x.patch && git stash -q",
	"git stash -q",
	"git stash",
	"git stash push -m wip",
	"git stash save wip",
}

func TestHook155StashAfterMoves(t *testing.T) {
	opts := h32Opts("/work")
	for _, l := range h155Stashes[:5] {
		if r := Analyze(l, opts); r.Allowed() {
			t.Errorf("a move of HEAD or the index, then a stash: allowed, want refused: %q", l)
		}
	}
	for _, l := range []string{"git stash", "git stash -q", "git stash list", "git stash show -p", "git symbolic-ref HEAD",
		"git replace -l", "git branch feature", "git restore --staged .", "git apply fix.patch"} {
		if r := Analyze(l, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", l, r.Refused)
		}
	}
	// HEAD moved in an earlier call: HeadState says HEAD tracks the state.
	opts.HeadState = func(string) bool { return true }
	for _, l := range h155Stashes[5:] {
		if r := Analyze(l, opts); r.Allowed() {
			t.Errorf("HEAD tracks the state: allowed, want refused: %q", l)
		}
	}
	for _, l := range []string{"git stash list", "git stash show -p", "git status"} {
		if r := Analyze(l, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", l, r.Refused)
		}
	}
}

// TestHook155BashRuns shows the attack: in a repository that once
// committed an empty state, the state git-ignored since, moving HEAD back
// and stashing puts the old state in place of the applied one.
func TestHook155BashRuns(t *testing.T) {
	_, bash, env, state := h32AppliedState(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git not found")
	}
	for _, l := range h155Stashes[:3] {
		root := h32World(t, state)
		dir := filepath.Join(root, "tf")
		setup := git + " init -q . && cp terraform.tfstate .real && " +
			`printf '{"version":4,"terraform_version":"1.8.5","serial":1,"lineage":"x","outputs":{},"resources":[]}\n' > terraform.tfstate && ` +
			"git add -f terraform.tfstate && git -c user.email=a@b -c user.name=a commit -qm s && " +
			"git rm -q --cached terraform.tfstate && printf 'terraform.tfstate\\n.real\\n' > .gitignore && " +
			"git add .gitignore && git -c user.email=a@b -c user.name=a commit -qm x && mv .real terraform.tfstate"
		opts := h32Opts(root)
		cmd := exec.Command(bash, "-c", setup)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("setup: %v\n%s", err, out)
		}
		if r := Analyze(l, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", l)
		}
		cmd = exec.Command(bash, "-c", "export GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@b GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@b; "+l)
		cmd.Dir, cmd.Env = dir, env
		out, _ := cmd.CombinedOutput()
		after, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
		if err == nil && h32Resources(t, after) != 0 {
			t.Errorf("%q: bash left the state's resource: the spelling is no attack\n%s", l, h32Tail(out))
		}
	}
}
