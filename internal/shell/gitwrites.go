package shell

import (
	"path"
	"strings"
)

// gitCheckoutIndex judges what `git checkout-index` writes (review hook32
// F4): each indexed file at PREFIX + its path from the top of the work
// tree. A relative --prefix is resolved from that top, which the hook
// does not know: it is the working directory or one above it, so every
// one of them is tried. With -a or --stdin the indexed paths are unknown:
// the directory the prefix leads into must hold no protected file (nor be
// the working directory or one above it, where the state is); without a
// prefix that is the whole work tree, refused as reset --hard is. --temp
// writes files under names git makes up (.merge_file_XXXXXX).
func (a *analyzer) gitCheckoutIndex(line string, rest []tok) {
	var prefix *tok
	all, stdin, temp, dashdash := false, false, false, false
	var paths []tok
	for i := 0; i < len(rest); i++ {
		t := rest[i]
		switch {
		case dashdash:
			paths = append(paths, t)
		case t.s == "--" && !t.dyn:
			dashdash = true
		case t.dyn && strings.HasPrefix(t.s, "-"):
			a.refuse("`%s`: an option computed at run time may be --prefix, which names where the files are written", line)
			return
		case strings.HasPrefix(t.s, "--"):
			n, v, has := strings.Cut(t.s[2:], "=")
			switch {
			case n != "" && strings.HasPrefix("prefix", n):
				if !has {
					if i+1 >= len(rest) {
						return
					}
					i++
					v, t = rest[i].s, rest[i]
				}
				prefix = &tok{s: v, dyn: t.dyn, w: t.w, kind: t.kind, src: t.src}
			case n != "" && strings.HasPrefix("all", n):
				all = true
			case len(n) >= 3 && strings.HasPrefix("stdin", n):
				stdin = true
			case n != "" && strings.HasPrefix("temp", n):
				temp = true
			}
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			if strings.Contains(t.s, "a") {
				all = true
			}
		default:
			paths = append(paths, t)
		}
	}
	if temp {
		return
	}
	if prefix == nil {
		if all || stdin {
			a.refuse("`%s` writes every file of the index (or every file its standard input names) across the whole working tree, which holds the agent's settings and may hold the policy: name the paths you mean, or use --prefix=/tmp/DIR/", line)
			return
		}
		for _, t := range paths {
			if t.dyn || strings.ContainsAny(t.s, "*?[") {
				a.refuse("`%s` writes indexed files a path computed at run time or a glob names, which may be the protected files: name the paths you mean", line)
				return
			}
			if q := a.holds(t.s); q != "" {
				a.refuse("`%s` replaces files in the working tree that include %s, which holds the gate's trust: name the paths you mean (outside the agent's settings and the policy)", line, q)
				return
			}
		}
		return
	}
	if prefix.dyn {
		a.refuse("`%s` writes files under a --prefix computed at run time, which may lead to the policy, its allowed_signers or the agent's settings: name a literal directory such as /tmp/DIR/", line)
		return
	}
	p := prefix.s
	abs := strings.HasPrefix(p, "/") // bash leaves --prefix=~/ as it is
	if !abs && a.cwdUnknown {
		a.refuse("`%s` writes files under a --prefix relative to the top of the work tree, which -C, --git-dir or --work-tree moves where the hook cannot follow: use an absolute --prefix such as /tmp/DIR/", line)
		return
	}
	// The tops the work tree may have: the working directory and every
	// directory above it (one, the prefix's own, when it is absolute).
	cwd := path.Clean(a.opts.Cwd)
	if a.opts.Cwd == "" {
		cwd = "/"
	}
	tops := []string{cwd}
	for d := cwd; d != "/" && d != "."; {
		d = path.Dir(d)
		tops = append(tops, d)
	}
	unknown := all || stdin
	for _, t := range paths {
		if t.dyn || strings.ContainsAny(t.s, "*?[") {
			unknown = true
		}
	}
	for _, top := range tops {
		base := p
		if !abs {
			base = strings.TrimSuffix(top, "/") + "/" + p
		}
		if unknown {
			// PREFIX + any path: under the directory the prefix leads into.
			dir := "/"
			if i := strings.LastIndex(base, "/"); i > 0 {
				dir = base[:i]
			}
			if a.writeDest([]tok{{s: "git checkout-index --prefix=" + p}}, tok{s: dir}, true) {
				return
			}
		} else {
			for _, t := range paths {
				full := t.s
				if !strings.HasPrefix(full, "/") {
					full = path.Join(cwd, full)
				}
				full = path.Clean(full)
				rel, ok := strings.CutPrefix(full, strings.TrimSuffix(top, "/")+"/")
				if !ok {
					continue // outside this work tree: git refuses it
				}
				if a.writeDest([]tok{{s: "git checkout-index --prefix=" + p + " " + t.s}}, tok{s: base + rel}, false) {
					return
				}
			}
		}
		if abs {
			return
		}
	}
}

