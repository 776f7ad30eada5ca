package shell

import (
	"path"
	"strings"
)

// Configuration git reads that the line itself may write (review hook17,
// F1, F2, F4). git runs commands its configuration names (aliases,
// core.fsmonitor, core.pager, diff.external…), and it reads that
// configuration from the repository it finds (its git directory's config,
// config.worktree, the directory commondir names), from $HOME and
// $XDG_CONFIG_HOME, and copies hooks from a template directory into a new
// or existing repository. The hook cannot read what a file the line writes
// will hold, so it refuses:
//   - any write to a path with a `.git` component (x/.git/config, the
//     project's .git/commondir, .git/info/…, a `.git` file that names a
//     git directory elsewhere), in any line: git reads them in this call
//     or a later one;
//   - in a line that runs git, a write to a file named like a git
//     directory's configuration (config, config.worktree, commondir),
//     which a bare repository (e.git/config) has outside any `.git`;
//   - the variables that move where git finds its repository or its
//     configuration (GIT_DIR, GIT_COMMON_DIR, GIT_WORK_TREE,
//     GIT_TEMPLATE_DIR, HOME, XDG_CONFIG_HOME…; settings.go);
//   - git init/clone with a template (--template, init.templateDir);
//   - a git subcommand that is not one of git's own commands: git runs an
//     alias, whose text is in a configuration file the hook cannot read.

// gitDirComponent returns the `.git` component's path when p (as written,
// or where its symbolic links lead) has one, or "".
func (a *analyzer) gitDirComponent(p string) string {
	if p == "" || len(a.opts.Protected) == 0 && len(a.opts.ProtectedDirs) == 0 {
		return ""
	}
	for _, r := range append([]string{p}, a.paths(p)...) {
		comps := strings.Split(r, "/")
		for i, c := range comps {
			if strings.EqualFold(c, ".git") {
				return strings.Join(comps[:i+1], "/") + " (a git directory, or a file naming one: git reads its configuration and runs its hooks, which can run any command)"
			}
		}
	}
	return ""
}

// globGitDir reports whether a glob pattern (resolved) may name a path
// with a `.git` component (x/.g*/config, .gi?).
func (a *analyzer) globGitDir(pattern string) bool {
	for _, c := range strings.Split(pattern, "/") {
		if c == "" {
			continue
		}
		if a.componentsMatch([]string{c}, []string{".git"}) {
			return true
		}
	}
	return false
}

// gitConfigNames are the names of a git directory's files that configure
// what git runs; a bare repository's are not under a `.git`.
var gitConfigNames = []string{"config", "config.worktree", "commondir"}

// noteConfigWrite records a write to a file named like a git directory's
// configuration (p as written; glob: p is a pattern), judged in finish
// when the line runs git.
func (a *analyzer) noteConfigWrite(p string, glob bool) {
	if p == "" || a.gitArgs || len(a.opts.Protected) == 0 {
		return
	}
	a.noteHooksWrite(p, glob)
	base := strings.ToLower(path.Base(p))
	if base == "head" && !glob {
		a.headWrites = append(a.headWrites, p)
	}
	for _, n := range gitConfigNames {
		ok := base == n
		if glob && !ok {
			ok, _ = path.Match(base, n)
		}
		if !ok {
			continue
		}
		a.configWrites = append(a.configWrites, p)
		switch {
		case a.cwdUnknown && !path.IsAbs(p) && !strings.HasPrefix(p, "~"):
			// After a cd, it may be in any directory (cd e.git && > config).
			a.refuse("`%s` is written after a change of directory, where the hook cannot tell whether it is a git directory's %s (a bare repository's): git reads it as configuration, which can make it run any command; write it from the working directory with its path, or set git configuration with `git config`", p, n)
		case a.opts.GitDir != nil && !glob:
			for _, r := range a.paths(p) {
				if a.opts.GitDir(path.Dir(r)) {
					a.refuse("`%s` is the %s of a git directory (%s): git reads it as configuration, which can make it run any command (an alias, core.pager, core.fsmonitor); set git configuration with `git config KEY VALUE`, which the hook reads", p, n, path.Dir(r))
					break
				}
			}
		}
		return
	}
}

