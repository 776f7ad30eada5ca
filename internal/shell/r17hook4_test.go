package shell

import "testing"

// Found by a second attacker review of the hook (r17hook4). Each spelling
// was allowed by Analyze; bash 5.2 runs the hidden command or writes the
// protected file (planguard/hook_bypass_test.go runs a sample of them in
// bash).

// `..` after a directory name: the kernel resolves a/.. through a, which
// may be a symbolic link to anywhere, while the hook cleaned the path as
// text. A write target with such a `..` is refused, whatever it seems to
// name.
func TestR17hook4DotDotAfterComponent(t *testing.T) {
	for _, cmd := range []string{
		"echo x > l/../../../planguard.hcl",
		"echo x > l/../../../work/planguard.hcl",
		"cp e.json sub/../x/../../planguard.hcl",
		"tee l/../.claude/settings.json <<<'{}'",
		"echo x >> /work/infra/l/../../x",
		"sed -i s/a/b/ l/../../../planguard.hcl",
		"rm -rf l/../..",
		"mv l/../x y",
		"cp e.json l/../../.claude/",
		"cp e.json l/../*.json",
		"ln -s l/../../../planguard.hcl p",
		"terraform plan -out l/../../../planguard.hcl",
		"awk 'BEGIN{print \"x\" > \"l/../../planguard.hcl\"}'",
		"echo x > ~/../../work/planguard.hcl",
		"/opt/planguard/bin/planguard apply --policy l/../../planguard.hcl tfplan",
	} {
		wantRefused(t, cmd)
	}
}

func TestClimbs(t *testing.T) {
	for _, c := range []struct {
		cwd, p string
		want   bool
	}{
		{"/work/infra", "x", false},
		{"/work/infra", "../x", false},
		{"/work/infra", "../../x/y", false},
		{"/work/infra", "./../x", false},
		{"/work/infra", "/work/infra/../x", false},
		{"/work/infra", "/work/../x", false},
		{"/work/infra", "/../x", false},
		{"/work/infra", "l/../x", true},
		{"/work/infra", "../l/../x", true},
		{"/work/infra", "/work/infra/l/../x", true},
		{"/work/infra", "/work/other/../x", true},
		{"/work/infra", "/home/agent/../x", true},
		{"", "../x", false},
		{"", "l/../x", true},
		{"", "/work/infra/../x", true},
	} {
		if got := Climbs(c.cwd, c.p); got != c.want {
			t.Errorf("Climbs(%q, %q) = %v, want %v", c.cwd, c.p, got, c.want)
		}
	}
}

// The integer and nameref attributes persist for the rest of the shell:
// every later assignment (plain, read, printf -v, mapfile, getopts, a for
// loop, ${x:=…}) evaluates its value as arithmetic, or as a variable name,
// and a subscript in it runs its command substitution. A line that sets
// either attribute, in any spelling, is refused.
func TestR17hook4IntegerAndNamerefAttributes(t *testing.T) {
	for _, cmd := range []string{
		"declare -i x; x=$(cat f)",
		"declare -i x; x=$(echo 'a[$(terraform destroy -auto-approve)]')",
		"declare -i x; read x <f",
		"declare -i x; printf -v x %s \"$(cat f)\"",
		"declare -i x; mapfile x <f",
		"declare -i x; for x in $(cat f); do :; done",
		"declare -i x; : ${x:=$(cat f)}",
		"declare -i x=$(cat f)",
		"declare -gi x; x=$(cat f)",
		"declare -ai x; x=($(cat f))",
		"declare \"-i\" x; x=$(cat f)",
		"declare '-i' x",
		"o=-i; declare $o x; x=$(cat f)",
		"declare $(echo -i) x",
		"typeset -i x; x=$(cat f)",
		"f() { local -i x; x=$(cat g); }; f",
		"f() { local -I x; x=$(cat g); }; f",
		"builtin declare -i x; x=$(cat f)",
		"command declare -i x; x=$(cat f)",
		"\\declare -i x; x=$(cat f)",
		"'typeset' -i x; x=$(cat f)",
		"eval 'declare -i x'; x=$(cat f)",
		"bash -c 'declare -i x; x=$(cat f)'",
		"declare -n r; r=TF_CLI_ARGS_init; r=-force-copy; export TF_CLI_ARGS_init; terraform init",
		"read v; declare -n r=$v; echo $r",
		"local -n r=x",
		"typeset -n r",
		"builtin declare -n r",
		"declare -rn r=x",
	} {
		wantRefused(t, cmd)
	}
}

