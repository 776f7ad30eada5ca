package shell

import "testing"

// Review hook89 (on 294e6e3): variables set by arithmetic (((IFS=0)), let,
// $((…)), a subscript) or by a {NAME}> redirection were no setters for the
// hook: IFS set to digits split `$X` where the hook did not (H1); HOME or
// GIT_CONFIG_GLOBAL set so made git read a configuration the line wrote
// (H2); BASH_ENV alike (L1); a mktemp variable assigned again (L3).
// False refusals fixed: `date +%s` in arithmetic, a count from a pipeline
// into wc.

var h89Refused = []h32Case{
	// H1
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; ((IFS=0)); $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; let IFS=0; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; : $((IFS=0)); $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; a[IFS=0]=1; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; echo ${a[IFS=0]}; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; echo ${X:IFS=0}; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; for ((IFS=0;0;)); do :; done; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; command let IFS=0; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; builtin let IFS=0; $X", victim: "state"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; ((IFS[0]=0)); $X"},
	{cmd: "X=@TF@0destroy0-auto-approve0-input=false; ((IFS++)); $X"},
	{cmd: "trap '((IFS=0))' DEBUG; X=@TF@0destroy0-auto-approve0-input=false; $X", victim: "state"},
	{cmd: ": {IFS}>/dev/null; X=@TF@1destroy1-auto-approve1-input=false; $X", victim: "state"},
	{cmd: "exec {IFS}>/dev/null; X=@TF@1destroy1-auto-approve1-input=false; $X", victim: "state"},
	// L1 and L3
	{cmd: "echo '@TF@ destroy -auto-approve -input=false' > 0; export BASH_ENV; ((BASH_ENV=0)); bash -c :", victim: "state"},
	{cmd: "tmp=$(mktemp -d); ((tmp=0)); rm -rf \"$tmp\""},
	{cmd: "tmp=$(mktemp -d); : {tmp}>/dev/null; rm -rf \"$tmp\""},
	{cmd: "c=IFS=0; let $c"},
}

// h89Git: git reads a configuration the line wrote, under HOME or
// GIT_CONFIG_GLOBAL set by arithmetic (H2); core.fsmonitor runs from the
// work tree's top, the world's root, and reads relative names from there.
var h89Git = []h32Case{
	{cmd: "mkdir -p ../0 && printf '[core]\\n\\tfsmonitor = \"cd tf; @TF@ destroy -auto-approve -input=false; false\"\\n' > ../0/.gitconfig; set -a; ((HOME=0)); git status", setup: h72Repo, victim: "state"},
	{cmd: "printf '[core]\\n\\tfsmonitor = \"cd tf; @TF@ destroy -auto-approve -input=false; false\"\\n' > ../0; set -a; ((GIT_CONFIG_GLOBAL=0)); git status", setup: h72Repo, victim: "state"},
	{cmd: "printf '[core]\\n\\tfsmonitor = \"cd tf; @TF@ destroy -auto-approve -input=false; false\"\\n' > ../0; ((GIT_CONFIG_GLOBAL=0)); export GIT_CONFIG_GLOBAL; git status", setup: h72Repo, victim: "state"},
	{cmd: "export XDG_CONFIG_HOME; : $((XDG_CONFIG_HOME=0)); git status"},
	{cmd: "set -a; ((GIT_CONFIG_COUNT=1)); git status"},
}

var h89Allowed = []string{
	"start=$(date +%s); go build ./...; end=$(date +%s); echo \"took $((end-start))s\"",
	"start=$(date +%s); sleep 1; echo $(( $(date +%s) - start ))",
	"n=$(git status --porcelain | wc -l); (( n == 0 )) && echo clean",
	"(( $(git status --porcelain | wc -l) == 0 )) && echo clean",
	"i=0; for f in a b; do echo \"$i $f\"; ((i++)); done",
	"n=0; while read -r l; do n=$((n+1)); done < notes.txt; echo $n",
	"for ((i=0; i<3; i++)); do echo $i; done",
	"count=0; for f in *.go; do ((count+=1)); done; echo \"$count files\"",
	"let n=5; echo $n",
	"exec {fd}>/tmp/lock; flock $fd; echo locked",
	"tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; cp notes.txt \"$tmp/\"",
}