// noteHooksWrite judges a write into a `hooks` directory (review hook17b
// F6): refused when the directory above it is a git directory now (a bare
// repository, a --separate-git-dir), and noted for finishGit, which
// refuses it in a line that makes a git directory (git init --bare DIR).
// git runs the hooks of its git directory (pre-commit, pre-receive on a
// push into it) with no word of the later command naming them.
func (a *analyzer) noteHooksWrite(p string, glob bool) {
	isHooks := func(c string) bool {
		c = strings.ToLower(c)
		return c == "hooks" || glob && a.componentsMatch([]string{c}, []string{"hooks"})
	}
	for _, c := range strings.Split(p, "/") {
		if isHooks(c) {
			a.hooksWrites = append(a.hooksWrites, p)
			break
		}
	}
	if a.opts.GitDir == nil || glob {
		return
	}
	for _, r := range a.paths(p) {
		comps := strings.Split(r, "/")
		for i, c := range comps {
			if dir := strings.Join(comps[:i], "/"); isHooks(c) && path.IsAbs(dir) && a.opts.GitDir(dir) {
				a.refuse("`%s` is in the hooks directory of a git directory (%s): git runs its hooks (pre-commit, pre-receive…), which can run any command", p, dir)
				return
			}
		}
	}
}

// gitRepoOpts are git's options whose value names the repository or
// its working tree: not a write.
var gitRepoOpts = map[string]bool{"-C": true, "--git-dir": true, "--work-tree": true, "--separate-git-dir": true}

// gitBuiltins are git's own commands (git --list-cmds=main of git 2.39,
// and those added up to git 2.51), and the external commands the hook
// lets through by name (git lfs). Anything else is an alias or a git-NAME
// program; an alias runs what a configuration file says. Matched exactly:
// git looks an alias up case-insensitively (git Status runs alias.status).
var gitBuiltins = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`add am annotate apply archive backfill bisect blame branch bugreport bundle
		cat-file check-attr check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick
		citool clean clone column commit commit-graph commit-tree config count-objects credential credential-cache
		credential-store daemon describe diagnose diff diff-files diff-index diff-pairs diff-tree difftool
		fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch
		fsck fsck-objects fsmonitor--daemon gc get-tar-commit-id grep gui hash-object help hook http-backend
		imap-send index-pack init init-db instaweb interpret-trailers last-modified log ls-files ls-remote ls-tree
		mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-octopus merge-one-file
		merge-ours merge-recursive merge-resolve merge-subtree merge-tree mergetool mktag mktree multi-pack-index
		mv name-rev notes p4 pack-objects pack-redundant pack-refs patch-id pickaxe prune prune-packed pull push
		quiltimport range-diff read-tree rebase receive-pack reflog refs remote repack replace replay repo
		request-pull rerere reset restore rev-list rev-parse revert rm send-email send-pack shortlog show
		show-branch show-index show-ref sparse-checkout stage stash status stripspace submodule subtree svn switch
		symbolic-ref tag unpack-file unpack-objects update-index update-ref update-server-info upload-archive
		upload-pack var verify-commit verify-pack verify-tag version web--browse whatchanged worktree write-tree
		lfs`) {
		gitBuiltins[c] = true
	}
}

// gitSubcommand judges the subcommand git runs (sub, as written) and its
// arguments: an alias the line does not define, and a template that
// copies hooks into the repository.
func (a *analyzer) gitSubcommand(line string, sub tok, rest []tok) {
	a.runsGit = true
	if sub.dyn {
		return // refused by the caller
	}
	if _, defined := a.gitAliases[strings.ToLower(sub.s)]; !gitBuiltins[sub.s] && !defined && !strings.HasPrefix(sub.s, "-") {
		a.refuse("`%s`: %s is not one of git's own commands, so git runs the alias of that name, whose command is in a configuration file the hook cannot read (or a git-%s program): run the git command the alias stands for", line, sub.s, sub.s)
		return
	}
	if sub.s != "init" && sub.s != "init-db" && sub.s != "clone" {
		return
	}
	a.gitCreates = true
	for _, t := range rest {
		if t.s == "--" && !t.dyn {
			break
		}
		n, _, _ := strings.Cut(t.s, "=")
		if len(n) >= 4 && strings.HasPrefix("--separate-git-dir", n) {
			// The git directory moves out of the working tree (the
			// project's own .git becomes a file naming it), where the
			// hook no longer knows it for one (review hook17b F6).
			a.refuse("`%s`: --separate-git-dir puts the git directory (its config and hooks, which can run any command) where the hook does not protect it: leave the git directory in the working tree", line)
			return
		}
		// git's option parser takes a unique prefix: --templ=DIR.
		if t.dyn && strings.HasPrefix(t.s, "-") || len(n) >= 3 && strings.HasPrefix("--template", n) {
			a.refuse("`%s`: a template directory is copied into the repository's git directory, hooks included (they run at the next commit): leave the default template", line)
			return
		}
	}
}

// gitAlias notes an alias the line defines (-c alias.NAME=…, git config
// alias.NAME …) and its value, whose command the hook judged where it was
// set, and judges again with the arguments of each call (gitAliasCall).
func (a *analyzer) gitAlias(key string, val tok) {
	if name, ok := strings.CutPrefix(strings.ToLower(key), "alias."); ok {
		if a.gitAliases == nil {
			a.gitAliases = map[string][]tok{}
		}
		a.gitAliases[name] = append(a.gitAliases[name], val)
	}
}

