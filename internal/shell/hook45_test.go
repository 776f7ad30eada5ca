package shell

import "testing"

// Review hook45 (issue 17, hook round 45): other names of judged programs
// (H1), /dev paths run as programs (H2), more copies of judged programs
// (M1), names split by always-empty expansions (L1).

var h45Refused = []h32Case{
	// H1
	{cmd: "editor -c '!@TF@ destroy -auto-approve -input=false' -c q x"},
	{cmd: "vim.basic -c '!terraform destroy' x"},
	{cmd: "sensible-editor -c '!terraform destroy' x"},
	{cmd: "pager --lesskey-src=k x"},
	{cmd: "slogin -o ProxyCommand='terraform destroy' h"},
	{cmd: "pdb3 -c 'import os' x.py"},
	{cmd: "sem --fg 'terraform destroy'"},
	// H2
	{cmd: "/dev//fd/3 -c '@TF@ destroy -auto-approve -input=false' 3</bin/bash", victim: "state"},
	{cmd: "/dev/./stdin -c 'terraform destroy' < /bin/bash"},
	{cmd: "cd /dev && ./stdin -c 'terraform destroy' < /bin/bash"},
	{cmd: "PATH=/dev stdin -c 'terraform destroy' < /bin/bash"},
	// M1
	{cmd: "tee ROOT/x < /usr/bin/git"},
	{cmd: "cd /usr/bin && cp git ROOT/x"},
	{cmd: "ln -sf \"$(printf %s /usr/bin/git)\" ROOT/x"},
	// L1
	{cmd: "r${FOO:+}m -rf ../tf", victim: "statefile"},
	{cmd: "g${FOO:+}i${FOO:+}t clean -f -d -x .."},
	{cmd: "rm${FOO:+} -rf ../tf"},
}

var h45Allowed = []string{
	"fd -e tf",
	"cp /dev/null dir/",
	"cat < notes.txt",
	"vim main.tf",
	"ssh host uptime",
	"echo ${FOO:+x}",
}

func TestHook45Refused(t *testing.T) {
	hookRefused(t, h45Refused)
}

func TestHook45Allowed(t *testing.T) {
	hookAllowed(t, h45Allowed)
}

// TestHook45BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook45BashRuns(t *testing.T) {
	hookBashRuns(t, h45Refused, bashRuns{line: h37Line})
}
