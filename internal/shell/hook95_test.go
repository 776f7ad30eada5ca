package shell

import "testing"

// Review hook95 (on 47a3219): assignments bash never makes read as made —
// declarations that fail (local outside a function, an option bash does
// not take, a redirection that fails, a group whose redirection fails: H1),
// assignments in eval, trap or alias text (H2), and declarations behind
// builtin or command in code that may not run (H3). $BASH, which bash sets
// to its own path, then ran what the hook read as echo.

var h95Refused = []h32Case{
	// H1
	{cmd: "local BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "builtin local BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "declare -Z BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "declare BASH=echo 9<&8; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "declare BASH=echo >/nonexistent/f; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "{ BASH=echo; } </nonexistent/f; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	// H2
	{cmd: "eval 'false && BASH=echo'; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "trap 'BASH=echo' EXIT; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "alias f='BASH=echo'; f; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	// H3
	{cmd: "false && builtin declare BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "false && command export BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "false && command declare BASH=echo; $BASH -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
}

var h95Allowed = []string{
	"declare -x X=1; echo $X",
	"f() { local x=1; echo \"$x\"; }; f",
	"export PATH=/usr/bin:$PATH; ls",
	"X=1; export X; echo $X",
	": \"${PORT:=8080}\"; echo $PORT",
	"[ -f .env ] && source .env; echo ok",
}

func TestHook95Refused(t *testing.T) {
	hookRefused(t, h95Refused)
}

func TestHook95Allowed(t *testing.T) {
	hookAllowed(t, h95Allowed)
}

// TestHook95BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook95BashRuns(t *testing.T) {
	hookBashRuns(t, h95Refused, bashRuns{line: h37Line})
}
