package shell

import "testing"

// Review hook57 (issue 17, hook round 57): ${!prefix*} (F1), several
// redirections of standard input (F2), a script read from standard input
// that reads its own next lines (F3), a bare number found as a descriptor
// (F4), git aliases without `!` carrying git's options (F5).

var h57Refused = []h32Case{
	// F1
	{cmd: "terraform=1 destroy=1; ${!terraf*} ${!destr*} -auto-approve"},
	{cmd: "terraform=1; ${!terraf@} destroy -auto-approve"},
	// F2
	{cmd: "bash <<<'echo hi' <<'B'\n@TF@ destroy -auto-approve -input=false\nB", victim: "state"},
	{cmd: "bash </dev/null <<'B'\n@TF@ destroy -auto-approve -input=false\nB", victim: "state"},
	{cmd: "bash 3<<<'echo hi' <<'B'\n@TF@ destroy -auto-approve -input=false\nB", victim: "state"},
	{cmd: "source /dev/stdin <<'A' <<'B'\necho hi\nA\n@TF@ destroy -auto-approve -input=false\nB", victim: "state"},
	{cmd: "cat <<'A' <<'B' | bash\necho hi\nA\n@TF@ destroy -auto-approve -input=false\nB", victim: "state"},
	// F3
	{cmd: "bash <<'EOF'\nread x\ncat <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", victim: "state"},
	{cmd: "cat <<'EOF' | bash\nread x\necho '\n@TF@ destroy -auto-approve -input=false\n'\nEOF", victim: "state"},
	// F4
	{cmd: "PATH=/dev/fd:$PATH source 3 3<<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "PATH=/dev/fd:$PATH bash 3 3<<< '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "cd /dev/fd && source 3 3<<< 'terraform destroy'"},
	// F5
	{cmd: "git -c alias.x=\"-c core.fsmonitor='@TF@ -chdir=tf destroy -auto-approve -input=false >&2; false' status\" x", setup: "git add tf/main.tf 2>/dev/null || git -C .. add tf/main.tf", victim: "state"},
	{cmd: "git -c alias.x='--exec-path=/tmp status' x"},
	{cmd: "git config alias.st \"-c core.fsmonitor='terraform destroy -auto-approve' status\""},
}

var h57Allowed = []string{
	"x=1; echo ${!x}",
	"bash <<'EOF'\necho a\necho b\nEOF",
	"bash < script.sh",
	"cat <<'EOF' | bash\necho hi\nls\nEOF",
	"git -c alias.st='status -sb' st",
	"git config alias.lg 'log --oneline'",
	"bash ./3.sh",
}

func TestHook57Refused(t *testing.T) {
	hookRefused(t, h57Refused)
}

func TestHook57Allowed(t *testing.T) {
	hookAllowed(t, h57Allowed)
}

// TestHook57BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns).
func TestHook57BashRuns(t *testing.T) {
	hookBashRuns(t, h57Refused, bashRuns{gitRepo: true, line: h37Line})
}
