package shell

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shell judges sh/bash/zsh…: -c SCRIPT, a script on stdin (here-document,
// here-string, a pipe), or a script file (which the hook cannot see).
func (a *analyzer) shell(c call) kind {
	argv, st, depth := c.argv, c.st, c.depth
	args := argv[1:]
	cflag, stdin, interactive := false, false, false
	i := 0
	for ; i < len(args); i++ {
		t := args[i]
		s := t.s
		if t.dyn && !strings.HasPrefix(s, "-") {
			break
		}
		if s == "--" || s == "-" {
			i++
			break
		}
		if strings.HasPrefix(s, "--") {
			if s == "--rcfile" || s == "--init-file" {
				i++
			}
			if s == "--debugger" {
				// extdebug, when bashdb is installed (review hook139 L1).
				a.refuse("`%s`: --debugger turns on extdebug: %s", quoteArgs(argv), lineOptions["extdebug"])
				return kindOther
			}
			if s == "--posix" {
				a.refuse("`%s`: %s", quoteArgs(argv), lineOptions["posix"])
				return kindOther
			}
			continue
		}
		if (strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+")) && len(s) > 1 {
			if s[0] == '-' && strings.ContainsRune(s[1:], 'c') {
				cflag = true
			}
			if s[0] == '-' && strings.ContainsRune(s[1:], 's') {
				stdin = true
			}
			if s[0] == '-' && strings.ContainsRune(s[1:], 'i') {
				interactive = true
			}
			if s[0] == '-' && strings.ContainsRune(s[1:], 'k') || t.dyn {
				a.refuse("`%s`: the shell's keyword option (-k) makes NAME=VALUE among any command's arguments set its environment, which the hook does not follow", quoteArgs(argv))
				return kindOther
			}
			if strings.Count(s[1:], "o")+strings.Count(s[1:], "O") > 1 {
				// -oo A B: a value for each letter (review hook77 H4).
				a.refuse("`%s`: %s takes a value for each o or O in it: give each option on its own", quoteArgs(argv), s)
				return kindOther
			}
			if strings.ContainsAny(s[1:], "oO") {
				i++ // -o OPTION
				if s[0] == '-' && strings.ContainsRune(s[1:], 'o') && i < len(args) && (args[i].dyn || args[i].s == "keyword") {
					a.refuse("`%s`: -o %s makes NAME=VALUE among any command's arguments set its environment, which the hook does not follow", quoteArgs(argv), args[i])
					return kindOther
				}
				if i < len(args) && lineOptions[args[i].s] != "" {
					a.refuse("`%s`: -o %s: %s", quoteArgs(argv), args[i].s, lineOptions[args[i].s])
					return kindOther
				}
				if strings.ContainsRune(s[1:], 'O') && i < len(args) && (args[i].dyn || !shoptAllowed[args[i].s]) {
					// -O/+O NAME is shopt -s/-u NAME: judged as shopt is
					// (review hook75 H5: -O compat44 makes bash evaluate
					// arithmetic twice).
					a.refuse("`%s`: %cO %s: an option the hook does not know to leave how bash reads the script unchanged", quoteArgs(argv), s[0], args[i].s)
					return kindOther
				}
			}
			continue
		}
		break
	}
	if i > len(args) {
		i = len(args) // an option's value was missing
	}
	rest := args[i:]
	if n := baseName(argv[0].s); otherGrammar[n] && (cflag || stdin || len(rest) > 0 || c.fed) {
		a.refuse("`%s`: the hook reads commands as bash (and POSIX sh) only, and %s reads them otherwise (zsh's glob qualifiers *(e:…:) and =(…) run code where bash sees a pattern or a word): run the commands in bash, or through the runner", quoteArgs(argv), n)
		return kindOther
	}
	if cflag {
		if len(rest) == 0 {
			a.refuse("`%s`: -c without a script", quoteArgs(argv))
			return kindOther
		}
		a.posixNext = posixShell(argv[0].s)
		a.scriptTok(rest[0], argv[0].s+" -c", depth)
		a.posixNext = false
		if len(rest) > 1 {
			// Arguments become $0, $1…: a script that runs "$1" runs them.
			if w, ok := namesRefused(rest[1:]); ok {
				a.refuse("`%s`: passes `%s` to the script it runs", quoteArgs(argv), w)
			}
			for _, t := range rest[1:] {
				if !t.dyn && toolRe.MatchString(baseName(t.s)) {
					a.refuse("`%s`: passes the program `%s` to the script it runs", quoteArgs(argv), t.s)
				}
			}
		}
		return kindWrapper
	}
	if len(rest) > 0 && otherFD(rest[0]) {
		a.refuse("`%s`: reads a script from another file descriptor (%s), which the hook cannot see", quoteArgs(argv), rest[0].s)
		return kindOther
	}
	if len(rest) > 0 && procScript(rest[0]) {
		a.refuse("`%s`: reads a script under /proc (%s), which may be its own standard input or another process's file: the hook cannot tell which", quoteArgs(argv), rest[0].s)
		return kindOther
	}
	if len(rest) > 0 && !stdin && !stdinPath(rest[0]) {
		if rest[0].dyn {
			a.refuse("`%s`: runs a script whose name is computed at run time (process substitution, a variable), which the hook cannot see", quoteArgs(argv))
		} else if a.lineWrote(rest[0]) {
			a.writtenScript(quoteArgs(argv), "runs the script", rest[0].s)
		}
		a.looseArgs(argv) // a script may write the files it is given
		return kindOther  // a script file: out of the hook's sight (see the guide)
	}
	a.posixNext = posixShell(argv[0].s)
	// An interactive shell (-i) expands history in what it reads, also
	// from a here-document or a pipe (review hook67 H1: `!:1-4`).
	a.histNext = interactive
	k := a.stdinScript(argv, st, depth, !c.fed)
	a.posixNext, a.histNext = false, false
	return k
}

// shellProgram reports whether a program name is a shell.
func shellProgram(n string) bool {
	return lookup(n) == programs["bash"]
}

// otherGrammar are the shells whose grammar is neither bash's nor POSIX sh's.
var otherGrammar = map[string]bool{"zsh": true, "fish": true, "tcsh": true, "csh": true, "rc": true, "es": true,
	"elvish": true, "nu": true, "xonsh": true, "ysh": true}

// posixShell reports whether a shell program reads scripts by the POSIX
// grammar rather than bash's: sh (dash on Debian, bash in POSIX mode
// elsewhere), dash, ash, ksh, mksh, yash, posh.
func posixShell(prog string) bool {
	n := strings.TrimSuffix(strings.ToLower(baseName(prog)), ".exe")
	return n != "bash" && n != "rbash" && !strings.HasPrefix(n, "bash")
}

// inlinePatch judges the paths a patch given in the line itself names
// (patch, git apply, git am fed a here-document, a here-string or a
// static pipe: review hook62 L2): each file it creates, changes, renames
// or copies is judged as a write, with any number of leading directories
// stripped (-pN). A patch read from a file stays in the accepted class; one
// printf or echo -e writes that the hook does not compute is refused
// (review hook64 L1).
func (a *analyzer) inlinePatch(c call) {
	text, ok := a.stdinText(c.st)
	if !ok && baseName(c.argv[0].s) == "patch" {
		a.patchUnread(c)
		return
	}
	if !ok {
		if from, piped := a.pipeFrom[c.st]; piped {
			if f, isCall := from.Cmd.(*syntax.CallExpr); isCall && len(f.Args) > 0 {
				if n := baseName(f.Args[0].Lit()); n == "printf" || n == "echo" || n == "" {
					a.refuse("`%s`: the patch piped to it is printed with escapes, a format or a value computed at run time, which the hook does not read for the files it names: give the patch in a quoted here-document (<<'EOF')", truncateTok(c.argv))
				}
			}
		}
		return
	}
	var paths []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.HasPrefix(line, "+++ "), strings.HasPrefix(line, "--- "), strings.HasPrefix(line, "*** "):
			if f := strings.Fields(strings.SplitN(line[4:], "\t", 2)[0]); len(f) > 0 {
				paths = append(paths, f[0])
			}
		case strings.HasPrefix(line, "diff --git "):
			paths = append(paths, strings.Fields(line[len("diff --git "):])...)
		case strings.HasPrefix(line, "rename to "), strings.HasPrefix(line, "copy to "):
			paths = append(paths, strings.TrimSpace(line[strings.Index(line, " to ")+4:]))
		case strings.HasPrefix(line, "Index: "):
			paths = append(paths, strings.TrimSpace(line[len("Index: "):]))
		}
	}
	// patch -d DIR (also in a cluster: -sd DIR, -fd..), --directory DIR
	// and its prefixes (--dir ..); git apply --directory=ROOT (review
	// hook141 H2: the value as the next word, abbreviated or clustered
	// passed unread).
	dir := ""
	args := c.argv[1:]
	gitApply := baseName(c.argv[0].s) == "git"
	for i := 0; i < len(args); i++ {
		t := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				if args[i].dyn {
					return "\x00"
				}
				return args[i].s
			}
			return ""
		}
		switch {
		case t.dyn && (strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.src, "-") || t.s == ""):
			a.refuse("`%s`: an option computed at run time may place the files the patch writes", truncateTok(c.argv))
			return
		case t.dyn || t.s == "--":
		case strings.HasPrefix(t.s, "--"):
			n, v, eq := strings.Cut(t.s[2:], "=")
			if len(n) >= 3 && strings.HasPrefix("directory", n) {
				if !eq {
					v = next()
				}
				dir = v
			}
		case strings.HasPrefix(t.s, "-") && !gitApply:
			// patch's short options that take a value: the rest of the
			// cluster, or the next word.
			for k := 1; k < len(t.s); k++ {
				if strings.IndexByte("BDFgiopVxYzrd", t.s[k]) < 0 {
					continue
				}
				v := t.s[k+1:]
				if v == "" {
					v = next()
				}
				if t.s[k] == 'd' {
					dir = v
				}
				break
			}
		}
	}
	if dir == "\x00" {
		a.refuse("`%s`: the directory the patch is applied in is computed at run time", truncateTok(c.argv))
		return
	}
	for _, p := range paths {
		if strings.ContainsAny(p, `"\`) {
			// git and patch write a name with unusual characters quoted,
			// with C escapes (\056 is a dot: review hook63 H4).
			u, err := strconv.Unquote(p)
			if err != nil {
				a.refuse("`%s`: the patch the line gives it names %s, a quoted name the hook cannot read: write the patch to a file and apply that", truncateTok(c.argv), p)
				return
			}
			p = u
		}
		if p == "" || p == "/dev/null" {
			continue
		}
		// Every -pN: the name with any number of leading directories
		// stripped (review hook63 H4: -p2 on x/y/.claude/settings.json).
		cands := []string{p}
		for i := 0; i < len(p); i++ {
			if p[i] == '/' && i+1 < len(p) {
				cands = append(cands, p[i+1:])
			}
		}
		if dir != "" {
			for _, q := range cands {
				cands = append(cands, strings.TrimSuffix(dir, "/")+"/"+q)
			}
		}
		for _, q := range cands {
			hit := a.protected(q)
			if hit == "" && strings.Contains("/"+q+"/", "/.git/") {
				hit = q
			}
			if hit != "" {
				a.refuse("`%s`: the patch the line gives it names %s, which holds the gate's trust or runs later on its own: a person changes it through review", truncateTok(c.argv), hit)
				return
			}
		}
	}
}

// patchUnread judges patch when the hook does not read the patch it
// applies (review hook132 H3), as git apply is judged (review hook106):
// one read from a file the line names (patch -p1 < fix.patch, -i FILE)
// stays in the accepted class; one from a pipe (base64 -d | patch, but
// git's own diff, judged as a move of the tree), a process substitution,
// another descriptor, a here-document the hook does not compute, or the
// standard input the line feeds a script or function it runs in, may name
// the state or a protected file, and is refused.
func (a *analyzer) patchUnread(c call) {
	line := truncateTok(c.argv)
	unread := func(from string) {
		a.refuse("`%s` applies a patch from %s, whose text the hook does not read (it may name the state or a protected file): write the patch to a file and apply that by name (patch -p1 < fix.patch), or give it in a quoted here-document (<<'EOF')", line, from)
	}
	args := c.argv[1:]
	// -i FILE, -iFILE, --input=FILE, --input FILE (and abbreviations):
	// the patch is read from the last one given, not from standard input
	// (patch -i fix.patch -i - reads standard input: the day's review).
	var input *tok
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.w != nil && hasProcSubst(t.w) || stdinPath(t) || otherFD(t) {
			unread(srcOf(t))
			return
		}
		if t.s == "--" && !t.dyn {
			break
		}
		n, v, eq := strings.Cut(t.s, "=")
		switch {
		case t.dyn:
			if strings.HasPrefix(t.src, "-") || strings.HasPrefix(t.src, `"-`) || t.s == "" {
				unread(srcOf(t)) // a computed option may be -i -
				return
			}
		case (t.s == "-i" || len(t.s) >= 4 && strings.HasPrefix("--input", t.s)) && i+1 < len(args):
			i++
			f := args[i]
			input = &f
		case strings.HasPrefix(t.s, "-i") && len(t.s) > 2:
			input = &tok{s: t.s[2:]}
		case eq && len(n) >= 4 && strings.HasPrefix("--input", n):
			input = &tok{s: v, dyn: t.dyn}
		}
	}
	if input != nil {
		if f := *input; f.dyn || f.w != nil && hasProcSubst(f.w) || stdinPath(f) || otherFD(f) || f.s == "-" {
			unread(srcOf(f))
		}
		return
	}
	if c.st != nil {
		var last *syntax.Redirect
		for _, r := range c.st.Redirs {
			if stdinRedirect(r) {
				last = r // bash applies them in order: the last one feeds it
			}
		}
		if last != nil {
			switch last.Op {
			case syntax.RdrIn:
				t := a.word(last.Word)
				if hasProcSubst(last.Word) || stdinPath(t) || otherFD(t) || t.dyn && t.kind != dynGlob {
					unread(redirText(last))
				}
			case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
				unread("a here-document or here-string with text computed at run time")
			default:
				unread(redirText(last))
			}
			return
		}
		if from, piped := a.pipeFrom[c.st]; piped {
			if gitDiffOf(from) {
				a.gitMovesTree(line, false)
			} else {
				unread("a pipe")
			}
			return
		}
	}
	if c.fed {
		unread("the standard input the line feeds it")
	}
}

