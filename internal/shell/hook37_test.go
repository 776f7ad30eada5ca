package shell

import (
	"strings"
	"testing"
)

// Review hook37 (issue 17, hook round 37): backslash escapes in words the
// hook reads whole (H1), brace expansion around an expansion (H2), an
// empty brace alternative in a known echo output (H3), a computed
// argument of terraform init (H4).

var h37Refused = []h32Case{
	// H1
	{cmd: "echo evil > ..\\/planguard.hcl", victim: "policy"},
	{cmd: "exec 3>..\\/planguard.hcl; cat ../e.json >&3", victim: "policy"},
	{cmd: "cat ../e.json > terraform.tfstat\\e", victim: "statefile"},
	{cmd: "x=terr\\aform; $x destroy -auto-approve -input=false", victim: "state"},
	{cmd: "x=..\\/planguard.hcl; cp ../e.json \"$x\"", victim: "policy"},
	{cmd: "p=echo; declare p\\=@TF@; $p destroy -auto-approve -input=false", victim: "state"},
	{cmd: "p=echo; export p\\=@TF@; $p destroy -auto-approve -input=false", victim: "state"},
	{cmd: "x=/tmp/ok; declare x\\=../planguard.hcl; cp ../e.json \"$x\"", victim: "policy"},
	{cmd: "iconv -f utf-8 -t utf-8 -o \"$(cat <<< ..\\/planguard.hcl)\" ../e.json", victim: "policy"},
	{cmd: "x=-\\exec; find . -name terraform.tfstate $x rm {} +", victim: "statefile"},
	{cmd: "export TF_CLI_ARGS_init\\=-migrate-state\\ -force-copy; @TF@ init"},
	{cmd: "export GIT_CONFIG_COUNT\\=1 GIT_CONFIG_KEY_0\\=core.fsmonitor GIT_CONFIG_VALUE_0\\='touch /tmp/x'; git status"},
	{cmd: "echo x >> ~/.bashr\\c"},
	// H2
	{cmd: "cp {../e.json,\"../planguard.hcl$!\"}", victim: "policy"},
	{cmd: "iconv -f utf-8 -t utf-8 -o {\"../planguard.hcl$!\",../e.json}", victim: "policy"},
	{cmd: "tar -cf {\"terraform.tfstate$!\",main.tf}", victim: "statefile"},
	{cmd: "curl -s {\"$!-o\",../planguard.hcl} file://ROOT/e.json", victim: "policy"},
	{cmd: "setarch x86_64 cp {../e.json,\"../planguard.hcl$!\"}", victim: "policy"},
	{cmd: "dd if=../e.json {\"of=../planguard.hcl$!\",status=none}", victim: "policy"},
	{cmd: "cp {../e.json,\"$HOME/.bashrc\"}"},
	{cmd: "@TF@ init {\"$!-migrate-state\",-force-copy}"},
	{cmd: "wget -q {\"$!-O\",../planguard.hcl} https://x"},
	// H3
	{cmd: "iconv -f utf-8 -t utf-8 -o \"$(echo {\"../planguard.hcl\",})\" ../e.json", victim: "policy"},
	// H4
	{cmd: "@TF@ init \"$!-migrate-state\" \"$!-force-copy\""},
	{cmd: "@TF@ init $(echo -migrate-state -force-copy)"},
	{cmd: "set -- -migrate-state -force-copy; @TF@ init \"$@\""},
	{cmd: "for f in -migrate-state; do @TF@ init $f; done"},
	{cmd: "f() { @TF@ init \"$1\"; }; f -migrate-state"},
	{cmd: "@TF@ init \"${x}-migrate-state\""},
	{cmd: "@TF@ init \"$(printf -- -force-copy)\""},
	{cmd: "@TF@ init -backend-config=\"path=$P\" $Q"},
}

var h37Allowed = []string{
	"terraform init -input=false",
	"terraform init -input=false -backend-config=\"path=$P\"",
	"terraform init -input=false -upgrade",
	"cp {a,b}.txt /tmp/",
	"echo {a,b}",
	"echo \"{$x,y}\"",
	"x=a\\ b; echo \"$x\"",
	"mkdir -p build/{src,test}",
	"echo pwned > \\/tmp/out.txt",
}

// h37Line puts the terraform binary for @TF@ (a bare TF would change
// TF_CLI_ARGS) and the world's root for ROOT.
func h37Line(cmd, root, tf string) string {
	if tf == "" {
		tf = "/usr/local/bin/terraform"
	}
	return strings.ReplaceAll(strings.ReplaceAll(cmd, "@TF@", tf), "ROOT", root)
}

func TestHook37Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/home/agent/.bashrc")
	for _, c := range h37Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook37Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h37Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook37BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook37BashRuns(t *testing.T) {
	hookBashRuns(t, h37Refused, bashRuns{line: h37Line})
}
