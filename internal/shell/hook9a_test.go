package shell

import (
	"path"
	"strings"
	"testing"
)

// Found by an attacker's review (hook17): git reads configuration the line
// itself writes (another repository's .git/config, a bare repository's
// config, a HOME or XDG_CONFIG_HOME the line points elsewhere), the
// project's .git/commondir moves its config and hooks out of protection,
// git init --template copies hooks, and vim runs the Ex commands VIMINIT
// holds. Each ran terraform destroy under bash (real.sh, repro.sh).

// hook9aOpts is testOpts with the hook's protected directories for
// /work/infra (its whole git directory, the agents' and editors' home
// directories) and a bare repository /work/infra/bare.git that exists now.
var hook9aOpts = func() Options {
	o := testOpts
	o.Protected = append(append([]string{}, testOpts.Protected...),
		"/work/infra/.git/config", "/work/infra/.git/commondir", "/work/infra/.git/config.worktree",
		"/home/agent/.claude.json", "/home/agent/.bash_aliases", "/home/agent/.vimrc", "/home/agent/.zlogout")
	o.ProtectedDirs = []string{"/work/infra/.git", "/work/.git", "/home/agent/.vim", "/home/agent/.config/nvim",
		"/home/agent/.config/fish", "/home/agent/.config/direnv", "/home/agent/.bashrc.d"}
	o.GitDir = func(dir string) bool { return dir == "/work/infra/bare.git" || dir == "/work/infra/.git" }
	return o
}()

func hook9aRefused(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, hook9aOpts); r.Allowed() {
		t.Errorf("allowed, want refused: %s", cmd)
	}
	// The refusal must not depend on the hook's directory list alone.
	if r := Analyze(cmd, testOpts); r.Allowed() && !strings.Contains(cmd, "~/") && !strings.Contains(cmd, "bare.git") && !strings.Contains(cmd, ".git/commondir") && !strings.Contains(cmd, "/.git/info") {
		t.Errorf("allowed with the plain test options, want refused: %s", cmd)
	}
}

func hook9aAllowed(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, hook9aOpts); !r.Allowed() {
		t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
	}
}

// F1: git configuration of another repository, a bare one, or another
// home, written by the line.
func TestHook9aGitReadsConfigTheLineWrites(t *testing.T) {
	for _, cmd := range []string{
		"git init -q x && echo '[alias] st = !terraform destroy -auto-approve' > x/.git/config && git -C x st",
		"git init -q x && echo '[alias] st = !cd .. && terraform destroy -auto-approve -input=false' > x/.git/config && git -C x st",
		"git init -q x && echo '[core] fsmonitor = terraform destroy -auto-approve' > x/.git/config && git -C x status",
		"git init -q x && echo '[diff] external = terraform destroy -auto-approve' > x/.git/config && git -C x diff",
		"git init -q x && printf '[alias]\\n st = !terraform destroy\\n' >> x/.git/config && cd x && git status",
		"git init -q x && cp /tmp/evil.cfg x/.git/config && git -C x status",
		"git init -q x && cp /tmp/evil.cfg x/.git && git -C x status",
		"git init -q x && tee x/.git/config < /tmp/evil.cfg && git -C x status",
		"git init -q x && sed -i 's/x/y/' x/.GIT/config",
		"git init -q x && echo x > x/.g?t/config",
		"mkdir y && echo 'gitdir: /tmp/evil' > y/.git && git -C y status",
		"ln -s /tmp/evil y/.git",
		"cd x/.git && echo '[alias] st = !terraform destroy' > config",
		"t=$(mktemp -d); git init -q \"$t\"; echo '[alias] st = !terraform destroy' > \"$t/.git/config\"; git -C \"$t\" st",
		// a bare repository: its config is not under a .git
		"git init -q --bare e.git && echo '[alias] st = !terraform destroy -auto-approve' > e.git/config && GIT_DIR=e.git git st",
		"git init -q --bare e.git && echo '[alias] st = !terraform destroy -auto-approve' > e.git/config && git -C e.git st",
		"git init -q --bare e.git && echo '[alias] st = !terraform destroy -auto-approve' > e.git/config && git --git-dir=e.git st",
		"git init -q --bare e && echo '[core] pager = terraform destroy -auto-approve' > e/config && git --git-dir=e log",
		"git init -q --bare e && echo '[core] pager = terraform destroy -auto-approve' > e/config && cd e && git log",
		"git init -q --bare e && echo '[core] pager = terraform destroy' > e/conf* && git -C e log",
		"mkdir -p e/objects e/refs && echo 'ref: refs/heads/main' > e/HEAD && echo '[core] pager = terraform destroy' > e/config",
		"echo '[core] pager = terraform destroy' > bare.git/config", // a git directory now (Options.GitDir)
		"echo /tmp/evil > bare.git/commondir",
		"cd e.git && echo '[core] pager = terraform destroy' > config", // after a cd: any directory
		// the variables that move git's repository or configuration
		"GIT_DIR=e.git git log",
		"GIT_COMMON_DIR=/tmp/evil git log",
		"GIT_WORK_TREE=. GIT_DIR=/tmp/e git status",
		"export GIT_DIR=/tmp/e; git log",
		"env GIT_DIR=/tmp/e git log",
		"mkdir -p h && echo '[alias] st = !terraform destroy -auto-approve' > h/.gitconfig && HOME=$PWD/h git st",
		"mkdir -p h/git && echo '[alias] st = !terraform destroy -auto-approve' > h/git/config && XDG_CONFIG_HOME=$PWD/h git st",
		"export HOME=/tmp/h; git status",
		"HOME=/tmp/h git status",
		"read HOME <<< /tmp/h; git status",
		"for HOME in /tmp/h; do git status; done",
		"printf -v HOME /tmp/h; git status",
		"read GIT_DIR <<< /tmp/e; export GIT_DIR; git log",
		// an alias git looks up in a configuration file the hook cannot read
		"git st",
		"git Status",
		"git -C sub st",
	} {
		hook9aRefused(t, cmd)
	}
}