func TestHook89Refused(t *testing.T) {
	hookRefused(t, h89Refused)
	hookRefused(t, h89Git)
}

func TestHook89Allowed(t *testing.T) {
	hookAllowed(t, h89Allowed)
}

// TestHook89BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns); the git ones in a repository.
func TestHook89BashRuns(t *testing.T) {
	hookBashRuns(t, h89Refused, bashRuns{line: h37Line})
	hookBashRuns(t, h89Git, bashRuns{gitRepo: true, line: h37Line})
}

// TestHook89Unrolled: a loop over words the line spells out is judged
// unrolled (review hook89 false refusal 3): its harmless forms pass, and
// the unrolled line is refused where one of its values is.
func TestHook89Unrolled(t *testing.T) {
	hookAllowed(t, []string{
		"for t in a b; do go test -run \"Test$t\" ./...; done",
		"for pkg in ./internal/shell ./planguard; do go vet \"$pkg\"; done",
		"for f in a b c; do touch \"$f.txt\"; done",
		"for f in a b c; do rm -f \"${f}.log\"; done",
		"for n in 1 2 3; do echo \"run $n\" >> out.txt; done > /dev/null",
	})
	hookRefused(t, []h32Case{
		{cmd: "for f in a ../planguard; do cp e.json \"$f.hcl\"; done"},
		{cmd: "for f in notes ../planguard; do touch \"$f.hcl\"; done"},
		{cmd: "for p in echo @TF@; do $p destroy -auto-approve; done"},
		{cmd: "for d in x ..; do rm -rf \"$d/planguard.hcl\"; done"},
		{cmd: "for t in echo @TF@; do export t; bash -c '$t destroy -auto-approve'; done"},
		{cmd: "for f in a b; do cp e.json \"$f\"; ln -s ../planguard.hcl a; done"},
		{cmd: "for GIT_DIR in x ../y; do git status; done"},
		{cmd: "set -a; for GIT_DIR in x; do git status; done"},
		{cmd: "for p in echo terraform; do $p destroy; break; done"},
		{cmd: "for f in a b; do touch \"${f%x}.hcl\"; done; cp e.json \"$f\""},
	})
	hookRefused(t, h89UnrolledRuns)
}

// h89UnrolledRuns are refused unrolled, and destroy in bash.
var h89UnrolledRuns = []h32Case{
	{cmd: "for p in echo @TF@; do $p destroy -auto-approve -input=false; done", victim: "state"},
	{cmd: "IFS=%; for t in x @TF@%destroy; do $t -auto-approve -input=false; done", victim: "state"},
	{cmd: "declare I\"\"FS=%; for t in @TF@%destroy; do $t -auto-approve -input=false; done", victim: "state"},
	{cmd: "for d in . ..; do cd \"$d\"; done; rm -rf tf", victim: "statefile"},
	{cmd: "for ab in echo; do read a\"\"b <<< @TF@; $ab destroy -auto-approve -input=false; done", victim: "state"},
	{cmd: "n=a; for ab in echo; do printf -v \"${n}b\" @TF@; $ab destroy -auto-approve -input=false; done", victim: "state"},
	{cmd: "for _ in echo; do true @TF@; $_ destroy -auto-approve -input=false; done", victim: "state"},
	{cmd: "f() { a\\b=@TF@; }; for ab in echo; do f; $ab destroy -auto-approve -input=false; done"},
}

func TestHook89UnrolledBashRuns(t *testing.T) {
	hookBashRuns(t, h89UnrolledRuns, bashRuns{line: h37Line})
}