// Other places where bash evaluates text the line computes as arithmetic
// or as a variable name with a subscript: the output of a command
// substitution in arithmetic, and a computed name given to a builtin that
// assigns or tests it (printf -v, read, declare, test -v, wait -p,
// mapfile, getopts) or to ${!name}.
func TestR17hook4ComputedArithmeticAndNames(t *testing.T) {
	for _, cmd := range []string{
		"a[$(cat f)]=1",
		"echo $(( $(cat f) ))",
		"(( $(cat f) ))",
		"let \"$(cat f)\"",
		"[[ $(cat f) -eq 1 ]]",
		"x=1; echo ${x:$(cat f)}",
		"k=$(cat f); printf -v \"a[$k]\" %s 1",
		"k=$(cat f); printf -v \"$k\" %s 1",
		"k=$(cat f); test -v \"$k\"",
		"k=$(cat f); [ -v \"$k\" ]",
		"k=$(cat f); read \"$k\" <<<1",
		"k=$(cat f); read -a \"$k\" <<<1",
		"k=$(cat f); declare \"$k=1\"",
		"k=$(cat f); local \"$k\"",
		"k=$(cat f); wait -n -p \"$k\"",
		"read k; mapfile \"$k\" < f",
		"read k; getopts a \"$k\"",
		"k=$(cat f); echo ${!k}",
		"echo ${!OUTSIDE}",
	} {
		wantRefused(t, cmd)
	}
}

// sudo and doas take VAR=VALUE operands before the command and set them
// in its environment: judged as env's and as prefix assignments are.
func TestR17hook4SudoAssignments(t *testing.T) {
	for _, cmd := range []string{
		"sudo TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo -E TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo --preserve-env=PATH TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo -u root TF_CLI_ARGS=-destroy terraform plan",
		"doas TF_CLI_ARGS_init=-force-copy terraform init",
		"sudo GIT_CONFIG_COUNT=1 git status",
		"sudo GIT_SSH_COMMAND='terraform destroy -auto-approve;:' git fetch",
		"sudo PS4='$(terraform destroy -auto-approve)' bash -xc true",
		"sudo BASH_ENV=/dev/stdin bash -c true <<<'terraform destroy -auto-approve'",
		"sudo PATH=/tmp/evil /opt/planguard/bin/planguard apply --policy /work/planguard.hcl tfplan",
		"sudo PLANGUARD_TERRAFORM=/tmp/evil /opt/planguard/bin/planguard apply --policy /work/planguard.hcl tfplan",
		"sudo \"$X\" terraform init",
		"sudo LESS='+!terraform destroy' less f",
		"sudo -s PROMPT_COMMAND='terraform destroy -auto-approve' bash -i",
	} {
		wantRefused(t, cmd)
	}
}