// F2: the project repository's git directory, whole: commondir moves its
// config and hooks elsewhere; config.worktree, info/, modules/*/config.
func TestHook9aWholeGitDirectoryProtected(t *testing.T) {
	for _, cmd := range []string{
		"mkdir -p /tmp/evil && cp -r .git/. /tmp/evil/ && echo '[alias] st = !terraform destroy -auto-approve' >> /tmp/evil/config && echo /tmp/evil > .git/commondir && git status",
		"echo /tmp/evil > .git/commondir",
		"echo '[core] pager = terraform destroy' > .git/config.worktree",
		"echo x >> .git/info/exclude",
		"echo '[core] pager = x' > .git/modules/sub/config",
		"cp /tmp/alt .git/objects/info/alternates",
		"echo x > ../.git/commondir",
		"echo x > /work/infra/.git/info/attributes",
	} {
		hook9aRefused(t, cmd)
	}
}

// F4: a template copies hooks into the repository's git directory.
func TestHook9aGitTemplateRefused(t *testing.T) {
	for _, cmd := range []string{
		"git init -q --template=/tmp/tpl && git commit -q --allow-empty -m x",
		"git init --template /tmp/tpl",
		"git init --templ=/tmp/tpl",
		"git init -q --bare --template=/tmp/tpl e.git",
		"GIT_TEMPLATE_DIR=/tmp/tpl git init",
		"git -c init.templateDir=/tmp/tpl init",
		"git -c init.TemplateDir=/tmp/tpl init",
		"git config --global init.templateDir /tmp/tpl",
		"git clone --template=/tmp/tpl https://example.com/r.git r",
	} {
		hook9aRefused(t, cmd)
	}
}

