package shell

import "testing"

// Review hook97 (on e6868a4): a loop unrolled although its body runs a
// continue the hook could not see — through eval, builtin or command with
// an escaped or joined word (H1-H5): the assignment after it then counted
// as made, and a protected name written as NAME$f read as NAMEx; a
// command_not_found_handle standing in for a missing nproc, whose output
// the hook read as a number (M1); and $(wc -l) relied on under a PATH the
// line sets (L1).
var h97Refused = []h32Case{
	// H1-H5
	{cmd: `for t in a; do eval $'\x63ontinue'; f=x; done; echo pwned >> ".envrc$f"`},
	{cmd: `for t in a; do eval $'\x63ontinue'; f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `c=ontinue; for t in a; do eval c$c; f=x; done; rm -f "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `for t in a; do command $'\x63ontinue'; f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `for t in a; do builtin $'\x63ontinue'; declare f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `for t in a b; do eval $'\x62reak'; f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `for t in a; do \eval $'\143ontinue'; f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	// A glob or a brace form that names continue where a file of that
	// name exists.
	{cmd: `touch continue; for t in a; do continu? 1; f=x; done; : > "terraform.tfstate$f"`, victim: "statefile"},
	{cmd: `for t in a; do mapfile -C $'\x63ontinue' -c 1 <<< x; f=x; done; : > "terraform.tfstate$f"`},
	// M1
	{cmd: `command_not_found_handle() { echo 'a[$(@TF@ destroy -auto-approve)]'; }; n=$(nproc); echo $((n))`},
	{cmd: `function command_not_found_handle { echo 1; }; n=$(wc -l <x); echo $((n))`},
	// L1
	{cmd: `PATH=/tmp/evil:$PATH; n=$(wc -l <x); echo $((n))`},
}

var h97Allowed = []string{
	"for t in unit e2e; do go test -run \"Test$t\" ./...; done",
	"for f in a b; do touch \"$f.txt\"; done",
	"n=$(nproc); make -j$n",
	"n=$(wc -l <main.tf); echo $((n + 1))",
	"git status; for p in a b; do echo \"$p\"; done",
}

func TestHook97Refused(t *testing.T) {
	hookRefused(t, h97Refused)
}

func TestHook97Allowed(t *testing.T) {
	hookAllowed(t, h97Allowed)
}

// TestHook97BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns). M1 needs a machine without nproc: the
// reviewer ran it with a PATH holding terraform alone (report hook97).
func TestHook97BashRuns(t *testing.T) {
	hookBashRuns(t, h97Refused, bashRuns{line: h37Line})
}
