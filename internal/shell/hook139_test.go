package shell

import "testing"

// Review hook139 (on 26aef5e): the shell's state across a line, round 2.
// H1: histchars moves history expansion to characters the hook does not
// look for. H2: a sourced file's functions assign variables the line sets
// after the source; H3: a readonly (or nameref) from the file makes them
// fail (or go elsewhere). L1: bash --debugger turns extdebug on.
var h139Refused = []h32Case{
	// H1: an interactive shell expands @:1-3 as it would !:1-3.
	{cmd: "bash -i <<< $'histchars=@\\n: @TF@ destroy -auto-approve\\n@:1-3'", victim: "state"},
	{cmd: "bash -i <<< $'declare histchars=%\\n: @TF@ destroy -auto-approve\\n%:1-3'"},
	{cmd: "histchars=@"},
	{cmd: "histchars="},
	{cmd: "histchars+=@"},
	{cmd: "histchars=(@)"},
	{cmd: "declare histchars=@"},
	{cmd: "export histchars=,"},
	{cmd: "typeset histchars=@"},
	{cmd: "f() { local histchars=@; }; f"},
	{cmd: "printf -v histchars @"},
	{cmd: "read histchars <<< @"},
	{cmd: "mapfile -t histchars <<< @"},
	{cmd: "IFS=, read -r a histchars <<< 'x,@'"},
	{cmd: "env histchars=@ bash -i <<< ':'"},
	{cmd: "histchars=@ bash -i <<< ':'"},
	// H2a: a Debian system file; log_end_msg sets red, normal… to nothing
	// when its output is not a terminal.
	{cmd: ". /lib/lsb/init-functions; red=echo; log_end_msg 0; $red @TF@ destroy -auto-approve", needs: "/lib/lsb/init-functions", victim: "state"},
	{cmd: ". /lib/lsb/init-functions; normal=.bak; log_end_msg 0; echo evil > ../planguard.hcl$normal", needs: "/lib/lsb/init-functions", victim: "policy"},
	{cmd: ". /lib/lsb/init-functions; red=echo; log_success_msg; $red @TF@ destroy -auto-approve", needs: "/lib/lsb/init-functions", victim: "state"},
	// H2b: a harmless file written in an earlier call.
	{cmd: ". ./fn.sh; P=echo; f; $P @TF@ destroy -auto-approve", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: "source ./fn.sh; P=.bak; f; echo evil > ../planguard.hcl$P", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "policy"},
	{cmd: ". ./fn.sh; P=echo; ls; $P @TF@ destroy -auto-approve", setup: "printf 'ls() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: ". ./fn.sh; P=echo; grep; $P @TF@ destroy -auto-approve", setup: "printf 'grep() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: "source /dev/stdin < fn.sh; P=echo; f; $P @TF@ destroy -auto-approve", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: ". ./fn.sh; n=0; f; echo $((n))", setup: "printf 'f() { n=\"a[$(rm ../planguard.hcl)]\"; }\\n' > fn.sh"},
	{cmd: ". ./fn.sh; t=$(mktemp); f; echo evil > $t", setup: "printf 'f() { t=../planguard.hcl; }\\n' > fn.sh", victim: "policy"},
	// The source in a function the line defines, or in a loop, judged
	// where the walk meets it: the later assignments are unknown too.
	{cmd: "g() { . ./fn.sh; }; g; P=echo; f; $P @TF@ destroy -auto-approve", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: "g() { . ./fn.sh; }; P=echo; g; f; $P @TF@ destroy -auto-approve", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: "for i in 1; do . ./fn.sh; done; P=echo; f; $P @TF@ destroy -auto-approve", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "state"},
	{cmd: "while . ./fn.sh; do break; done; P=.bak; f; echo evil > ../planguard.hcl$P", setup: "printf 'f() { P=; }\\n' > fn.sh", victim: "policy"},
	// H3: a readonly from the file keeps its value; a nameref sends the
	// assignment to another name.
	{cmd: ". ./ro.sh\nP=echo\n$P @TF@ destroy -auto-approve", setup: "printf 'readonly P=\\n' > ro.sh", victim: "state"},
	{cmd: ". ./ro.sh\nP=.bak\necho evil > ../planguard.hcl$P", setup: "printf 'readonly P=\\n' > ro.sh", victim: "policy"},
	{cmd: ". ./ro.sh; declare P=echo; $P @TF@ destroy -auto-approve", setup: "printf 'readonly P=\\n' > ro.sh", victim: "state"},
	{cmd: ". ./ro.sh; export P=.bak; echo evil > ../planguard.hcl$P", setup: "printf 'readonly P=\\n' > ro.sh", victim: "policy"},
	{cmd: ". ./ro.sh; P=.bak 2>/dev/null || :; echo evil > ../planguard.hcl$P", setup: "printf 'readonly P=\\n' > ro.sh"},
	{cmd: ". ./nr.sh; P=echo; Q=; $P @TF@ destroy -auto-approve", setup: "printf 'declare -n P=Q\\n' > nr.sh", victim: "state"},
	// L1: extdebug when bashdb is installed.
	{cmd: "bash --debugger -c 'trap \"[[ \\$BASH_COMMAND != P=* ]]\" DEBUG; P=echo; $P @TF@ destroy -auto-approve'"},
	{cmd: "bash --norc --debugger -c 'true'"},
}

var h139Allowed = []string{
	"source venv/bin/activate && pip install -r requirements.txt",
	". ~/.nvm/nvm.sh && nvm use && npm test",
	"set -a; . ./.env; set +a; terraform plan -out tfplan",
	"source .env && echo done > out.txt",
	"source venv/bin/activate && cd app && pytest -q",
	"source .venv/bin/activate; pip install -e . && pytest tests/ > test.log 2>&1",
	". ./.env && terraform plan -out tfplan && terraform show tfplan",
	"source /dev/stdin <<< 'X=1'; echo done > out.txt",
	"P=echo; $P hi",
	"echo \"$histchars\"",
	"unset histchars",
	"export histchars",
	"bash --norc -c 'echo hi'",
	"bash --noprofile --norc -c 'echo hi'",
}

func TestHook139Refused(t *testing.T) {
	hookRefused(t, h139Refused)
}

func TestHook139Allowed(t *testing.T) {
	hookAllowed(t, h139Allowed)
}

// TestHook139BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): the sourced file's function empties P, its
// readonly keeps P empty, the interactive shell expands @:1-3.
func TestHook139BashRuns(t *testing.T) {
	hookBashRuns(t, h139Refused, bashRuns{line: h37Line})
}
