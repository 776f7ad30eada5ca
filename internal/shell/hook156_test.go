package shell

import "testing"

// Review hook156 (on a69f7e2), false refusals: a link made in envs/dev
// read as one into /dev (F5); python3 -m MODULE N, the number read as a
// script on /dev/fd/N (F2), python -V and node --version as code read
// from standard input (F11); tr -d '\r', cut -d r, sort -t r, the
// character read as the R interpreter (F1); tar --exclude=PATTERN and zip
// -x PATTERN read as files written (F6); git switch -c NAME HEAD with a
// state in the working tree (F7); rm -f envs/*/tfplan, rm -rf
// envs/*/.terraform, a directory glob read as a state file's name (F9);
// jq '.env' FILE, the filter read as the protected .env.
var h156Refused = []h32Case{
	// F5: a link whose target leads into /dev from the link's directory,
	// a binary linked, a link named after a judged program.
	{cmd: "ln -s stdin envs/dev/x"},
	{cmd: "ln -s ../../dev/stdin envs/dev/x"},
	{cmd: "ln -s /dev/stdin envs/dev/x"},
	{cmd: "ln -s fd/3 envs/dev/x"},
	{cmd: "ln -s /usr/bin/git envs/dev/x"},
	{cmd: "ln -s x envs/dev/terraform"},
	{cmd: "cd / && ln -s stdin dev/x"},
	{cmd: "ln -s stdin ../dev/x"},
	// F2: a descriptor after -m MODULE, a number after a cd to /dev/fd,
	// python's script operand, a module fed a script.
	{cmd: "python3 -m cProfile /dev/fd/3 3<<<'print(1)'"},
	{cmd: "cd /dev/fd && python3 -m cProfile 3"},
	{cmd: "python3 3"},
	{cmd: "python3 -m http.server 8000 < /dev/null"},
	{cmd: "echo 'import os' | python3 -m code"},
	// F11: no version option, ruby -v (it runs on).
	{cmd: "echo x | python3"},
	{cmd: "docker run --rm python:3.12 python"},
	{cmd: "docker run --rm -i ruby ruby -v"},
	{cmd: "echo x | python3 -W -V"},
	// F1: R itself, sort's compressor, a binary read.
	{cmd: "echo x | r"},
	{cmd: "echo x | nice r"},
	{cmd: "echo x | tr a b | r"},
	{cmd: "sort --compress-program=r x"},
	{cmd: "sort -k r x"},
	{cmd: "tr a b @TF@"},
	{cmd: "cut -d r -f1 @TF@"},
	{cmd: "tr x y < /dev/null; @TF@ destroy -auto-approve", victim: "state"},
	// F6: what tar and zip write or remove.
	{cmd: "tar -czf terraform.tfstate --exclude=.git ."},
	// Review hook158: tar's archive spelled as an --exclude= pattern
	// (a path through a directory named --exclude=), yq's filter.
	{cmd: "mkdir -p -- --exclude= && tar -cf --exclude=/../terraform.tfstate main.tf", victim: "statefile"},
	{cmd: "tar -cf --exclude=/../../planguard.hcl main.tf"},
	{cmd: "tar cf --exclude=/../terraform.tfstate main.tf"},
	{cmd: "tar -c -f --exclude=/../terraform.tfstate main.tf"},
	{cmd: "yq -yi -1 terraform.tfstate"},
	{cmd: "yq -yi -1 ../allowed_signers"},
	// Review code157 H1: mikefarah's yq takes the expression as an option.
	{cmd: `yq -i --expression='. = "x"' ../planguard.hcl`},
	{cmd: `yq -i '--expression=. = "x"' ../allowed_signers`},
	{cmd: "tar --exclude=.git -cf ../planguard.hcl ."},
	{cmd: "tar -cf x.tar --remove-files --exclude=.git terraform.tfstate"},
	{cmd: "tar --exclude=x --rem -cf a.tar terraform.tfstate"},
	{cmd: "tar -xf a.tar --exclude=x terraform.tfstate"},
	{cmd: "zip -m out.zip terraform.tfstate -x '*.pyc'"},
	{cmd: "zip -r out.zip . -x '*.pyc' -m"},
	{cmd: "zip -r out.zip . -x '*.pyc' --mo"},
	{cmd: "zip -r terraform.tfstate . -x '*.pyc'"},
	{cmd: "zip out.zip ../planguard.hcl -x '*.pyc'"},
	{cmd: "zip -lf -x terraform.tfstate ."},
	{cmd: "zip -r -x ../planguard.hcl"},
	// F9: a state's name last, a recursive removal of a name that may
	// be a workspace's directory, a bare glob.
	{cmd: "rm -rf envs/*/prod"},
	{cmd: "rm -rf envs/*/tfplan"},
	{cmd: "rm -f envs/*/tfplan -r"},
	{cmd: "rm -f envs/*/terraform.tfstate"},
	{cmd: "rm -f envs/*/*.tfstate"},
	{cmd: "rm -f envs/*/terraform.tfstate.backup"},
	{cmd: "rm -rf envs/*/terraform.tfstate.d"},
	{cmd: "rm -f envs/*"},
	{cmd: "rm -rf */prod"},
	{cmd: "rm -f * x"},
	{cmd: "rm -f .git/*/config"},
	{cmd: "cp terraform.tfstate envs/*/prod"},
}

