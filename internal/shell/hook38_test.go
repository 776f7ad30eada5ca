package shell

import (
	"strings"
	"testing"
)

// Review hook38 (issue 17, hook round 38): braces past the hook's old
// group bound (H1), in redirection targets (H2) and in declaration words
// (H3). H4 (file tool paths) is planguard/hook38_test.go.

var nine = strings.Repeat("{", 9)
var nineEnd = strings.Repeat(",}", 8)

var h38Refused = []h32Case{
	// H1: nested empty groups cost bash nothing.
	{cmd: "cp " + nine + "../e.json,}" + nineEnd[2:] + ",\"../planguard.hcl$!\"}", victim: "policy"},
	{cmd: "cp " + nine + "../e.json,}" + nineEnd[2:] + ",../planguard.hcl}", victim: "policy"},
	{cmd: "find . " + nine + "-delete,}" + nineEnd[2:] + ",-name} terraform.tfstate", victim: "statefile"},
	{cmd: "@TF@ init " + nine + "\"$!-migrate-state\",}" + nineEnd[2:] + ",-force-copy}"},
	// H2: a redirection's target is brace-expanded.
	{cmd: "cat ../e.json > {../planguard.hcl,}", victim: "policy"},
	{cmd: "cat ../e.json > ../planguard.hc{l..l}", victim: "policy"},
	{cmd: "cat ../e.json >> {../planguard.hcl,}"},
	{cmd: "cat ../e.json &> {../planguard.hcl,}"},
	{cmd: "exec 3> {../planguard.hcl,}; cat ../e.json >&3", victim: "policy"},
	// H3: declaration words are brace-expanded, the last value wins.
	{cmd: "declare p={,@TF@}; $p destroy -auto-approve -input=false", victim: "state"},
	{cmd: "export p={,@TF@}; $p destroy -auto-approve -input=false", victim: "state"},
	{cmd: "x=/tmp/ok; declare x={,../planguard.hcl}; cp ../e.json \"$x\"", victim: "policy"},
	{cmd: "declare f={,-migrate-state} g={,-force-copy}; @TF@ init \"$f\" \"$g\""},
	{cmd: "export GIT_SSH_COMMAND={,'@TF@ destroy -auto-approve'}; git ls-remote ssh://h/x"},
	{cmd: "local x={a,b}"},
}

var h38Allowed = []string{
	"echo hi > out.txt",
	"cat a > {x}.txt",
	"declare x=1 y=2",
	"export PATH_EXTRA=a,b",
	"x={a,b}; echo \"$x\"",
	"mkdir -p " + nine + "a,}" + nineEnd[2:] + ",b}",
}

func TestHook38Refused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h38Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook38Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h38Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook38BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook38BashRuns(t *testing.T) {
	hookBashRuns(t, h38Refused, bashRuns{line: h37Line})
}