// stdinText is the text a statement's standard input holds when the line
// spells it out: a quoted here-document, a here-string, a static pipe.
func (a *analyzer) stdinText(st *syntax.Stmt) (string, bool) {
	if st == nil {
		return "", false
	}
	if text, ok, redir := a.redirText(st); redir {
		return text, ok
	}
	if from, ok := a.pipeFrom[st]; ok {
		return a.staticOutput(from)
	}
	return "", false
}

// redirText is the text a statement's first standard-input redirection
// feeds when the line spells it out (a quoted here-document, a
// here-string); redir reports whether there is such a redirection.
func (a *analyzer) redirText(st *syntax.Stmt) (text string, ok, redir bool) {
	for _, r := range st.Redirs {
		if !stdinRedirect(r) {
			continue
		}
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			text, ok = hereDoc(r)
			return text, ok, true
		case syntax.WordHdoc:
			t := a.word(r.Word)
			return t.s, !t.dyn, true
		}
		return "", false, true
	}
	return "", false, false
}

// stdinRedirect reports whether a redirection feeds descriptor 0.
func stdinRedirect(r *syntax.Redirect) bool {
	switch r.Op {
	case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc, syntax.RdrIn, syntax.DplIn, syntax.RdrInOut:
		return r.N == nil || r.N.Value == "0"
	case syntax.DplOut, syntax.RdrOut, syntax.AppOut, syntax.RdrClob:
		// 0>&1 copies descriptor 1 (a socket opened read-write by
		// >/dev/tcp/…) to standard input (review hook119 H4).
		return r.N != nil && r.N.Value == "0"
	}
	return false
}

// stdinDesync refuses a script a shell reads from its standard input when
// a line of it is not a whole command — a here-document, a quoted
// newline, a command or an assignment continued over lines — and the
// script may read its own input: bash reads such a
// script a line at a time, so `read x` (or any program reading standard
// input) consumes the script's next line, and the lines the hook read as
// a here-document's body then run (review hook57 F3).
func (a *analyzer) stdinDesync(argv []tok, text string) bool {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil || len(f.Stmts) < 2 && !strings.Contains(text, "\n") {
		return false
	}
	spans := false
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Redirect:
			spans = spans || n.Op == syntax.Hdoc || n.Op == syntax.DashHdoc
		case *syntax.Word:
			if n.Pos().Line() != n.End().Line() {
				spans = true
			}
		case *syntax.CallExpr, *syntax.Assign, *syntax.DeclClause, *syntax.TestClause, *syntax.ArithmCmd, *syntax.LetClause:
			// A simple command or an assignment over lines: a backslash
			// line continuation, an array's list (review hook69 H2: read
			// x; a=( newline terraform destroy newline )).
			if n.Pos().Line() != n.End().Line() {
				spans = true
			}
		}
		return !spans
	})
	if !spans || !readsOuterStdin(f) {
		return false
	}
	a.refuse("`%s`: the script it reads from its standard input has a here-document or a quoted newline, and bash reads such a script a line at a time, so a command in it that reads its input (read, cat) takes the script's next lines and the lines the hook read as text run: pass the script with -c, or write it to a file", quoteArgs(argv))
	return true
}

// stdinQuiet are the commands that never read their standard input: the
// builtins that only set, test or print, and a few programs. In a script
// a shell reads from its standard input any other command may read the
// script's next lines as data — `head -c 8`, `dd bs=8 count=1`, any
// program — so only these are left out (review hook63 H2: a rule that
// counted only readers given no arguments let `head -c 8` through).
var stdinQuiet = map[string]bool{"echo": true, "printf": true, ":": true, "true": true, "false": true,
	"cd": true, "pushd": true, "popd": true, "dirs": true, "export": true, "set": true, "unset": true,
	"shift": true, "shopt": true, "test": true, "[": true, "exit": true, "return": true, "break": true,
	"continue": true, "umask": true, "local": true, "declare": true, "typeset": true, "readonly": true,
	"let": true, "pwd": true, "mkdir": true, "touch": true, "ls": true, "sleep": true, "basename": true,
	"dirname": true, "date": true}

// readsOuterStdin reports whether a command of a script may read the
// script's own standard input: any command but the stdinQuiet ones, with
// no standard-input redirection of its own, not on the right of a pipe.
func readsOuterStdin(f *syntax.File) bool {
	piped := map[*syntax.Stmt]bool{}
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				piped[n.Y] = true
			}
		case *syntax.Redirect:
			// 3<&0, 3>&0: another descriptor on the script's input (review
			// hook65 H2: read -u 3 x 3<&0).
			if (n.Op == syntax.DplIn || n.Op == syntax.DplOut) && n.Word != nil && n.Word.Lit() == "0" {
				found = true
			}
		case *syntax.ForClause:
			found = found || n.Select // select reads a line of its input
		case *syntax.Stmt:
			if piped[n] {
				return false // its input is the pipe, also for what it holds
			}
			for _, r := range n.Redirs {
				if ownInput(r) {
					return false
				}
			}
			if c, ok := n.Cmd.(*syntax.CallExpr); ok && len(c.Args) > 0 && !stdinQuiet[c.Args[0].Lit()] {
				found = true
			}
		}
		return true
	})
	return found
}

// ownInput reports whether a redirection gives a command an input of its
// own, not the script's: a here-document or here-string, or a file named
// literally that is no descriptor (<&0, </dev/stdin, </dev/fd/0,
// </proc/self/fd/0 are the script itself: review hook65 H2).
func ownInput(r *syntax.Redirect) bool {
	if !stdinRedirect(r) {
		return false
	}
	switch r.Op {
	case syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc:
		return true
	case syntax.RdrIn, syntax.RdrInOut:
		lit := r.Word.Lit()
		return lit != "" && !strings.Contains(lit, "dev") && !strings.Contains(lit, "proc") &&
			!strings.Contains(lit, "stdin") && !strings.Contains(lit, "fd") && !isNumber(lit)
	}
	return false
}

// procScript reports whether a script path may lead through /proc to
// the shell's standard input or another file the hook does not place:
// /proc/self/root/dev/stdin, /proc/self/cwd/stdin (review hook77 H5), a
// relative path after cd /proc.
func procScript(t tok) bool {
	if t.dyn || stdinPath(t) {
		return false // stdinPath's are judged as standard input
	}
	s := t.s
	return strings.Contains(s, "/proc/") || strings.HasPrefix(s, "proc/") || strings.HasPrefix(s, "self/") ||
		strings.HasSuffix(s, "/stdin") || strings.Contains(s, "/fd/") || strings.HasPrefix(s, "fd/")
}