// A variable assigned $(mktemp …) is empty when mktemp fails (TMPDIR not
// writable, too few X's in a template), or holds what a function or alias
// named mktemp prints: "$t/x" is then /x. Only a judgement that holds when
// it is empty stands, and no definition of mktemp may stand in the line.
func TestR17hook4MktempMayBeEmpty(t *testing.T) {
	for _, cmd := range []string{
		"t=$(mktemp -d); echo x > \"$t/work/planguard.hcl\"",
		"t=$(mktemp -d); cp e.json \"$t\"/work/allowed_signers",
		"echo x > \"$(mktemp -d)/work/planguard.hcl\"",
		"mktemp() { echo /work; }; t=$(mktemp -d); echo x > \"$t/planguard.hcl\"",
		"t=$(mktemp -d); mktemp() { echo /work; }; echo x > \"$(mktemp)/planguard.hcl\"",
		"t=$(mktemp -d); rm -rf \"$t\"/work",
		"readonly t; t=$(mktemp -d); echo x > \"$t/planguard.hcl\"",
		"declare -r t; t=$(mktemp -d); echo x > \"$t/planguard.hcl\"",
		"enable -f ./m.so mktemp; t=$(mktemp -d); echo x > \"$t/planguard.hcl\"",
	} {
		wantRefused(t, cmd)
	}
}

// unset (and its kin) change what later words of the line mean: a
// variable the hook judged by its value is empty again, a builtin or
// function is another program. unset is refused in a line with anything
// else; so are enable (a builtin loaded from a file, or turned off), and
// output the hook reads (echo | bash) from a program the line redefines.
// An alias never takes effect in the line that defines it (bash reads the
// whole line first): the command is judged as written too.
func TestR17hook4UnsetAndRedefinitions(t *testing.T) {
	for _, cmd := range []string{
		"d=safe; unset d; cp e.json \"$d\"../planguard.hcl",
		"d=/tmp; unset -v d; echo x > \"$d/work/planguard.hcl\"",
		"d=safe; f() { cp e.json \"$d\"../planguard.hcl; }; unset d; f",
		"unset -f echo; terraform plan",
		"unset PATH; terraform plan",
		"builtin unset d; echo $d",
		"eval 'unset d'; echo $d",
		"unset \"$x\"",
		"unset 'a[$(terraform destroy -auto-approve)]'",
		"alias terraform=echo; terraform destroy -auto-approve",
		"alias tf=terraform terraform=echo; terraform destroy -auto-approve",
		"echo() { printf 'terraform destroy -auto-approve'; }; echo ls | bash",
		"f() { echo ls | bash; }; eval 'echo() { printf \"terraform destroy\"; }'; f",
		"printf() { echo 'terraform destroy'; }; printf ls | sh",
		"cat() { echo 'terraform destroy'; }; cat <<'EOF' | bash\nls\nEOF",
		"enable -f ./x.so echo; echo ls | bash",
		"enable -n echo",
		"wc() { echo 'a[$(terraform destroy)]'; }; n=$(wc -l <f); echo $((n))",
	} {
		wantRefused(t, cmd)
	}
}

// Harmless commands near the new rules stay allowed.
func TestR17hook4HarmlessStillAllowed(t *testing.T) {
	for _, cmd := range []string{
		"echo x > ../notes.md",
		"cp main.tf ../../backup/main.tf",
		"cat l/../../planguard.hcl",
		"ls ../..",
		"t=$(mktemp); echo x > \"$t\"; cat \"$t\"; rm -f \"$t\"",
		"d=$(mktemp -d) && cp main.tf \"$d/main.tf\"",
		"t=$(mktemp -d); echo x > \"$t/out.json\"; rm -rf \"$t\"",
		"unset TF_LOG",
		"unset -v AWS_PROFILE TF_LOG",
		"declare -a xs=(a b); echo \"${xs[@]}\"",
		"declare -A m=([a]=1); echo \"${m[a]}\"",
		"export TF_LOG=debug; terraform plan",
		"sudo -u deploy terraform plan",
		"sudo -E terraform plan",
		"sudo TF_LOG=debug terraform plan", // HOME=… is refused since hook9a (F1: git and vim read configuration under it)
		"echo $(( $(wc -l <main.tf) + 1 ))",
		"n=$(wc -l <main.tf); echo $((n * 2))",
		"printf -v now '%(%s)T' -1; echo $now",
		"read -r line < f; echo \"$line\"",
		"alias ll='ls -l'; ll",
		"echo ls | bash",
		"enable",
		"enable -p",
		"echo ${!prefix*} ${!arr[@]}",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}
