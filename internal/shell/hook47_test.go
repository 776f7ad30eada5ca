package shell

import "testing"

// Review hook47 (issue 17, hook round 47): more always-empty expansions
// (H1), an editor setting that is a shell or interpreter (H2), links into
// /dev or /proc and program binaries read on a descriptor by any path
// (H3), launchers run as a shell script (M1).

var h47Refused = []h32Case{
	// H1
	{cmd: "g${X/*/}it -C .. clean -fdx"},
	{cmd: "r${X/#*/}m -rf ../tf", victim: "statefile"},
	{cmd: "r${X//?/}m -rf ../tf"},
	{cmd: "r${X%%?*}m -rf ../tf"},
	{cmd: "r${X##?*}m -rf ../tf"},
	{cmd: "r${X:0:00}m -rf ../tf"},
	{cmd: "r${X:0:1-1}m -rf ../tf"},
	{cmd: "r${X:+${Y:0:0}}m -rf ../tf"},
	// H2
	{cmd: "GIT_EDITOR=sh git commit -e -m 'rm -rf ../tf'"},
	{cmd: "git -c core.editor=sh commit -e -m '@TF@ destroy -auto-approve'"},
	{cmd: "EDITOR=bash git tag -a -e -m 'x' v1"},
	{cmd: "VISUAL=perl git commit -e -m 'system(1)'"},
	// H3
	{cmd: "ln -s ../../../../../../dev/stdin s"},
	{cmd: "ln -s /dev d"},
	{cmd: "ln -s /proc p"},
	{cmd: "cp -s /dev/stdin s"},
	{cmd: "cat < ../../../../../../bin/bash > x"},
	{cmd: "cat < \"$(command -v bash)\" > x"},
	// M1
	{cmd: "VISUAL=git sh /usr/bin/sensible-editor -C .. clean -fdx"},
	{cmd: "VISUAL=git . /usr/bin/sensible-editor -C .. clean -fdx"},
	{cmd: "sh /usr/bin/sensible-editor -c '!terraform destroy' x"},
}

var h47Allowed = []string{
	"git commit -m 'rm -rf'",
	"GIT_EDITOR=vim git commit",
	"cp /dev/null empty.txt",
	"ln -s ../lib/x.so x.so",
	"echo ${X:0:1}",
	"cat < notes.txt",
}

func TestHook47Refused(t *testing.T) {
	hookRefused(t, h47Refused)
}

func TestHook47Allowed(t *testing.T) {
	hookAllowed(t, h47Allowed)
}

// TestHook47BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook47BashRuns(t *testing.T) {
	hookBashRuns(t, h47Refused, bashRuns{line: h37Line})
}