// stdinPath reports whether a script path is the shell's own stdin.
func stdinPath(t tok) bool {
	if t.dyn {
		return false
	}
	s := devCanonical(t.s)
	if s == "/dev/stdin" {
		return true
	}
	if n, ok := strings.CutPrefix(s, "/dev/fd/"); ok {
		return isNumber(n)
	}
	rest, ok := strings.CutPrefix(s, "/proc/")
	if !ok {
		return false
	}
	proc, fd, ok := strings.Cut(rest, "/fd/")
	return ok && (proc == "self" || proc == "thread-self" || isNumber(proc)) && isNumber(fd)
}

// otherFD reports whether a script path is a descriptor other than
// standard input (/dev/fd/3, /proc/self/fd/3), which an earlier
// `exec 3<<<…` or an enclosing redirection may feed.
func otherFD(t tok) bool {
	if netPath(t) {
		return true // bash < /dev/tcp/HOST/PORT: a script from the network
	}
	if !stdinPath(t) {
		return false
	}
	c := devCanonical(t.s)
	return c != "/dev/stdin" && c[strings.LastIndex(c, "/")+1:] != "0"
}

// devCanonical is the path a script path may stand for among /dev/stdin,
// /dev/fd/N and /proc/PID/fd/N, written any way the kernel
// reads the same (review hook51 H6): cleaned (/dev/./stdin, //dev/stdin,
// /dev/fd//3); a relative path, which a `..` or a cd may have placed
// anywhere, is taken as under /dev or /proc when its last components
// name stdin or a descriptor there (../../dev/stdin, stdin after cd
// /dev, fd/3, self/fd/0).
func devCanonical(s string) string {
	c := path.Clean(s)
	switch c {
	case "/dev/stdout":
		return "/dev/fd/1" // review hook79 H2
	case "/dev/stderr":
		return "/dev/fd/2"
	}
	if path.IsAbs(c) {
		return c
	}
	if i := strings.LastIndex(c, "../"); i >= 0 {
		c = c[i+3:]
	}
	parts := strings.Split(c, "/")
	n := len(parts)
	switch {
	case n == 1 && isNumber(c) && c != "":
		// source 3, bash 0: found through PATH=/dev/fd:… or in the
		// directory a cd went to (review hook57 F4).
		return "/dev/fd/" + c
	case c == "stdin" || n >= 2 && parts[n-1] == "stdin" && parts[n-2] == "dev":
		return "/dev/stdin"
	case c == "stdout" || n >= 2 && parts[n-1] == "stdout" && parts[n-2] == "dev":
		return "/dev/fd/1" // review hook79 H2
	case c == "stderr" || n >= 2 && parts[n-1] == "stderr" && parts[n-2] == "dev":
		return "/dev/fd/2"
	case n >= 2 && parts[n-2] == "fd" && isNumber(parts[n-1]) && parts[n-1] != "":
		return "/dev/fd/" + parts[n-1]
	case n >= 1 && (parts[0] == "dev" || parts[0] == "proc"):
		return "/" + c
	}
	return c
}

// netPath reports whether a redirection target is one of bash's network
// sockets (/dev/tcp/HOST/PORT, /dev/udp/…): a script read from it is in
// no file the hook can read, like `curl URL | bash` (review hook34 F6).
func netPath(t tok) bool {
	// bash matches these names as written (/dev//tcp/… is a file path,
	// which does not exist), unlike /dev/stdin, which the kernel resolves.
	return !t.dyn && (strings.HasPrefix(t.s, "/dev/tcp/") || strings.HasPrefix(t.s, "/dev/udp/"))
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// stdinScript judges a script a shell (or source) reads from stdin: a
// here-document, a here-string, echo/printf/cat piped in. interactive: with
// nothing feeding stdin (its statement's, or an enclosing one's: echo … |
// bash -c bash) the shell is interactive, which the agent cannot type into.
func (a *analyzer) stdinScript(argv []tok, st *syntax.Stmt, depth int, interactive bool) kind {
	hist := a.histNext
	a.histNext = false
	history := func(text string) bool {
		if d := HistoryDesignator(text); hist && d != "" {
			a.refuse("`%s`: the shell is interactive (-i), so it replaces the history expansion `%s` in the script it reads with words of earlier lines, which the hook did not read there: run the script without -i, or write the command out", quoteArgs(argv), d)
			return true
		}
		return false
	}
	if st != nil {
		// bash reads the last redirection of descriptor 0; one of another
		// descriptor is not the script (review hook57 F2).
		var in []*syntax.Redirect
		for _, r := range st.Redirs {
			if stdinRedirect(r) {
				in = append(in, r)
			}
		}
		if len(in) > 1 {
			a.refuse("`%s`: standard input is redirected more than once, and bash reads the script from the last: give it one", quoteArgs(argv))
			return kindOther
		}
		for _, r := range in {
			switch r.Op {
			case syntax.Hdoc, syntax.DashHdoc:
				text, ok := hereDoc(r)
				if !ok {
					a.refuse("`%s`: a here-document with expansions (`$`, backquotes, backslashes) is rewritten by the shell before the script reads it, which the hook cannot follow: quote its delimiter (<<'EOF')", quoteArgs(argv))
					return kindOther
				}
				if a.stdinDesync(argv, text) || history(text) {
					return kindOther
				}
				a.script(text, depth+1)
				return kindWrapper
			case syntax.WordHdoc:
				t := a.word(r.Word)
				if !t.dyn && history(t.s) {
					return kindOther
				}
				a.scriptTok(t, argv[0].s+" <<<", depth)
				return kindWrapper
			case syntax.RdrIn:
				t := a.word(r.Word)
				if t.dyn {
					a.refuse("`%s`: reads a script computed at run time", quoteArgs(argv))
				} else if otherFD(t) {
					a.refuse("`%s`: reads a script from another file descriptor (%s), which the hook cannot see", quoteArgs(argv), t.s)
				} else if a.lineWrote(t) {
					// printf … > f; bash < f (review hook119 H1).
					a.writtenScript(quoteArgs(argv), "reads the script", t.s)
				}
				return kindOther // a script file
			case syntax.DplIn, syntax.RdrInOut, syntax.DplOut, syntax.RdrOut, syntax.AppOut, syntax.RdrClob:
				a.refuse("`%s`: reads a script from another file descriptor, which the hook cannot see", quoteArgs(argv))
				return kindOther
			}
		}
		if from, ok := a.pipeFrom[st]; ok {
			if text, ok := a.staticOutput(from); ok {
				if a.stdinDesync(argv, text) || history(text) {
					return kindOther
				}
				a.script(text, depth+1)
				return kindWrapper
			}
			a.refuse("`%s` reads a script from a pipe the hook cannot see through: write the commands out instead", quoteArgs(argv))
			return kindOther
		}
	}
	if !interactive {
		a.refuse("`%s` reads a script from its standard input, which the hook cannot see", quoteArgs(argv))
	}
	return kindOther
}

// hereDoc is the text a here-document feeds: its body as written when its
// delimiter is quoted (<<'EOF'), or when the body holds no expansion nor
// backslash; ok is false when the shell would rewrite the body first.
func hereDoc(r *syntax.Redirect) (string, bool) {
	quoted := false
	if r.Word != nil {
		for _, p := range r.Word.Parts {
			if l, ok := p.(*syntax.Lit); !ok || strings.ContainsRune(l.Value, '\\') {
				quoted = true
			}
		}
	}
	if !quoted && r.Hdoc != nil {
		for _, p := range r.Hdoc.Parts {
			if l, ok := p.(*syntax.Lit); !ok || strings.ContainsAny(l.Value, "\\$`") {
				return "", false
			}
		}
	}
	return heredocText(r.Hdoc), true
}

// heredocText is a here-document's body as written.
func heredocText(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok {
			b.WriteString(l.Value)
			continue
		}
		_ = syntax.NewPrinter().Print(&b, p)
	}
	return b.String()
}

// staticOutput is the output of echo/printf/cat-with-here-doc when it can
// be known from the text.
func (a *analyzer) staticOutput(st *syntax.Stmt) (string, bool) {
	c, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) == 0 || len(c.Assigns) > 0 {
		return "", false // PATH=… cat: another program
	}
	argv := a.words(c.Args)
	for _, t := range argv {
		// echo -e, printf and some shells' echo rewrite backslash
		// escapes (terr\x61form): such output is not read.
		if t.dyn || strings.ContainsRune(t.s, '\\') {
			return "", false
		}
	}
	switch baseName(argv[0].s) {
	case "echo":
		args := argv[1:]
		for len(args) > 0 && (args[0].s == "-n" || args[0].s == "-e" || args[0].s == "-E") {
			args = args[1:]
		}
		var parts []string
		for _, t := range args {
			parts = append(parts, t.s)
		}
		return strings.Join(parts, " "), true
	case "printf":
		if len(argv) == 2 && !strings.Contains(argv[1].s, "%") {
			return argv[1].s, true
		}
	case "cat":
		if len(argv) == 1 {
			a.pathRelied = append(a.pathRelied, "`cat` (its output piped into a shell)")
			n := 0
			for _, r := range st.Redirs {
				if stdinRedirect(r) {
					n++
				}
			}
			if n > 1 {
				return "", false // cat reads the last (review hook57 F2)
			}
			text, ok, _ := a.redirText(st) // n ≤ 1: the one redirection
			return text, ok
		}
	}
	return "", false
}

