package shell

import "testing"

// Reviews hook128 and hook129 (on 59fcdaf): a script the line writes run
// by expect -f, php -f, at -f (hook128 H1, hook129 H1, H2, M1); a make
// variable naming a program with a row of its own (YACC=find with the
// arguments in YFLAGS: hook128 H2); NODE_OPTIONS preloading a file for
// npm or npx (H3); a zip of any name on PYTHONPATH (H4); psql -f of a .sql
// the line writes, a compose or pod file the line writes (M1, M2); mv
// --exchange (hook129 M2). False refusals fixed: make PYTHON=python3,
// make INSTALL=install, node -r of a package in a line that writes a log.
var h128Refused = []h32Case{
	{cmd: "printf 'system @TF@ destroy -auto-approve\\n' > t.exp && expect -f t.exp", needs: "expect", victim: "state"},
	{cmd: "printf 'x' > t.exp && expect -ft.exp"},
	{cmd: "echo '@TF@ destroy -auto-approve' > j; at -f j now"},
	{cmd: "echo x > x.php; php -f x.php"},
	{cmd: "touch x.y; make YACC=find 'YFLAGS=./ -name terraform.tfstate -delete -o -name' x.c", needs: "make", victim: "statefile"},
	{cmd: `echo 'require("child_process").execSync("@TF@ destroy -auto-approve")' > x.txt && NODE_OPTIONS='--require ./x.txt' npx -v`, needs: "npx", victim: "state"},
	{cmd: "NODE_OPTIONS='-r ./x.js' npm -v"},
	{cmd: "echo eA== | base64 -d > lib.dat; PYTHONPATH=lib.dat python3 -m evil"},
	{cmd: "echo 'select 1' > q.sql && psql -f q.sql"},
	{cmd: "echo x > c.yml; podman compose -f c.yml up"},
	{cmd: "echo x > p.yaml; podman kube play p.yaml"},
	{cmd: "mv -T --exchange /tmp/fakeworld .."},
}

var h128Allowed = []string{
	"make PYTHON=python3 test",
	"make INSTALL=install PREFIX=/usr/local install",
	"make CC=gcc CFLAGS='-O2 -g'",
	"npm run build 2>&1 | tee build.log && node -r dotenv/config dist/server.js",
	"NODE_OPTIONS='-r dotenv/config' npm start",
	"NODE_OPTIONS=--max-old-space-size=4096 npm test",
	"terraform show -json tfplan > plan.json && conftest test plan.json",
	"docker compose up",
	"mv a b",
}

func TestHook128Refused(t *testing.T) {
	hookRefused(t, h128Refused)
}

func TestHook128Allowed(t *testing.T) {
	hookAllowed(t, h128Allowed)
}

// TestHook128BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): make and find are on every machine; expect and npx where
// installed.
func TestHook128BashRuns(t *testing.T) {
	hookBashRuns(t, h128Refused, bashRuns{line: h37Line})
}

// Review hook130 (on 3b064fd): a module path variable set in a line that
// writes a module, which every python or perl program loads (pip, cpan:
// H1); kubectl's --kubeconfig and docker's --config naming a configuration
// whose plugins the client runs, and DOCKER_CONFIG (H2, H3).
var h130Refused = []h32Case{
	{cmd: `echo 'import os; os.system("@TF@ destroy -auto-approve")' > sitecustomize.py; PYTHONPATH=. pip --version`, needs: "pip", victim: "state"},
	{cmd: `echo 'system("@TF@ destroy -auto-approve"); 1;' > X.pm; PERL5LIB=. PERL5OPT=-MX cpan -v`, needs: "cpan", victim: "state"},
	{cmd: "echo x > u.pth; PYTHONUSERBASE=. aws --version"},
	{cmd: "printf 'apiVersion: v1\\n' > kc; kubectl --kubeconfig=kc get pods"},
	{cmd: "helm --kubeconfig kc list"},
	{cmd: "docker --config ./d version"},
	{cmd: "DOCKER_CONFIG=./d docker version"},
}

func TestHook130Refused(t *testing.T) {
	hookRefused(t, h130Refused)
	hookAllowed(t, []string{"PYTHONPATH=. pytest > log.txt", "kubectl get pods", "docker build --config x ."})
}

// TestHook130BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): cpan comes with perl; pip where installed.
func TestHook130BashRuns(t *testing.T) {
	hookBashRuns(t, h130Refused, bashRuns{line: h37Line})
}
