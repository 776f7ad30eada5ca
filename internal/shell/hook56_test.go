package shell

import "testing"

// Review hook56 (issue 17, hook round 56): python modules that run other
// code (F1) and warning categories it imports (F6), node module specifiers
// (F2), make variables holding shell text and MAKEFLAGS abbreviations (F3,
// F7), ssh-keygen -Y sign spelled longer (F4), fc -l -s (F5), PERL5OPT
// words without a dash (F8), gpg --decrypt-files (F9).

var h56Refused = []h32Case{
	// F1
	{cmd: "python3 -m runpy timeit -n1 -r1 'import os; os.system(\"@TF@ destroy -auto-approve -input=false\")'", victim: "state"},
	{cmd: "python3 -m trace --count --module timeit -n1 -r1 'import os; os.system(\"@TF@ destroy -auto-approve -input=false\")'", victim: "state"},
	{cmd: "python3 -m cProfile -s time -m timeit -n1 -r1 'import os'"},
	{cmd: "python3 -m unittest code.interact <<< 'import os; os.system(\"@TF@ destroy -auto-approve -input=false\")'", victim: "state"},
	{cmd: "python3 -m doctest -o ELLIPSIS /dev/stdin <<< x"},
	{cmd: "python3 -m asyncio <<< 'import os'"},
	// F6
	{cmd: "python3 -W 'ignore::unittest.__main__.X' /dev/null code.interact <<< 'import os'"},
	{cmd: "PYTHONWARNINGS='ignore::unittest.__main__.X' python3 /dev/null"},
	// F2
	{cmd: "node --test-reporter='data:text/javascript,x' --test /dev/null"},
	{cmd: "NODE_OPTIONS='--import=da\"ta:text/javascript,x\"' node -e 1"},
	{cmd: "node --preserve-symlinks -r /dev/stdin /dev/null <<< 'x'"},
	// F3, F7
	{cmd: "touch x.c && make CC='@TF@ destroy -auto-approve -input=false;' x", victim: "state"},
	{cmd: "make CFLAGS='-O2; terraform destroy' x"},
	{cmd: "MAKEFLAGS='--ev=x:;terraform\\ destroy\\ -auto-approve' make"},
	{cmd: "GNUMAKEFLAGS='--eva=x' make"},
	// F4
	{cmd: "ssh-keygen -Y signature -n planguard-approval -f k plan.json"},
	// F5
	{cmd: "fc -l -s 'echo ='"},
	{cmd: "fc -s -l"},
	// F8
	{cmd: "PERL5OPT='MPOSIX;system\"terraform\",\"destroy\"' perl -e 1"},
	{cmd: "PERL5OPT=d perl x.pl"},
	// F9
	{cmd: "gpg --decrypt-files planguard.hcl.gpg"},
	{cmd: "gpg --decrypt-f x.gpg"},
	{cmd: "gpg2 --multifile --decrypt x.asc"},
}

var h56Allowed = []string{
	"python3 -m pytest -q",
	"python3 -m unittest discover -s tests",
	"python3 -m unittest tests.test_x",
	"python3 -W ignore::DeprecationWarning script.py",
	"make CC=clang CFLAGS=-O2 test",
	"MAKEFLAGS=-j4 make",
	"fc -l",
	"fc -ln -5",
	"gpg --verify x.sig x",
	"gpg -d -o /tmp/out x.gpg",
	"node -r ./setup.js app.js",
	"PERL5OPT=-Mstrict perl x.pl",
}

func TestHook56Refused(t *testing.T) {
	hookRefused(t, h56Refused)
}

func TestHook56Allowed(t *testing.T) {
	hookAllowed(t, h56Allowed)
}

// TestHook56BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook56BashRuns(t *testing.T) {
	hookBashRuns(t, h56Refused, bashRuns{line: h37Line})
}
