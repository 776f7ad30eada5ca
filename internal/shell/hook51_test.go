package shell

import "testing"

// Review hook51 (issue 17, hook round 51): values bash changes when it
// stores them (H1 case attributes, H3 a quoted array list), jobs -x (H2,
// M1), subscripts evaluated from quoted declaration words and list keys
// (H4), scripts sh (dash) reads otherwise than bash (H5), and /dev/stdin
// or a descriptor spelled another way (H6). bash's own reading of these
// lines is the text as written, so each needed a rule of its own.

var h51Refused = []h32Case{
	// H1
	{cmd: "declare -l o=-C; bash $o '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "typeset -u o=-c; bash $o x"},
	{cmd: "local -c o=x"},
	{cmd: "declare -lx o=-C"},
	// H2, M1
	{cmd: "jobs -x eval '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "jobs -x source /dev/stdin <<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "jobs -lx alias x=terraform"},
	{cmd: "jobs $X eval x"},
	// H3
	{cmd: "declare -a o='(-c)'; bash $o '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "declare -a o=\\(-c\\); bash $o x"},
	// H4
	{cmd: "declare 'a[$(@TF@ destroy -auto-approve -input=false)]=1'", victim: "state"},
	{cmd: "a=(['$(@TF@ destroy -auto-approve -input=false)']=1)", victim: "state"},
	{cmd: "x='$(@TF@ destroy -auto-approve -input=false)'; a=([\"$x\"]=2)", victim: "state"},
	{cmd: "x='$(@TF@ destroy -auto-approve -input=false)'; a=([$x]=2)", victim: "state"},
	{cmd: "local \"a[$(echo 1)]=x\""},
	// H5: sh is dash here (Debian)
	{cmd: "sh -c 'echo &>/dev/null @TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: `sh -c "echo \$'\\'; @TF@ destroy -auto-approve -input=false` + "\n" + `#\\''"`, victim: "state"},
	{cmd: "echo 'echo &>/dev/null @TF@ destroy -auto-approve -input=false' | sh", victim: "state"},
	{cmd: "dash <<'EOF'\necho &>/dev/null @TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "git -c alias.x='!echo &>/dev/null terraform destroy -auto-approve' x"},
	// H6
	{cmd: "source /dev/./stdin <<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash //dev/stdin <<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash ../../../../../../../../../../dev/stdin <<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "cd /dev; source stdin <<< '@TF@ -chdir=ROOT/tf destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash /dev/fd//3 3<<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "bash /proc/self/./fd/0 <<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "awk -f /dev/./stdin <<< 'BEGIN{system(\"@TF@ destroy -auto-approve -input=false\")}'", victim: "state"},
}

var h51Allowed = []string{
	"declare -a xs=(a b c); echo ${xs[1]}",
	"declare -A m=([key]=v [other]=w)",
	"a=([0]=x [1]=y)",
	"jobs -l",
	"jobs",
	"sh -c 'echo hi && ls -la | wc -l'",
	"sh -c 'if [ -f x ]; then echo y; fi'",
	"echo ls | sh",
	"bash /dev/stdin <<'EOF'\necho hi\nEOF",
	"bash ./build.sh",
	"declare -x FOO=bar",
}

func TestHook51Refused(t *testing.T) {
	hookRefused(t, h51Refused)
}

func TestHook51Allowed(t *testing.T) {
	hookAllowed(t, h51Allowed)
}

// TestHook51BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook51BashRuns(t *testing.T) {
	hookBashRuns(t, h51Refused, bashRuns{line: h37Line})
}
