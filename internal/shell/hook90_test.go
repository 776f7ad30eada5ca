package shell

import "testing"

// Review hook90 (on 294e6e3): git's abbreviated long options (git stash
// --al, git reset --ha: H1); the stash dropped by its ref or reflog (git
// update-ref -d refs/stash, git reflog delete/expire: H2); git worktree
// move (H3); git submodule deinit (H4); git submodule foreach's command
// judged from the working directory, not each submodule's (H5).

var h90Refused = []h32Case{
	// H1 and H2
	{cmd: "git stash --al -q && git update-ref -d refs/stash && git gc -q --prune=now", setup: h72Repo, victim: "statefile"},
	{cmd: "git add --for . && git stash -q && git update-ref -d refs/stash && git gc -q --prune=now", setup: h72Repo, victim: "statefile"},
	{cmd: "git stash --include-u"},
	{cmd: "git stash push --inc"},
	{cmd: "git add --fo -A"},
	{cmd: "git reset --ha"},
	{cmd: "git reset --merg"},
	{cmd: "git reset --kee"},
	{cmd: "git checkout --forc main"},
	{cmd: "git switch --for main"},
	{cmd: "git switch --discard main"},
	{cmd: "git update-index --index-i"},
	{cmd: "git read-tree --res HEAD"},
	// H2: the state not ignored, staged and stashed.
	{cmd: "git add -A && git stash -q && git update-ref -d refs/stash && git gc -q --prune=now",
		setup: "git config user.email a@b.c; git config user.name a; git add main.tf ../planguard.hcl; git commit -qm init", victim: "statefile"},
	{cmd: "git update-ref -d refs/stash"},
	{cmd: "git update-ref --delete refs/stash"},
	{cmd: "git update-ref refs/stash HEAD"},
	{cmd: "echo 'delete refs/stash' | git update-ref --stdin"},
	{cmd: "git reflog delete --updateref --rewrite stash@{0}"},
	{cmd: "git reflog expire --expire=now --all"},
	// H4 and H5
	{cmd: "git submodule deinit --all"},
	{cmd: "git submodule deinit"},
	{cmd: "git submodule foreach 'rm -rf tf'"},
	{cmd: "git submodule foreach rm -rf tf"},
	{cmd: "git submodule foreach --quiet 'rm -rf ./tf'"},
}

// h90Sub makes the world's tf directory a submodule of a repository at
// the world's root (its state ignored), and goes back into it.
const h90Sub = "git init -q . && printf '*.tfstate\\n' > .gitignore && git add main.tf .gitignore && git -c user.email=a@b.c -c user.name=a commit -qm s && cd .. && git init -q && git -c protocol.file.allow=always submodule add -q ./tf tf && git -c user.email=a@b.c -c user.name=a commit -qm sub && cd tf"

// h90Worktree makes the world's tf directory a linked work tree of a
// repository at ROOT/m (the state untracked in it).
const h90Worktree = "git init -q ../m && git -C ../m -c user.email=a@b.c -c user.name=a commit -q --allow-empty -m i && mv ../tf ../tf.o && git -C ../m worktree add -q ../tf && cp -a ../tf.o/. ../tf/ && cd ../tf"

var h90Runs = []h32Case{
	{cmd: "git -C ROOT/m worktree move ROOT/tf ROOT/moved && git -C ROOT/m worktree remove --force ROOT/moved", setup: h90Worktree, victim: "statefile"},
	{cmd: "cd .. && git submodule deinit -f tf", setup: h90Sub, victim: "statefile"},
	{cmd: "cd .. && git submodule deinit tf", setup: h90Sub, victim: "statefile"},
	{cmd: "cd .. && git submodule deinit -f -- tf", setup: h90Sub, victim: "statefile"},
	{cmd: "cd .. && git submodule foreach 'rm -rf ../tf'", setup: h90Sub, victim: "statefile"},
}

var h90Allowed = []string{
	"git stash",
	"git stash push -m wip",
	"git stash pop",
	"git stash list",
	"git add --all",
	"git add -A",
	"git reset --soft HEAD~1",
	"git reset --mixed",
	"git checkout -b feature",
	"git switch -c feature",
	"git switch --create feature",
	"git update-ref refs/heads/backup HEAD",
	"git reflog",
	"git reflog show main",
	"git submodule update --init --recursive",
	"git submodule status",
	"git submodule foreach git pull",
	"git submodule foreach 'git status --short'",
	"git worktree list",
}

func TestHook90Refused(t *testing.T) {
	hookRefused(t, h90Refused)
}

func TestHook90Allowed(t *testing.T) {
	hookAllowed(t, h90Allowed)
}

// TestHook90BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository, a linked work tree or a submodule
// (hookBashRuns).
func TestHook90BashRuns(t *testing.T) {
	hookBashRuns(t, h90Refused, bashRuns{gitRepo: true, line: h37Line})
	hookBashRuns(t, h90Runs, bashRuns{line: h37Line})
}

// TestHook90InitAfterCache: removing init's cache before init is not a
// write of the configuration init reads (review hook90 false refusal);
// writing configuration before init still is.
func TestHook90InitAfterCache(t *testing.T) {
	hookAllowed(t, []string{
		"rm -rf .terraform && terraform init",
		"rm -f .terraform.lock.hcl; terraform init -upgrade",
	})
	hookRefused(t, []h32Case{
		{cmd: "rm -rf .terraform && echo 'terraform {}' > x.tf && terraform init"},
		{cmd: "rm -rf .terraform && cp ../x main.json && terraform init"},
		{cmd: "rm -rf .terraform/../x && terraform init"},
	})
}
