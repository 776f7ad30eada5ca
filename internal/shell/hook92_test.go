package shell

import "testing"

// Review hook92 (on aea7005): a git pathspec's backslash escape
// ('terraform.tfstat\e' matches the state: H1); git options that take a
// value read as paths or flags (git clean -fdx -e keep.txt cleaned the
// whole directory, -e -n is no dry run: H2); git merge-index running a
// program per unmerged file (H3); Open MPI's -wdir DIR and cmake -E chdir
// DIR not read as directory changes (H4, H5); --pathspec-from-file (M1).
// False refusal fixed: git clean -fdx -e .env build.

var h92Refused = []h32Case{
	// H1
	{cmd: "git clean -fx 'terraform.tfstat\\e'", setup: h72Repo, victim: "statefile"},
	{cmd: "git stash push -a -- 'terraform.tfstat\\e'", setup: h72Repo, victim: "statefile"},
	{cmd: "git add -f 'terraform.tfstat\\e'"},
	{cmd: "git submodule deinit -f 't\\f'"},
	// H2
	{cmd: "git clean -fdx -e keep.txt", setup: h72Repo, victim: "statefile"},
	{cmd: "git clean -fdx --exclude keep.txt", setup: h72Repo, victim: "statefile"},
	{cmd: "git clean -fdx -e -n", setup: h72Repo, victim: "statefile"},
	{cmd: "git clean -fdxe-n", setup: h72Repo, victim: "statefile"},
	{cmd: "git clean -fdx --excl=-n -e --dry-run"},
	{cmd: "git stash push -a -m wip", setup: h72Repo, victim: "statefile"},
	{cmd: "git stash push --all --message wip"},
	// H3
	{cmd: "git merge-index sh -a"},
	{cmd: "git merge-index -o -q rm -a"},
	// M1
	{cmd: "printf 'terraform.tfstate\\n' > ../l && git rm -qf --pathspec-from-file=../l"},
	{cmd: "echo tf | git rm -q --pathspec-from-file=-"},
	{cmd: "git restore --source=HEAD~1 --worktree --pathspec-f=l"},
	{cmd: "git checkout --pathspec-from-file l HEAD"},
}

// h92Wrappers run rm from another directory (H4, H5).
var h92Wrappers = []h32Case{
	{cmd: "mkdir -p sub && mpirun --allow-run-as-root --oversubscribe -np 1 -wdir sub rm -rf ../../tf", needs: "mpirun", victim: "statefile"},
	{cmd: "mkdir -p sub && mpirun --allow-run-as-root --oversubscribe -np 1 -wd sub rm -rf ../../tf", needs: "mpirun", victim: "statefile"},
	{cmd: "mkdir -p sub && cmake -E chdir sub rm -rf ../../tf", needs: "cmake", victim: "statefile"},
}

var h92Allowed = []string{
	"git clean -fdx -e .env build",
	"git clean -n -d",
	"git commit -m 'clean -fdx'",
	"git checkout -b feature",
	"git stash push -m wip src/main.go",
	"mpirun -np 4 ./a.out",
	"cmake -E make_directory build",
	"cmake -E chdir build make",
}

func TestHook92Refused(t *testing.T) {
	hookRefused(t, h92Refused)
}

func TestHook92Allowed(t *testing.T) {
	hookAllowed(t, h92Allowed)
}

// TestHook92BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns); the wrappers' where
// mpirun and cmake are installed.
func TestHook92BashRuns(t *testing.T) {
	hookBashRuns(t, h92Refused, bashRuns{gitRepo: true, line: h37Line})
	for _, c := range h92Wrappers {
		if r := Analyze(h37Line(c.cmd, "/work", ""), h32Opts("/work")); r.Allowed() {
			t.Errorf("allowed, want refused: %s", c.cmd)
		}
	}
	hookBashRuns(t, append(h92Wrappers, h32Case{cmd: "mkdir -p sub && env -C sub rm -rf ../../tf", victim: "statefile"}), bashRuns{line: h37Line})
}
