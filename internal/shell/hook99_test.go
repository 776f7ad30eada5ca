package shell

import (
	"path/filepath"
	"strings"
	"testing"
)

// Review hook99 (on e6868a4): a sed bracket expression holding the
// delimiter, which GNU sed reads whole (s/[/]/w x/e runs the pattern
// space: H1); an awk regex literal holding a " (print /"/ > f: H2); perl
// -MO=Xref,-oFILE writing its listing over the state (H3); a program named
// bare in an option's value (start-stop-daemon --startas=terraform: H4);
// a make variable whose name has a dot (COMPILE.c), which the built-in
// rules start their recipes with (H5). False refusal fixed: sed
// 's/[/]/X/'.
var h99Refused = []h32Case{
	// H1
	{cmd: `echo 'terraform state rm terraform_data.prod_db #/' | sed 's/[/]/w x/e'`, victim: "state"},
	{cmd: `sed '/[/w x]/e terraform destroy -auto-approve' <<< x`, victim: "state"},
	{cmd: `sed 's/[[:alpha:]/]/w ../planguard.hcl/' a`},
	{cmd: `sed '\,[,],w ../planguard.hcl' a`},
	{cmd: `sed 's[b[X[w ../planguard.hcl' a`},
	// H2
	{cmd: `awk 'BEGIN{f="terraform" ".tfstate"; print /"/ "x" > f}'`, victim: "statefile"},
	{cmd: `awk 'BEGIN{f="../plan" "guard.hcl"; print /"/ > f}'`},
	{cmd: `awk '{print a /"/ > f}' a`},
	// H3
	{cmd: `perl -MO=Xref,-oterraform.tfstate,-r /dev/null`, needs: "perl", victim: "statefile"},
	{cmd: `PERL5OPT=-MO=Xref,-oterraform.tfstate,-r perl /dev/null`},
	// H4
	{cmd: `start-stop-daemon -S -n tf -d @TFDIR@ --startas=terraform -- -chdir=ROOT/tf destroy -auto-approve`, needs: "start-stop-daemon", victim: "state"},
	{cmd: `start-stop-daemon -S -n tf -d @TFDIR@ -aterraform -- -chdir=ROOT/tf destroy -auto-approve`, needs: "start-stop-daemon", victim: "state"},
	{cmd: `start-stop-daemon -S -n tf -d /bin --exec=bash -- -c 'terraform destroy -auto-approve'`},
	// H5
	{cmd: `touch x.c; make 'COMPILE.c=terraform destroy -auto-approve #' x.o`, needs: "make", victim: "state"},
	{cmd: `make LINK.o='x;y' app`},
	{cmd: `make "$(cat v.txt)" x.o`},
}

var h99Allowed = []string{
	`echo a/b | sed 's/[/]/X/'`,
	`sed -i 's/[]/]/X/g' a.txt`,
	`sed 's/[^/]*/X/' a`,
	`sed 's[b[X[' a`,
	`awk '{print /"/ > "out.txt"}' a`,
	`awk '{print $1 / 2 > "out.txt"}' a`,
	`awk '{ n = $1 / $2; print n }' a`,
	`start-stop-daemon -S -n tf -d /bin --startas=bash -- -c 'echo hi'`,
	`foo --format=json -Cbuild`,
	`make CFLAGS=-O2 all`,
	`make -j$(nproc) test`,
	`make VERSION=1.2.3`,
}

// h99Line is h37Line with @TFDIR@, the directory of this machine's
// terraform.
func h99Line(cmd, root, tf string) string {
	return h37Line(strings.ReplaceAll(cmd, "@TFDIR@", filepath.Dir(tf)), root, tf)
}

func TestHook99Refused(t *testing.T) {
	var cs []h32Case
	for _, c := range h99Refused {
		c.cmd = strings.ReplaceAll(c.cmd, "@TFDIR@", "/usr/local/bin")
		cs = append(cs, c)
	}
	hookRefused(t, cs)
}

func TestHook99Allowed(t *testing.T) {
	hookAllowed(t, h99Allowed)
}

// TestHook99BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns); perl, start-stop-daemon and make where
// they are installed.
func TestHook99BashRuns(t *testing.T) {
	hookBashRuns(t, h99Refused, bashRuns{line: h99Line})
}
