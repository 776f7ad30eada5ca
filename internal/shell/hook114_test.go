package shell

import "testing"

// Review hook114 (on e9c01f3): sqlite3's standard input through
// < /dev/stdin, a later here-string, another descriptor's redirection or
// an option value counted as an operand (H1-H4); -cmd SQL before the
// database (H5); archive mode -A (H6); make's default makefile after -C
// DIR or a cd (H7, H8); copies of the newly judged programs (H9-H13);
// prove -ve and --exe, ssh-copy-id -fo (H14-H16). .proverc (M1) is
// protected by the hook command (planguard/hook108_test.go). False
// refusals fixed: sqlite3 .dump and .quit, `set edit = 1`.
var h114Refused = []h32Case{
	{cmd: "echo '.sh terraform destroy -auto-approve' | sqlite3 x.db < /dev/stdin", needs: "sqlite3", victim: "state"},
	{cmd: "sqlite3 x.db < /dev/null <<< '.sh terraform destroy -auto-approve'", needs: "sqlite3", victim: "state"},
	{cmd: "echo '.sh terraform destroy -auto-approve' | sqlite3 x.db 3< /dev/null", needs: "sqlite3", victim: "state"},
	{cmd: "echo '.sh terraform destroy -auto-approve' | sqlite3 -separator , x.db", needs: "sqlite3", victim: "state"},
	{cmd: `sqlite3 -cmd "select writefile('../planguard.hcl','evil'||char(10))" :memory: 'select 1'`, needs: "sqlite3", victim: "policy"},
	{cmd: "sqlite3 -separator , a.db -Ax"},
	{cmd: "mkdir -p d && printf 'x:\\n\\tterraform -chdir=.. destroy -auto-approve\\n' > d/Makefile && make -C d x", needs: "make", victim: "state"},
	{cmd: "mkdir -p d && printf 'x:\\n\\tterraform -chdir=.. destroy -auto-approve\\n' > d/Makefile && cd d && make x", needs: "make", victim: "state"},
	{cmd: "cp /usr/bin/groff g && ./g -U -Tascii <<< '.sy terraform destroy -auto-approve'"},
	{cmd: "cp /usr/bin/troff t && ./t -U -z <<< '.sy terraform destroy -auto-approve'", needs: "/usr/bin/troff", victim: "state"},
	{cmd: "cp /usr/bin/memusage m && ./m -n '$(terraform destroy -auto-approve)' true"},
	{cmd: "touch e.tfvars && prove -ve 'terraform destroy -auto-approve -var-file' e.tfvars", needs: "prove", victim: "state"},
	{cmd: "touch e.tfvars && prove --exe 'terraform destroy -auto-approve -var-file' e.tfvars"},
	{cmd: "ssh-copy-id -fo ProxyCommand='terraform destroy -auto-approve' x"},
}

var h114Allowed = []string{
	"sqlite3 app.db .dump > backup.sql",
	"sqlite3 app.db 'update posts set edit = 1'",
	"sqlite3 app.db < schema.sql",
	"sqlite3 -separator , app.db 'select 1'",
	"sqlite3 -cmd '.mode csv' app.db 'select 1'",
	"make -C build",
	"prove -v t/",
}

func TestHook114Refused(t *testing.T) {
	hookRefused(t, h114Refused)
}

func TestHook114Allowed(t *testing.T) {
	hookAllowed(t, h114Allowed)
}

// TestHook114BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); sqlite3 is installed by .ci/run, make is always there.
func TestHook114BashRuns(t *testing.T) {
	hookBashRuns(t, h114Refused, bashRuns{line: h37Line})
}
