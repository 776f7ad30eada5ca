package shell

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Protected files named through directories and globs: rm -rf .claude
// removes the settings file inside, sed -i … settings.jso[n] edits it.

// Climbs reports whether the path p, relative to cwd, has a `..` after a
// directory name (a/../b, /x/../y): the kernel resolves a/.. through a,
// which may be a symbolic link to anywhere, so the path may name another
// file than its text cleans to. cwd is the real working directory (after
// symbolic links; "" when none is known): a `..` after cwd itself or one
// of its parents, whose parents are known (../x, /repo/infra/../x from
// /repo/infra), is read as the kernel reads it.
func Climbs(cwd, p string) bool {
	if !strings.HasPrefix(p, "/") && cwd != "" {
		p = strings.TrimSuffix(cwd, "/") + "/" + p
	}
	var cur []string
	named := false // a relative path without cwd: any name before a `..`
	for _, c := range strings.Split(p, "/") {
		switch c {
		case "", ".":
		case "..":
			if named {
				return true
			}
			if !strings.HasPrefix(p, "/") {
				continue // ../x without a cwd: read from the directory itself
			}
			if len(cur) == 0 {
				continue // /.. is /
			}
			dir := "/" + strings.Join(cur, "/")
			if cwd == "" || dir != cwd && !strings.HasPrefix(cwd, dir+"/") {
				return true
			}
			cur = cur[:len(cur)-1]
		default:
			if strings.HasPrefix(p, "/") {
				cur = append(cur, c)
			} else {
				named = true
			}
		}
	}
	return false
}

// climbs is Climbs from the analyzer's working directory, after `~`.
func (a *analyzer) climbs(p string) bool {
	if strings.HasPrefix(p, "~/") && a.opts.Home != "" {
		p = strings.TrimSuffix(a.opts.Home, "/") + p[1:]
	}
	cwd := a.opts.Cwd
	if cwd != "" {
		cwd = path.Clean(cwd)
	}
	return Climbs(cwd, p)
}

// climbed is what the protected-file checks return for a path that
// Climbs: the hook cannot tell which file it is, so it may be any.
func climbed(p string) string {
	return fmt.Sprintf("whatever %s leads to (a `..` after a directory name is resolved through that directory, which may be a symbolic link, not as the path reads: write the path without it)", p)
}

// holds returns the protected file p names or holds (p is a directory
// above it), or "".
func (a *analyzer) holds(p string) string {
	if p == "" {
		return ""
	}
	if q := a.protected(p); q != "" {
		return q
	}
	for _, d := range a.opts.ProtectedDirs {
		ld := strings.ToLower(d)
		for _, r := range a.paths(p) {
			if lr := strings.ToLower(r); lr == "/" || strings.HasPrefix(ld, lr+"/") {
				return d
			}
		}
	}
	rel := strings.ToLower(path.Clean(p))
	for strings.HasPrefix(rel, "../") {
		rel = rel[3:]
	}
	for _, q := range a.opts.Protected {
		lq := strings.ToLower(q)
		for _, r := range a.paths(p) {
			if abs := strings.ToLower(r); abs == "/" || strings.HasPrefix(lq, abs+"/") {
				return q + a.stateWhy(q)
			}
		}
		// After cd, a relative directory may be any one of that name.
		if a.cwdUnknown && !path.IsAbs(p) && rel != "." && rel != ".." && strings.Contains(lq+"/", "/"+rel+"/") {
			return q + a.stateWhy(q)
		}
	}
	if len(a.opts.Protected) > 0 && !a.gitRepoArg {
		for _, r := range a.paths(p) {
			if a.ancestorOfCwd(r) {
				return r + " (the working directory or above it, where terraform keeps terraform.tfstate)" + stateFileWhy
			}
			if a.opts.StateUnder != nil && !a.climbs(p) {
				if s := a.opts.StateUnder(r); s != "" {
					return s + stateFileWhy
				}
			}
		}
		if a.cwdUnknown && !path.IsAbs(p) && !strings.HasPrefix(p, "~") {
			return a.holdsAfterCd(p)
		}
	}
	return ""
}

