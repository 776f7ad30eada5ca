package shell

import "testing"

// Review hook93 (on eecba60), on the unrolled loops (unroll.go): the loop's
// variable, which bash leaves set after the loop, read by a name the line
// never spells whole (eval "\$${x}q": H1); break and continue spelled with
// quotes or backslashes, or run from a computed command name (L1); a crash
// on an assignment in a substring length (${x:1:IFS=0}: L2).

var h93Refused = []h32Case{
	// H1
	{cmd: "IFS=% && x=p && for pq in @TF@%destroy; do echo \"$pq\"; done && eval \"\\$${x}q -auto-approve -input=false\"", victim: "state"},
	{cmd: "IFS=% && x=p && for pq in @TF@%destroy; do echo \"$pq\"; done && trap \"\\$${x}q -auto-approve -input=false\" EXIT", victim: "state"},
	// L1
	{cmd: "for f in a b; do [ $f = b ] && X=echo; [ $f = a ] && b\"\"reak; done; $X destroy -auto-approve"},
	{cmd: "for f in a b; do [ $f = b ] && X=echo; [ $f = a ] && \\break; done; $X destroy -auto-approve"},
	{cmd: "k=break; for f in a b; do [ $f = b ] && X=echo; $k; done; $X destroy -auto-approve"},
	// L2: judged, not a crash
	{cmd: "x=abc; echo ${x:1:IFS=0}"},
}

func TestHook93Refused(t *testing.T) {
	hookRefused(t, h93Refused)
}

func TestHook93Allowed(t *testing.T) {
	hookAllowed(t, []string{
		"s=abcdef; i=1; echo ${s:1:i++}",
		"for t in a b; do go test -run \"Test$t\" ./...; done; echo ok",
	})
}

// TestHook93BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook93BashRuns(t *testing.T) {
	hookBashRuns(t, h93Refused, bashRuns{line: h37Line})
}
