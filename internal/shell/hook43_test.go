package shell

import (
	"testing"
)

// Review hook43 (issue 17, hook round 43): BASH_CMDS filled without `=`
// (H1), a glob in the program's path (H2), /proc/self/exe (H3), a judged
// program linked under another name (M1), a program name with an always
// empty computed prefix (L1).

var h43Refused = []h32Case{
	// H1
	{cmd: "read BASH_CMDS <<< /usr/bin/git; 0 clean -f -d -x ..", victim: "statefile"},
	{cmd: "for BASH_CMDS in /usr/bin/git; do :; done; 0 clean -f -d -x .."},
	{cmd: "printf -v BASH_CMDS /usr/bin/git; 0 clean -f -d -x .."},
	{cmd: ": ${BASH_CMDS:=/usr/bin/git}; 0 clean -f -d -x .."},
	{cmd: "read BASH_ALIASES <<< 'git clean -f -d -x ..'; 0"},
	// H2
	{cmd: "/usr/bin/gi[t] clean -f -d -x ..", victim: "statefile"},
	{cmd: "/usr/bi?/git clean -f -d -x .."},
	{cmd: "/usr/bin/r[m] -rf ../tf", victim: "statefile"},
	{cmd: "/lib64/ld-linux-x86-64.so.[2] --argv0 git-clean /usr/bin/git status -f -d -x ."},
	{cmd: "/usr/bin/c[p] ${x-../e.json ../planguard.hcl}"},
	// H3
	{cmd: "/proc/self/exe -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "/proc/$$/exe -c 'cp ../e.json ../planguard.hcl'"},
	// M1
	{cmd: "ln -sf /usr/bin/git ROOT/x; ROOT/x clean -f -d -x ..", victim: "statefile"},
	{cmd: "cp /bin/bash ROOT/x"},
	{cmd: "ln -s /lib64/ld-linux-x86-64.so.2 ROOT/ld"},
	// L1
	{cmd: "${HOME:0:0}rm -rf ../tf", victim: "statefile"},
	{cmd: "${HOME:0:0}git clean -f -d -x .."},
}

var h43Allowed = []string{
	"git clean -n",
	"/usr/bin/git status",
	"ln -s ../shared/config.yaml config.yaml",
	"cp /usr/share/doc/x.txt /tmp/",
	"read line <<< hello; echo \"$line\"",
}

func TestHook43Refused(t *testing.T) {
	hookRefused(t, h43Refused)
}

func TestHook43Allowed(t *testing.T) {
	hookAllowed(t, h43Allowed)
}

// TestHook43BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook43BashRuns(t *testing.T) {
	hookBashRuns(t, h43Refused, bashRuns{gitRepo: true, line: h37Line})
}
