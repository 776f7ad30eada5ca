package shell

import "testing"

// Review hook91 (on aea7005): a quoted declaration word's subscript was
// cut at its first = ('a[x=$(…)]=1' was read as the subscript x), so the
// command substitution bash evaluates there ran (H1), and IFS, HOME or
// GIT_CONFIG_GLOBAL assigned there went unseen (H2, H3). False refusals
// fixed: make -j$(nproc); a loop over numbers into go test -run (unroll.go).

var h91Refused = []h32Case{
	// H1
	{cmd: "declare 'a[x=$(@TF@ destroy -auto-approve -input=false)]=1'", victim: "state"},
	{cmd: "declare 'a[x=`@TF@ destroy -auto-approve -input=false`]=1'", victim: "state"},
	{cmd: "f() { local 'a[x=$(@TF@ destroy -auto-approve -input=false)]=1'; }; f", victim: "state"},
	{cmd: "declare 'a[x=y[$(@TF@ destroy -auto-approve -input=false)]]=1'", victim: "state"},
	{cmd: "typeset -g 'a[x=$(id)]=1'"},
	// H2
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; declare 'a[IFS=0]=1'; $X", victim: "state"},
	{cmd: "f() { local 'a[IFS=0]=1'; }; X=@TF@0destroy0-auto-approve0-input=false; f; $X", victim: "state"},
	// L1
	{cmd: "declare 'a[POSIXLY_CORRECT=1]=1'"},
}

var h91Git = []h32Case{
	// H3
	{cmd: "printf '[core]\\n\\tfsmonitor = \"cd tf; @TF@ destroy -auto-approve -input=false; false\"\\n' > ../0; declare 'a[GIT_CONFIG_GLOBAL=0]=1'; export GIT_CONFIG_GLOBAL; git status", setup: h72Repo, victim: "state"},
	{cmd: "mkdir -p ../0 && printf '[core]\\n\\tfsmonitor = \"cd tf; @TF@ destroy -auto-approve -input=false; false\"\\n' > ../0/.gitconfig; set -a; declare 'a[HOME=0]=1'; git status", setup: h72Repo, victim: "state"},
}

var h91Allowed = []string{
	"declare -a xs; xs[0]=1; declare 'xs[1]=two'",
	"declare 'a[1]=x=y'",
	"local_fn() { local 'n[0]=1'; }; local_fn",
	"make -j$(nproc) build",
	"make -j\"$(nproc)\" test",
	"jobs=$(nproc); make -j\"$jobs\" build",
	"make --jobs=$(nproc)",
	"for i in 1 2 3; do go test ./... -run \"Test$i\"; done",
}

func TestHook91Refused(t *testing.T) {
	hookRefused(t, h91Refused)
	hookRefused(t, h91Git)
	hookRefused(t, []h32Case{{cmd: "make -j$(cat f)"}, {cmd: "nproc() { echo --eval=x; }; make -j$(nproc)"}, {cmd: "make -j$X"}})
}

func TestHook91Allowed(t *testing.T) {
	hookAllowed(t, h91Allowed)
}

// TestHook91BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns); the git ones in a repository.
func TestHook91BashRuns(t *testing.T) {
	hookBashRuns(t, h91Refused, bashRuns{line: h37Line})
	hookBashRuns(t, h91Git, bashRuns{gitRepo: true, line: h37Line})
}
