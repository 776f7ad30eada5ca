package shell

import "testing"

// Review hook81 (on 4b04e92): a value a command's own assignment gives a
// variable (X=VALUE bash -c '$X', env X=VALUE …) reaches the scripts that
// command runs (H1); GNU parallel's system configuration /etc/parallel
// (M1, planguard/hook81_test.go); mkdir/touch of a path named parallel
// (false refusal).

var h81Refused = []h32Case{
	{cmd: "X='@TF@ destroy -auto-approve -input=false' bash -c '$X'", victim: "state"},
	{cmd: "X='rm -f terraform.tfstate' bash -c '$X'", victim: "statefile"},
	{cmd: "env X='@TF@ destroy -auto-approve -input=false' bash -c '$X'", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' sh -c '$X'", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' ssh -o ProxyCommand='$X' h", needs: "ssh", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' git -c alias.z='!$X' z", needs: "git", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' bash <<'E'\n$X\nE", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' bash -c '${X}'", victim: "state"},
	{cmd: "X='@TF@ destroy -auto-approve -input=false' bash -c '${X:-ls}'", victim: "state"},
	{cmd: "X='mv terraform.tfstate /tmp/x' bash -c '$X'"},
	{cmd: "sudo X='terraform destroy -auto-approve' bash -c '$X'"},
	{cmd: "X='terraform destroy -auto-approve' nice bash -c '$X'"},
	{cmd: "X='terraform destroy -auto-approve' timeout 100 sh -c '$X'"},
	{cmd: "X='terraform destroy -auto-approve' flock /tmp/l -c '$X'"},
	{cmd: "X='terraform destroy -auto-approve' script -qc '$X' /dev/null"},
	{cmd: "X='terraform destroy -auto-approve' watch '$X'"},
	{cmd: "X='terraform destroy -auto-approve' git -c core.pager='$X' log"},
	{cmd: "X='terraform destroy -auto-approve' GIT_PAGER='$X' git log"},
	{cmd: "X='terraform destroy -auto-approve' git -c core.sshCommand='$X' fetch"},
	{cmd: "X='terraform destroy -auto-approve' ssh -o LocalCommand='$X' -o PermitLocalCommand=yes h"},
	{cmd: "X='terraform destroy -auto-approve' ssh -o KnownHostsCommand='$X' h"},
	{cmd: "X='terraform destroy -auto-approve' env bash -c 'Y=1 sh -c \"\\$X\"'"},
}

var h81Allowed = []string{
	"mkdir -p src/parallel",
	"mkdir parallel",
	"touch parallel",
	"mkdir -p internal/xargs",
	"FOO=1 bash -c 'echo $FOO'",
	"X=hello bash -c 'echo \"$X\"'",
	"parallel --will-cite echo ::: a",
	"rmdir parallel",
	"chmod 755 parallel",
	"rm -rf build/parallel",
}

func TestHook81Refused(t *testing.T) {
	hookRefused(t, h81Refused)
}

func TestHook81Allowed(t *testing.T) {
	hookAllowed(t, h81Allowed)
}

// TestHook81BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook81BashRuns(t *testing.T) {
	hookBashRuns(t, h81Refused, bashRuns{line: h37Line})
}
