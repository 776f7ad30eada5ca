package shell

import "testing"

// Found while fixing review hook81 H1 (a value a command's own assignment
// gives reaches what it runs): a function or loop body that reads a
// variable the line had not set yet was judged with the environment's
// value, and ran with the one the line gives it later.

var h81bRefused = []h32Case{
	{cmd: "f() { $X; }; X='@TF@ destroy -auto-approve -input=false'; f", victim: "state"},
	{cmd: "f() { $X; }; X='@TF@ destroy -auto-approve -input=false' f", victim: "state"},
	{cmd: "for i in 1 2; do $X; X='@TF@ destroy -auto-approve -input=false'; done", victim: "state"},
	{cmd: "f() { ${X:-true}; }\nX='@TF@ destroy -auto-approve -input=false'\nf", victim: "state"},
	{cmd: "trap '$X' EXIT; X='@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "while [ -z \"$done\" ]; do $X; X='terraform destroy -auto-approve'; [ -n \"$n\" ] && done=1; n=1; done"},
	{cmd: "for i in 1 2; do Y=\"$X\"; $Y; X='terraform destroy -auto-approve'; done"},
	{cmd: "for i in 1 2; do Y=$X; $Y -auto-approve; X='terraform destroy'; done"},
}

var h81bAllowed = []string{
	"f() { echo \"$HOME\"; }; f",
	"for f in *.tf; do echo \"$f\"; done",
	"i=0; while [ $i -lt 3 ]; do i=$((i+1)); done",
	"while read -r l; do echo \"$l\"; done < notes.txt",
	"f() { echo \"$1\"; }; f a; f b",
	"for d in */; do if [ -f \"$d/main.tf\" ]; then found=\"$found $d\"; fi; done; echo \"$found\"",
	"for f in *.log; do total=\"$total$f,\"; done; echo \"$total\"",
}

func TestHook81bRefused(t *testing.T) {
	hookRefused(t, h81bRefused)
}

func TestHook81bAllowed(t *testing.T) {
	hookAllowed(t, h81bAllowed)
}

// TestHook81bBashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook81bBashRuns(t *testing.T) {
	hookBashRuns(t, h81bRefused, bashRuns{line: h37Line})
}