// holdsAfterCd returns a state a relative directory holds after the
// line's cd (cd envs && rm -rf prod: found fixing review hook82) or under
// a wrapper's directory (env -C envs rm -rf prod): p from each directory
// cd may have entered; from a directory the hook does not know (a
// computed cd, su -), p may be any directory of that name.
func (a *analyzer) holdsAfterCd(p string) string {
	if a.outer.chdir != "" && a.outer.dir == "" || a.cdComputed {
		where := a.outer.chdir
		if where == "" {
			where = "a computed cd"
		}
		return p + " (relative to the directory " + where + " runs in, where the hook cannot look for a Terraform state: name the directory by its absolute path)"
	}
	if a.opts.StateUnder == nil || a.climbs(p) {
		return ""
	}
	// The wrapper's directory before the line's cd (env -C a bash -c 'cd
	// ../envs && …': review hook83 H3) or after it (cd a && env -C b …).
	var bases []string
	for _, d := range a.cdDirs(a.outer.dir) {
		bases = append(bases, d)
		if dir := a.outer.dir; path.IsAbs(dir) {
			bases = append(bases, dir)
		} else if dir != "" {
			bases = append(bases, path.Join(d, dir))
		}
	}
	for _, d := range bases {
		r := path.Join(d, p)
		if a.opts.Resolve != nil {
			r = a.opts.Resolve(r)
		}
		if a.ancestorOfCwd(r) {
			return r + " (the working directory or above it, where terraform keeps terraform.tfstate)" + stateFileWhy
		}
		if s := a.opts.StateUnder(r); s != "" {
			return s + stateFileWhy
		}
	}
	return ""
}

// maxGlobContent bounds the files a glob's matches are read for a state's
// content (globContent).
const maxGlobContent = 2000

// globContent returns a file the glob matches now that is a Terraform
// state by its content (Options.IsState; state/*.json of a state kept as
// state/prod.json), or a directory it matches that holds one (dirs), from
// the event's directory; "" also when the file system is not given or the
// pattern is not one Go's matcher reads.
func (a *analyzer) globContent(pattern string, dirs bool) string {
	if a.opts.Glob == nil || a.opts.IsState == nil {
		return ""
	}
	pat := strings.ReplaceAll(a.resolve(pattern), "[!", "[^")
	for i, m := range a.opts.Glob(pat) {
		if i >= maxGlobContent {
			break
		}
		if a.opts.IsState(m) {
			return m + " (its content is a Terraform state)" + stateFileWhy
		}
		if dirs && a.opts.StateUnder != nil {
			if s := a.opts.StateUnder(m); s != "" {
				return s + stateFileWhy
			}
		}
	}
	return ""
}

// globNames returns a protected file a glob (as a path pattern) may
// match; dirs: or a directory above one. A pattern that may match a
// Terraform state file's name (*.tfstat?, terraform.tfst*, *) returns
// that (review hook30 F4).
func (a *analyzer) globNames(pattern string, dirs bool) string {
	if pattern == "" {
		return ""
	}
	pattern = widenRanges(pattern)
	if a.climbs(pattern) {
		return climbed(pattern)
	}
	if len(a.opts.Protected) > 0 && !a.gitRepoArg && a.globGitDir(a.resolve(pattern)) {
		return pattern + " (it may name a git directory, whose configuration and hooks git reads: gitconfig.go)"
	}
	a.noteConfigWrite(pattern, true)
	if len(a.opts.Protected) > 0 && !a.gitRepoArg {
		if q := a.globState(pattern); q != "" {
			return q
		}
		if q := a.globContent(pattern, dirs); q != "" {
			return q
		}
	}
	if strings.Contains(pattern, "**") {
		return a.globStarNames(pattern, dirs) // globstar: ** is any number of directories
	}
	pc := strings.Split(strings.TrimPrefix(a.resolve(pattern), "/"), "/")
	var rc []string // after a cd, a relative pattern may start in any directory
	if a.cwdUnknown && !path.IsAbs(pattern) && !strings.HasPrefix(pattern, "~") {
		rc = strings.Split(path.Clean(pattern), "/")
		for len(rc) > 0 && (rc[0] == ".." || rc[0] == ".") {
			rc = rc[1:]
		}
	}
	for _, d := range a.opts.ProtectedDirs {
		dc := strings.Split(strings.TrimPrefix(strings.ToLower(d), "/"), "/")
		if len(pc) > len(dc) && a.componentsMatch(pc[:len(dc)], dc) || dirs && len(pc) <= len(dc) && a.componentsMatch(pc, dc[:len(pc)]) {
			return d
		}
		for _, c := range dc {
			if len(rc) > 1 && a.componentsMatch(rc[:1], []string{c}) {
				return d // after a cd: hooks/*, .claude/*, .cl*/*
			}
		}
	}
	for _, q := range a.opts.Protected {
		qc := strings.Split(strings.TrimPrefix(strings.ToLower(q), "/"), "/")
		for start := 0; len(rc) > 0 && start+len(rc) <= len(qc); start++ {
			if end := start + len(rc); (dirs || end == len(qc)) && a.componentsMatch(rc, qc[start:end]) {
				return q
			}
		}
		for k := len(pc); k <= len(qc); k++ {
			if k != len(pc) || !dirs && k != len(qc) {
				continue
			}
			if a.componentsMatch(pc, qc[:k]) {
				return q
			}
		}
	}
	return ""
}

