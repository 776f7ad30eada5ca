package shell

import "testing"

// Review hook141 (on 1344c53): an exec with no command in any spelling
// (command exec, exec --, \exec, exec -l, a computed word) whose
// redirection then feeds every later command (H1); patch's directory as
// the next word, abbreviated or in a cluster (--dir .., -fd ..: H2);
// MAILRC (H3). Review hook143: perl -F/PATTERN/ pasted into code (H1), go
// run of code the line writes (H2), code runners and build tools reading
// a file the line writes whatever its name, or code from standard input
// (cmake -P CMakeLists.txt, mvn with a written pom.xml: H3).
var h141Refused = []h32Case{
	{cmd: "command exec <<< '@TF@ destroy -auto-approve'; bash", victim: "state"},
	{cmd: "exec -- <<< '@TF@ destroy -auto-approve'; bash", victim: "state"},
	{cmd: "\\exec <<< '@TF@ destroy -auto-approve'; bash", victim: "state"},
	{cmd: "'exec' < f; bash"},
	{cmd: "ex\\ec < f; bash"},
	{cmd: "e=exec; $e < f; bash"},
	{cmd: "command -p exec < f; bash"},
	{cmd: "exec -l < f; bash"},
	{cmd: "patch -p1 --dir .. <<'EOF'\n--- a/planguard.hcl\n+++ b/planguard.hcl\n@@ -1 +1 @@\n-policy\n+evil\nEOF", needs: "patch", victim: "policy"},
	{cmd: "patch -p1 -fd .. <<'EOF'\n--- a/planguard.hcl\n+++ b/planguard.hcl\n@@ -1 +1 @@\n-policy\n+evil\nEOF", needs: "patch", victim: "policy"},
	{cmd: "patch -p1 -sd.. <<'EOF'\n--- a/planguard.hcl\n+++ b/planguard.hcl\n@@ -1 +1 @@\n-policy\n+evil\nEOF"},
	{cmd: "patch -p1 --direc .. <<'EOF'\n--- a/planguard.hcl\n+++ b/planguard.hcl\n@@ -1 +1 @@\n-policy\n+evil\nEOF"},
	{cmd: "printf 'set interactive\\n' > rc; MAILRC=rc mail -s x root <<< '~!@TF@ destroy -auto-approve'"},
	// perl ends the -F pattern at a blank: the command is in words.
	{cmd: "perl -F'/x/);system(q(@TF@),q(destroy),q(-auto-approve));(/x/' /dev/null main.tf", needs: "perl", victim: "state"},
	{cmd: "perl -F'/x/);system(qw(@TF@ destroy -auto-approve));(/x/' /dev/null main.tf"},
	{cmd: "perl -F'/@{[system(1)]}/' -n /dev/null"},
	{cmd: "cat > x.go <<'EOF'\npackage main\n\nfunc main() {}\nEOF\ngo run x.go"},
	{cmd: "printf 'module x\\n' > go.mod; go build"},
	{cmd: "printf 'execute_process(COMMAND @TF@ destroy -auto-approve)\\n' > CMakeLists.txt; cmake -P CMakeLists.txt", needs: "cmake", victim: "state"},
	{cmd: "printf 'x' > CMakeLists.txt && cmake -S . -B b"},
	{cmd: "cmake -P /dev/stdin <<'EOF'\nx\nEOF"},
	{cmd: "echo x > s.txt; racket s.txt"},
	{cmd: "racket <(echo x)"},
	{cmd: "echo x > pom.xml; mvn -q package"},
}

var h141Allowed = []string{
	"exec 3< input.txt; cat <&3",
	"exec > build.log 2>&1; make",
	"exec < /dev/null; make test",
	"patch -p1 < fix.patch",
	"patch -p1 -d sub < fix.patch",
	"perl -F, -n /dev/null",
	"go run .",
	"echo x > notes.txt; go test ./...",
	"cmake -S . -B build",
	"mvn package",
	"terraform show -json tfplan > plan.json && conftest test plan.json",
}

func TestHook141Refused(t *testing.T) {
	hookRefused(t, h141Refused)
}

func TestHook141Allowed(t *testing.T) {
	hookAllowed(t, h141Allowed)
}

// TestHook141BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): the exec spellings run everywhere; patch, perl and
// cmake where installed.
func TestHook141BashRuns(t *testing.T) {
	hookBashRuns(t, h141Refused, bashRuns{line: h37Line})
}

// Review hook142, false refusals: a path through a directory named dev
// (envs/dev, the usual environments layout) given to cat or cp; gh, glab
// and npm subcommands named like editors or wrappers (view, watch).
func TestHook142Allowed(t *testing.T) {
	hookAllowed(t, []string{
		"cat envs/dev/terraform.tfvars",
		"cat envs/dev/stdout.log",
		"cp envs/staging/*.tf envs/dev/",
		"cp envs/dev/main.tf envs/prod/",
		"gh pr view 12",
		"gh issue view 5 --comments",
		"gh run watch 123",
		"glab mr view 3",
		"npm view react version",
	})
	hookRefused(t, []h32Case{
		{cmd: "cp x/dev/stdin y"},
		{cmd: "cp r/dev/./stdin y"},
		{cmd: "cp r/dev//stdin y"},
		{cmd: "cat r/proc/self/exe"},
		{cmd: "ln -s envs/dev x"},
		{cmd: "gh x watch terraform destroy"},
	})
}

// The code review of the day's diff (on 376c99c): standard input copied
// from another descriptor with 0>&N counts as fed; patch reads the last
// -i; unknown programs' --suffix abbreviations; mail's letters that take
// a value in one mail and not another; git's message skipped only after
// -m of commit/tag/notes/merge/stash push; hub judged as git.
func TestHookDayReview(t *testing.T) {
	hookRefused(t, []h32Case{
		{cmd: `ssh-keygen -N "" 3<<<"$(printf "terraform.tfstate\ny\n")" 0>&3`},
		{cmd: "git commit 3</tmp/keys 0>&3"},
		{cmd: "exec 3<f; exec 0>&3; bash"},
		{cmd: "cat evil.diff | patch -p0 -i fix.patch -i -"},
		{cmd: "cat evil.diff | patch -p0 --input=fix.patch --input=/dev/stdin"},
		{cmd: "msgmerge -U --backup=simple --suf=e terraform.tfstat x.pot"},
		{cmd: `echo "!x" | mail -E -f /tmp/mbox`},
		{cmd: "echo x | mail -Ef /tmp/mbox"},
		{cmd: "git stash show -m --output=../planguard.hcl"},
		{cmd: "git log --grep commit -m --output=../planguard.hcl"},
		{cmd: "hub clean -fdx"},
		{cmd: "hub reset --hard HEAD~1"},
	})
	hookAllowed(t, []string{
		"patch -p1 -i fix.patch",
		"patch -p1 --input fix.patch",
		"echo body | mail -s subj user@example.com",
		"git -C sub commit -m \"$x\"",
		"hub pull-request -m x",
		"hub status",
		"rm -rf __pycache__",
	})
}
