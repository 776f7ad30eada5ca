package shell

import "testing"

// Review hook109 (on c6ebd34): sqlite3 dot-commands that run a command
// (.shell, .system, .once '|CMD') or write a file whose name sqlite3
// unescapes itself, and SQL that writes files (writefile) (H1-H4); git
// show --format printing a patch of its own into git apply (H5); quoted
// declare and mv (H6, H7); hyperfine's -L filling the program name (H9).
// gpg.conf-VERSION (H8) is protected by the hook command
// (planguard/hook108_test.go). False refusals fixed: hyperfine -r 3,
// --warmup 3; sqlite3 DB < FILE.
var h109Refused = []h32Case{
	// H1-H4
	{cmd: "sqlite3 :memory: '.shell terraform destroy -auto-approve'", needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 :memory: ".once '|terraform destroy -auto-approve'" 'select 1'`, needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 :memory: '.once "../planguard\056hcl"' "select 'evil'"`, needs: "sqlite3", victim: "policy"},
	{cmd: `sqlite3 :memory: "select writefile(char(46,46,47)||'planguard.hcl','evil'||char(10))"`, needs: "sqlite3", victim: "policy"},
	{cmd: "sqlite3 :memory: '.sh terraform destroy'"},
	// H5
	{cmd: "git show -s --format='diff --git a/tf/.envrc b/tf/.envrc%nnew file mode 100644%n' | git apply"},
	{cmd: "git show HEAD:evil.patch | git apply"},
	{cmd: "git diff --src-prefix=a/../ | git apply"},
	// H6, H7
	{cmd: `X=echo; X=terraform \declare -x X; $X destroy -auto-approve`, victim: "state"},
	{cmd: `X=echo; X=terraform 'export' X; $X destroy -auto-approve`},
	{cmd: "mkdir -p a/b && ln -s ../../planguard.hcl a/b/p && 'mv' a/b/p a/p; echo evil > a/p", victim: "policy"},
	// H9
	{cmd: "hyperfine -r1 -L x terraform,true '{x} destroy -auto-approve'", needs: "hyperfine", victim: "state"},
}

var h109Allowed = []string{
	"hyperfine -r 3 'sleep 0.1'",
	"hyperfine --warmup 3 'ls'",
	"sqlite3 app.db < schema.sql",
	"sqlite3 app.db '.tables'",
	"sqlite3 app.db 'select * from attachments'",
	"git diff | git apply -R",
	"git diff --cached | git apply -R",
}

func TestHook109Refused(t *testing.T) {
	hookRefused(t, h109Refused)
}

func TestHook109Allowed(t *testing.T) {
	hookAllowed(t, h109Allowed)
}

// TestHook109BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); sqlite3 and hyperfine are installed by .ci/run.
func TestHook109BashRuns(t *testing.T) {
	hookBashRuns(t, h109Refused, bashRuns{line: h37Line})
}
