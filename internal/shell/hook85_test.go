package shell

import "testing"

// Review hook85 (on b0a35de): deferred code reading a variable the line
// sets later got through when the last value was a number (H1; deferred
// code now reads any name the line's text may set as computed by the
// line); a quoted array element set by printf -v, read or declare
// ('X[0]') left X's old value (H2); a wrapper's directory letter inside a
// short cluster (unshare -fw DIR: H3). False refusals fixed: deferred code
// echoing a variable set later; a trap removing a mktemp directory.

var h85Refused = []h32Case{
	{cmd: "f(){ $X; }; X='@TF@ destroy -auto-approve -input=false'; f; X=$((1))", victim: "state"},
	{cmd: "for i in 1 2; do $X; X='@TF@ destroy -auto-approve -input=false'; done; X=$((1))", victim: "state"},
	{cmd: "trap '$X' DEBUG; X='@TF@ destroy -auto-approve -input=false'; X=$((1))", victim: "state"},
	{cmd: "X=echo; printf -v 'X[0]' @TF@; $X destroy -auto-approve -input=false", victim: "state"},
	{cmd: "read 'X[0]' <<< '@TF@ destroy -auto-approve -input=false'; $X", victim: "state"},
	{cmd: "declare \"X[0]=@TF@ destroy -auto-approve -input=false\"; $X", victim: "state"},
	{cmd: "F=notes.txt; declare 'F[0]=terraform.tfstate'; rm -f \"$F\"", victim: "statefile"},
	{cmd: "X=echo; printf -v'X[0]' terraform; $X destroy"},
	{cmd: "X=echo; local 'X[0]=terraform'; $X destroy"},
	{cmd: "mkdir -p ../envs && unshare -fw .. rm -rf tf", needs: "unshare", victim: "statefile"},
	{cmd: "unshare -fwenvs rm -rf prod"},
	{cmd: "start-stop-daemon -Sd .. -x /bin/rm -- -rf tf", needs: "start-stop-daemon", victim: "statefile"},
	{cmd: "unshare -R / rm -rf tmp/x/envs/prod"},
	{cmd: "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"/..' EXIT"},
	{cmd: "trap 'rm -rf \"$tmp\"' EXIT; tmp=$(mktemp -d)"},
	{cmd: "tmp=$(mktemp -d); trap 'bash -c \"rm -rf \\\"\\$tmp\\\"\"' EXIT"},
	{cmd: "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; tmp=."},
}

var h85Allowed = []string{
	"f(){ echo \"$msg\"; }; msg=hello; f",
	"for i in 1 2 3; do echo \"$prev -> $i\"; prev=$i; done",
	"tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; cp main.tf \"$tmp\"/",
	"f(){ $EDITOR \"$1\"; }; f main.tf",
	"printf -v out '%s-%s' a b; echo \"$out\"",
}

func TestHook85Refused(t *testing.T) {
	hookRefused(t, h85Refused)
}

func TestHook85Allowed(t *testing.T) {
	hookAllowed(t, h85Allowed)
}

// TestHook85BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook85BashRuns(t *testing.T) {
	hookBashRuns(t, h85Refused, bashRuns{line: h37Line})
}
