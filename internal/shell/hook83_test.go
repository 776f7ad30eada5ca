package shell

import "testing"

// Review hook83 (on ecabb47): a function, trap or loop reading a variable
// the line sets only later (H1, fixed with hook81b); wrappers the hook does
// not know that run their program in another directory by an option of
// their own (unshare -w, nsenter --wd, start-stop-daemon --chdir: H2); a
// wrapper's directory taken before a cd in the script it runs (env -C a
// bash -c 'cd ../envs && …': H3); wrappers that set variables by an option
// or from files (bwrap --setenv, envdir: M1).

var h83Refused = []h32Case{
	{cmd: "f(){ $X; }; X='@TF@ destroy -auto-approve -input=false'; f", victim: "state"},
	{cmd: "trap '$X' EXIT; X='@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "f(){ bash -c '$X'; }; X='@TF@ destroy -auto-approve -input=false' f", victim: "state"},
	{cmd: "unshare -w .. rm -rf tf", needs: "unshare", victim: "statefile"},
	{cmd: "unshare --wd=.. rm -rf tf", needs: "unshare", victim: "statefile"},
	{cmd: "nsenter --wd=.. rm -rf tf", needs: "nsenter", victim: "statefile"},
	{cmd: "start-stop-daemon --start --chdir .. --exec /bin/rm -- -rf tf", needs: "start-stop-daemon", victim: "statefile"},
	{cmd: "mkdir -p ../a && env -C ../a bash -c 'cd .. && rm -rf tf'", victim: "statefile"},
	{cmd: "mkdir -p ../a && env -C ../a sh -c 'cd ../tf && rm -f terraform.tfstate'", victim: "statefile"},
	{cmd: "bwrap --dev-bind / / --setenv X '@TF@ destroy -auto-approve -input=false' bash -c '$X'", needs: "bwrap", victim: "state"},
	{cmd: "mkdir -p ../e && printf '@TF@ destroy -auto-approve -input=false' > ../e/X && envdir ../e bash -c '$X'", needs: "envdir", victim: "state"},
	{cmd: "firejail --env=X='terraform destroy -auto-approve' bash -c '$X'"},
	{cmd: "mpirun -x X bash -c '$X'"},
	{cmd: "srun -D .. rm -rf tf"},
	{cmd: "pnpm -C .. exec rm -rf tf"},
}

var h83Allowed = []string{
	"unshare -r whoami",
	"nsenter -t 1 -m ls /",
	"envdir ./env make test",
	"bwrap --ro-bind / / ls",
	"env -C /tmp/work bash -c 'cd sub && make'",
}

func TestHook83Refused(t *testing.T) {
	hookRefused(t, h83Refused)
}

func TestHook83Allowed(t *testing.T) {
	hookAllowed(t, h83Allowed)
}

// TestHook83BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook83BashRuns(t *testing.T) {
	hookBashRuns(t, h83Refused, bashRuns{line: h37Line})
}
