package shell

import "testing"

// Review hook123 (on a5d3f91): a make variable whose value is a command
// line a built-in rule starts a recipe with (make TEX='terraform destroy
// …' foo.dvi, on the command line or in the environment: H1); an
// interpreter loading a module the line wrote by a name the hook does not
// resolve (python3 -m evil, node --require, perl -M with -I, PERL5OPT,
// sitecustomize.py: H2). False refusal fixed: python3 -m json.tool FILE
// of a file the line wrote.
var h123Refused = []h32Case{
	{cmd: "touch foo.tex; make TEX='@TF@ destroy -auto-approve -backup' foo.dvi", needs: "make", victim: "state"},
	{cmd: "touch foo.tex; TEX='@TF@ destroy -auto-approve -backup' make foo.dvi", needs: "make", victim: "state"},
	{cmd: "touch foo.tex; make TEX='sed -i s/prod_db/unused/g ../planguard.hcl' foo.dvi"},
	{cmd: "touch foo.tex; make TEX='rm -f ../planguard.hcl' foo.dvi"},
	{cmd: `echo 'import os; os.system("@TF@ destroy -auto-approve")' > evil.py && python3 -m evil`, needs: "python3", victim: "state"},
	{cmd: `echo 'require("child_process").execSync("@TF@ destroy -auto-approve")' > x.js && node --require=./x.js main.tf`, needs: "node", victim: "state"},
	{cmd: `echo 'system("@TF@ destroy -auto-approve")' > x.pm && perl -I. -Mx -c main.tf`, needs: "perl", victim: "state"},
	{cmd: `echo 'system("@TF@ destroy -auto-approve")' > x.pm && PERL5OPT=-Mx PERL5LIB=. perl -c main.tf`, needs: "perl", victim: "state"},
	{cmd: `echo 'import os; os.system("@TF@ destroy -auto-approve")' > sitecustomize.py && PYTHONPATH=. python3 -m platform`, needs: "python3", victim: "state"},
}

var h123Allowed = []string{
	"make CFLAGS='-O2 -g' all",
	"make CC=clang",
	"CFLAGS='-O2 -g' make",
	"echo '{}' > x.json; python3 -m json.tool x.json",
	"echo x > notes.txt; python3 app.py",
}

func TestHook123Refused(t *testing.T) {
	hookRefused(t, h123Refused)
}

func TestHook123Allowed(t *testing.T) {
	hookAllowed(t, h123Allowed)
}

// TestHook123BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): make, perl and python3 are on every machine here.
func TestHook123BashRuns(t *testing.T) {
	hookBashRuns(t, h123Refused, bashRuns{line: h37Line})
}