// gitAliasCall judges a call of an alias the line defines with the call's
// arguments after the alias's value, as git runs it: git -c
// alias.co=checkout co other is git checkout other, which moves the tree
// (review hook131 H7); a ! alias is a shell command its arguments follow.
// A value defined more than once is judged in each of its forms.
func (a *analyzer) gitAliasCall(sub tok, rest []tok, depth int) {
	name := strings.ToLower(sub.s)
	vals, ok := a.gitAliases[name]
	if !ok || sub.dyn || gitBuiltins[sub.s] {
		return
	}
	delete(a.gitAliases, name) // git refuses an alias that expands to itself
	defer func() { a.gitAliases[name] = vals }()
	args := ""
	if len(rest) > 0 {
		args = " " + shellJoin(rest)
	}
	for _, v := range vals {
		if v.dyn {
			continue // refused where it is set
		}
		if body, bang := strings.CutPrefix(v.s, "!"); bang {
			a.posixNext = true // git runs a ! alias with sh -c
			a.script(body+args, depth+1)
			a.posixNext = false
			continue
		}
		a.script("git "+v.s+args, depth+1)
	}
}

// finishGit refuses a line that runs git and writes a file named like a
// git directory's configuration.
func (a *analyzer) finishGit() {
	if a.gitCreates && len(a.hooksWrites) > 0 {
		a.refuse("the line writes %s and runs git init or clone: in the git directory it makes (a bare repository has hooks/ at its top), git runs the hooks, which can run any command", a.hooksWrites[0])
		return
	}
	if len(a.configWrites) > 0 && len(a.headWrites) > 0 {
		a.refuse("the line writes %s and %s: the files that make a directory a git repository, and its configuration, which git reads and which can make it run any command; set git configuration with `git config KEY VALUE`, which the hook reads", a.headWrites[0], a.configWrites[0])
		return
	}
	if !a.runsGit || len(a.configWrites) == 0 {
		return
	}
	a.refuse("the line writes %s and runs git: a file of that name in a git directory (a bare repository's config, commondir) is configuration git reads, and it can make git run any command (an alias, core.fsmonitor, core.pager): set git configuration with `git config KEY VALUE`, which the hook reads", a.configWrites[0])
}

// Variables that move where programs read configuration that runs
// commands, or that carry such commands, refused wherever the line sets
// them (envSet, and computed: `read HOME`, `for HOME in …`):
//   - git's repository and template (review hook17 F1, F4): GIT_DIR and
//     GIT_COMMON_DIR name the git directory whose config git reads,
//     GIT_WORK_TREE the tree whose repository it uses, GIT_TEMPLATE_DIR
//     the hooks `git init` copies;
//   - the home and XDG directories (F1, F3, F11): git reads
//     $HOME/.gitconfig and $XDG_CONFIG_HOME/git/config, vim $HOME/.vimrc,
//     neovim $XDG_CONFIG_HOME/nvim and $XDG_DATA_HOME/nvim/site, the
//     shells and direnv their startup files there; the hook protects those
//     under the real home directory only;
//   - vim's startup (F3): VIMINIT, EXINIT and GVIMINIT hold Ex commands
//     (`!cmd` runs a shell), VIM and VIMRUNTIME the directories vim sources
//     its runtime files from, MYVIMRC and NVIM_APPNAME the vimrc and the
//     configuration directory neovim reads.
func init() {
	for _, v := range []string{"GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE", "GIT_TEMPLATE_DIR",
		"HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "XDG_DATA_HOME", "XDG_DATA_DIRS",
		"VIMINIT", "EXINIT", "GVIMINIT", "VIM", "VIMRUNTIME", "MYVIMRC", "MYGVIMRC", "NVIM_APPNAME", "NVIM_RPLUGIN_MANIFEST"} {
		commandVars[v] = settingRefuse
	}
	gitKeys["init.templatedir"] = settingRefuse
}

// computedReading are variables that change how bash or glibc read the
// line (envSet judges their literal values): a computed value is refused.
var computedReading = map[string]bool{"BASH_COMPAT": true, "LC_ALL": true, "LC_CTYPE": true, "LANG": true,
	"LOCPATH": true, "GCONV_PATH": true, "LOCALE_ARCHIVE": true, "I18NPATH": true}

// computedSetting refuses a computed value (read, printf -v, a loop) for
// a variable a program reads commands or configuration from: HOME is
// exported already, and `export NAME` exports any other.
func (a *analyzer) computedSetting(name string) {
	if lookupSetting(commandVars, name) != "" || unlistedGitVar(name) || name == "SHELL" || computedReading[name] {
		a.refuse("`%s` is set to a value computed at run time: a program reads commands or configuration from what it names", name)
	}
	a.optionEnvComputed(name) // envopts.go
}
