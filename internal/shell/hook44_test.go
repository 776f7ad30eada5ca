package shell

import (
	"testing"
)

// Review hook44 (issue 17, hook round 44): the shell reached through /proc
// other ways (H1), versioned interpreter launchers (H2), more copies and
// links of judged programs (M1), a computed program name's literal end
// (L1).

var h44Refused = []h32Case{
	// H1
	{cmd: "../../../../../../../../proc/self/exe -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "cd /proc && self/exe -c 'terraform destroy -auto-approve'"},
	{cmd: "/dev/fd/../exe -c 'terraform destroy -auto-approve'"},
	{cmd: "PATH=/proc/self exe -c 'terraform destroy -auto-approve'"},
	// H2
	{cmd: "perl5.36-x86_64-linux-gnu -e 'system(\"@TF@ destroy -auto-approve -input=false\")'", needs: "perl5.36-x86_64-linux-gnu", victim: "state"},
	{cmd: "ruby3.1-static -e 'x'"},
	// M1
	{cmd: "cp \"$(command -v git)\" ROOT/x"},
	{cmd: "ln -sf /usr/bin/gi[t] ROOT/x"},
	{cmd: "ln -sf /usr/lib/git-core/git-clean ROOT/x"},
	{cmd: "ln -sf /proc/self/exe ROOT/x"},
	{cmd: "ln -sf /usr/bin/rm ROOT/x"},
	// L1
	{cmd: "${HOME:0:0}r\\m -rf ../tf"},
	{cmd: "${HOME:0:0}$'git' clean -f -d -x .."},
	{cmd: "r${HOME:0:0}m -rf ../tf"},
	{cmd: "${X:0:0}r\\m -rf ../tf"},
}

var h44Allowed = []string{
	"ls -l /usr/bin/perl5.36.0",
	"ln -s ../shared/config.yaml config.yaml",
	"cp ./build/app /tmp/app",
	"echo \"$HOME\"",
	"cd \"$HOME/src\" && ls",
}

func TestHook44Refused(t *testing.T) {
	hookRefused(t, h44Refused)
}

func TestHook44Allowed(t *testing.T) {
	hookAllowed(t, h44Allowed)
}

// TestHook44BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook44BashRuns(t *testing.T) {
	hookBashRuns(t, h44Refused, bashRuns{line: h37Line})
}