// F3: vim's startup: the Ex commands in VIMINIT/EXINIT/GVIMINIT, the
// directories VIM/VIMRUNTIME name, and the vimrc and plugin directories.
func TestHook9aVimStartupRefused(t *testing.T) {
	for _, cmd := range []string{
		"VIMINIT='!terraform destroy -auto-approve' vim main.tf",
		"VIMINIT='silent !terraform destroy -auto-approve -input=false' vim -n main.tf",
		"EXINIT='!terraform destroy' ex main.tf",
		"GVIMINIT='!terraform destroy' gvim main.tf",
		"export VIMINIT='!terraform destroy'; vim main.tf",
		"VIM=/tmp/v vim main.tf",
		"VIMRUNTIME=/tmp/v vim main.tf",
		"MYVIMRC=/tmp/v vim main.tf",
		"NVIM_APPNAME=x nvim main.tf",
		"XDG_CONFIG_HOME=/tmp/c nvim main.tf",
		"echo '!terraform destroy' > ~/.vimrc && vim main.tf",
		"echo 'silent !terraform destroy' > ~/.vim/plugin/x.vim",
		"echo 'vim.fn.system(\"terraform destroy\")' > ~/.config/nvim/init.lua",
	} {
		hook9aRefused(t, cmd)
	}
}

// F10, F11: Claude Code's ~/.claude.json (its MCP servers start with it)
// and more startup files.
func TestHook9aHomeStartupFilesRefused(t *testing.T) {
	for _, cmd := range []string{
		`jq '. + {mcpServers:{x:{command:"sh",args:["-c","terraform destroy -auto-approve"]}}}' ~/.claude.json > /tmp/c.json && cp /tmp/c.json ~/.claude.json`,
		"echo '{}' > ~/.claude.json",
		"echo 'terraform destroy -auto-approve' >> ~/.bash_aliases",
		"echo 'terraform destroy' > ~/.bashrc.d/x.sh",
		"echo 'terraform destroy' > ~/.zlogout",
		"echo 'terraform destroy' > ~/.config/fish/config.fish",
		"echo 'terraform destroy' > ~/.config/fish/conf.d/x.fish",
		"echo 'terraform destroy' > ~/.config/direnv/direnvrc",
	} {
		hook9aRefused(t, cmd)
	}
}

// The harmless neighbours stay allowed.
func TestHook9aHarmlessStillAllowed(t *testing.T) {
	for _, cmd := range []string{
		"git status",
		"git -C sub status",
		"git -C .. log --oneline -5",
		"git --git-dir=.git --work-tree . status",
		"git commit -m 'refuse terraform destroy in the hook; .git/config is protected'",
		"git add -A && git commit -m 'fix: config loader'",
		"git init -q x && git -C x status",
		"git init && git add . && git commit -m init",
		"git clone https://example.com/r.git && cd r && git log",
		"git clone --bare https://example.com/r.git r.git",
		"git -c alias.s=status s",
		"git config alias.st status",
		"git config user.name x && git commit -m x",
		"git lfs pull",
		"git help status",
		"git --version",
		"git stash list",
		"vim main.tf",
		"cat ~/.claude.json",
		"cat ~/.claude.json | jq .mcpServers",
		"cat .git/config",
		"cat .git/HEAD",
		"echo x > config.yaml && git add config.yaml",
		"mkdir -p config && echo x > config/app.yml && git add config",
		"cat config && git status",
		"echo x > notes/config", // no git in the line, not a git directory
		"cp .gitignore /tmp/x",
		"echo '*.tfplan' >> .gitignore",
		"ls ~/.vim",
		"export TF_LOG=debug; terraform plan",
	} {
		hook9aAllowed(t, cmd)
	}
}

// The file tools' side (planguard/hook.go) is tested in planguard; here the
// shell side of the same names.
func TestHook9aGitDirComponentNames(t *testing.T) {
	a := &analyzer{opts: hook9aOpts}
	for _, p := range []string{"x/.git/config", ".git", "a/b/.GIT", "/tmp/r/.git/hooks/x"} {
		if a.gitDirComponent(p) == "" {
			t.Errorf("%s: no .git component found", p)
		}
	}
	for _, p := range []string{".gitignore", "x.git/config", "git/config", ".github/x"} {
		if g := a.gitDirComponent(p); g != "" {
			t.Errorf("%s: .git component %q found", p, g)
		}
	}
	if !a.globGitDir(path.Join("/w", "x/.g*/config")) || a.globGitDir("/w/*/config") {
		t.Error("globGitDir")
	}
}
