package shell

import "testing"

// Review hook94 (on eecba60): git fetch --prune with a refspec whose
// destination pattern matches refs/stash deleted the stash (H1); git stash
// save's message read as a path (H2); Open MPI and MPICH under Debian's
// names (mpirun.openmpi -wdir: H3); systemd-run -p WorkingDirectory= (M1).
// False refusal fixed: git restore --staged . (the index only).

var h94Refused = []h32Case{
	// H1 and H2
	{cmd: "git stash save -a wip && git fetch -q --prune . 'refs/none/*:refs/st*' && git gc -q --prune=now", setup: h72Repo, victim: "statefile"},
	{cmd: "git add . && git stash -q && git fetch -q --prune . 'refs/none/*:refs/st*' && git gc -q --prune=now",
		setup: "git config user.email a@b.c; git config user.name a; git add main.tf ../planguard.hcl; git commit -qm init", victim: "statefile"},
	{cmd: "git stash save -a wip", setup: h72Repo, victim: "statefile"},
	{cmd: "git stash save --all wip"},
	{cmd: "git pull --pru . 'refs/none/*:refs/st*'"},
	{cmd: "git -c fetch.prune=true fetch . 'x/*:refs/s*'"},
	{cmd: "git fetch -p . refs/heads/none:refs/stash"},
	{cmd: "git push . :refs/stash"},
	{cmd: "git push . --delete stash"},
	{cmd: "git config remote.origin.fetch 'refs/none/*:refs/st*'"},
	{cmd: "git -c remote.x.fetch=refs/none/*:refs/* fetch -p x"},
	{cmd: "git remote add --mirror=fetch e ../e"},
	// M1
	{cmd: "systemd-run -p WorkingDirectory=/ rm -rf work/tf"},
	{cmd: "systemd-run --property=WorkingDirectory=/ --wait rm -rf work/tf"},
}

var h94Wrappers = []h32Case{
	// H3
	{cmd: "mkdir -p sub && mpirun.openmpi --allow-run-as-root --oversubscribe -np 1 -wdir sub rm -rf ../../tf", needs: "mpirun.openmpi", victim: "statefile"},
	{cmd: "mkdir -p sub && mpiexec.openmpi --allow-run-as-root --oversubscribe -n 1 -wd sub rm -rf ../../tf", needs: "mpiexec.openmpi", victim: "statefile"},
}

var h94Allowed = []string{
	"git restore --staged .",
	"git restore -S main.tf",
	"git stash save wip",
	"git fetch --prune origin",
	"git fetch -p",
	"git fetch origin main:main",
	"git pull --rebase origin main",
	"git push -d origin feature",
	"git push origin HEAD:refs/heads/feature",
	"git remote add origin https://example.com/x.git",
	"mpirun.openmpi -np 4 ./a.out",
}

func TestHook94Refused(t *testing.T) {
	hookRefused(t, h94Refused)
	hookRefused(t, []h32Case{{cmd: "mpirun.openmpi -wdir sub rm -rf ../tf"}, {cmd: "mpiexec.hydra -wdir sub rm -rf ../tf"}})
}

func TestHook94Allowed(t *testing.T) {
	hookAllowed(t, h94Allowed)
}

// TestHook94BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns); the MPI ones where
// Open MPI is installed.
func TestHook94BashRuns(t *testing.T) {
	hookBashRuns(t, h94Refused, bashRuns{gitRepo: true, line: h37Line})
	// env -C runs everywhere: the test runs a spelling without Open MPI.
	hookBashRuns(t, append(h94Wrappers, h32Case{cmd: "mkdir -p sub && env --chdir=sub rm -rf ../../tf", victim: "statefile"}), bashRuns{line: h37Line})
}
