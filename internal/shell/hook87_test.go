package shell

import "testing"

// Review hook87 (on f42d45d): deferred code reading a variable the line
// sets under a name it does not spell whole (declare X""Y=…, printf -v
// "${n}Y": H1); read's option clusters (-raP: the array is P; -ar X: it is
// r: H2). False refusal fixed: bash's own reading of a trap's script did
// not know the line's mktemp directory.

var h87Refused = []h32Case{
	{cmd: "f() { $XY $ZW -auto-approve -input=false; }; declare X\"\"Y=@TF@ Z\"\"W=destroy; f", victim: "state"},
	{cmd: "trap '$XY $ZW -auto-approve -input=false' EXIT; printf -v X\"\"Y @TF@; printf -v Z\"\"W destroy", victim: "state"},
	{cmd: "for i in 1 2; do $XY $ZW -auto-approve -input=false; declare X\"\"Y=@TF@ Z\"\"W=destroy; done", victim: "state"},
	{cmd: "f() { $XY $ZW -auto-approve -input=false; }; eval X\"\"Y=@TF@ Z\"\"W=destroy; f", victim: "state"},
	{cmd: "f() { $XY $ZW -auto-approve -input=false; }; n=X; printf -v \"${n}Y\" @TF@; m=Z; printf -v \"${m}W\" destroy; f", victim: "state"},
	{cmd: "read -raP <<< \"@TF@ destroy -auto-approve -input=false\"; \"${P[@]}\"", victim: "state"},
	{cmd: "read -ar X <<< \"@TF@ destroy -auto-approve -input=false\"; \"${r[@]}\"", victim: "state"},
	{cmd: "f() { $XY; }; read X\"\"Y <<< 'terraform destroy'; f"},
	{cmd: "mapfile -t X\"\"Y < f; f() { \"${XY[@]}\"; }; f"},
}

var h87Allowed = []string{
	"read -ra parts <<< 'a b c'; echo \"${parts[@]}\"",
	"read -r line < notes.txt; echo \"$line\"",
	"while IFS= read -r l; do echo \"$l\"; done < notes.txt",
	"mapfile -t lines < notes.txt; echo \"${#lines[@]}\"",
	"tmp=$(mktemp -d); cleanup() { rm -rf \"$tmp\"; }; trap cleanup EXIT; echo x > \"$tmp/a\"",
}

func TestHook87Refused(t *testing.T) {
	hookRefused(t, h87Refused)
}

func TestHook87Allowed(t *testing.T) {
	hookAllowed(t, h87Allowed)
}

// TestHook87BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook87BashRuns(t *testing.T) {
	hookBashRuns(t, h87Refused, bashRuns{line: h37Line})
}
