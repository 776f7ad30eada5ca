package shell

import "testing"

// Review hook48 (issue 17, hook round 48): expansions read as empty that
// are not (H1, a regression of the hook47 fix), editor values beyond the
// first word (H2), more /dev links and program binaries on descriptors
// (H3), launchers behind shell options (H4).

var h48Refused = []h32Case{
	// H1: not empty, so the line's value of X names the program.
	{cmd: "X=@TF@x; ${X%%?} destroy -auto-approve -input=false", victim: "state"},
	{cmd: "X=gitx; ${X%%?} -C .. clean -fdx"},
	{cmd: "X=xgit; ${X##?} -C .. clean -fdx"},
	{cmd: "X=xgit; ${X/?/} -C .. clean -fdx"},
	{cmd: "X=gitxx; ${X//??/} -C .. clean -fdx"},
	// H2
	{cmd: "GIT_EDITOR='env sh' git commit -e -m 'rm -rf ../tf'"},
	{cmd: "GIT_EDITOR='nice sh' git commit -e -m x"},
	{cmd: "GIT_EDITOR='. ' git commit -e -m x"},
	{cmd: "GIT_EDITOR=':;sh' git commit -e -m x"},
	{cmd: "GIT_EDITOR='\"sh\"' git commit -e -m x"},
	{cmd: "GIT_EDITOR='make -f' git commit -e -m x"},
	{cmd: "git -c core.editor='env sh' commit -e -m x"},
	// H3
	{cmd: "cp -P /dev/stdi? s"},
	{cmd: "cd / && ln -s dev/stdin /tmp/s"},
	{cmd: "cd /bin && cat < bash > /tmp/x"},
	{cmd: "ln -s /bin B; cat < B/ba?h > x"},
	// H4
	{cmd: "VISUAL=git sh -e /usr/bin/sensible-editor -C .. clean -fdx"},
	{cmd: "VISUAL=git sh -- /usr/bin/sensible-editor -C .. clean -fdx"},
	{cmd: "VISUAL=git bash -x /usr/bin/sensible-editor -C .. clean -fdx"},
	{cmd: "sh -s -C .. clean -fdx < /usr/bin/sensible-editor"},
}

var h48Allowed = []string{
	"X=gitx; echo ${X%%?}",
	"GIT_EDITOR=true git commit --amend",
	"GIT_EDITOR=vim git commit",
	"cat < notes.txt",
	"sh -e ./build.sh",
}

func TestHook48Refused(t *testing.T) {
	hookRefused(t, h48Refused)
}

func TestHook48Allowed(t *testing.T) {
	hookAllowed(t, h48Allowed)
}

// TestHook48BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook48BashRuns(t *testing.T) {
	hookBashRuns(t, h48Refused, bashRuns{line: h37Line})
}