// xargs runs a command with arguments read from stdin: those are unknown.
func (a *analyzer) xargs(c call) kind {
	name, args := baseName(c.argv[0].s), c.argv[1:]
	opts, _, rest := lookup(name).options(args)
	if a.unknownOption(lookup(name), name, c, opts) {
		return kindOther
	}
	repl := ""
	for _, o := range opts {
		switch o.name {
		case "I":
			repl = o.val.s
		case "i", "replace":
			if repl = o.val.s; repl == "" {
				repl = "{}"
			}
		case "process-slot-var":
			// Set for each command run, to a number (review hook54 F6).
			if o.val.dyn || !isName(o.val.s) {
				a.refuse("`%s`: --process-slot-var names a variable computed at run time", quoteArgs(c.argv))
			} else {
				a.envSet(o.val.s, tok{s: "0", dyn: true}, c.depth)
			}
		}
	}
	if name == "parallel" && repl == "" {
		repl = "{" // {}, {.}, {/}, {1}: replaced by each value
	}
	var values []string // parallel ::: a b, spelled out
	if name == "parallel" {
		sources := false
		for i, t := range rest {
			if t.s == ":::" || t.s == "::::" || t.s == ":::+" || t.s == "::::+" {
				// The values after ::: fill {} or are appended; with no
				// command, each is a command line.
				if w, ok := namesRefused(rest[i+1:]); ok {
					a.refuse("`parallel %s`: passes `%s` to the command it runs", quoteArgs(rest), w)
				}
				if i == 0 {
					a.parallelLines(rest, c.depth)
				}
				if !hasOpt(opts, "a", "arg-file") {
					// -a FILE is a source too, combined with these
					// (review hook36 M1).
					values = literalSource(t.s, rest[i+1:])
				}
				sources = true
				rest = rest[:i]
				break
			}
		}
		if len(rest) == 0 && !sources && !hasFlag(args, "", "version") {
			a.refuse("`parallel %s` runs the lines it reads as commands, which the hook cannot see", quoteArgs(args))
			return kindOther
		}
	}
	if len(rest) == 0 {
		return kindOther // xargs echo
	}
	if name == "parallel" && a.parallelShell(c.argv, opts, rest, values, c.depth) {
		return kindOther
	}
	var cmd []tok
	for _, t := range rest {
		if repl != "" && strings.Contains(t.s, repl) {
			in := tok{s: strings.SplitN(t.s, repl, 2)[0], dyn: true, kind: dynInput, src: t.s}
			if values != nil && strings.Count(t.s, "{") == 1 && strings.Contains(t.s, "{}") {
				for _, v := range values {
					in.alts = append(in.alts, strings.Replace(t.s, "{}", v, 1))
				}
			}
			cmd = append(cmd, in)
			continue
		}
		cmd = append(cmd, t)
	}
	if repl == "" || name == "parallel" {
		// The words read from stdin: any number of them, after the ones
		// written (echo terraform destroy | xargs env runs `env terraform
		// destroy`). Two tokens stand for them, so that they fill both a
		// wrapper's program (xargs env, xargs timeout) and a writer's
		// destination (xargs cp).
		in := tok{dyn: true, kind: dynInput, src: "the words " + name + " reads", alts: values}
		cmd = append(cmd, in, in)
	}
	c = c.inner(cmd)
	c.st, c.each = nil, name
	a.run(c)
	return kindOther
}

// parallelShell judges what GNU parallel does with its command words
// (review hook75 H3): it joins them with spaces and runs the text with a
// shell (unless -q quotes them), so the joined text is judged as a script,
// with each replacement string ({}, {.}, {1}…) as a plain word; a word
// computed at run time may hold shell syntax; {= … =} is Perl code and
// --limit a command. It reports whether it refused.
func (a *analyzer) parallelShell(argv []tok, opts []opt, rest []tok, values []string, depth int) bool {
	for _, t := range argv[1:] {
		if strings.Contains(t.s, "{=") || t.s == "--limit" || strings.HasPrefix(t.s, "--limit=") {
			a.refuse("`%s`: {= … =} is Perl code parallel runs, and --limit a command it runs, which the hook does not read", truncateTok(argv))
			return true
		}
	}
	for _, o := range opts {
		if !parallelSafeOpts[o.name] {
			// An option the hook does not know may take a value, and so
			// move where the command starts (review hook77 H3: --ssh),
			// with -q too.
			a.refuse("`%s`: %s is an option of parallel the hook does not know to leave its command where it reads it: use the common ones (-j, -k, -n, -N, --tag, --halt…)", truncateTok(argv), dashed(o.name))
			return true
		}
	}
	if hasOpt(opts, "q", "quote") {
		return false
	}
	repl := parallelRepl
	var words []string
	for _, t := range rest {
		if t.dyn {
			a.refuse("`%s`: parallel joins its command words into a shell command line, and %s is computed at run time, which may hold shell syntax: use -q, or spell the command out", truncateTok(argv), srcOf(t))
			return true
		}
		words = append(words, t.s)
	}
	// Each replacement string stands for each value the line spells out
	// (quoted, as parallel quotes it), or for a value the hook cannot
	// know: then a quote in the words may cancel parallel's own around
	// the value (review hook77 H1: "'{}'").
	fills := []string{"\"${PARALLEL_VALUE}\""}
	if len(values) == 0 || len(values) > 16 {
		for _, w := range words {
			if strings.ContainsAny(w, "'\"\\") {
				a.refuse("`%s`: parallel puts each value, quoted, into its command line, and a quote or backslash in the command's words may cancel that quoting for values the hook cannot see: use -q, or spell the values out with :::", truncateTok(argv))
				return true
			}
		}
	}
	if len(values) > 0 && len(values) <= 16 {
		fills = nil
		for _, v := range values {
			q, err := syntax.Quote(v, syntax.LangBash)
			if err != nil {
				q = "\"${PARALLEL_VALUE}\""
			}
			fills = append(fills, q)
		}
	}
	line := strings.Join(words, " ")
	if !repl.MatchString(line) {
		line += " {}" // the values are appended
	}
	before := len(a.res.Refused)
	for _, f := range fills {
		a.script(repl.ReplaceAllLiteralString(line, f), depth+1)
		if len(a.res.Refused) > before {
			return true
		}
	}
	return false
}

// parallelRepl is a replacement string of GNU parallel ({}, {.}, {1}…).
var parallelRepl = regexp.MustCompile(`\{[^{}]*\}`)

// parallelSafeOpts are the options of GNU parallel the hook reads as the
// row says (their values, if any, known): any other is refused in the
// parallel command line rule, as it may take a value the row does not
// list (--ssh CMD) or change the replacement strings (-I, --rpl).
var parallelSafeOpts = map[string]bool{"j": true, "jobs": true, "k": true, "keep-order": true, "n": true, "max-args": true,
	"N": true, "tag": true, "halt": true, "v": true, "verbose": true, "u": true, "ungroup": true, "line-buffer": true,
	"group": true, "bar": true, "progress": true, "eta": true, "dry-run": true, "0": true, "null": true, "r": true,
	"no-run-if-empty": true, "X": true, "m": true, "xargs": true, "timeout": true, "retries": true, "delay": true,
	"d": true, "delimiter": true, "C": true, "colsep": true, "L": true, "P": true, "max-procs": true,
	"memfree": true, "load": true, "nice": true, "s": true, "max-chars": true,
	"silent": true, "will-cite": true, "a": true, "arg-file": true, "t": true, "p": true, "interactive": true, "q": true,
	"quote": true} // not -e/--eof, -l/--max-lines (an optional value that takes the next word: review hook79 H1), --joblog, --results (files it writes: H4)

// literalSource returns the values of parallel's one input source when
// the line spells them out (`::: a b`), or nil: values read from files
// (`::::`), computed, or combined with another source.
func literalSource(marker string, after []tok) []string {
	if marker != ":::" {
		return nil
	}
	var vals []string
	for _, t := range after {
		if t.dyn || strings.HasPrefix(t.s, ":::") {
			return nil
		}
		vals = append(vals, t.s)
	}
	return vals
}

// parallelLines judges `parallel ::: CMD…`: each value is a command line,
// run once per value; values from files (::::) cannot be read.
func (a *analyzer) parallelLines(rest []tok, depth int) {
	defer func(old call) { a.outer = old }(a.outer)
	a.outer.each = "parallel"
	sep := ""
	for _, t := range rest {
		switch {
		case !t.dyn && strings.HasPrefix(t.s, ":::"):
			sep = t.s
		case strings.HasPrefix(sep, "::::"):
			a.refuse("`parallel %s` runs the lines of a file as commands, which the hook cannot see", quoteArgs(rest))
			return
		default:
			a.scriptTok(t, "parallel :::", depth)
		}
	}
}

// findValued are find's (and fd's) options and primaries that take the
// next word as their value: a computed word there is a value, not an
// action.
var findValued = map[string]bool{"-name": true, "-iname": true, "-path": true, "-ipath": true, "-wholename": true,
	"-iwholename": true, "-regex": true, "-iregex": true, "-lname": true, "-ilname": true, "-newer": true, "-anewer": true,
	"-cnewer": true, "-samefile": true, "-type": true, "-xtype": true, "-user": true, "-group": true, "-uid": true,
	"-gid": true, "-perm": true, "-size": true, "-mtime": true, "-atime": true, "-ctime": true, "-mmin": true,
	"-amin": true, "-cmin": true, "-used": true, "-links": true, "-inum": true, "-maxdepth": true, "-mindepth": true,
	"-fstype": true, "-context": true, "-fprint": true, "-fprint0": true, "-fls": true, "-printf": true,
	"-regextype": true, "-files0-from": true, "-D": true}

// fdValued are fd's options that take the next word as their value.
var fdValued = map[string]bool{"-e": true, "-t": true, "-d": true, "-E": true, "-S": true, "-o": true, "-j": true,
	"-c": true, "--extension": true, "--type": true, "--max-depth": true, "--min-depth": true, "--exact-depth": true,
	"--exclude": true, "--size": true, "--owner": true, "--threads": true, "--color": true, "--base-directory": true,
	"--search-path": true, "--changed-within": true, "--changed-before": true, "--max-results": true,
	"--path-separator": true, "--ignore-file": true, "--format": true, "--batch-size": true, "--and": true}

// findComputed refuses a word of find's (or fd's) that bash computes and
// that may be an action rather than a value: X=-exec (or -delete,
// -fprint FILE, fd's --exec=CMD) in `find . $X terraform destroy \;`, a
// starting point "$D" that is -delete, or a glob a file named -exec or
// -delete matches (find * with `touch ./-delete` deletes the tree). A
// word is safe where it is a primary's value, or when it starts with
// literal text other than a dash and nothing in it is split.
func (a *analyzer) findComputed(name string, c call) bool {
	args := c.argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case !t.dyn && (t.s == "-exec" || t.s == "-execdir" || t.s == "-ok" || t.s == "-okdir" ||
			name != "find" && (t.s == "-x" || t.s == "--exec" || t.s == "-X" || t.s == "--exec-batch")):
			// The command's words are judged as a command (find).
			for i++; i < len(args) && args[i].s != ";" && args[i].s != "+" && args[i].s != `\;`; i++ {
			}
		case !t.dyn && t.s == "-fprintf":
			i += 2
		case !t.dyn && (findValued[t.s] || strings.HasPrefix(t.s, "-newer") && len(t.s) == 8 || name != "find" && fdValued[t.s]):
			i++
		case !t.dyn && name != "find" && strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && len(t.s) > 2 && strings.ContainsAny(t.s, "xX"):
			// fd -Hx CMD, -xCMD: a cluster ending in -x runs what follows.
			a.refuse("`%s`: %s may hold -x or -X (run a command per result): write -x/-X on its own", truncateTok(c.argv), t.s)
			return true
		case !t.dyn && name != "find" && (strings.HasPrefix(t.s, "--exec=") || strings.HasPrefix(t.s, "--exec-batch=")):
			a.refuse("`%s`: %s runs a command per result, attached to the option: write it as --exec CMD … \\;", truncateTok(c.argv), t.s)
			return true
		case t.dyn && (t.w == nil || !cannotBeOption(t.w)):
			a.refuse("`%s`: %s is computed at run time (or a glob) and may be an action of %s (-exec CMD, -delete, -fprint FILE), which the hook cannot tell: write it as literal text, or run %s from that directory (cd \"$D\" && %s . …)", truncateTok(c.argv), srcOf(t), name, name, name)
			return true
		}
	}
	return false
}

