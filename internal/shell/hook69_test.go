package shell

import "testing"

// Review hook69 (on 44804e2): dash and an interactive bash expand an alias
// in a function definition's name (H1: alias t=echo; t() {…} defines
// echo); a stdin script gets out of step through a command or an
// assignment continued over lines (H2: read x; a=( … )); dash's echo
// decodes backslash escapes, so $(echo …) in the POSIX reading is not its
// text (H3).

var h69Refused = []h32Case{
	// H1
	{cmd: "sh -c 'alias t=echo\nt() { printf @TF@; }\n$(echo ls) destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash -i -c 'alias t=echo\nt() { printf terraform; }\n$(echo ls) destroy -auto-approve' </dev/null"},
	{cmd: "alias t=cat; function t { :; }"},
	// H2
	{cmd: "bash <<'EOF'\nread x\na=(\n@TF@ destroy -auto-approve -input=false\n)\nEOF", victim: "state"},
	{cmd: "bash <<'EOF'\nread -r x\necho \\\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "bash <<'EOF'\nread x\ndeclare -a a=(\nterraform destroy -auto-approve\n)\nEOF"},
	{cmd: "bash <<'EOF'\nhead -n1 >/dev/null\n[[ x ==\nterraform ]]\nEOF"},
	// H3
	{cmd: "sh -c '$(echo \"terr\\0141form\") destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "dash -c '`echo \"terr\\0141form\"` destroy -auto-approve'"},
	{cmd: "git -c alias.x='!cd tf && $(echo \"terr\\0141form\") destroy -auto-approve' x"},
}

var h69Allowed = []string{
	"bash <<'EOF'\nfor f in a b; do\n  echo \"$f\"\ndone\nEOF",
	"bash <<'EOF'\nset -e\ngo test ./...\necho done\nEOF",
	"sh -c 'echo \"a\\tb\"'",
	"f() { echo hi; }; f",
}

func TestHook69Refused(t *testing.T) {
	hookRefused(t, h69Refused)
}

func TestHook69Allowed(t *testing.T) {
	hookAllowed(t, h69Allowed)
}

// TestHook69BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook69BashRuns(t *testing.T) {
	hookBashRuns(t, h69Refused, bashRuns{line: h37Line})
}
