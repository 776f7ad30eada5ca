package shell

import "testing"

// Review hook75 (on 4570d0d): programs that run command text with the
// SHELL the agent inherits, when that is zsh or fish (H1); an IFS with
// characters beyond ASCII splits byte by byte in the C locale (H2); GNU
// parallel joins its command words into a shell line, {= … =} is Perl
// (H3); brackets nested in a subscript hide its $(…) (H4); bash -O
// compat44 (H5).

var h75Refused = []h32Case{
	// H2
	{cmd: "LC_ALL=C; IFS=Âƃ; x=evalÃ@TF@ÃdestroyÃ-auto-approveÃ-input=false; $x", victim: "state"},
	{cmd: "IFS=Ã read -r a b <<< x"},
	// H3
	{cmd: "parallel echo ';' @TF@ destroy -auto-approve -input=false '#' ::: 1", needs: "parallel", victim: "state"},
	{cmd: "parallel echo '{= $_=qx(terraform destroy -auto-approve) =}' ::: 1"},
	{cmd: "parallel echo '$(terraform destroy -auto-approve)' ::: 1"},
	{cmd: "parallel echo {} '|' bash ::: 'terraform destroy -auto-approve'"},
	{cmd: "parallel --limit 'terraform destroy -auto-approve' echo ::: 1"},
	{cmd: "parallel echo \"$X\" ::: 1"},
	// H4
	{cmd: "printf -v 'a[ [0]+$(@TF@ destroy -auto-approve -input=false)]' 1", victim: "state"},
	{cmd: "read 'a[ [0]+$(terraform destroy -auto-approve)]' <<< 1"},
	{cmd: "b=0; [[ 1 -eq 'a[b[0]+$(terraform destroy -auto-approve)]' ]]"},
	{cmd: "test -v 'a[ [0]+$(terraform destroy)]'"},
	// H5
	{cmd: "bash -O compat44 -c 'a=0 terraform=0 destroy=0 auto=0 approve=0 input=0 false=0; (( a[\"\\$(@TF@ destroy -auto-approve -input=false)\"] ))'", victim: "state"},
	{cmd: "bash +O extquote -c 'echo hi'"},
	{cmd: "sh -O expand_aliases -c 'echo hi'"},
}

var h75Allowed = []string{
	"parallel -j4 gzip -k ::: a.log b.log",
	"parallel echo {} ::: a b",
	"parallel -q echo '$x' ::: 1",
	"bash -O extglob -c 'ls !(x)'",
	"x='[info] $(date)'",
	"IFS=, read -r a b <<< 'x,y'",
}

// h75ShellRefused are refused when the agent's SHELL is zsh (H1), and
// allowed when it is bash.
var h75ShellRefused = []string{
	"flock /tmp/l -c 'x=terraform/x; $x:h destroy -auto-approve'",
	"script -qc 'echo hi' /dev/null",
	"split --filter='cat' main.tf",
	"sudo -s 'echo hi'",
	"sudo -u bob -s 'echo hi'",
	"su -m -c 'echo hi' u",
	"$SHELL -c 'echo hi'",
	"env \"${SHELL}\" -c 'echo hi'",
}

func TestHook75Refused(t *testing.T) {
	hookRefused(t, h75Refused)
}

func TestHook75Allowed(t *testing.T) {
	hookAllowed(t, h75Allowed)
}

func TestHook75InheritedShell(t *testing.T) {
	for _, sh := range []string{"/usr/bin/zsh", "/opt/homebrew/bin/fish"} {
		opts := h32Opts("/work")
		opts.Shell = sh
		for _, line := range h75ShellRefused {
			if r := Analyze(line, opts); r.Allowed() {
				t.Errorf("SHELL=%s: allowed, want refused: %q", sh, line)
			}
		}
		for _, line := range []string{"sudo apt-get install -y jq", "sudo apt-get -s install jq", "sudo -u bob make", "flock /tmp/l make", "su - u", "echo $SHELL_X"} {
			if r := Analyze(line, opts); !r.Allowed() {
				t.Errorf("SHELL=%s: refused: %q\n%q", sh, line, r.Refused)
			}
		}
	}
	opts := h32Opts("/work")
	opts.Shell = "/bin/bash"
	for _, line := range h75ShellRefused[1:4] {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("SHELL=/bin/bash: refused: %q\n%q", line, r.Refused)
		}
	}
}

// TestHook75BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook75BashRuns(t *testing.T) {
	hookBashRuns(t, h75Refused, bashRuns{line: h37Line})
}
