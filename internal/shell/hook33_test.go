package shell

import (
	"path/filepath"
	"strings"
	"testing"
)

// Review hook33 (issue 17 part 2), findings 1-2 and false refusals.
// F1: bash evaluates what is assigned to OPTIND, RANDOM, SRANDOM, HISTCMD
// (and MAILCHECK in an interactive shell) as arithmetic, as for declare
// -i: `OPTIND=$x` with x='a[$(terraform destroy)]' runs the command.
// F2: a protected file named as a file:// URL (curl -T, gsutil cp).
// ROOT in a case stands for the directory holding planguard.hcl, TF for
// the terraform binary; f.txt (in ROOT/tf) holds the F1 payload.

var h33Refused = []h32Case{
	// F1, every way of assigning.
	{cmd: "OPTIND=$(<f.txt)", victim: "state"},
	{cmd: "RANDOM=$(<f.txt)", victim: "state"},
	{cmd: "SRANDOM=$(cat f.txt)", victim: "state"},
	{cmd: "HISTCMD=$(<f.txt)", victim: "state"},
	{cmd: "MAILCHECK=$(<f.txt)"},
	{cmd: "x=$(<f.txt); OPTIND=$x", victim: "state"},
	{cmd: "OPTIND=$X"},
	{cmd: "OPTIND=\"$X\" true"},
	{cmd: "read -r OPTIND < f.txt", victim: "state"},
	{cmd: "read -r HISTCMD < f.txt", victim: "state"},
	{cmd: "read -ra OPTIND < f.txt"},
	{cmd: "while read -r OPTIND; do :; done < f.txt", victim: "state"},
	{cmd: "mapfile -t SRANDOM < f.txt", victim: "state"},
	{cmd: "readarray -t RANDOM < f.txt", victim: "state"},
	{cmd: "for OPTIND in \"$(<f.txt)\"; do :; done", victim: "state"},
	{cmd: "export OPTIND=\"$(<f.txt)\"", victim: "state"},
	{cmd: "declare OPTIND=\"$(<f.txt)\"", victim: "state"},
	{cmd: "typeset -x RANDOM=\"$(<f.txt)\"", victim: "state"},
	{cmd: "f() { local OPTIND=\"$(<f.txt)\"; }; f"}, // bash 5.2: a local copy does not evaluate
	{cmd: "export \"OPTIND=$(<f.txt)\"", victim: "state"},
	{cmd: "printf -v OPTIND %s \"$(<f.txt)\"", victim: "state"},
	{cmd: "OPTIND+=$(<f.txt)"},
	{cmd: ": ${OPTIND:=$(<f.txt)}"},
	{cmd: "getopts a RANDOM -a"},
	{cmd: "OPTIND='a[$(TF destroy -auto-approve -input=false)]'", victim: "state"},
	{cmd: "b='a[$(TF destroy -auto-approve -input=false)]'; OPTIND=b", victim: "state"},
	{cmd: "export RANDOM='a[$(TF destroy -auto-approve -input=false)]'", victim: "state"},
	{cmd: "OPTIND=x1"},
	{cmd: "OPTIND=(1 2)"},
	{cmd: "OPTIND[0]=$X"},
	// F2: file URLs naming protected files.
	{cmd: "curl -sT ../e.json file://ROOT/planguard.hcl", needs: "curl", victim: "policy"},
	{cmd: "curl -T ../e.json file://localhost/ROOT/planguard.hcl", needs: "curl", victim: "policy"},
	{cmd: "curl -T ../e.json FILE://ROOT/planguard.hcl", needs: "curl", victim: "policy"},
	{cmd: "curl -T ../e.json File://ROOT/planguard%2ehcl", needs: "curl", victim: "policy"},
	{cmd: "curl -T ../e.json file://ROOT/planguard%2Ehcl", needs: "curl", victim: "policy"},
	{cmd: "curl --upload-file ../e.json file:///ROOT/planguard.hcl"},
	{cmd: "curl --upload-file=../e.json file:ROOT/planguard.hcl"},
	{cmd: "curl -T ../e.json file://ROOT/tf/../planguard.hcl"},
	{cmd: "gsutil cp ../e.json file://ROOT/planguard.hcl"},
	{cmd: "gsutil cp file:///tmp/evil/planguard.hcl file://ROOT/planguard.hcl"},
	{cmd: "gsutil cp ../e.json file://../planguard.hcl"},
	{cmd: "gcloud storage cp ../e.json file://ROOT/planguard.hcl"},
	{cmd: "gsutil cp -r file:///tmp/evil file://ROOT"},
	{cmd: "gsutil rsync -r file:///tmp/evil file://ROOT"},
	{cmd: "curl -T ../e.json file://ROOT/tf/terraform.tfstate"},
	{cmd: "curl -T ../e.json file://ROOT/tf/.git/hooks/pre-commit"},
}

