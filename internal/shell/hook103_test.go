package shell

import "testing"

// Review hook103 (on 4338583): a relative link the line makes, then moves
// to another depth, where it leads elsewhere (H1; an existing link moved:
// planguard/hook103_test.go); a prefix assignment before declare -x,
// which bash keeps (H2); git bisect and filter-branch, which check out
// commits without the state the line committed (H3, H4).
var h103Refused = []h32Case{
	// H1
	{cmd: "mkdir -p x/y && ln -s ../../tf x/y/u && mv x/y/u x/u && rm -rf x/u/", victim: "statefile"},
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && mv x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && mv -T x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y/w && ln -s ../../planguard.hcl x/y/w/u && mv x/y/w z && echo evil > z/u", victim: "policy"},
	// H2
	{cmd: "X=echo; X=terraform declare -x X; $X destroy -auto-approve", victim: "state"},
	{cmd: "echo evil > e.txt; F=notes.txt; F=../planguard.hcl declare -x F; cp e.txt $F", victim: "policy"},
	{cmd: "X=echo; X=terraform builtin declare -x X; $X destroy -auto-approve"},
	{cmd: "X=echo; X=terraform typeset -r X; $X destroy -auto-approve"},
}

var h103Git = []h32Case{
	// H3, H4
	{cmd: "cd .. && git commit -q --allow-empty -m a && git add -A && git commit -qm s && git bisect start HEAD HEAD~2", setup: h98Plain, victim: "statefile"},
	{cmd: "cd .. && git add -A && git commit -qm s && git filter-branch -f --index-filter 'git rm -q --cached --ignore-unmatch -r .' HEAD",
		setup: "export FILTER_BRANCH_SQUELCH_WARNING=1; " + h98Plain, victim: "statefile"},
}

var h103Allowed = []string{
	"mv a.txt b.txt && echo hi > b.txt",
	"ln -s ../lib vendor && ls vendor/",
	"X=1 declare -x Y=2; echo ok",
	"git bisect log",
	"git bisect start HEAD HEAD~2",
}

func TestHook103Refused(t *testing.T) {
	hookRefused(t, h103Refused)
	hookRefused(t, h103Git)
}

func TestHook103Allowed(t *testing.T) {
	hookAllowed(t, h103Allowed)
}

// TestHook103BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns), the git ones in a git repository.
func TestHook103BashRuns(t *testing.T) {
	hookBashRuns(t, h103Refused, bashRuns{line: h37Line})
	hookBashRuns(t, h103Git, bashRuns{gitRepo: true, line: h37Line})
}
