package shell

import (
	"testing"
)

// Review hook41 (issue 17, hook round 41): ${ cmd; } (H1), exec -a
// (H2), wait -p (H3).

var h41Refused = []h32Case{
	// H1
	{cmd: "false && echo ${ : # }; @TF@ destroy -auto-approve -input=false; { :\n}", victim: "state"},
	{cmd: "echo ${| REPLY=x; }"},
	{cmd: "bash -c 'false && echo ${ : # }; terraform destroy -auto-approve; { :\n}'"},
	// H2
	{cmd: "exec -a git-clean git status -f -d -x ."},
	{cmd: "exec -a git-archive git status --remote=. --exec='terraform destroy -auto-approve'"},
	{cmd: "env -a git-clean git status -f -d -x ."},
	{cmd: "env --argv0=git-clean git status -f -d -x ."},
	// H3
	{cmd: "o=x; wait -p o; cat ../e.json > \"../planguard.hcl$o\"", victim: "policy"},
	{cmd: "o=x; wait -n -p o; iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$o\" ../e.json", victim: "policy"},
	{cmd: "p=@TF@; q=echo; wait -p q; $q$p destroy -auto-approve -input=false", victim: "state"},
}

var h41Allowed = []string{
	"sleep 1 & wait",
	"sleep 1 & wait -n",
	"echo $(date)",
	"exec ls",
}

func TestHook41Refused(t *testing.T) {
	hookRefused(t, h41Refused)
}

func TestHook41Allowed(t *testing.T) {
	hookAllowed(t, h41Allowed)
}

// TestHook41BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook41BashRuns(t *testing.T) {
	hookBashRuns(t, h41Refused, bashRuns{line: h37Line})
}