// cannotBeOption reports whether a computed word expands to one word
// that starts with literal text other than a dash: ./"$x", /tmp/*.tf,
// "$HOME"/x does not qualify (HOME may start with a dash).
func cannotBeOption(w *syntax.Word) bool {
	if len(w.Parts) == 0 {
		return false
	}
	first := ""
	switch p := w.Parts[0].(type) {
	case *syntax.Lit:
		first = p.Value
	case *syntax.SglQuoted:
		first = p.Value
	case *syntax.DblQuoted:
		if len(p.Parts) > 0 {
			if l, ok := p.Parts[0].(*syntax.Lit); ok {
				first = l.Value
			}
		}
	}
	if first == "" || first[0] == '-' || strings.ContainsAny(first[:1], "*?[\\") {
		return false
	}
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.Lit, *syntax.SglQuoted, *syntax.DblQuoted:
		default:
			return false // unquoted $x, $(…): split into words
		}
	}
	return true
}

// find runs -exec/-execdir/-ok/-okdir commands with {} for each file.
func (a *analyzer) find(c call) kind {
	args := c.argv[1:]
	if a.findComputed(baseName(c.argv[0].s), c) {
		return kindOther
	}
	a.findDeletes(c.argv) // findexpr.go
	a.findWrites(c.argv)
	a.fdExec(c.argv)
	name := baseName(c.argv[0].s)
	starts := execStarts(name, args)
	for i := 0; i < len(args); i++ {
		switch args[i].s {
		case "-exec", "-execdir", "-ok", "-okdir", "-x", "--exec", "-X", "--exec-batch":
			ic := c.inner(nil)
			ic.st, ic.each = nil, name+" "+args[i].s
			if strings.HasSuffix(args[i].s, "dir") {
				ic.chdir = ic.each
			}
			// {} is a file found, or with `+` (fd -X) every one: the
			// literal starting points are among them (find
			// /usr/local/bin/terraform destroy -exec {} + runs
			// `terraform destroy`, review hook32 F2).
			batch := args[i].s == "-X" || args[i].s == "--exec-batch"
			var cmd, alt []tok
			var in tok
			placed := false
			j := i + 1
			for ; j < len(args) && args[j].s != ";" && args[j].s != "+" && args[j].s != `\;`; j++ {
				t := args[j]
				if j+1 < len(args) && args[j+1].s == "+" && !args[j+1].dyn {
					batch = true
				}
				ph := findPlaceholder(name, t.s)
				if ph == "" {
					cmd, alt = append(cmd, t), append(alt, t)
					continue
				}
				placed = true
				if len(cmd) == 0 {
					a.refuse("`%s`: the program %s runs is a file it finds (%s), and the literal starting points are among them (find terraform destroy -exec {} + runs `terraform destroy`): name the program, and pass %s as its argument", truncateTok(c.argv), name, t.s, ph)
					return kindOther
				}
				in = tok{s: strings.SplitN(t.s, ph, 2)[0], dyn: true, kind: dynInput, src: t.s, found: true}
				cmd = append(cmd, in)
				if t.s == ph {
					alt = append(alt, starts...)
				} else {
					alt = append(alt, in)
				}
			}
			if !placed && name != "find" {
				// fd -x CMD, -X CMD: without a placeholder fd adds the path.
				in = tok{dyn: true, kind: dynInput, src: "the paths " + name + " finds", found: true}
				cmd, alt, placed = append(cmd, in), append(alt, starts...), true
			}
			if batch && placed {
				cmd = append(cmd, in) // many paths
			}
			ic.argv = cmd
			a.run(ic)
			if len(starts) > 0 && placed && c.depth < maxDepth {
				ic.argv = alt
				a.run(ic)
			}
			i = j
		}
	}
	return kindOther
}

// findPlaceholder is the placeholder in a word of a find -exec (or fd -x)
// command that the found path replaces, or "".
func findPlaceholder(name, s string) string {
	if name == "find" {
		if strings.Contains(s, "{}") {
			return "{}"
		}
		return ""
	}
	for _, ph := range []string{"{}", "{/}", "{//}", "{.}", "{/.}"} {
		if strings.Contains(s, ph) {
			return ph
		}
	}
	return ""
}

// execStarts are the literal starting points of a find (the words before
// its expression) that are not a plain directory (.): names such as
// `destroy` that a found path is, word for word; at most 8.
func execStarts(name string, args []tok) []tok {
	if name != "find" {
		return nil
	}
	starts, _, _ := findStarts(args)
	var out []tok
	for _, t := range starts {
		if !t.dyn && t.s != "." && t.s != "./" && t.s != ".." && len(out) < 8 {
			out = append(out, t)
		}
	}
	return out
}

// fdExec refuses fd running a program that may change the files it
// finds (fd -x rm, -X CMD, --exec, --exec-batch): fd's patterns are
// regular expressions over names and its defaults skip hidden and
// ignored files, which the hook does not read; a program known to only
// read its files (-x cat, -X wc -l) is allowed.
func (a *analyzer) fdExec(argv []tok) {
	if baseName(argv[0].s) == "find" || len(a.opts.Protected) == 0 {
		return
	}
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		switch args[i].s {
		case "-x", "--exec", "-X", "--exec-batch":
			var cmd []tok
			for i++; i < len(args) && args[i].s != ";" && args[i].s != `\;`; i++ {
				cmd = append(cmd, args[i])
			}
			if !a.execOnlyReads("fd", cmd) {
				a.refuse("`%s` runs %s on the files it finds, which may be the policy, its trust files, the agent's settings or a Terraform state file: the hook does not read fd's patterns; use find with -name tests, or name the files", truncateTok(argv), quoteArgs(cmd))
				return
			}
		}
	}
}

// container finds a Terraform-family program run in a container
// (docker run hashicorp/terraform destroy, kubectl exec pod -- tofu apply).
func (a *analyzer) container(c call) kind {
	args := append([]tok{}, c.argv[1:]...)
	if a.containerWrites(c) {
		return kindOther
	}
	for i, t := range args {
		// --entrypoint=PROG is --entrypoint PROG (review hook80 M1).
		if v, ok := strings.CutPrefix(t.s, "--entrypoint="); ok && !t.dyn {
			if toolName(baseName(v)) != "" || shellProgram(baseName(v)) {
				a.refuse("`%s`: the container's entrypoint is %s, which runs Terraform or a shell the hook does not see into: run terraform plan on the host", truncateTok(c.argv), v)
				return kindOther
			}
		}
		if t.s == "--entrypoint" && i+1 < len(args) && shellProgram(baseName(args[i+1].s)) {
			a.refuse("`%s`: the container's entrypoint is a shell, which runs commands the hook does not see into: run terraform plan on the host", truncateTok(c.argv))
			return kindOther
		}
	}
	for i, t := range args {
		if t.dyn {
			continue
		}
		img := baseName(t.s)
		if j := strings.IndexAny(img, ":@"); j > 0 {
			img = img[:j]
		}
		if prog := toolName(img); prog != "" {
			rest := args[i+1:]
			// An image runs its entrypoint; an exec'd program is itself.
			if len(rest) > 0 && toolName(baseName(rest[0].s)) != "" {
				a.run(call{argv: rest, depth: c.depth + 1})
				return kindOther
			}
			a.run(call{argv: append([]tok{{s: prog}}, rest...), depth: c.depth + 1})
			return kindOther
		}
	}
	a.generic(baseName(c.argv[0].s), c) // docker exec c sh -c '…'
	return kindOther
}