// gitApplyUnsafe refuses git apply --unsafe-paths: it writes the paths a
// patch names outside the work tree (with --directory=.., anywhere), and
// the patch's paths are not in the line.
func (a *analyzer) gitApplyUnsafe(line string, rest []tok) {
	for _, t := range rest {
		if t.s == "--" && !t.dyn {
			return
		}
		if n, _, _ := strings.Cut(strings.TrimPrefix(t.s, "--"), "="); strings.HasPrefix(t.s, "--") && len(n) >= 2 && strings.HasPrefix("unsafe-paths", n) {
			a.refuse("`%s`: --unsafe-paths lets git apply write the paths the patch names outside the work tree, which the line does not show: apply patches inside the work tree", line)
			return
		}
	}
}

func init() {
	// core.worktree moves the work tree every git command writes into.
	gitKeys["core.worktree"] = settingRefuse
	// A remote's fetch refspec (or a mirror) decides which local refs git
	// fetch --prune deletes, refs/stash among them (review hook94 H1).
	gitKeys["remote.*.fetch"] = settingRefuse
	gitKeys["remote.*.mirror"] = settingRefuse
}

// gitStash judges a git stash that takes changes out of the working tree
// (push, save, or none): what git has staged or tracks leaves the
// directory, a Terraform state among it when the index holds one — added
// by this line (after a .gitignore it rewrote stopped ignoring it), or
// by an earlier call (review hook98 H1). paths: the stash's pathspecs
// (none: the whole working tree).
func (a *analyzer) gitStash(line string, paths []tok) {
	a.gitStashed = true
	// holds is asked of paths git reads, not of files the line writes.
	defer func(was bool) { a.gitArgs = was }(a.gitArgs)
	a.gitArgs = true
	if a.gitAdded != "" {
		a.refuse("`%s` stashes what the line stages with git add over %s, which may include a Terraform state (a .gitignore the line rewrites no longer ignores it): the state would leave the working tree; stash in a command of its own, without staging the state", line, a.gitAdded)
		return
	}
	if a.gitIndexMoved != "" {
		a.refuse("`%s` runs after `%s` in the same line, which points the index at another commit: the stash resets the working tree to it, and a terraform.tfstate it tracks replaces the state (or the state leaves the tree); run them in separate commands, and check `git status` between", line, a.gitIndexMoved)
		return
	}
	for _, t := range paths {
		if wildPathspec(t) {
			paths = nil // may match anything: the whole tree
			break
		}
	}
	if len(paths) > 0 {
		held := false
		for _, t := range paths {
			held = held || a.holds(t.s) != ""
		}
		if !held {
			return // only paths that hold no state or protected file
		}
	}
	a.indexHoldsState(line)
	if !a.res.Allowed() || a.opts.HeadState == nil {
		return
	}
	// A stash resets the tracked files to HEAD: a HEAD moved in an
	// earlier call to a commit that tracks the state's path (git
	// update-ref HEAD HEAD~1, symbolic-ref, replace) brings back that
	// commit's state (review hook155 H2; moves in the same line are
	// refused above).
	for _, d := range a.cdDirs("") {
		if a.opts.HeadState(d) {
			a.refuse("`%s` resets the files git tracks to HEAD, and HEAD's commit in the repository %s is in tracks a Terraform state file that lies in the working tree (or git cannot tell): the stash brings that commit's state back in place of the current one; remove the state from HEAD's commit first (git rm --cached, then commit), or a person runs this", line, d)
			return
		}
	}
}

// indexHoldsState refuses a git command that takes staged or tracked
// files out of the working tree, or rewrites them from commits, when the
// index of the repository it runs in names a Terraform state (staged by
// an earlier call, or a repository that tracks its state): the state
// leaves its directory or goes back to an older one.
func (a *analyzer) indexHoldsState(line string) {
	if a.opts.StagedState == nil {
		return
	}
	if a.cwdUnknown || a.cdComputed {
		a.refuse("`%s` runs in a repository the hook cannot place (after a computed cd, git -C, --git-dir or --work-tree), whose index may hold a Terraform state, which the command would take out of the working tree or rewrite: run it from the repository's own directory", line)
		return
	}
	for _, d := range a.cdDirs("") {
		if a.opts.StagedState(d) {
			a.refuse("`%s` takes what git has staged or tracks out of the working tree (or rewrites it from commits), and the git index of the repository %s is in holds a Terraform state file (or cannot be read): the state would leave its directory or go back to an older one; unstage it first (git rm --cached terraform.tfstate), or a person runs this", line, d)
			return
		}
	}
}