var h156Allowed = []string{
	"ln -s ../../modules envs/dev/modules-link",
	"ln -s ../../shared/providers.tf envs/dev/providers.tf",
	"ln -sf ../../modules envs/dev/modules",
	"ln -sf ../../modules/db/main.tf envs/dev/db.tf",
	"ln -s ../../README.md envs/dev/README.md",
	"python3 -m http.server 8000 --directory build &",
	"python3 -m http.server 8080",
	"python3 -m pytest -n 4",
	"python3 -m pytest -x -n 2 scripts",
	"docker run --rm python:3.12 python -V",
	"docker run --rm python:3.12 python --version",
	"docker run --rm node:20 node --version",
	"echo x | python3 -V",
	"tr -d '\\r' < envs/dev/terraform.tfvars > build/dev.tfvars",
	"cat main.tf | tr -d '\\r'",
	"tr -d '\\r' envs/dev/terraform.tfvars",
	"tr '\\r' ' ' < main.tf",
	"tr -d \"\\r\" < main.tf",
	"echo abc | tr -d 'r'",
	"cut -d r -f1 main.tf",
	"paste -d r a b",
	"column -t -s r main.tf",
	"sort -t r -k 2 main.tf",
	"zip -r build/lambda.zip scripts -x '*.pyc'",
	"zip -q -r build/all.zip . -x '.git/*' '.terraform/*'",
	"zip -r build/all.zip . -x '*.tfstate'",
	"rm -f envs/*/tfplan",
	"rm -rf envs/*/.terraform",
	"rm -f envs/*/plan.json",
	"rm -f modules/*/README.md",
	"rm -f */tfplan",
	"zip -r build/s.zip . -x '.git/*'",
	"python3 -m http.server 8000",
}

// h156Opts: a working tree holding a state (Options.TreeState), and the
// project's .env protected, as planguard hook protects it.
func h156Opts() Options {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/work/tf/.env")
	opts.TreeState = func(string) bool { return true }
	return opts
}

var h156TreeRefused = []string{
	"git checkout -b hotfix/2 main",
	"git switch -c hotfix/1 main",
	"git switch -c hotfix/1 HEAD~1",
	"git checkout -b y HEAD~0",
	"git checkout -b y head",
	"git switch -c x HEAD && git switch main",
	"git checkout -b x HEAD -- terraform.tfstate",
	"git add -A && git commit -qm x && git checkout -b y HEAD",
	"zip -r build/all.zip . -x .env -m",
	"zip -r .env . -x '*.pyc'",
	"jq . .env",
	"jq '.x' .env",
	"jq -e .env .env",
	"jq -f .env package.json",
	"jq -rf .env package.json",
	"jq --from-file .env package.json",
	"yq -i '.a = 1' .env",
	"yq '.env' package.json",
	"yq -i .env .env",
	"yq eval -i '.a' .env",
	"jq '.a' package.json > .env",
	"cat package.json | jq \"$f\" .env",
}

var h156TreeAllowed = []string{
	"git switch -c hotfix/1 HEAD",
	"git checkout -b hotfix/2 HEAD",
	"git switch --create hotfix/3 HEAD",
	"git checkout -B hotfix/4 HEAD",
	"git switch -c hotfix/5",
	"zip -r build/all.zip . -x '.env'",
	"jq '.env' package.json",
	"jq -r '.env' package.json",
	"jq --arg env dev '.env = $env' package.json > build/package.json",
	"jq -n '.env'",
}

func TestHook156Refused(t *testing.T) {
	hookRefused(t, h156Refused)
}

func TestHook156Allowed(t *testing.T) {
	hookAllowed(t, h156Allowed)
}

func TestHook156Tree(t *testing.T) {
	opts := h156Opts()
	for _, line := range h156TreeRefused {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
	for _, line := range h156TreeAllowed {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", line, r.Refused)
		}
	}
}

// TestHook156BashRuns runs the refused spellings that name a victim in
// bash over a real applied state (hookBashRuns).
func TestHook156BashRuns(t *testing.T) {
	hookBashRuns(t, h156Refused, bashRuns{line: h37Line})
}
