package shell

import (
	"testing"
)

// Review hook40 (issue 17, hook round 40): globs that expand to options
// (H1), here-documents bash ends elsewhere (H2, H3), $'\x{HH}' (H4), POSIX
// mode (H5), aliases whose value ends with a blank (H6).

var h40Refused = []h32Case{
	// H1
	{cmd: "touch ./-o; sort [-]o ../planguard.hcl < ../e.json", victim: "policy"},
	{cmd: "touch ./-c; python3 [-]c 'open(\"../planguard.hcl\",\"w\").write(\"evil\\n\")'", needs: "python3", victim: "policy"},
	{cmd: "touch ./-e; perl [-]e 'system(\"@TF@ destroy -auto-approve -input=false\")'", needs: "perl", victim: "state"},
	{cmd: "touch ./-t; echo evil > planguard.hcl; cp [-]t .. planguard.hcl", victim: "policy"},
	{cmd: "env [-]Sterraform\\ destroy\\ -auto-approve"},
	{cmd: "node ?e 'x'"},
	// H2
	{cmd: "cat <<EOF\nhello\nEO\\\nF\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "cat <<EOF\nhello\n\\\nEOF\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	// H3
	{cmd: "cat <<$'E\\x4fF'\nhello\nEOF\n@TF@ destroy -auto-approve -input=false\nE\\x4fF", victim: "state"},
	{cmd: "cat <<$'A\\tB' >/dev/null\nA\tB\n@TF@ destroy -auto-approve -input=false\nA\\tB", victim: "state"},
	// H4
	{cmd: "$'terr\\x{61}form' destroy -auto-approve -input=false", victim: "state"},
	{cmd: "cp ../e.json $'../planguard.hc\\x{6c}'", victim: "policy"},
	{cmd: "echo $'\\q'"},
	// H5
	{cmd: "POSIXLY_CORRECT=1; p=echo; p=@TF@ :; $p destroy -auto-approve -input=false", victim: "state"},
	{cmd: "sh -c 'p=echo; p=@TF@ :; $p destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash --posix -c 'p=echo; p=@TF@ :; $p destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash -o posix -c 'echo hi'"},
	{cmd: "o=/tmp/ok; o=../planguard.hcl eval :; cp ../e.json \"$o\""},
	// H6
	{cmd: "alias x='echo ' y='$(@TF@ destroy -auto-approve)'\nx y"},
	{cmd: "alias x='cp ../e.json ' y='../planguard.hcl'\nx y"},
}

var h40Allowed = []string{
	"cat <<'EOF'\nline \\\nEOF",
	"cat <<EOF > notes.txt\nhello $USER\nEOF",
	"ls *",
	"grep -r x *",
	"rm -f *.log",
	"cp ./*.txt /tmp/",
	"cp -- *.txt /tmp/",
	"alias ll='ls -l'",
	"echo $'\\x41\\t\\u00e9\\n'",
	"X=1 :",
}

func TestHook40Refused(t *testing.T) {
	hookRefused(t, h40Refused)
}

func TestHook40Allowed(t *testing.T) {
	hookAllowed(t, h40Allowed)
}

// TestHook40BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook40BashRuns(t *testing.T) {
	hookBashRuns(t, h40Refused, bashRuns{line: h37Line})
}
