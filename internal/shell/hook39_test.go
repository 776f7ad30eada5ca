package shell

import (
	"testing"
)

// Review hook39 (issue 17, hook round 39): $'…' escapes bash decodes
// otherwise (H1), nullglob (H2), unquoted words that may expand to nothing
// (H3), CDPATH (H4), a prefix assignment on a function call (H5).

var h39Refused = []h32Case{
	// H1
	{cmd: "$'terr\\541form' destroy -auto-approve -input=false", victim: "state"},
	{cmd: "x=$'terr\\541form'; $x destroy -auto-approve -input=false", victim: "state"},
	{cmd: "cat ../e.json > $'../planguard.hc\\554'", victim: "policy"},
	{cmd: "@TF@ init $'\\455migrate-state' $'\\455force-copy'"},
	{cmd: "echo $'\\cA'"},
	// H2
	{cmd: "shopt -s nullglob; sort -o zz[0-9] ../planguard.hcl < ../e.json", victim: "policy"},
	{cmd: "shopt -s nullglob; python3 zz[0-9] -c 'open(\"../planguard.hcl\",\"w\").write(\"evil\\n\")'", needs: "python3", victim: "policy"},
	{cmd: "shopt -s extglob nullglob"},
	// H3
	{cmd: "python3 $! -c 'open(\"../planguard.hcl\",\"w\").write(\"evil\\n\")'", needs: "python3", victim: "policy"},
	{cmd: "perl $! -e 'system(\"@TF@ destroy -auto-approve -input=false\")'", needs: "perl", victim: "state"},
	{cmd: "python3 $(echo) -c 'print(1)'"},
	{cmd: "python3 `echo` -c 'print(1)'"},
	{cmd: "node $(nproc) -e 'x'"},
	// H4
	{cmd: "CDPATH=/home/agent; cd .bashrc.d && echo x > a.sh"},
	{cmd: "CDPATH=/home/agent cd .bashrc.d; echo x > b.sh"},
	{cmd: "export CDPATH=/work/.claude; cd commands && echo x > d.md"},
	{cmd: "read -r CDPATH < f; cd commands && echo x > d.md"},
	// H5
	{cmd: "p=echo; f() { $p destroy -auto-approve -input=false; }; p=@TF@ f", victim: "state"},
	{cmd: "o=/tmp/ok; f() { cp ../e.json \"$o\"; }; o=../planguard.hcl f", victim: "policy"},
	{cmd: "m=-input=false; f() { @TF@ init -input=false $m; }; m=-force-copy f"},
}

var h39Allowed = []string{
	"echo $((1+2))",
	"echo $'\\101\\t\\x41'",
	"shopt -s failglob dotglob",
	"sleep \"$(nproc)\"",
	"false || true; echo $?",
	"f() { echo \"$1\"; }; X=1 f a",
	"p=echo; f() { $p hi; }; p=echo f",
	"cd build && make",
}

func TestHook39Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.ProtectedDirs = []string{"/home/agent/.bashrc.d", "/work/.claude"}
	for _, c := range h39Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook39Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h39Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook39BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook39BashRuns(t *testing.T) {
	hookBashRuns(t, h39Refused, bashRuns{line: h37Line})
}
