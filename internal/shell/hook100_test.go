package shell

import "testing"

// Review hook100 (on 6a24302): git stash -- PATH read as a stash
// subcommand (H1); git stage, git's other name for add (H2); git add -i
// choosing untracked files from its input (H3); a commit of what the line
// staged, then a revert, rebase, checkout or switch that removes it (H4,
// M1); make reading NAME=VALUE after -- (H5). The index found through an
// empty .git directory (M2) is tested by the hook command
// (planguard/hook100_test.go). False refusal fixed: git add -u && git
// stash (-u stages tracked files alone).
var h100Refused = []h32Case{
	// H1
	{cmd: "git add -A && git stash -q -- .", setup: h98Plain, victim: "statefile"},
	{cmd: "git stash -u -- ."},
	// H2
	{cmd: "git stage -A && git stash -q", setup: h98Plain, victim: "statefile"},
	{cmd: "git stage -f terraform.tfstate"},
	// H3
	{cmd: "printf 'a\\n*\\n\\nq\\n' | git add -i && git stash -q", setup: h98Plain, victim: "statefile"},
	// H4, M1
	{cmd: "git add -A && git commit -qm wip && git revert --no-edit HEAD", setup: h98Plain, victim: "statefile"},
	{cmd: "git add -A && git commit -qm wip && git rebase -q --onto HEAD~1 HEAD", setup: h98Plain, victim: "statefile"},
	{cmd: "git add -A && git commit -qm wip && git checkout -q HEAD~1", setup: h98Plain, victim: "statefile"},
	{cmd: "git add -A && git commit -qm wip && git switch -q --detach HEAD~1", setup: h98Plain, victim: "statefile"},
	{cmd: "git add . && git pull --rebase"},
	// H5
	{cmd: "touch x.c; make -- 'CC=terraform destroy -auto-approve #' x.o", needs: "make", victim: "state"},
}

var h100Allowed = []string{
	"git add -u && git stash",
	"git add -A && git commit -m wip",
	"git checkout main",
	"git checkout -- main.tf",
	"git pull",
	"git stash -- src",
	"git stash list",
	"make -- all",
	"make -j4 -- test",
}

func TestHook100Refused(t *testing.T) {
	hookRefused(t, h100Refused)
}

func TestHook100Allowed(t *testing.T) {
	hookAllowed(t, h100Allowed)
}

// TestHook100BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns); make where it is
// installed.
func TestHook100BashRuns(t *testing.T) {
	hookBashRuns(t, h100Refused, bashRuns{gitRepo: true, line: h37Line})
}
