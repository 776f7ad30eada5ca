package shell

import "testing"

// Review hook98 (on e6868a4): git add staging a state the line un-ignored
// (or a repository never ignored), then git stash taking it out of the
// working tree (H1; the index an earlier call staged is read by the hook
// command: planguard/hook98_test.go); cpio's pass-through mode copying
// names from standard input over the policy or the state (M1, M2); git
// switch --orphan emptying the working tree (M3); terraform logout and
// providers mirror writing under ~/.terraform.d or a protected directory
// (M4).

// h98Plain: a repository that does not ignore the state, with the
// configuration committed.
const h98Plain = "git config user.email a@b.c; git config user.name a; git add main.tf ../planguard.hcl; git commit -qm init"

var h98Refused = []h32Case{
	// H1
	{cmd: "echo '!terraform.tfstate' > .gitignore && git add . && git stash -q", setup: h72Repo, victim: "statefile"},
	{cmd: "git add -A && git stash -q", setup: h98Plain, victim: "statefile"},
	{cmd: "git add . && git stash push -q", setup: h98Plain, victim: "statefile"},
	{cmd: "git add --al && git stash save wip", setup: h98Plain, victim: "statefile"},
	{cmd: "git add terraform.tfstate && git stash -q", setup: h98Plain, victim: "statefile"},
	{cmd: "for i in 1 2; do git stash -q; git add .; done", setup: h98Plain, victim: "statefile"},
	{cmd: "git add '*.tfstate' && git stash"},
	{cmd: "git add . && bash -c 'git stash -q'"},
	// M1, M2
	{cmd: "cd ../ev && cpio -pdu ROOT/tf <<< terraform.tfstate", setup: "mkdir -p ../ev && echo x > ../ev/terraform.tfstate", needs: "cpio", victim: "statefile"},
	{cmd: "cd /tmp/evil98 && cpio -pdu ROOT <<< planguard.hcl"},
	{cmd: "echo planguard.hcl | cpio --pass-through -d .."},
	{cmd: "cpio --pass /tmp/x < list"},
	// M3
	{cmd: "git switch -q --orphan fresh"},
	{cmd: "git switch --orp fresh"},
	// M4
	{cmd: "terraform logout"},
	{cmd: "tofu login example.com"},
	{cmd: "terraform providers mirror ~/.terraform.d/plugins"},
	{cmd: "terraform providers mirror .."},
	{cmd: "terraform providers mirror \"$D\""},
}

var h98Allowed = []string{
	"git add main.tf && git stash",
	"git add -A",
	"git stash",
	"git stash pop",
	"git stash push -- src",
	"git add . && git commit -m wip",
	"git switch main",
	"git switch -c feature",
	"cpio -t < a.cpio",
	"terraform providers mirror /tmp/mirror",
	"terraform providers mirror -platform=linux_amd64 ./mirror",
	"terraform providers",
}

func TestHook98Refused(t *testing.T) {
	hookRefused(t, h98Refused)
}

func TestHook98Allowed(t *testing.T) {
	hookAllowed(t, h98Allowed)
}

// TestHook98BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns); cpio where it is
// installed.
func TestHook98BashRuns(t *testing.T) {
	hookBashRuns(t, h98Refused, bashRuns{gitRepo: true, line: h37Line})
}