// globState returns why a glob may name a Terraform state file: one of
// its components may match a state file's name (or the directory of a
// workspace's states), or its directories are a state file's.
func (a *analyzer) globState(pattern string) string {
	if strings.Contains(strings.ToLower(pattern), "tfstate") || StateFile(a.resolve(pattern)) {
		return pattern + stateFileWhy
	}
	comps := strings.Split(pattern, "/")
	leaf := a.rmLeaf(comps)
	for i, c := range comps {
		if leaf && i < len(comps)-1 {
			continue
		}
		if c == "" || c == "." || c == ".." || a.looseGlob && strings.Trim(c, "*?") == "" {
			// A program the hook does not know, given a bare * (eslint
			// src/*), is read as reading them: its table row says otherwise.
			continue
		}
		if s := globStateName(c); s != "" {
			return fmt.Sprintf("%s (it may match a file named %s)%s", pattern, s, stateFileWhy)
		}
	}
	return ""
}

// rmLeaf reports whether rm's glob removes only what its literal last
// component names, whatever its directories match (rm -f envs/*/tfplan,
// rm -rf envs/*/.terraform: review hook156 F9): a name no state file
// bears; for a recursive rm, .terraform alone (init's cache, which rm
// -rf .terraform removes by name), since a directory a glob reaches may
// be a workspaces' directory (terraform.tfstate.d), whose subdirectories
// are the workspaces' states (rm -rf envs/*/prod).
func (a *analyzer) rmLeaf(comps []string) bool {
	if a.rmGlob == 0 || len(comps) < 2 {
		return false
	}
	l := comps[len(comps)-1]
	switch {
	case l == "" || l == "." || l == ".." || strings.ContainsAny(l, "*?[\\"),
		strings.Contains(strings.ToLower(l), "tfstate") || StateFile(l) || globStateName(l) != "":
		return false
	case a.rmGlob == 2:
		return l == ".terraform"
	}
	return true
}

// globStarNames is globNames for a pattern with `**`, which bash's
// globstar reads as any number of directories: the whole path is matched
// with `*` crossing `/` (more than bash matches).
func (a *analyzer) globStarNames(pattern string, dirs bool) string {
	pats := []string{a.resolve(pattern)}
	if a.cwdUnknown && !path.IsAbs(pattern) && !strings.HasPrefix(pattern, "~") {
		pats = append(pats, "*/"+strings.TrimLeft(path.Clean(pattern), "./"))
	}
	for _, p := range pats {
		for _, d := range a.opts.ProtectedDirs {
			if globsMeet(p, globEscape(d)+"/*") || dirs && globsMeet(p+"/*", globEscape(d)) {
				return d
			}
		}
		for _, q := range a.opts.Protected {
			if globMatch(p, q, true) {
				return q
			}
			for d := path.Dir(q); dirs && d != "/" && d != "."; d = path.Dir(d) {
				if globMatch(p, d, true) {
					return q
				}
			}
		}
	}
	return ""
}

// componentsMatch matches path components as a shell glob does: a
// leading dot is matched only by a leading literal dot, unless the line
// may turn dotglob on (shopt -s dotglob, GLOBIGNORE, BASHOPTS).
func (a *analyzer) componentsMatch(pattern, name []string) bool {
	for i := range pattern {
		if strings.HasPrefix(name[i], ".") && !a.dotglob {
			if toks, ok := parseGlob(pattern[i]); ok && (len(toks) == 0 || toks[0].kind != gLit || toks[0].lit != '.') {
				return false
			}
		}
		if !globMatch(pattern[i], name[i], true) {
			return false
		}
	}
	return true
}

