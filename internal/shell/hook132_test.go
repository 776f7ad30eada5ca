package shell

import "testing"

// Review hook132 (on a777077): everyday Debian programs. A program that
// may start the user's editor (git commit, tag -a, rebase -i, config
// --edit…, sudoedit, kubectl edit, systemctl edit) with its standard input
// fed: the editor, vim, reads `:!cmd` from the pipe (H1); ssh-keygen
// without -f reads the key file's name from standard input (H2); patch fed
// by a pipe or a process substitution the hook does not read (H3); vidir
// and its kin rename or remove files by names from an editor (H4); mail
// -f fed reads commands, `!cmd` among them (M1); an unknown program's GNU
// --suffix making a protected name (msgmerge -U, M2); valgrind's %q{VAR}
// in a file option (M3).
var h132Refused = []h32Case{
	// H1. git runs the editor at the top of the working tree (the
	// world's root): tf/terraform.tfstate from there.
	{cmd: `printf ':!rm -f tf/terraform.tfstate\n:q!\n' | GIT_EDITOR=vim git commit --allow-empty`, needs: "git vim", victim: "statefile"},
	{cmd: `printf ':!rm -f terraform.tfstate\n:q!\n' | git commit --allow-empty`},
	{cmd: `printf ':!rm -f terraform.tfstate\n:q!\n' | EDITOR=vi git commit --allow-empty`},
	{cmd: `printf ':!x\n:q!\n' | EDITOR=vi git tag -a v1`},
	{cmd: `printf ':!x\n:q!\n' | git tag v1`},
	{cmd: `printf ':!x\n:q!\n' | EDITOR=vi git config --edit`},
	{cmd: `printf ':!x\n:q!\n' | git config edit`},
	{cmd: `printf ':!x\n:q!\n' | GIT_SEQUENCE_EDITOR=vi git rebase -i HEAD`},
	{cmd: `printf ':!x\n:q!\n' | GIT_EDITOR=true git rebase -i HEAD~2`},
	{cmd: `printf ':!x\n:q!\n' | git rebase --continue`},
	{cmd: `printf ':!x\n:q!\n' | git pull`},
	{cmd: `printf ':!x\n:q!\n' | EDITOR=vi git notes add`},
	{cmd: `printf ':!x\n:q!\n' | git notes edit`},
	{cmd: `printf ':!x\n:q!\n' | EDITOR=vi git merge --edit HEAD`},
	{cmd: `printf ':!x\n:q!\n' | GIT_MERGE_AUTOEDIT=yes git merge main`},
	{cmd: `printf ':!x\n:q!\n' | EDITOR=vi git add -e`},
	{cmd: `printf 'e\n:!x\n:q!\n' | git add -p`},
	{cmd: `printf 'e\n:!x\n:q!\n' | git checkout -p`},
	{cmd: `printf ':!x\n:q!\n' | git commit --amend`},
	{cmd: `printf ':!x\n:q!\n' | git commit -m x -e`},
	{cmd: `printf ':!x\n:q!\n' | git commit -C HEAD --ed`},
	{cmd: `printf ':!x\n:q!\n' | git commit --fixup=reword:HEAD`},
	{cmd: `printf ':!x\n:q!\n' | git commit --author -m`},
	{cmd: `printf ':!x\n:q!\n' | git -C . commit`},
	{cmd: `printf ':!x\n:q!\n' | git -c alias.ci=commit ci`},
	{cmd: `printf ':!x\n:q!\n' | git cherry-pick --continue`},
	{cmd: `printf ':!x\n:q!\n' | git revert -e HEAD`},
	{cmd: `printf ':!x\n:q!\n' | git branch --edit-description`},
	{cmd: `printf ':!x\n:q!\n' | git mergetool`},
	{cmd: `printf ':!x\n:q!\n' | env GIT_EDITOR=true git commit`},
	{cmd: `printf ':!x\n:q!\n' | sudo git commit`},
	{cmd: `printf ':!x\n:q!\n' | { git commit; }`},
	{cmd: `f() { git commit; }; printf ':!x\n:q!\n' | f`},
	{cmd: `bash -c 'git commit' <<< ':!rm -f terraform.tfstate'`},
	{cmd: `git commit <<'EOF'
:!rm -f terraform.tfstate
EOF`},
	{cmd: `printf ':!x\n:q!\n' | sudoedit /etc/hosts`},
	{cmd: `printf ':!x\n:q!\n' | sudo -u root -e /etc/hosts`},
	{cmd: `printf ':!x\n:q!\n' | visudo`},
	{cmd: `printf ':!x\n:q!\n' | kubectl edit deploy/x`},
	{cmd: `printf ':!x\n:q!\n' | systemctl edit nginx`},
	{cmd: `printf ':!x\n:q!\n' | hg commit`},
	{cmd: `printf ':!x\n:q!\n' | svn ci`},
	// H2.
	{cmd: `printf 'terraform.tfstate\ny\n' | ssh-keygen -t ed25519 -N '' -q`, needs: "ssh-keygen", victim: "statefile"},
	{cmd: `printf '../allowed_signers\ny\n' | ssh-keygen -t ed25519 -N ''`},
	{cmd: `ssh-keygen -t ed25519 -N '' <<< ../allowed_signers`},
	{cmd: `printf '.claude/settings.json\ny\n' | ssh-keygen -t ed25519 -N '' -q`},
	{cmd: `printf 'n\n' | ssh-keygen -p -N '' -P ''`},
	// H3: the patch turns the state's first line, `{`, into `x`.
	{cmd: `base64 -d <<< LS0tIHRlcnJhZm9ybS50ZnN0YXRlCisrKyB0ZXJyYWZvcm0udGZzdGF0ZQpAQCAtMSArMSBAQAoteworeAo= | patch -p0 -f`, needs: "patch base64", victim: "statefile"},
	{cmd: `patch -p0 -f < <(base64 -d <<< LS0tIHRlcnJhZm9ybS50ZnN0YXRlCisrKyB0ZXJyYWZvcm0udGZzdGF0ZQpAQCAtMSArMSBAQAoteworeAo=)`, needs: "patch base64", victim: "statefile"},
	{cmd: `echo $P | base64 -d | patch -p0`},
	{cmd: `xxd -r -p <<< 2d2d | patch -p0`},
	{cmd: `rev <<< x | patch -p0`},
	{cmd: `zcat /tmp/x.gz | patch -p0`},
	{cmd: `patch -p0 -i <(base64 -d <<< eA==)`},
	{cmd: `base64 -d <<< eA== | patch -p0 -i /dev/stdin`},
	{cmd: `base64 -d <<< eA== | bash -c 'patch -p0'`},
	{cmd: `{ base64 -d <<< eA==; } | { patch -p0; }`},
	{cmd: `patch -p0 <<< "$(base64 -d <<< eA==)"`},
	{cmd: `patch -p0 <&3`},
	// H4.
	{cmd: `printf ':g/tfstate/d\n:wq\n' | EDITOR=vim vidir .`, needs: "vidir vim", victim: "statefile"},
	{cmd: `printf ':%%s,main.tf,../planguard.hcl,\n:wq\n' | EDITOR=vi vidir .`},
	{cmd: "vidir ."},
	{cmd: "qmv ."},
	{cmd: `printf 'main.tf ../planguard.hcl\n' | mmv`},
	{cmd: `printf '../planguard.hcl\n' | imv main.tf`},
	// M1.
	{cmd: `printf '!rm -f terraform.tfstate\n' | bsd-mailx -f main.tf`, needs: "bsd-mailx", victim: "statefile"},
	{cmd: `printf '!rm -f terraform.tfstate\n' | mail -f main.tf`},
	{cmd: `mail -f main.tf <<< '!rm -f terraform.tfstate'`},
	{cmd: `printf '|rm x\n' | mailx -f main.tf`},
	{cmd: `printf '!rm x\n' | mail`},
	{cmd: `printf '!rm x\n' | mail -s subj`},
	{cmd: `printf '~!rm x\n' | mail -I -s subj a@example.com`},
	{cmd: `printf '!rm x\n' | s-nail -Nf main.tf`},
	// M2.
	{cmd: "msgmerge -q -U --backup=simple --suffix=e terraform.tfstat x.pot", needs: "msgmerge",
		setup: `printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' > terraform.tfstat && cp terraform.tfstat x.pot && printf 'msgid "a"\nmsgstr ""\n' >> x.pot`, victim: "statefile"},
	{cmd: "msgmerge -U --backup=simple --suffix state terraform.tf x.pot"},
	// M3.
	{cmd: "F=terraform.tfstate valgrind --log-file=%q{F} true", needs: "valgrind", victim: "statefile"},
	{cmd: "F=../planguard.hcl valgrind --tool=massif --massif-out-file=%q{F} true"},
}

