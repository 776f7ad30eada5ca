package shell

import "testing"

// Review hook79 (on bcfba66): parallel's -e/--eof takes the next word as
// its optional value (H1); /dev/stdout and /dev/stderr as scripts are
// descriptors 1 and 2 (H2); a name as an indexed array's list key, or in a
// quoted declaration word, is evaluated (H3); parallel --joblog/--results
// write files (H4); PARALLEL_HOME names the config parallel prepends (H5).

var h79Refused = []h32Case{
	// H1
	{cmd: "parallel -N0 -e echo @TF@ destroy -auto-approve -input=false ::: 1", needs: "parallel", victim: "state"},
	{cmd: "parallel --eof echo terraform destroy -auto-approve ::: 1"},
	{cmd: "parallel -ke echo terraform destroy -auto-approve ::: 1"},
	// H2
	{cmd: "bash /dev/stderr <<'EOF' 2<&0\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "bash /dev/stdout 1<<'EOF'\nterraform destroy -auto-approve\nEOF"},
	{cmd: "source /dev/stderr 2<<'EOF'\nterraform destroy -auto-approve\nEOF"},
	// H3
	{cmd: "y=$(echo 'b{$(@TF@ destroy -auto-approve -input=false)}' | tr '{}' '[]'); arr=([y]=1)", victim: "state"},
	{cmd: "y=$(cat f); typeset 'd[y]=1'"},
	{cmd: "read y; declare -a arr=([y]=1)"},
	// H4
	{cmd: "parallel -j1 --joblog terraform.tfstate echo ::: 1"},
	{cmd: "parallel --results ../planguard.hcl echo ::: 1"},
	// H5
	{cmd: "echo '@TF@ destroy -auto-approve -input=false ;' > config; PARALLEL_HOME=. parallel echo ::: 1", needs: "parallel", victim: "state"},
}

var h79Allowed = []string{
	"arr=([0]=a [1]=b)",
	"i=2; arr=([i]=x)",
	"declare -A m=([key]=v)",
	"parallel -j2 echo ::: 1 2",
	"bash /dev/stdin <<'EOF'\necho hi\nEOF",
}

func TestHook79Refused(t *testing.T) {
	hookRefused(t, h79Refused)
}

func TestHook79Allowed(t *testing.T) {
	hookAllowed(t, h79Allowed)
}

// TestHook79BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook79BashRuns(t *testing.T) {
	hookBashRuns(t, h79Refused, bashRuns{line: h37Line})
}
