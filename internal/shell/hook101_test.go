package shell

import "testing"

// Review hook101 (on 6a24302): coproc NAME, which makes NAME bash's own
// (H1); the variables bash sets as the line runs, or keeps from being
// assigned, taken for the value the line gave them ($_ after each command,
// OLDPWD and PWD on cd, BASH_REMATCH on =~, FUNCNAME, BASH_SOURCE: H2-H5).
var h101Refused = []h32Case{
	// H1
	{cmd: `x=x; coproc x { :; }; sleep 1; cp /dev/null "terraform.tfstate$x"`, victim: "statefile"},
	{cmd: `COPROC=x; coproc { :; }; wait; cp /dev/null "terraform.tfstate$COPROC"`, victim: "statefile"},
	// H2-H5
	{cmd: `echo evil > e.txt; _=/tmp/x; echo ../planguard.hcl; cp e.txt "$_"`, victim: "policy"},
	{cmd: `_=x; cp /dev/null "terraform.tfstate$_"`, victim: "statefile"},
	{cmd: `echo evil > e.txt; OLDPWD=/tmp/x; cd ..; cd tf; cp e.txt "$OLDPWD/planguard.hcl"`, victim: "policy"},
	{cmd: `BASH_REMATCH=x; [[ a =~ b ]]; cp /dev/null "terraform.tfstate$BASH_REMATCH"`, victim: "statefile"},
	{cmd: `FUNCNAME=x; cp /dev/null "terraform.tfstate$FUNCNAME"`, victim: "statefile"},
	{cmd: `BASH_SOURCE=x; cp /dev/null "terraform.tfstate$BASH_SOURCE"`, victim: "statefile"},
	{cmd: `PWD=/tmp/x; cd ..; cp /dev/null "$PWD/tf/terraform.tfstate"`, victim: "statefile"},
}

var h101Allowed = []string{
	"SECONDS=0; sleep 0; echo $SECONDS",
	"OPTIND=1; getopts ab opt",
	`cp main.tf "$PWD/backup.tf"`,
}

func TestHook101Refused(t *testing.T) {
	hookRefused(t, h101Refused)
}

func TestHook101Allowed(t *testing.T) {
	hookAllowed(t, h101Allowed)
}

// TestHook101BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns).
func TestHook101BashRuns(t *testing.T) {
	hookBashRuns(t, h101Refused, bashRuns{line: h37Line})
}