// containerWrites judges the host paths a container command writes (review
// hook121 H3, M1): the source of a bind mount the container may write
// (-v SRC:DST, --volume, --mount type=bind,src=SRC; not :ro, readonly), a
// cp's local destination, a build's --output directory or file, all as
// directories a writer fills (the working directory and the ones above it
// hold the state and the policy); a compose file read from standard input
// is refused. It reports whether it refused.
func (a *analyzer) containerWrites(c call) bool {
	args := c.argv[1:]
	line := truncateTok(c.argv)
	n := len(a.res.Refused)
	dest := func(t tok) {
		if t.dyn {
			a.refuse("`%s`: a host path computed at run time (%s), which the container may write: write it out", line, srcOf(t))
			return
		}
		a.writeDest(c.argv, t, true)
	}
	sub := ""
	for i := 0; i < len(args); i++ {
		t := args[i]
		val := func(long, short string) (tok, bool) {
			switch {
			case t.s == long || short != "" && t.s == short:
				if i+1 < len(args) {
					i++
					return args[i], true
				}
			case strings.HasPrefix(t.s, long+"="):
				return tok{s: strings.TrimPrefix(t.s, long+"="), dyn: t.dyn}, true
			case short != "" && strings.HasPrefix(t.s, short) && len(t.s) > len(short) && !strings.HasPrefix(t.s, "--"):
				// -vSRC:DST, and -v=SRC:DST as the flag package reads it
				// (review hook125 M1).
				return tok{s: strings.TrimPrefix(t.s[len(short):], "="), dyn: t.dyn}, true
			}
			return tok{}, false
		}
		if !t.dyn && len(t.s) > 2 && t.s[0] == '-' && t.s[1] != '-' {
			// -itv SRC:DST: flags, then -v and its value (review hook122
			// H3).
			if r := strings.TrimLeft(t.s[1:], "itdPq"); r != "" && r[0] == 'v' && len(r) < len(t.s)-1 {
				t = tok{s: "-" + r}
			}
		}
		if t.s == "--kubeconfig" || strings.HasPrefix(t.s, "--kubeconfig=") || sub == "" && (t.s == "--config" || strings.HasPrefix(t.s, "--config=")) {
			// A kubeconfig's exec credential plugin, a docker config's
			// cliPluginsExtraDirs: programs the client runs (review
			// hook130 H2, H3), as KUBECONFIG and DOCKER_CONFIG name.
			a.refuse("`%s`: %s names a client configuration, whose exec plugins or CLI plugins the client runs, which the hook does not read: use the configuration in place", line, t.s)
			return true
		}
		if t.s == "--volumes-from" || strings.HasPrefix(t.s, "--volumes-from=") {
			a.refuse("`%s`: --volumes-from mounts another container's volumes, binds of host directories among them, which the hook does not see: name the mounts", line)
			return true
		}
		if v, ok := val("--volume", "-v"); ok {
			parts := strings.Split(v.s, ":")
			opts := strings.Split(parts[len(parts)-1], ",")
			ro := len(parts) >= 3 && slices.Contains(opts, "ro") && !slices.Contains(opts, "rw")
			if len(parts) >= 2 && !ro {
				// A named volume is judged too: it may be a bind made
				// earlier (volume create --opt o=bind: review hook122 H5),
				// so only names that hold no path pass.
				dest(tok{s: parts[0], dyn: v.dyn})
			}
			continue
		}
		if v, ok := val("--mount", ""); ok {
			// The fields in order, as the docker CLI reads them: keys and
			// the type's value in any case (type=BIND), and the last
			// ro/readonly (podman: rw) deciding (ro,readonly=false is
			// writable: review hook131 M2, M3).
			typ, ro := "", false
			var srcs []string
			for _, f := range strings.Split(v.s, ",") {
				k, x, hasVal := strings.Cut(f, "=")
				// "src=..": the CSV reading strips quotes (review hook125
				// M1); volume-opt=device=DIR binds DIR under a volume.
				k, x = strings.ToLower(strings.Trim(k, `"' `)), strings.Trim(x, `"'`)
				if k == "volume-opt" && strings.HasPrefix(x, "device=") {
					dest(tok{s: strings.TrimPrefix(x, "device="), dyn: v.dyn})
				}
				switch k {
				case "type":
					typ = strings.ToLower(x)
				case "src", "source":
					srcs = append(srcs, x)
				case "ro", "readonly", "rw", "readwrite":
					// strconv.ParseBool's true; a bare key is true.
					set := !hasVal || x == "1" || x == "t" || x == "T" || x == "true" || x == "TRUE" || x == "True"
					ro = set == (k == "ro" || k == "readonly")
				}
			}
			if typ != "tmpfs" && !ro || v.dyn {
				// readonly=false is writable (review hook122 H4). A
				// volume's name is judged too, as -v's is: it may be a
				// bind made earlier.
				if v.dyn {
					dest(tok{s: v.s, dyn: true})
				}
				for _, src := range srcs {
					if src != "" {
						dest(tok{s: src})
					}
				}
			}
			continue
		}
		if v, ok := val("--rootfs", ""); ok {
			dest(v) // podman run --rootfs DIR: DIR is the container's / (review hook125 M1)
			continue
		}
		// output: a build's --output (or --cache-to) DIR, type=local,dest=DIR.
		output := func(v tok) {
			d := v.s
			if strings.Contains(d, "=") {
				d = ""
				for _, f := range strings.Split(v.s, ",") {
					if k, x, _ := strings.Cut(f, "="); strings.TrimSpace(strings.ToLower(k)) == "dest" {
						d = x
					}
				}
			}
			if d != "" && d != "-" || v.dyn {
				dest(tok{s: d, dyn: v.dyn})
			}
		}
		if v, ok := val("--output", "-o"); ok && sub == "build" {
			output(v)
			continue
		}
		if v, ok := val("--cache-to", ""); ok && (sub == "build" || sub == "bake") {
			output(v) // type=local,dest=DIR writes DIR too
			continue
		}
		if v, ok := val("--set", ""); ok && sub == "bake" {
			// bake --set TARGET.output=type=local,dest=DIR, the
			// cache-to's alike (review hook131 M4).
			k, x, _ := strings.Cut(v.s, "=")
			if _, field, _ := strings.Cut(strings.ToLower(k), "."); v.dyn || strings.HasPrefix(field, "output") || strings.HasPrefix(field, "cache-to") {
				output(tok{s: x, dyn: v.dyn})
			}
			continue
		}
		if (sub == "compose" || sub == "stack" || sub == "kube" || sub == "play") && (t.s == "-" || t.dyn || stdinPath(t) || strings.HasSuffix(t.s, "=-") ||
			t.s == "-f-" || t.s == "-c-" || strings.HasSuffix(t.s, "=/dev/stdin") || strings.Contains(t.s, "/dev/fd/") || strings.Contains(t.s, "/proc/")) {
			// compose -f -, --file=-, -f-, stack deploy -c -, kube play -
			// (review hook122 M1).
			a.refuse("`%s` reads its compose or pod file (volumes, commands) from standard input or a pipe, which the hook does not read: write it to a file", line)
			return true
		}
		if (sub == "compose" || sub == "stack" || sub == "kube" || sub == "play" || sub == "bake") && !t.dyn && a.lineWritten[a.resolve(strings.TrimPrefix(strings.TrimPrefix(t.s, "--file="), "-f"))] {
			// podman compose -f c.yml up of a file the line wrote (review
			// hook128 M2).
			a.refuse("`%s` reads a compose or pod file (volumes, commands) this command line writes, which the hook does not read: write it with the agent's file tool", line)
			return true
		}
		if sub == "volume" && (t.s == "--opt" || strings.HasPrefix(t.s, "-o") || strings.HasPrefix(t.s, "--opt=")) {
			// volume create --opt o=bind --opt device=DIR: a bind under a
			// name (review hook122 H5; -o=device=, -odevice=: hook125 M1).
			o := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(t.s, "--opt="), "-o"), "=")
			if (t.s == "--opt" || t.s == "-o") && i+1 < len(args) {
				i++
				o = args[i].s
			}
			if d, ok := strings.CutPrefix(o, "device="); ok {
				dest(tok{s: d, dyn: args[i].dyn})
			}
			continue
		}
		if strings.HasPrefix(t.s, "-") || t.dyn {
			continue
		}
		switch {
		case t.s == "container" || t.s == "image" || t.s == "builder" || t.s == "buildx":
			// podman container cp, docker image build: the subcommand is
			// the next word (review hook122 H6).
			continue
		case sub == "" && (t.s == "cp" || t.s == "build" || t.s == "bake" || t.s == "compose" || t.s == "volume" || t.s == "stack" || t.s == "kube" || t.s == "run" || t.s == "create"):
			sub = t.s
			continue
		case sub == "":
			continue // a global option's value, or another subcommand
		}
		if sub == "cp" {
			// docker cp C:SRC DEST, kubectl cp NS/POD:SRC DEST: the last
			// operand, when local.
			last := args[len(args)-1]
			if i == len(args)-1 && !strings.Contains(last.s, ":") && last.s != "-" {
				dest(last)
			}
		}
	}
	return len(a.res.Refused) > n
}

// goRun judges go: `go run PKG ARGS` when PKG is planguard; the options
// that name a program go runs (-toolexec, -exec: judged as command lines,
// as go splits them into words and runs them; -vettool: refused: review
// hook68 H1); `go env -w`, which writes settings later builds read.
func (a *analyzer) goRun(c call) kind {
	if len(c.argv) >= 2 && c.argv[1].s == "env" {
		a.goEnv(c)
		return kindOther
	}
	line := truncateTok(c.argv)
	args := c.argv[1:]
	// go run/test/generate/build… of Go code the same line writes (cat >
	// x.go <<'EOF' … EOF; go run x.go: review hook143 H2), as an
	// interpreter's source is judged: the code runs (generate, run, test,
	// init functions, cgo), and the hook does not read it.
	for w := range a.lineWritten {
		b := path.Base(w)
		if ext := path.Ext(b); ext == ".go" || ext == ".s" || ext == ".c" || ext == ".syso" || b == "go.mod" || b == "go.work" {
			a.refuse("`%s`: go builds and runs code this command line writes (%s), which the hook does not read: write it with the agent's file tool and run go in a call of its own", line, b)
			return kindOther
		}
	}
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" {
			break
		}
		name, val, eq := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(t.s, "-"), "-"), "=")
		if !strings.HasPrefix(t.s, "-") {
			continue
		}
		switch name {
		case "toolexec", "exec", "vettool", "overlay", "modfile", "pgo", "ldflags", "gccgoflags":
		default:
			continue
		}
		v := tok{s: val, dyn: t.dyn}
		if !eq {
			if i+1 >= len(args) {
				continue
			}
			i++
			v = args[i]
		}
		switch {
		case name == "vettool":
			a.refuse("`%s`: -vettool names a program go runs as the vet tool, which the hook cannot see: use go vet's own analyzers", line)
		case name == "gccgoflags" || name == "ldflags" && (v.dyn || strings.Contains(v.s, "extld")):
			// -extld names the linker go runs, -extldflags reach gcc
			// (-wrapper runs any program): review hook70 H2.
			a.refuse("`%s`: -%s passes flags to the external linker or gccgo (-extld, -extldflags: gcc's -wrapper runs a program), which the hook does not read: build without them", line, name)
		case name == "toolexec" || name == "exec":
			if v.dyn {
				a.refuse("`%s`: -%s names a command computed at run time, which go runs", line, name)
				continue
			}
			a.script(v.s, c.depth+1)
		}
	}
	if len(c.argv) < 2 || c.argv[1].s != "run" {
		a.generic("go", c)
		return kindOther
	}
	rest := goRunOperands(c.argv[2:])
	if len(rest) == 0 {
		return kindOther
	}
	pkg := strings.TrimSuffix(strings.TrimSuffix(rest[0].s, "/"), "@latest")
	if pkg == "." || strings.HasSuffix(pkg, "/planguard") || strings.Contains(pkg, "/planguard@") || rest[0].dyn {
		a.run(call{argv: append([]tok{{s: "planguard"}}, rest[1:]...), depth: c.depth + 1})
	}
	// go run MODULE/terraform@VERSION destroy: Terraform (or OpenTofu, or
	// any program the hook judges by name) built from source and run with
	// the words after it (review hook115 H1).
	bin, _, _ := strings.Cut(pkg, "@")
	if b := path.Base(bin); !rest[0].dyn && bin != "." && (toolName(b) != "" || a.namedProgram(b)) && c.depth < maxDepth {
		a.run(c.inner(append([]tok{{s: b}}, rest[1:]...)))
	}
	return kindOther
}

