package shell

import "testing"

// Review hook72 (on 30ca937): terraform workspace new -state=FILE with the
// workspace `..`, whose state is the default one (H1); a git-ignored state
// forced into the index, stashed and dropped (H2); git sparse-checkout
// removing the directories it leaves, ignored files included (H3); git
// worktree remove (M1); terraform -install-autocomplete writing ~/.bashrc
// (L1).

// h72Repo makes the world's repository an ordinary project's: the state
// ignored, everything else committed.
const h72Repo = "git config user.email a@b.c; git config user.name a; printf '*.tfstate\\n*.tfstate.*\\n.terraform/\\n' > ../.gitignore; git add -A ..; git commit -qm init"

var h72Refused = []h32Case{
	// H1
	{cmd: "@TF@ workspace new -state=../empty.json ..", victim: "state",
		setup: "printf '{\"version\":4,\"terraform_version\":\"1.8.5\",\"serial\":90,\"lineage\":\"x\",\"outputs\":{},\"resources\":[]}' > ../empty.json"},
	{cmd: "terraform workspace new -state /tmp/e1.json prod"},
	{cmd: "tofu workspace new .."},
	{cmd: "terraform workspace select ../x"},
	// H2
	{cmd: "git add -f -A && git stash -q && git stash drop -q && git gc -q --prune=now", setup: h72Repo, victim: "statefile"},
	{cmd: "git add -f ."},
	{cmd: "git add --force :/"},
	{cmd: "git stash clear"},
	{cmd: "git stash drop stash@{0}"},
	{cmd: "printf '100644 x\\ttf/terraform.tfstate\\n' | git update-index --index-info"},
	// H3
	{cmd: "cd .. && git sparse-checkout set nothing && git sparse-checkout disable", setup: h72Repo, victim: "statefile"},
	{cmd: "git -C .. sparse-checkout init --cone"},
	// M1
	{cmd: "git worktree remove .."},
	{cmd: "git worktree remove \"$W\""},
	// L1
	{cmd: "terraform -install-autocomplete"},
	{cmd: "tofu -uninstall-autocomplete"},
}

var h72Allowed = []string{
	"terraform workspace new staging",
	"terraform workspace select -or-create dev_2",
	"terraform workspace list",
	"git add -A",
	"git add src/main.go",
	"git stash",
	"git stash pop",
	"git sparse-checkout list",
	"git worktree add /tmp/wt main",
	"git worktree remove /tmp/wt",
}

func TestHook72Refused(t *testing.T) {
	hookRefused(t, h72Refused)
}

func TestHook72Allowed(t *testing.T) {
	hookAllowed(t, h72Allowed)
}

// TestHook72BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns).
func TestHook72BashRuns(t *testing.T) {
	hookBashRuns(t, h72Refused, bashRuns{gitRepo: true, line: h37Line})
}