// h33Allowed are near misses that must stay allowed.
var h33Allowed = []string{
	"OPTIND=1",
	"OPTIND=0; getopts ab opt -a",
	"f() { local OPTIND; getopts ab o \"$@\"; }",
	"f() { local OPTIND=1; }",
	"OPTIND=1; OPTIND=2",
	"RANDOM=42; echo $RANDOM",
	"echo $RANDOM $SRANDOM $OPTIND",
	"x=$(date); SECONDS=0",
	"read -r line < f.txt",
	"while getopts ab opt; do :; done",
	"curl -o /tmp/x file:///etc/hostname",
	"curl -T /tmp/x file:///tmp/y",
	"gsutil cp file:///tmp/a gs://b/a",
	"cp a.txt st",
	"ln -s X st2",
	"cp -s X st2",
	"terraform destroy -help",
	"terraform destroy -auto-approve -help",
	"terraform import -h",
	"terraform state rm --help",
	"tofu destroy -h",
}

// h33TerraformRefused: the help flag does not count after `--`, with a
// value, or after a computed word (which may be `--`).
var h33TerraformRefused = []string{
	"terraform destroy -auto-approve -- -help",
	"terraform destroy -auto-approve -help=true",
	"terraform destroy $X -help",
	"terraform destroy -auto-approve \"$@\" -h",
	"terraform destroy -auto-approve -hel",
}

func TestHook33TerraformHelp(t *testing.T) {
	opts := h32Opts("/work")
	for _, line := range h33TerraformRefused {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func h33Line(cmd, root, tf string) string {
	return strings.ReplaceAll(h32Line(cmd, tf), "ROOT", root)
}

func TestHook33Refused(t *testing.T) {
	root := "/work"
	opts := h32Opts(root)
	for _, c := range h33Refused {
		line := h33Line(c.cmd, root, h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	// The policy as a relative file URL, from its own directory.
	opts.Cwd = root
	for _, line := range []string{"gsutil cp /tmp/e file://planguard.hcl", "curl -T /tmp/e file:planguard.hcl"} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook33Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h33Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

func TestHook33Export(t *testing.T) {
	opts := h32Opts("/work")
	for _, line := range []string{"export $y", "export \"$y\"", "\\export \"$y\"", "builtin export \"$y\""} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"export \"PATH=$HOME/bin:$PATH\"", "export PATH=$PATH:/x", "export \"NODE_ENV=$x\""} { // GOFLAGS is go's options (review hook68 H1)
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", line, r.Refused)
		}
	}
}

// TestHook33BashRuns runs each refused spelling marked with a victim in
// bash, in a directory holding a real Terraform state (applied by the
// real terraform) next to the policy: the state is destroyed or the
// policy overwritten, so each refusal stops a real attack.
func TestHook33BashRuns(t *testing.T) {
	hookBashRuns(t, h33Refused, bashRuns{line: h33Line, prepare: func(t *testing.T, root, tf string) {
		h32Write(t, filepath.Join(root, "tf", "f.txt"), "a[$("+tf+" destroy -auto-approve -input=false)]\n")
	}})
}