// gitMovesTree judges a git command that rewrites the working tree from
// commits (a checkout or switch of a branch, merge, rebase, revert,
// cherry-pick, am, pull): after a git add of the line over a directory
// holding the state, a commit of it and one that removes it take it away
// (git add -A && git commit -qm x && git revert --no-edit HEAD: review
// hook100 H4, M1); a state the index holds already alike.
//
// moves: the command names a commit to move the tree to (git checkout
// -b NAME with no start point moves nothing); then a state file anywhere
// in the working tree, ignored or not, counts too: git replaces or
// removes an ignored file where the commit tracks a file at its path or
// at a directory above it (a commit made with git hash-object -t tree, or
// fetched from a scratch repository: review hook121 H1, H2).
func (a *analyzer) gitMovesTree(line string, moves bool) {
	if a.gitAdded != "" {
		a.refuse("`%s` rewrites the working tree from commits in a line that stages %s with git add, which may include a Terraform state: a commit of it, then one without it, takes it away; stage, commit and move between commits in separate commands, without staging the state", line, a.gitAdded)
		return
	}
	if a.gitIndexMoved != "" {
		a.refuse("`%s` rewrites the working tree in a line where `%s` points the index at another commit, whose terraform.tfstate may replace the state (or the state leaves the tree): run them in separate commands, and check `git status` between", line, a.gitIndexMoved)
		return
	}
	a.indexHoldsState(line)
	if !moves || a.opts.TreeState == nil || !a.res.Allowed() {
		return
	}
	for _, d := range a.cdDirs("") {
		if a.opts.TreeState(d) {
			a.refuse("`%s` rewrites the working tree from a commit, and the working tree of the repository %s is in holds a Terraform state file (git-ignored or not): a commit that tracks a file at its path, or at a directory above it, replaces or removes it; keep the state out of the working tree (a remote backend), or a person runs this", line, d)
			return
		}
	}
}

// gitIndexMove records a git command that points the index (and HEAD) at
// another commit without writing the working tree (git reset REV, git
// read-tree REV): a git stash after it resets the tree to that commit,
// whose terraform.tfstate replaces the git-ignored state, or takes the
// state away (review hook131 H8). A stash before it (a loop's next pass)
// is refused alike.
func (a *analyzer) gitIndexMove(line string) {
	if a.gitStashed {
		a.refuse("`%s` points the index at another commit in a line that also runs git stash, which then resets the working tree to it (its terraform.tfstate replaces the state, or the state leaves the tree): run them in separate commands", line)
		return
	}
	if a.gitIndexMoved == "" {
		a.gitIndexMoved = line
	}
}

// gitAdd records what a git add of the line stages that holds a state or
// protected file, for a git stash in the same line (gitStash), and
// refuses the add when a git stash came before it (a loop's next pass).
func (a *analyzer) gitAdd(line string, flags map[string]bool, paths []tok) {
	if flags["n"] || flags["dry-run"] {
		return
	}
	defer func(was bool) { a.gitArgs = was }(a.gitArgs)
	a.gitArgs = true
	// -u/--update stages tracked files alone (a tracked state is what
	// the index check finds); -i, -p and -e choose from what standard
	// input or an editor says, untracked files too (review hook100 H3).
	all := flags["A"] || flags["i"] || flags["p"] || flags["e"]
	update := flags["u"]
	for f := range flags {
		all = all || len(f) > 0 && strings.HasPrefix("all", f) || len(f) > 1 && (strings.HasPrefix("interactive", f) || strings.HasPrefix("patch", f) || strings.HasPrefix("edit", f))
		update = update || len(f) > 1 && strings.HasPrefix("update", f)
	}
	if update && !all {
		return
	}
	if len(paths) == 0 && all {
		paths = []tok{{s: "."}} // the whole working tree
	}
	for _, t := range paths {
		q := ""
		if wildPathspec(t) {
			q = t.s + " (a pathspec that may match the state)"
		} else if h := a.holds(t.s); h != "" {
			q = h
		}
		if q == "" {
			continue
		}
		if a.gitStashed {
			a.refuse("`%s` stages %s in a line that also runs git stash, which takes what is staged out of the working tree (a Terraform state among it): stage and stash in separate commands, without staging the state", line, q)
			return
		}
		if a.gitAdded == "" {
			a.gitAdded = q
		}
	}
}

// wildPathspec reports whether a git pathspec may match any path: computed
// at run time, a glob or a backslash escape (git's pathspecs are globs:
// review hook92 H1), or pathspec magic (:/, :(glob)).
func wildPathspec(t tok) bool {
	return t.dyn || strings.ContainsAny(t.s, "*?[\\") || strings.HasPrefix(t.s, ":")
}
