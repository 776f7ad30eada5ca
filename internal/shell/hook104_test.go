package shell

import "testing"

// Review hook104 (on 4338583): -install-autocomplete after the subcommand,
// which Terraform and OpenTofu act on anywhere before -- (it appends to
// ~/.bashrc: H1; not run in bash here, which would write the real one);
// the command lines hyperfine, entr -s, nodemon --exec and watchexec run
// through a shell (M1, M2).
var h104Refused = []h32Case{
	// H1
	{cmd: "terraform version -install-autocomplete"},
	{cmd: "terraform plan --install-autocomplete"},
	{cmd: "tofu fmt -install-autocomplete"},
	{cmd: "terraform state list -uninstall-autocomplete"},
	// M1, M2
	{cmd: "hyperfine -r1 'terraform destroy -auto-approve'", needs: "hyperfine", victim: "state"},
	{cmd: "hyperfine -r1 -N --prepare 'terraform state rm terraform_data.prod_db' true", needs: "hyperfine", victim: "state"},
	{cmd: "echo main.tf | entr -nzs 'terraform destroy -auto-approve'", needs: "entr", victim: "state"},
	{cmd: "nodemon --exec 'terraform destroy -auto-approve'"},
	{cmd: "watchexec 'terraform destroy -auto-approve'"},
	{cmd: "hyperfine \"$CMD\""},
}

var h104Allowed = []string{
	"hyperfine 'sleep 0.1' 'sleep 0.2'",
	"ls | entr -s 'make test'",
	"nodemon --exec 'go run .'",
	"watchexec -e go 'go test ./...'",
	"terraform plan",
}

func TestHook104Refused(t *testing.T) {
	hookRefused(t, h104Refused)
}

func TestHook104Allowed(t *testing.T) {
	hookAllowed(t, h104Allowed)
}

// TestHook104BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); hyperfine and entr are installed by .ci/run.
func TestHook104BashRuns(t *testing.T) {
	hookBashRuns(t, h104Refused, bashRuns{line: h37Line})
}