// goValued are go build's flags that take a value (one dash or two; go's
// flag package takes the next word when no `=` follows): -tags x
// MODULE@V is no package named x (review hook117 M2).
var goValued = map[string]bool{"C": true, "p": true, "asmflags": true, "buildmode": true, "compiler": true, "gccgoflags": true,
	"gcflags": true, "installsuffix": true, "ldflags": true, "mod": true, "modfile": true, "overlay": true, "pgo": true, "pkgdir": true,
	"tags": true, "toolexec": true, "covermode": true, "coverpkg": true, "exec": true, "o": true, "debug-actiongraph": true,
	"debug-runtime-trace": true, "debug-trace": true}

// goRunOperands returns go run's package and the program's arguments: the
// words after go run's own flags, as go's flag package reads them.
func goRunOperands(args []tok) []tok {
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.s == "--":
			return args[i+1:]
		case t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "-":
			return args[i:]
		}
		name, _, eq := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(t.s, "-"), "-"), "=")
		if goValued[name] && !eq {
			i++
		}
	}
	return nil
}

// goEnvKeys are the go settings `go env -w` may write: where modules come
// from and go, the build's target and switches. Others (CC, CXX, GOFLAGS
// with -toolexec, GOENV, CGO_*FLAGS…) name programs or options later
// builds run.
var goEnvKeys = map[string]bool{"GOPROXY": true, "GOPRIVATE": true, "GONOPROXY": true, "GONOSUMDB": true, "GOSUMDB": true,
	"GOINSECURE": true, "GOPATH": true, "GOBIN": true, "GOCACHE": true, "GOMODCACHE": true, "GO111MODULE": true, "GOOS": true,
	"GOARCH": true, "GOAMD64": true, "GOARM": true, "GOARM64": true, "CGO_ENABLED": true, "GOWORK": true, "GOEXPERIMENT": true,
	"GOTOOLCHAIN": true, "GODEBUG": true, "GOTELEMETRY": true, "GOVCS": true}

// goEnv judges `go env`: printing is allowed (-json, -changed, names);
// -w KEY=VALUE writes the user's go settings, which later go commands run
// with: only goEnvKeys.
func (a *analyzer) goEnv(c call) {
	write := false
	for _, t := range c.argv[2:] {
		switch {
		case t.s == "-w" || t.s == "--w":
			write = true
		case t.dyn && t.kind != dynGlob: // GOPRIVATE=github.com/acme/* is a glob matching nothing
			a.refuse("`%s`: a word computed at run time", truncateTok(c.argv))
			return
		case write && strings.Contains(t.s, "="):
			k, v, _ := strings.Cut(t.s, "=")
			if !goEnvKeys[k] {
				a.refuse("`%s`: go env -w %s writes a go setting later builds run with (a compiler, build flags, another settings file): set it for one command instead, where the hook reads it", truncateTok(c.argv), k)
				return
			}
			if writtenDirVars[k] && a.fileVar(k, tok{s: v}) {
				return // GOBIN, GOPATH…: a directory go writes under
			}
		}
	}
}

func truncateTok(argv []tok) string {
	s := quoteArgs(argv)
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// copiesTool refuses copying or linking a Terraform-family binary to a new
// name, which would run under a name the hook does not know: named
// outright, matched by a glob, or looked up by a command substitution.
func (a *analyzer) copiesTool(name string, argv []tok) {
	link := a.lnLinkName(name, argv)
	for i, t := range argv[1:] {
		named := false
		switch {
		case !t.dyn:
			dev := false
			if i+1 == link {
				dev = a.linkNameDev(argv, link)
			} else {
				dev = a.devLink(name, t.s)
			}
			named = toolName(baseName(t.s)) != "" && (strings.Contains(t.s, "/") || name != "cat") ||
				name != "cat" && strings.Contains(t.s, "/") && !strings.HasSuffix(t.s, "/") && (a.namedProgram(baseName(t.s)) || baseName(t.s) == "exe" || strings.Contains(t.s, "/proc/")) ||
				dev ||
				name != "cat" && a.cwdUnknown && !strings.HasPrefix(t.s, "-") && a.namedProgram(t.s) // cd /usr/bin && cp git x
		case name == "ln" || name == "link":
			named = true // ln -s "$(printf %s /usr/bin/git)" x: a link to a computed path (review hook45 M1)
		case t.kind == dynGlob:
			named = globNamesTool(t.src) || name != "cat" && (systemBinary(t.s) || strings.HasPrefix(t.s, "/dev") || a.cwdUnknown)
		case t.w != nil:
			named = a.looksUpTool(t.w) || name != "cat" && systemBinary(t.s)
		}
		if named {
			a.refuse("`%s` copies or links a program the hook judges by its name (a Terraform-family program, git, a shell, the loader…) to another name, which the hook could not recognise afterwards", quoteArgs(argv))
			return
		}
	}
}

// lnLinkName returns the index in argv of the link name ln or link makes
// (its last operand, after at least one target, without -t), or -1.
func (a *analyzer) lnLinkName(name string, argv []tok) int {
	if name != "ln" && name != "link" {
		return -1
	}
	opts, _, rest := lookup(name).options(argv[1:])
	if len(rest) < 2 || hasOpt(opts, "t", "target-directory") {
		return -1
	}
	for _, t := range rest {
		if t.dyn {
			return -1
		}
	}
	return len(argv) - 1
}

// linkNameDev is devLink for the name of the link ln makes: a relative
// name in the project (no `..`, no cd before it) is read component by
// component, as cat's and cp's operands are (ln -s ../../shared/providers.tf
// envs/dev/providers.tf: review hook156 F5), and each relative target is
// read as the link resolves it, from the link's directory (ln -s stdin
// envs/dev/x leads to envs/dev/stdin).
func (a *analyzer) linkNameDev(argv []tok, link int) bool {
	s := argv[link].s
	if a.cwdUnknown || path.IsAbs(s) || strings.Contains(s, "..") || strings.HasPrefix(s, "~") {
		return a.devLink(baseName(argv[0].s), s)
	}
	if a.devLink("cat", s) {
		return true
	}
	dir := path.Dir(s)
	for _, t := range argv[1:link] {
		if t.dyn || strings.HasPrefix(t.s, "-") || path.IsAbs(t.s) {
			continue // options; absolute targets are read as sources
		}
		if a.devLink("cat", path.Join(dir, t.s)) {
			return true
		}
	}
	return false
}

// namedProgram reports whether a program is one the hook judges by its
// name, so that a copy or link of its binary under another name runs it
// unjudged (ln -s /usr/bin/git /tmp/x; /tmp/x clean …: review hook43 M1).
func (a *analyzer) namedProgram(b string) bool {
	if b == "" || b == "." || b == ".." {
		return false
	}
	return b == "git" || strings.HasPrefix(b, "git-") || strings.HasPrefix(b, "ld-linux") || strings.HasPrefix(b, "ld-musl") ||
		b == "busybox" || b == "exe" || launchers[b] || a.wraps(b) || lookup(b) != unknownProgram && proxyTools[b] == "" ||
		judgedUnknown[b]
}

// judgedUnknown are programs the hook does not know as writers but judges
// by name (commandStrings): a copy under another name runs unjudged
// (review hook112 H14, H15).
var judgedUnknown = map[string]bool{"sqlite3": true, "sqlite": true, "npm": true, "npx": true, "pnpm": true, "yarn": true,
	"pip": true, "pip3": true, "cargo": true, "hyperfine": true, "entr": true, "nodemon": true, "watchexec": true,
	"groff": true, "troff": true, "nroff": true, "pic": true, "prove": true, "ssh-copy-id": true, "memusage": true,
	"systemd-tmpfiles": true, "scriptlive": true, "pee": true, "mispipe": true, "gdbtui": true, "pnpx": true, "bunx": true,
	"cdktf": true, "tflocal": true, "tfenv": true, "terraspace": true, "tofuenv": true, "tgenv": true, "tfmigrate": true,
	"socat": true, "ncat": true, "nc": true, "netcat": true, "uudecode": true, "nuke": true, "gio": true, "kioclient": true, "kioclient5": true, "kioclient6": true, "rclone": true}

// devLink reports whether a copy or link source leads into /dev or /proc
// (a link to /dev/stdin run as a program is the shell its redirection
// opened: review hook46 H3, hook47 H3), also through a relative path or a
// link to the directory itself; cp copies /dev/null and the like, only
// a standard stream or descriptor counts for it.
func (a *analyzer) devLink(name, s string) bool {
	c := path.Clean(a.resolve(s))
	if a.cwdUnknown && !path.IsAbs(s) {
		// After a cd, dev/stdin may be /dev/stdin (cd / && ln -s dev/stdin
		// s: review hook48 H3).
		for _, comp := range strings.Split(s, "/") {
			if comp == "dev" || comp == "proc" || comp == "fd" {
				return true
			}
		}
		c = path.Clean(s)
	}
	switch {
	case c == "/dev" || c == "/proc" || strings.HasPrefix(c, "/proc/"):
		return true
	case strings.HasPrefix(c, "/dev/"):
		return name != "cp" || strings.HasPrefix(c, "/dev/std") || strings.HasPrefix(c, "/dev/fd")
	}
	if name == "ln" || name == "link" || name == "cp" && strings.Contains(s, "..") {
		return strings.Contains(s, "/dev/") || strings.HasSuffix(s, "/dev") || strings.Contains(s, "proc/")
	}
	// A relative path through a directory named dev or proc (a link to
	// /dev or / the line may make) counts when it names a device of a
	// stream or descriptor there: envs/dev/terraform.tfvars, the usual
	// layout of environments, is a file (review hook142, a false
	// refusal of cat and cp).
	comps := strings.Split(path.Clean(s), "/")
	for i, comp := range comps[:len(comps)-1] {
		next := comps[i+1]
		switch {
		case comp == "dev" && (next == "stdin" || next == "stdout" || next == "stderr" || next == "fd" || next == "tcp" || next == "udp" ||
			strings.HasPrefix(next, "tty") || next == "pts" || next == "console" || next == "ptmx"):
			return true
		case comp == "proc" && (next == "self" || next == "thread-self" || isNumber(next)):
			return true
		}
	}
	return false
}

// systemBinary reports whether a computed or globbed path starts in a
// directory of installed programs (/usr/bin/gi[t], "/usr/lib/$x").
func systemBinary(prefix string) bool {
	for _, d := range []string{"/usr/", "/bin", "/sbin", "/lib", "/opt/", "/proc", "/snap/", "/nix/"} {
		if strings.HasPrefix(prefix, d) {
			return true
		}
	}
	return false
}

// globNamesTool reports whether a glob's last component may match a
// Terraform-family program's name.
func globNamesTool(glob string) bool {
	last := glob[strings.LastIndex(glob, "/")+1:]
	for _, n := range []string{"terraform", "tofu", "opentofu", "terragrunt"} {
		if globMatch(last, n, true) {
			return true
		}
	}
	return false
}

// lookups print where a program is: their output names a binary.
var lookups = map[string]bool{"which": true, "whereis": true, "command": true, "type": true, "whence": true, "where": true,
	"readlink": true, "realpath": true, "locate": true}

// looksUpTool reports whether a command substitution in w may print a
// Terraform-family program's path: a word in it names one, or a lookup
// in it names a program the hook cannot read.
func (a *analyzer) looksUpTool(w *syntax.Word) bool {
	return a.looksUpToolIn(w, false)
}

// looksUpToolIn is looksUpTool; with runs, a Terraform-family program run
// as a command of w (< <(terraform state list)) gives its output, not its
// binary, and does not count.
func (a *analyzer) looksUpToolIn(w *syntax.Word, runs bool) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok || found || len(ce.Args) == 0 {
			return !found
		}
		argv := a.words(ce.Args)
		lookup := !argv[0].dyn && lookups[baseName(argv[0].s)]
		for i, t := range argv {
			if runs && i == 0 && !t.dyn && !lookup {
				continue
			}
			if !t.dyn && toolName(baseName(t.s)) != "" || t.dyn && (lookup || t.kind == dynGlob && globNamesTool(t.src)) ||
				lookup && !t.dyn && i > 0 && !strings.HasPrefix(t.s, "-") && a.namedProgram(baseName(t.s)) {
				found = true
			}
		}
		return !found
	})
	return found
}

