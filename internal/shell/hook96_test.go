package shell

import "testing"

// Review hook96 (on 47a3219): git fetch --stdin with the pruning refspec on
// standard input (H1); --no-dry-run/--no-cached undoing the option that
// made a git command harmless (H2); merge/rebase/cherry-pick/revert --abort,
// which reset the work tree (H3); git restore --w, a one-letter
// abbreviation (H4); shmemrun, Open MPI's other name (H5); MPICH -gwdir,
// firejail --private-cwd, schroot -d (M1). False refusal fixed: a push or
// fetch of a branch whose name holds "stash".

// h96Tracked: a repository that does not ignore the state, with it staged.
const h96Tracked = "git config user.email a@b.c; git config user.name a; git add main.tf ../planguard.hcl; git commit -qm init; git add ."

// h96Conflict: a merge stopped on a conflict, with the state (not
// ignored) staged since.
const h96Conflict = "git config user.email a@b.c; git config user.name a; printf 'a\\n' > ../m.txt; git add main.tf ../planguard.hcl ../m.txt; git commit -qm init; git checkout -qb other; printf 'b\\n' > ../m.txt; git commit -qam b; git checkout -q -; printf 'c\\n' > ../m.txt; git commit -qam c; git merge -q other; git add terraform.tfstate"

var h96Refused = []h32Case{
	// H1
	{cmd: "git stash save wip && printf 'refs/none/*:refs/st*\\n' | git fetch -q --stdin -p . && git gc -q --prune=now", setup: h96Tracked, victim: "statefile"},
	{cmd: "echo x | git pull --stdin ."},
	// H2
	{cmd: "git clean -n --no-dry-run -fdx .", setup: h72Repo, victim: "statefile"},
	{cmd: "git clean -n --no-d -fx ."},
	{cmd: "git rm --cached --no-cached -rf ."},
	// H3
	{cmd: "git merge --abort && git gc -q --prune=now", setup: h96Conflict, victim: "statefile"},
	{cmd: "git rebase --abort"},
	{cmd: "git cherry-pick --abo"},
	{cmd: "git revert --skip"},
	{cmd: "git am --abort"},
	// H4
	{cmd: "git restore -S --w .", setup: h96Tracked, victim: "statefile"},
	// M1
	{cmd: "mpiexec -gwdir sub rm -rf ../tf"},
	{cmd: "firejail --private-cwd=/tmp rm -rf work/tf"},
	{cmd: "schroot -d /tmp -- rm -rf work/tf"},
}

var h96Wrappers = []h32Case{
	{cmd: "mkdir -p sub && shmemrun --allow-run-as-root --oversubscribe -np 1 -wd sub rm -rf ../../tf", needs: "shmemrun", victim: "statefile"},
	{cmd: "mkdir -p sub && env --chdir=sub rm -rf ../../tf", victim: "statefile"},
}

var h96Allowed = []string{
	"git push -u origin feature/stash-cleanup",
	"git fetch origin stash-fix",
	"git pull origin fix-stash",
	"git restore --staged .",
	"git clean -n",
	"git clean -n --no-quiet",
	"git rm --cached secrets.txt",
	"git merge feature",
	"git rebase main",
	"git cherry-pick abc123",
}

func TestHook96Refused(t *testing.T) {
	hookRefused(t, h96Refused)
}

func TestHook96Allowed(t *testing.T) {
	hookAllowed(t, h96Allowed)
}

// TestHook96BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns); shmemrun where Open
// MPI is installed.
func TestHook96BashRuns(t *testing.T) {
	hookBashRuns(t, h96Refused, bashRuns{gitRepo: true, line: h37Line})
	hookBashRuns(t, h96Wrappers, bashRuns{line: h37Line})
}
