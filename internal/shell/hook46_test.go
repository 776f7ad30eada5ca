package shell

import "testing"

// Review hook46 (issue 17, hook round 46): more always-empty expansions
// splitting a program's name (H1), launchers that run an editor, pager or
// browser variable with the line's arguments (H2), a link to /dev/stdin
// and a globbed binary read on a descriptor (H3).

var h46Refused = []h32Case{
	// H1
	{cmd: "r${FOO:0:0}m -rf ../tf", victim: "statefile"},
	{cmd: "r${FOO::0}m -rf ../tf"},
	{cmd: "r${FOO//*/}m -rf ../tf"},
	{cmd: "r${FOO%%*}m -rf ../tf"},
	{cmd: "r${FOO##*}m -rf ../tf"},
	{cmd: "r${FOO[0]:+}m -rf ../tf"},
	{cmd: "g${FOO:0:0}it -C .. clean -fdx"},
	// H2
	{cmd: "VISUAL=git sensible-editor -C .. clean -fdx"},
	{cmd: "VISUAL=@TF@ sensible-editor destroy -auto-approve -input=false", needs: "sensible-editor", victim: "state"},
	{cmd: "EDITOR=eval sensible-editor 'terraform destroy'"},
	{cmd: "BROWSER=eval xdg-open 'x:;terraform destroy'"},
	{cmd: "export SELECTED_EDITOR=git; sensible-editor clean -fdx"},
	{cmd: "sensible-editor -c '!terraform destroy' x"},
	// H3
	{cmd: "ln -s /dev/stdin s; ./s -c '@TF@ destroy -auto-approve -input=false' < /bin/ba[s]h", victim: "state"},
	{cmd: "cat < /bin/ba[s]h > x"},
}

var h46Allowed = []string{
	"sensible-editor main.tf",
	"echo ${FOO:0:1}",
	"xdg-open https://example.com",
	"ln -s ../x y",
}

func TestHook46Refused(t *testing.T) {
	hookRefused(t, h46Refused)
}

func TestHook46Allowed(t *testing.T) {
	hookAllowed(t, h46Allowed)
}

// TestHook46BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook46BashRuns(t *testing.T) {
	hookBashRuns(t, h46Refused, bashRuns{line: h37Line})
}
