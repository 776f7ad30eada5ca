package shell

import "testing"

// Review hook106 (on 5ae42d4): links moved behind a program (command mv,
// env mv: H2), hard-linked (ln, link: H3) or copied as links (cp -a: H4)
// — an existing directory of links moved (H1) is tested by the hook
// command (planguard/hook106_test.go); sqlite3 file names in quotes or
// after other blanks (H5); hyperfine's attached short values (M1); gpg
// options read as commands (H7); git apply of a patch the line pipes in
// (H8). False refusal fixed: zcat -S (it writes standard output).
var h106Refused = []h32Case{
	// H2-H4
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && command mv x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && env mv x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && ln x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y && ln -s ../../planguard.hcl x/y/u && link x/y/u x/u && echo evil > x/u", victim: "policy"},
	{cmd: "mkdir -p x/y && ln -s ../../tf x/y/u && cp -a x/y/u x/u && rm -rf x/u/", victim: "statefile"},
	// H5
	{cmd: `sqlite3 :memory: ".once '../planguard.hcl'" "select 'evil'"`, needs: "sqlite3", victim: "policy"},
	{cmd: `sqlite3 :memory: $'.once\v../planguard.hcl' "select 'evil'"`, needs: "sqlite3", victim: "policy"},
	{cmd: `sqlite3 :memory: "attach '../planguard.hcl' as p; create table p.t(a)"`},
	// M1
	{cmd: "hyperfine -r1 -p'terraform destroy -auto-approve' true", needs: "hyperfine", victim: "state"},
	// H7
	{cmd: "gpg --batch --pinentry-mode loopback --passphrase p --yes --list-options show-usage ../planguard.hcl.gpg", needs: "gpg",
		setup: h105GPG + "; gpg --batch --pinentry-mode loopback --passphrase p -c -o ../planguard.hcl.gpg ../ev", victim: "policy"},
	{cmd: "gpg -rbob ../planguard.hcl.gpg"},
}

var h106Git = []h32Case{
	// H8
	{cmd: "cd .. && git add -A && git diff --cached | git apply -R", setup: "git config user.email a@b.c; git config user.name a", victim: "statefile"},
	{cmd: "git add -A && git commit -qm s && git show HEAD | git apply -R"},
	{cmd: "git diff --no-index /dev/null terraform.tfstate | git apply -R"},
	{cmd: "cat x.patch | git apply"},
}

var h106Allowed = []string{
	"zcat -S _x ../planguard.hcl_x",
	"sqlite3 app.db 'select * from t'",
	"git apply fix.patch",
	"git diff | git apply -R",
	"cp -r src dst",
	"gpg --verify x.sig",
}

func TestHook106Refused(t *testing.T) {
	hookRefused(t, h106Refused)
	hookRefused(t, h106Git)
}

func TestHook106Allowed(t *testing.T) {
	hookAllowed(t, h106Allowed)
}

// TestHook106BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); sqlite3, hyperfine and gpg are installed by .ci/run.
func TestHook106BashRuns(t *testing.T) {
	hookBashRuns(t, h106Refused, bashRuns{line: h37Line})
	hookBashRuns(t, h106Git, bashRuns{gitRepo: true, line: h37Line})
}
