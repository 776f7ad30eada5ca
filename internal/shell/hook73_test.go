package shell

import "testing"

// Review hook73 (on 86b4e81): a single-quoted $(…) in an arithmetic word
// whose [ is outside the quotes (let a['$(…)']) runs once bash removes the
// quotes (H1); BASH_COMPAT below 5.2 makes bash evaluate arithmetic twice
// (H2).

var h73Refused = []h32Case{
	// H1
	{cmd: "terraform=0 destroy=0 auto=0 approve=0 input=0 false=0 a=0; let a['$(@TF@ destroy -auto-approve -input=false)']", victim: "state"},
	{cmd: "terraform=0 destroy=0 auto=0 approve=0 a=0; declare b[a['$(terraform destroy -auto-approve)']]=1"},
	{cmd: "a=0; (( a['`terraform destroy -auto-approve`'] ))"},
	// H2
	{cmd: "BASH_COMPAT=51; terraform=0 destroy=0 auto=0 approve=0 input=0 false=0 a=0; (( a['$(@TF@ destroy -auto-approve -input=false)'] ))", victim: "state"},
	{cmd: "export BASH_COMPAT=5.1; bash -c 'echo hi'"},
	{cmd: "BASH_COMPAT=44 bash -c 'echo hi'"},
	{cmd: "read BASH_COMPAT <<< 51"},
	{cmd: "env BASH_COMPAT=50 bash -c 'echo hi'"},
}

var h73Allowed = []string{
	"a=0; let 'a = a + 2'",
	"n=0; (( n = n + 1 ))",
	"BASH_COMPAT=52 bash -c 'echo hi'",
	"x=$(( 3 * 4 ))",
}

func TestHook73Refused(t *testing.T) {
	hookRefused(t, h73Refused)
}

func TestHook73Allowed(t *testing.T) {
	hookAllowed(t, h73Allowed)
}

// TestHook73BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook73BashRuns(t *testing.T) {
	hookBashRuns(t, h73Refused, bashRuns{line: h37Line})
}