// writesLoose refuses a protected file named anywhere in the arguments of
// a program whose written files the table does not place (git checkout --,
// tar, perl -i, curl -o, patch): literal paths and globs.
//
// gitMessageSubs take a message with -m (and commit an author, a date, a
// trailer): the value is text, judged where it is computed, not a path.
var (
	gitMessageSubs = map[string]bool{"commit": true, "tag": true, "notes": true, "merge": true, "stash": true}
	gitMessageOpts = map[string]bool{"-m": true, "--message": true, "--author": true, "--date": true, "--trailer": true}
	// gitMessageCluster: flags without values, then m (git commit -qam).
	gitMessageCluster = regexp.MustCompile(`^-[aqsvnezp]+m$`)
)

// gitMessageSub returns the subcommand of a git command line (after git's
// global options) when it is one whose -m takes a message (commit, tag,
// notes, merge, stash push/save), or "": only there is the word after -m
// text (git stash show -m --output=FILE, git log --grep commit -m: the
// day's review found the word anywhere read as the subcommand).
func gitMessageSub(args []tok) string {
	i := gitSubAt(args)
	if i < 0 || !gitMessageSubs[args[i].s] {
		return ""
	}
	if args[i].s == "stash" {
		for _, r := range args[i+1:] {
			if r.dyn {
				return ""
			}
			if !strings.HasPrefix(r.s, "-") {
				if r.s == "push" || r.s == "save" {
					return "stash"
				}
				return ""
			}
		}
	}
	return args[i].s
}

// gitSubAt returns the index in args (git's arguments) of the subcommand,
// after git's global options, or -1 when there is none or a word before
// it is computed.
func gitSubAt(args []tok) int {
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.dyn:
			return -1
		case t.s == "-c" || t.s == "--config-env" || gitGlobalValued[t.s]:
			i++ // a global option's value
		case strings.HasPrefix(t.s, "-"):
		default:
			return i
		}
	}
	return -1
}

// gitPathReaders are subcommands that only read the paths they are given
// after `--` (pathspecs: no option stands there): git log --
// terraform.tfstate. gitOperandReaders have no option that writes a file
// at all, so their every word is read (git check-ignore terraform.tfstate).
var (
	gitPathReaders = map[string]bool{"log": true, "diff": true, "show": true, "status": true, "blame": true,
		"annotate": true, "ls-files": true, "ls-tree": true, "check-ignore": true, "check-attr": true, "grep": true,
		"shortlog": true, "whatchanged": true, "diff-files": true, "diff-index": true, "diff-tree": true, "rev-list": true}
	gitOperandReaders = map[string]bool{"status": true, "check-ignore": true, "check-attr": true, "ls-files": true}
	// gitRmIndexOnly: git rm's options that write nothing in the working
	// tree with --cached (-r, -f, -q, -n and clusters of them).
	gitRmIndexOnly = regexp.MustCompile(`^(--cached|--quiet|--force|--dry-run|--ignore-unmatch|--sparse|-[rfqn]+)$`)
)

// gitReadsFrom returns the index in args (git's arguments) from which
// every word is a path git only reads, or len(args) when there is none:
// after `--` of a reading subcommand, every operand of one with no
// writing option, and the paths of git rm --cached, which takes them out
// of the index only (the guide's advice before a stash:
// git rm --cached terraform.tfstate). Computed words end it.
func gitReadsFrom(args []tok) int {
	i := gitSubAt(args)
	if i < 0 {
		return len(args)
	}
	sub := args[i].s
	if gitOperandReaders[sub] {
		for _, t := range args[i+1:] {
			if t.dyn {
				return len(args)
			}
		}
		return i + 1
	}
	if sub == "rm" {
		cached := false
		for j := i + 1; j < len(args); j++ {
			t := args[j]
			switch {
			case t.dyn:
				return len(args)
			case t.s == "--":
				if cached {
					return i + 1
				}
				return len(args)
			case strings.HasPrefix(t.s, "-"):
				if !gitRmIndexOnly.MatchString(t.s) {
					return len(args) // --no-cached, --cach, --pathspec-from-file…
				}
				cached = cached || t.s == "--cached"
			}
		}
		if cached {
			return i + 1
		}
		return len(args)
	}
	if !gitPathReaders[sub] {
		return len(args)
	}
	for j := i + 1; j < len(args); j++ {
		if args[j].dyn {
			return len(args)
		}
		if args[j].s == "--" {
			return j + 1
		}
	}
	return len(args)
}

func (a *analyzer) writesLoose(argv []tok) {
	if baseName(argv[0].s) == "patch" && a.patchBackups(argv) {
		return
	}
	if baseName(argv[0].s) != "git" {
		a.looseArgs(argv) // derived names, directories, tree removals (derived.go)
		return
	}
	// git names its repository (-C, --git-dir, --work-tree) and writes
	// configuration only through git config, which is judged: neither is
	// a write to a git directory (gitconfig.go).
	defer func(was bool) { a.gitArgs = was }(a.gitArgs)
	a.gitArgs = true
	sub, skip := gitMessageSub(argv[1:]), false
	reads := gitReadsFrom(argv[1:])
	for i, t := range argv[1:] {
		if i >= reads {
			break // paths git only reads: git log -- terraform.tfstate
		}
		if skip && !(!t.dyn && strings.HasPrefix(t.s, "-")) {
			// A message (git commit -m "$(cat <<'EOF' … EOF)", the
			// agents' way to commit) is text, not a path.
			skip = false
			continue
		}
		skip = false
		if sub != "" {
			lit := t.s
			if t.dyn {
				lit = strings.TrimLeft(t.src, `"'`) // -m"$x", --message="$x"
			}
			if !t.dyn && (gitMessageOpts[lit] || gitMessageCluster.MatchString(lit)) {
				skip = true // -m TEXT, -am TEXT
				continue
			}
			if k, _, ok := strings.Cut(lit, "="); ok && gitMessageOpts[k] || strings.HasPrefix(lit, "-m") && !strings.HasPrefix(lit, "--") {
				continue // --message=…, -m… (git takes the rest of -mTEXT as the message)
			}
		}
		s := t.s
		k, v, ok := strings.Cut(s, "=")
		if ok && strings.HasPrefix(k, "-") {
			s = v // --output=FILE
		}
		a.gitRepoArg = gitRepoOpts[k] || i > 0 && !argv[i].dyn && gitRepoOpts[argv[i].s]
		p := ""
		switch {
		case !t.dyn:
			p = a.protected(s)
			if p == "" && len(s) > 2 && s[0] == '-' && s[1] != '-' && !gitRepoOpts[s[:2]] {
				// -o.claude/settings.json, -f~/.bashrc: a short option's
				// value attached (review hook58 F3, F4).
				p = a.protected(s[2:])
			}
		case t.w != nil:
			p = a.globNames(globPattern(t.w), false)
		}
		a.gitRepoArg = false
		if p != "" {
			a.refuse("`%s` may write %s, which holds the gate's trust: a person changes it through review", quoteArgs(argv), p)
			return
		}
	}
}

// hasCallback reports whether mapfile options name a -C callback, which
// bash evaluates as a command for every few lines read.
func hasCallback(args []tok) bool {
	for _, t := range args {
		if t.s == "--" {
			return false
		}
		if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.Contains(t.s, "C") {
			return true
		}
	}
	return false
}

// zshGlob refuses what zsh reads as glob qualifiers that run code and
// bash as an extended glob: *(e:CODE:), *(+FUNC) (a trailing group
// without `|` is zsh's qualifier list). The hook reads bash; an agent
// whose shell is zsh runs the code.
func (a *analyzer) zshGlob(g *syntax.ExtGlob) {
	if g.Pattern == nil {
		return
	}
	p := g.Pattern.Value
	if strings.Contains(p, "|") || !strings.ContainsAny(p, "e+") {
		return
	}
	a.refuse("`%s%s)`: zsh reads a trailing (…) of a glob as qualifiers, and e:…: and +NAME run code once per file, where bash sees an extended glob: the hook reads bash only; write the file names out", g.Op, p)
}

// zshWord refuses zsh's $=NAME and $~NAME, which bash reads as a `$`
// followed by text: zsh splits or globs the value (and a command word
// so made runs what the variable holds).
func (a *analyzer) zshWord(w *syntax.Word) {
	for i, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok {
			continue
		}
		v := l.Value
		if i+1 < len(w.Parts) && strings.HasSuffix(v, "$") {
			if n, ok := w.Parts[i+1].(*syntax.Lit); ok {
				v += n.Value
			}
		}
		if strings.Contains(v, "$=") || strings.Contains(v, "$~") {
			a.refuse("`%s`: zsh reads $=NAME and $~NAME as the variable's value, split or globbed, where bash reads a `$` and text: the hook reads bash only", printWord(w))
			return
		}
	}
}

// procSubstOnly reports whether w is one process substitution <(…): what
// it opens is the output of the commands in it.
func procSubstOnly(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	ps, ok := w.Parts[0].(*syntax.ProcSubst)
	return ok && ps.Op == syntax.CmdIn
}
