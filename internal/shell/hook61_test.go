package shell

import "testing"

// Review hook61: the placeholder filling took its words with their quotes
// (terra"form" gave terra and form, never terraform: H1); commands git,
// watch, flock and script run with /bin/sh were judged only as bash reads
// them (dash has no $'…': H2, H3, M1).

var h61Refused = []h32Case{
	// H1
	{cmd: "ssh -o 'ProxyCommand=%h destroy -auto-approve -input=false' terra\"form\"", needs: "ssh", victim: "state"},
	{cmd: "ssh -o 'ProxyCommand=%h destroy -auto-approve' terra$'f'orm"},
	{cmd: "ssh -o 'ProxyCommand=%h destroy -auto-approve' -- terra''form"},
	{cmd: "LESSOPEN='terra%s destroy -auto-approve -input=false >/dev/null' less fo\"rm\"", needs: "less", victim: "state"},
	// H2, H3, M1
	{cmd: "git rebase --exec \"echo $'\\\\' ; terraform destroy -auto-approve #'\" --root"},
	{cmd: "git ls-remote --upload-pack=\"echo $'\\\\' ; terraform destroy -auto-approve #'\" ."},
	{cmd: "timeout 30 watch -n1 \"echo $'\\\\' ; terraform destroy -auto-approve #'\""},
	{cmd: "flock /tmp/l -c \"echo $'\\\\' ; terraform destroy -auto-approve #'\""},
	{cmd: "script -qc \"echo $'\\\\' ; terraform destroy -auto-approve #'\" /dev/null"},
}

var h61Allowed = []string{
	"ssh -o 'ProxyCommand=nc %h %p' \"db.internal\"",
	"git rebase --exec 'make test' main",
	"watch -n 5 'kubectl get pods'",
	"flock /tmp/l -c 'make build'",
}

func TestHook61Refused(t *testing.T) {
	hookRefused(t, h61Refused)
}

func TestHook61Allowed(t *testing.T) {
	hookAllowed(t, h61Allowed)
}

// TestHook61BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook61BashRuns(t *testing.T) {
	hookBashRuns(t, h61Refused, bashRuns{line: h37Line})
}