// globPattern is a word as a path pattern: unquoted glob characters stay
// patterns, quoted text is literal, and any expansion matches anything.
func globPattern(w *syntax.Word) string {
	var b strings.Builder
	lit := func(s string) {
		for _, r := range s {
			if strings.ContainsRune(`*?[\`, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			lit(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					lit(l.Value)
				} else {
					b.WriteString("*")
				}
			}
		default:
			b.WriteString("*")
		}
	}
	return b.String()
}

// inProtectedDir returns the protected directory p is in (or is), or "".
// After a cd, a relative path whose first directory is one of a protected
// directory's names (hooks/x, .claude/x) may be in it.
func (a *analyzer) inProtectedDir(p string) string {
	if a.gitRepoArg {
		return "" // git -C DIR, --git-dir=DIR: not a write (judges.go)
	}
	if g := a.gitDirComponent(p); g != "" {
		return g // gitconfig.go
	}
	if p == "" || len(a.opts.ProtectedDirs) == 0 && len(a.opts.Protected) == 0 {
		return ""
	}
	if a.climbs(p) {
		return climbed(p)
	}
	for _, r := range a.paths(p) {
		if w := a.implicitCode(r); w != "" {
			return w
		}
		if !a.looseGlob {
			for _, d := range a.opts.CodeDirs {
				if r == d || strings.HasPrefix(r, d+"/") {
					return r + " (the programs' own code: every file there runs when its program starts; package managers install there)"
				}
			}
		}
	}
	if len(a.opts.ProtectedDirs) == 0 {
		return ""
	}
	if a.cdComputed && !a.gitArgs && !a.looseGlob && !path.IsAbs(p) && !strings.HasPrefix(p, "~") {
		// cd $d, cd dir[s], cd -, pushd: the directory may be any one,
		// a protected one too (.github/hooks: review hook55 F2). For the
		// files a writer names and redirections; not for every argument
		// of git or of a program read loosely.
		return p + " (relative to a directory the line's cd computes, which may be " + a.opts.ProtectedDirs[0] + " or another protected directory; write with an absolute path)"
	}
	for _, d := range a.opts.ProtectedDirs {
		ld := strings.ToLower(d)
		for _, r := range a.paths(p) {
			if lr := strings.ToLower(r); lr == ld || strings.HasPrefix(lr, ld+"/") {
				return r
			}
		}
		if a.cwdUnknown && !path.IsAbs(p) && !strings.HasPrefix(p, "~") {
			comps := strings.Split(strings.ToLower(path.Clean(p)), "/")
			for len(comps) > 0 && (comps[0] == ".." || comps[0] == ".") {
				comps = comps[1:]
			}
			if len(comps) > 1 && contains(strings.Split(ld, "/"), comps[0]) {
				return d
			}
		}
	}
	return ""
}

// widenRanges makes each bracket expression of a glob that holds a
// character beyond ASCII match any character: bash orders such a range
// by the locale's collation (`[Ā-z]` holds `e` in en_US.UTF-8), where a
// match by code point finds it empty (review hook77 H7).
func widenRanges(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) {
			b.WriteString(p[i : i+2])
			i++
			continue
		}
		if c == '[' {
			if j := strings.IndexByte(p[i+1:], ']'); j >= 0 {
				if j == 0 { // []…]: the first ] is a member
					if k := strings.IndexByte(p[i+2:], ']'); k >= 0 {
						j = k + 1
					}
				}
				expr := p[i : i+j+2]
				if strings.IndexFunc(expr, func(r rune) bool { return r >= 0x80 }) >= 0 {
					b.WriteByte('?')
				} else {
					b.WriteString(expr)
				}
				i += j + 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// homeData are the hidden files of the home directory that hold data
// only: the caches (but homeCodeCaches), the ssh files that are keys and
// host lists, and the history files (history -w writes $HISTFILE).
//
// homeCodeCaches are the caches under ~/.cache whose contents run:
// corepack's package managers, pre-commit's hook environments (review
// hook137 H3), go's build cache, pip's and uv's wheels, yarn's packages,
// bazel's and deno's.
var homeCodeCaches = []string{".cache/node", ".cache/pre-commit", ".cache/go-build", ".cache/pip", ".cache/uv",
	".cache/yarn", ".cache/bazel", ".cache/deno", ".cache/pypoetry", ".cache/pnpm", ".cache/ms-playwright", ".cache/huggingface/modules"}
var homeData = []string{".cache/", ".ssh/id_", ".ssh/known_hosts", ".bash_history", ".history", ".zsh_history",
	".python_history", ".node_repl_history", ".lesshst", ".sqlite_history", ".psql_history", ".wget-hsts"}

// implicitCode reports why an absolute path is a file some program loads
// as code or settings without being told (review hook135): every hidden
// file and directory of the home directory but the caches (start-up
// files: ~/.sqliterc, ~/.psqlrc, ~/.gdbearlyinit, ~/.irbrc, ~/.my.cnf,
// a user site directory's .pth), python's site directories anywhere
// (site-packages, dist-packages: every python program loads their .pth
// files and imports from there), a .pth or *customize.py anywhere, and
// pip's pip.conf/pip.ini anywhere (a virtual environment's: its log
// setting names a file pip writes). A list of names never ends: a tree
// is protected instead.
func (a *analyzer) implicitCode(r string) string {
	return ImplicitCode(r, a.opts.Home)
}

// ImplicitCode reports why an absolute, clean path is a file programs
// load as code or settings without being told (see implicitCode), given
// the home directory; "" when it is none. The agents' file tools are
// judged by it as the shell's writes are (review hook138 H1).
func ImplicitCode(r, home string) string {
	if d := AgentDir(r); d != "" {
		return d
	}
	base := path.Base(r)
	switch {
	case strings.HasSuffix(base, ".pth") || base == "sitecustomize.py" || base == "usercustomize.py":
		return r + " (python runs the code of .pth files and *customize.py modules at every start; write code elsewhere)"
	case strings.HasSuffix(base, ".pyc") || strings.Contains(r, "/__pycache__/"):
		return r + " (python runs a compiled module in place of its source, unchecked: write the source)"
	case base == "pip.conf" || base == "pip.ini":
		return r + " (pip's settings: its log and target settings name files it writes)"
	case strings.Contains(r+"/", "/site-packages/") || strings.Contains(r+"/", "/dist-packages/"):
		return r + " (a python site directory: every python program loads its .pth files and imports from it; install packages with pip)"
	}
	if h := home; h != "" && h != "/" && strings.HasPrefix(r, h+"/.") {
		rel := strings.TrimPrefix(r, h+"/")
		for _, d := range homeCodeCaches {
			if rel == d || strings.HasPrefix(rel, d+"/") {
				return r + " (a cache whose programs and compiled code run later: corepack's package managers, pre-commit's hooks, go's build cache, pip's wheels)"
			}
		}
		for _, d := range homeData {
			if strings.HasPrefix(rel, d) {
				return ""
			}
		}
		return r + " (a hidden file of the home directory: programs read their start-up files and settings there, and run what they name; a person changes them)"
	}
	return ""
}

// systemCode are the system directories of the programs' own code,
// protected from writes (planguard's systemDirs) but not from a cd: the
// writes after it are judged where the cd goes.
var systemCode = []string{"/usr", "/opt", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/boot"}

// codeTree reports whether a directory is protected only as a tree of
// code (the home directory's hidden files, a site directory, the system
// directories above): entering it is no write.
func (a *analyzer) codeTree(p string) bool {
	for _, r := range a.paths(p) {
		if g := a.gitDirComponent(r); g != "" || AgentDir(r) != "" {
			return false
		}
		for _, d := range a.opts.ProtectedDirs {
			if !slices.Contains(systemCode, d) && (strings.EqualFold(r, d) || strings.HasPrefix(strings.ToLower(r), strings.ToLower(d)+"/")) {
				return false // an agent's settings directory, a git hook's
			}
		}
	}
	for _, r := range a.paths(p) {
		if ImplicitCode(r, a.opts.Home) != "" {
			return true
		}
		for _, d := range append(systemCode, a.opts.CodeDirs...) {
			if r == d || strings.HasPrefix(r, d+"/") {
				return true
			}
		}
	}
	return false
}

// agentComponents are the agents' settings directories, and
// agentGitHubDirs the ones under .github: refused at any depth, as a .git
// component is (review hook144: Claude Code finds skills, whose hooks
// run commands, in a subdirectory's .claude/skills; Copilot CLI loads
// custom agents, whose MCP servers start commands, from
// .github/agents).
var (
	agentComponents = map[string]bool{".claude": true, ".gemini": true, ".cursor": true, ".copilot": true}
	agentGitHubDirs = map[string]bool{"hooks": true, "copilot": true, "agents": true, "extensions": true, "skills": true,
		"prompts": true, "instructions": true, "chatmodes": true}
)

// AgentDir reports why an absolute, clean path lies in an agent's
// settings directory at any depth (.claude, .gemini, .cursor, .copilot,
// .github/hooks, .github/copilot, .github/agents…) or is an MCP servers
// file (.mcp.json, .github/mcp.json), or "".
func AgentDir(r string) string {
	comps := strings.Split(strings.ToLower(r), "/")
	for i, c := range comps {
		if agentComponents[c] || c == ".github" && i+1 < len(comps) && agentGitHubDirs[comps[i+1]] {
			return r + " (an agent's settings directory, at any depth: skills, agents, hooks and MCP servers there run commands)"
		}
	}
	if b := comps[len(comps)-1]; b == ".mcp.json" || b == "mcp.json" && len(comps) > 1 && comps[len(comps)-2] == ".github" {
		return r + " (an MCP servers file: the agent starts the servers it lists)"
	}
	return ""
}
