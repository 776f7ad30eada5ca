package shell

import "testing"

// Review hook77 (on c723823): parallel's replacement strings inside quotes
// for values the hook cannot see (H1), -I strings (H2) and options the hook
// does not know (H3: --ssh takes a value); -oo A B (H4); a script reached
// through /proc/self/root or /proc/self/cwd (H5); a quoted or escaped ] in
// a subscript (H6); glob ranges with an end beyond ASCII, which bash orders
// by the locale's collation (H7).

var h77Refused = []h32Case{
	// H1
	{cmd: "echo 'x $(@TF@ destroy -auto-approve -input=false) y' | parallel echo \"'{}'\"", needs: "parallel", victim: "state"},
	{cmd: "parallel echo \"'{}'\" :::: /tmp/values"},
	{cmd: "parallel -a /tmp/values echo \"'{}'\""},
	// H2
	{cmd: "parallel -I XX echo \"'XX'\" ::: 'x $(terraform destroy -auto-approve) y'"},
	{cmd: "parallel --rpl '{x} s/a/b/' echo {x} ::: 1"},
	// H3
	{cmd: "parallel -N0 --ssh echo @TF@ destroy -auto-approve -input=false ::: 1", needs: "parallel", victim: "state"},
	{cmd: "parallel --arg-sep , echo , 1"},
	{cmd: "parallel -q --ssh echo terraform destroy -auto-approve ::: 1"},
	// H4
	{cmd: "bash -oo errexit pipefail -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "sh -oo errexit nounset -c 'terraform destroy -auto-approve'"},
	{cmd: "bash -Oo extglob pipefail -c 'terraform destroy -auto-approve'"},
	// H5
	{cmd: "bash /proc/self/root/dev/stdin <<'EOF'\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "source /proc/self/root/dev/stdin <<'EOF'\nterraform destroy -auto-approve\nEOF"},
	{cmd: "cd /dev && bash /proc/self/cwd/stdin <<'EOF'\nterraform destroy -auto-approve\nEOF"},
	// H6
	{cmd: "printf -v 'a[ \"]\" + $(@TF@ destroy -auto-approve -input=false)0 ]' 1", victim: "state"},
	{cmd: "read 'a[\"]\"+$(terraform destroy -auto-approve)0]' <<< 1"},
	{cmd: "test -v 'a[\\]$(terraform destroy)]'"},
	// H7
	{cmd: "rm terraform.tfstat[Ā-z]"},
	{cmd: "LC_ALL=C.UTF-8 cp ../e.json terraform.tfstat[Ä-z]"},
}

var h77Allowed = []string{
	"parallel echo {} ::: a b",
	"parallel -j2 -k gzip -k ::: a.log b.log",
	"parallel -q echo \"'{}'\" ::: 1",
	"bash -o pipefail -c 'echo hi'",
	"bash -e -o pipefail -c 'echo hi'",
	"rm -f build/[a-z]*.o",
	"x='[info] $(date)'",
}

func TestHook77Refused(t *testing.T) {
	hookRefused(t, h77Refused)
}

func TestHook77Allowed(t *testing.T) {
	hookAllowed(t, h77Allowed)
}

// TestHook77BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook77BashRuns(t *testing.T) {
	hookBashRuns(t, h77Refused, bashRuns{line: h37Line})
}