var h132Allowed = []string{
	"git commit -m x",
	"git commit -F msg.txt",
	"echo msg | git commit -F -",
	"git commit -F - <<'EOF'\nmsg\nEOF",
	"printf 'x' | git hash-object --stdin",
	"printf ':!x\\n' | GIT_EDITOR=true git commit",
	"printf ':!x\\n' | GIT_EDITOR=true GIT_SEQUENCE_EDITOR=true git rebase -i HEAD~2",
	"git commit",
	"git rebase -i HEAD~3",
	"echo x | git commit --amend --no-edit",
	"echo x | git commit -am msg",
	"echo x | git tag -a v1 -m x",
	"echo x | git tag -l --sort=-v:refname",
	"echo x | git merge --no-edit main",
	"echo x | git merge main",
	"echo x | git revert HEAD",
	"echo x | git notes add -m x",
	"echo x | git config user.email a@example.com",
	"git diff | git apply -R",
	"echo x | kubectl apply -f -",
	"echo x | systemctl status nginx",
	"echo x | hg commit -m x",
	"echo x | svn ci -m x",
	"patch -p1 < fix.patch",
	"patch -p1 -i fix.patch",
	"patch --dry-run -p1 --input=fix.patch",
	"patch -p1 <<'EOF'\n--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b\nEOF",
	"git diff | patch -p1 -R",
	"ssh-keygen -t ed25519 -f ~/.ssh/id_x -N ''",
	"echo y | ssh-keygen -t ed25519 -f ~/.ssh/id_x -N ''",
	"ssh-keygen -t ed25519 -N ''",
	"ssh-keygen -lf key.pub",
	"cat key.pub | ssh-keygen -lf -",
	"echo x | ssh-keygen -l",
	"echo hi | mail -s subj user@example.com",
	"echo hi | mail -s 'a b' -c c@example.com user@example.com",
	"mail -f mbox",
	"msgmerge -q -U x.po x.pot",
	"msgmerge -U --backup=simple --suffix=~ x.po x.pot",
	"valgrind --log-file=vg.%p.log ./a.out",
	"vidir --help",
}

func TestHook132Refused(t *testing.T) {
	hookRefused(t, h132Refused)
}

func TestHook132Allowed(t *testing.T) {
	hookAllowed(t, h132Allowed)
}

// TestHook132BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns), in a git repository: git and ssh-keygen are on every
// machine; vim, vidir (moreutils), bsd-mailx, msgmerge (gettext) and
// valgrind where installed.
func TestHook132BashRuns(t *testing.T) {
	hookBashRuns(t, h132Refused, bashRuns{gitRepo: true, line: h37Line})
}
