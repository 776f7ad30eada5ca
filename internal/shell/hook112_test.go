package shell

import "testing"

// Review hook112 (on 8c3eb13): sqlite3 dot-commands by other spellings
// (. shell, .'shell', .o, .import '|CMD', octal names: H1-H7), SQL
// functions quoted, bracketed or followed by a comment (H8-H10), sqlite3
// reading a pipe through a block or subshell, or a file the line writes
// (H11-H13), sqlite3 copied or linked under another name (H14, H15);
// npm's abbreviated commands and options (H16, H17); code files the line
// writes read with clustered options (sed -nf, make -sf, awk -We) or as
// make's default makefile (H18-H20, M1).
var h112Refused = []h32Case{
	{cmd: "sqlite3 x.db '. shell terraform destroy -auto-approve'", needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 x.db ".'shell' terraform destroy -auto-approve)"`},
	{cmd: `sqlite3 x.db ".o '|terraform destroy -auto-approve'" 'select 1;'`, needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 x.db ".import '|terraform destroy -auto-approve' t"`, needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 x.db '.t "\056envrc"' 'select 1;'`},
	{cmd: `sqlite3 x.db "select [edit]('x','terraform destroy -auto-approve #');"`, needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 x.db "select \"writefile\"(char(46)||'envrc','x');"`},
	{cmd: `sqlite3 x.db "select writefile/**/(char(46)||'envrc','x');"`},
	{cmd: "echo .shell terraform destroy -auto-approve | { sqlite3 x.db; }", needs: "sqlite3", victim: "state"},
	{cmd: "echo .shell terraform destroy -auto-approve | (sqlite3 x.db)"},
	{cmd: "printf '.shell terraform destroy -auto-approve' > s.sql; sqlite3 x.db < s.sql", needs: "sqlite3", victim: "state"},
	{cmd: "ln -s /usr/bin/sqlite3 q; ./q x.db '.shell terraform destroy -auto-approve'"},
	{cmd: "cp /usr/bin/sqlite3 q && ./q x.db '.shell x'"},
	{cmd: "npm conf edit --edit='sh -c terraform${IFS}destroy${IFS}-auto-approve'"},
	{cmd: "npm conf set script-shell=/bin/true"},
	{cmd: "npm -script-shell=/bin/true run x"},
	{cmd: "printf '1e terraform destroy -auto-approve\\n' > s.sed; sed -nf s.sed main.tf", victim: "state"},
	{cmd: "printf 'all:\\n\\tterraform destroy -auto-approve\\n' > mk; make -sf mk", needs: "make", victim: "state"},
	{cmd: `printf 'BEGIN{system("terraform destroy -auto-approve")}' > p.awk; awk -We p.awk`, victim: "state"},
	{cmd: "printf 'all:\\n\\tterraform destroy -auto-approve\\n' > GNUmakefile; make", needs: "make", victim: "state"},
}

var h112Allowed = []string{
	"sqlite3 app.db 'select count(*) from t;'",
	"sqlite3 app.db < schema.sql",
	"npm ci",
	"npm run build",
	"make",
	"make -s test",
	"sed -n 1p main.tf",
	"awk -F, '{print $1}' a.csv",
}

func TestHook112Refused(t *testing.T) {
	hookRefused(t, h112Refused)
}

func TestHook112Allowed(t *testing.T) {
	hookAllowed(t, h112Allowed)
}

// TestHook112BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); sqlite3 is installed by .ci/run.
func TestHook112BashRuns(t *testing.T) {
	hookBashRuns(t, h112Refused, bashRuns{line: h37Line})
}
