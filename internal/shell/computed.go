package shell

import (
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Computed arguments of a program the hook does not know (review hook35
// F2). Such a program may write any file it is given, so an argument that
// names a protected file is refused (looseArgs); one computed at run time
// may name one too (`iconv -o "$HOME/.bashrc"`, `for f in ../planguard.hcl;
// do iconv -o "$f" …`, `"$(echo ../planguard.hcl)"`). The hook reads such
// a word as a shape: the text it knows (literals, variables the line
// assigns once, a quoted here-document given to cat, echo of literal
// words), numbers the line computes (which may also be empty), and text
// it cannot know. A word with text the hook cannot know is refused: that
// text may hold slashes and `..`, and any name in a protected directory
// (.git, .claude, ~/.bashrc.d…) is one a program must not write (review
// hook36 H4, H5). The others are judged as literal arguments are, with
// every number empty and a digit.

type segKind uint8

const (
	segLit       segKind = iota // text the hook knows
	segNum                      // a number the line computes: digits, a sign, blanks
	segNumOrNone                // the same, or nothing ($!, a command's output when it fails)
	segAny                      // text the hook cannot know
)

type seg struct {
	kind segKind
	s    string
}

// shape reads a word as literal text, numbers and unknown text.
func (a *analyzer) shape(w *syntax.Word) []seg {
	if w == nil {
		return []seg{{kind: segAny}}
	}
	var out []seg
	add := func(k segKind, s string) {
		if n := len(out); n > 0 && out[n-1].kind == k && k == segLit {
			out[n-1].s += s
			return
		}
		out = append(out, seg{kind: k, s: s})
	}
	var parts func(ps []syntax.WordPart, quoted bool)
	parts = func(ps []syntax.WordPart, quoted bool) {
		for i, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				v := p.Value
				if !quoted && i == 0 && len(out) == 0 && strings.HasPrefix(v, "~") {
					// A tilde prefix: ~ and ~/… are the home directory the
					// hook knows; ~user, ~+, ~- and ~N are looked up.
					pre, _, _ := strings.Cut(v, "/")
					if h := a.tildeHome(pre); h != "" {
						add(segLit, h)
					} else {
						add(segAny, "")
					}
					v = strings.TrimPrefix(v, pre)
				}
				if !quoted && (strings.ContainsAny(v, "*?[") || strings.Contains(v, "{") && (strings.Contains(v, ",") || strings.Contains(v, ".."))) {
					// A glob or a brace expansion: any names, any number of words.
					add(segAny, "")
					continue
				}
				add(segLit, shellUnescape(v, quoted))
			case *syntax.SglQuoted:
				if !p.Dollar {
					add(segLit, p.Value)
					continue
				}
				s, err := expand.Literal(nil, &syntax.Word{Parts: []syntax.WordPart{p}})
				if err != nil {
					add(segAny, "")
					continue
				}
				add(segLit, s)
			case *syntax.DblQuoted:
				parts(p.Parts, true)
			case *syntax.ParamExp:
				a.paramShape(p, quoted, add)
			case *syntax.CmdSubst:
				if s, ok := a.substText(p); ok {
					if !quoted && strings.ContainsAny(s, a.ifsChars()+"*?[") {
						add(segAny, "") // split into words, or a glob
						continue
					}
					add(segLit, s)
				} else if substNumber(p) {
					a.pathRelied = append(a.pathRelied, "a command whose output is read as a number")
					add(segNumOrNone, "")
				} else {
					add(segAny, "")
				}
			case *syntax.ArithmExp:
				add(segNum, "")
			case *syntax.ProcSubst:
				// <(…) and >(…) are /dev/fd/N.
				add(segLit, "/dev/fd/")
				add(segNum, "")
			default: // ExtGlob, BraceExp…
				add(segAny, "")
			}
		}
	}
	parts(w.Parts, false)
	return out
}

// tildeHome is the directory a tilde prefix names, or "" when the hook
// cannot know it.
func (a *analyzer) tildeHome(pre string) string {
	switch {
	case pre == "~":
		return a.opts.Home
	case pre == "~+", pre == "~-", strings.TrimLeft(pre[1:], "+-0123456789") == "":
		return ""
	default:
		return a.userHome(pre[1:])
	}
}

// shellUnescape removes the backslashes the shell removes: every one outside
// quotes, and inside double quotes those before $ ` " \ and a newline.
func shellUnescape(s string, quoted bool) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (!quoted || strings.IndexByte("$`\"\\\n", s[i+1]) >= 0) {
			i++
			if s[i] != '\n' {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ifsChars are the characters bash splits an unquoted expansion at.
func (a *analyzer) ifsChars() string {
	if v, ok := a.vars["IFS"]; ok {
		return v + " \t\n"
	}
	return " \t\n"
}

// paramShape adds the shape of a parameter expansion.
func (a *analyzer) paramShape(p *syntax.ParamExp, quoted bool, add func(segKind, string)) {
	if p.Param == nil {
		add(segAny, "")
		return
	}
	name := p.Param.Value
	if p.Length {
		add(segNum, "") // ${#x}, ${#a[@]}
		return
	}
	if alwaysEmpty(p) {
		// ${FOO:+}, ${FOO:0:0}, ${FOO%%*}, ${FOO//*/}: empty whatever
		// FOO holds (review hook45 L1, hook46 H1).
		add(segLit, "")
		return
	}
	if p.Excl || p.Names != 0 || p.Index != nil || p.Width || p.Slice != nil || p.Repl != nil || p.Exp != nil {
		add(segAny, "")
		return
	}
	switch name {
	case "?", "$", "#":
		add(segNum, "")
		return
	case "!":
		add(segNumOrNone, "") // empty until a job runs in the background
		return
	}
	if !isName(name) || a.unknown[name] && !a.numberVar(name) {
		add(segAny, "")
		return
	}
	if name == "HOME" && a.opts.Home != "" && !a.unknown[name] {
		if _, set := a.vars[name]; !set {
			// $HOME is ~, which the hook reads as the home directory it
			// was given; the line cannot set HOME (refused).
			add(segLit, a.opts.Home)
			return
		}
	}
	if v, ok := a.vars[name]; ok && !a.unknown[name] && !a.maybeUnset(name, p.Pos()) {
		a.usedStatic(name) // a loop or function judged with it (deferred.go)
		if !quoted && strings.ContainsAny(v, a.ifsChars()+"*?[") {
			add(segAny, "") // split into words, or a glob
			return
		}
		add(segLit, v)
		return
	}
	if a.numberVar(name) {
		a.usedNumber(name) // a loop or function judged with it (deferred.go)
		if a.intVal[name] && !a.numeric[name] && !a.numVars[name] {
			add(segNum, "") // $(( … )): never empty
		} else {
			add(segNumOrNone, "")
		}
		return
	}
	add(segAny, "") // the environment's (or, in deferred code, maybe the line's: dynKind)
}

// numberVar reports whether the line assigns name only numbers it
// computes: a count (numericSubst) or $(( … )), or once a number
// (substNumber).
func (a *analyzer) numberVar(name string) bool {
	return (a.numeric[name] && !a.redefined["wc"] || a.intVal[name]) && !a.tainted[name] || a.numVars[name]
}

// substText is the output of a command substitution whose output the hook
// knows: `cat` of a here-document with a quoted delimiter (`$(cat <<'EOF'
// … EOF)`, the way agents write a long message) or a here-string, and
// `echo` of literal words. Trailing newlines are removed, as bash does.
func (a *analyzer) substText(cs *syntax.CmdSubst) (string, bool) {
	if len(cs.Stmts) != 1 || a.redefined["cat"] || a.redefined["echo"] {
		return "", false
	}
	st := cs.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(call.Assigns) != 0 || len(call.Args) == 0 {
		return "", false
	}
	prog := printWord(call.Args[0])
	if prog == "cat" {
		// cat is looked up in PATH (echo is a builtin): refused when the
		// line sets PATH (finish).
		defer func() { a.pathRelied = append(a.pathRelied, "`cat` (its output read as a file name)") }()
	}
	switch {
	case prog == "cat" && len(call.Args) == 1 && len(st.Redirs) == 1:
		r := st.Redirs[0]
		if r.N != nil && r.N.Value != "0" {
			return "", false
		}
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			if r.Word == nil || r.Hdoc == nil || !quotedDelimiter(r.Word) {
				return "", false
			}
			body := ""
			for _, p := range r.Hdoc.Parts {
				l, ok := p.(*syntax.Lit)
				if !ok {
					return "", false
				}
				body += l.Value
			}
			if r.Op == syntax.DashHdoc {
				lines := strings.Split(body, "\n")
				for i := range lines {
					lines[i] = strings.TrimLeft(lines[i], "\t")
				}
				body = strings.Join(lines, "\n")
			}
			return strings.TrimRight(body, "\n"), true
		case syntax.WordHdoc:
			t := a.word(r.Word)
			if t.dyn {
				return "", false
			}
			return strings.TrimRight(t.s, "\n"), true
		}
	case prog == "echo" && len(st.Redirs) == 0:
		var words []string
		for i, t := range a.words(call.Args[1:]) {
			if t.dyn || i == 0 && strings.HasPrefix(t.s, "-") {
				return "", false
			}
			if a.opts.posix && strings.ContainsRune(t.s, '\\') {
				return "", false // dash's echo decodes \0NNN, \c… (review hook69 H3)
			}
			words = append(words, t.s)
		}
		return strings.TrimRight(strings.Join(words, " "), "\n"), true
	}
	return "", false
}

// quotedDelimiter reports whether a here-document's delimiter is quoted,
// so that its body is literal text.
func quotedDelimiter(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return true
		case *syntax.Lit:
			if strings.Contains(p.Value, "\\") {
				return true
			}
		}
	}
	return false
}

// substNumber reports whether a command substitution prints only a number,
// or nothing when it fails: a count of its standard input (numericSubst),
// nproc, id -u/-g, date +%s.
func substNumber(cs *syntax.CmdSubst) bool {
	w := &syntax.Word{Parts: []syntax.WordPart{cs}}
	if numericSubst(w) {
		return true
	}
	if len(cs.Stmts) != 1 || len(cs.Stmts[0].Redirs) != 0 {
		return false
	}
	call, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) != 0 {
		return false
	}
	var words []string
	for _, w := range call.Args {
		words = append(words, printWord(w))
	}
	switch strings.Join(words, " ") {
	case "nproc", "id -u", "id -g", "id -ru", "id -rg", "date +%s":
		return true
	}
	return false
}

// computedNames returns a protected file a computed argument of a program
// the hook does not know may name, or unknown: a part of it is text the
// hook cannot know, which may be any path (see the top of this file).
func (a *analyzer) computedNames(t tok) (q string, unknown bool) {
	if t.found {
		return "", false // find's expression decides which files it finds
	}
	var values []string
	switch empty, fresh := a.freshTok(t); {
	case t.alts != nil:
		values = t.alts
	case fresh:
		// Under a file mktemp made: only the path it names when mktemp
		// prints nothing is left to judge (writes.go).
		values = []string{empty}
	default:
		sh := a.shape(t.w)
		for _, s := range sh {
			if s.kind == segAny {
				return "", true
			}
		}
		// A number may be empty (a command that failed, $! before any
		// background job): each value with every number empty, and with
		// every number a digit.
		for _, n := range []string{"", "0"} {
			var b strings.Builder
			for _, s := range sh {
				if s.kind == segNum || s.kind == segNumOrNone {
					b.WriteString(n)
				} else {
					b.WriteString(s.s)
				}
			}
			values = append(values, b.String())
		}
	}
	for _, v := range values {
		if q := a.looseValue(v); q != "" {
			return q, false
		}
	}
	return "", false
}

// freshTok is fresh for a token: the path a word under a file mktemp made
// names when mktemp prints nothing.
func (a *analyzer) freshTok(t tok) (string, bool) {
	if t.w == nil {
		return "", false
	}
	return a.fresh(t.w)
}

// looseValue returns a protected file (or state file, or file in a
// protected directory) an argument's text names as looseArgs reads a
// literal one: itself or the value after an = or an option's letters, a
// name derived from it, a directory of its own holding one.
func (a *analyzer) looseValue(s string) string {
	vals, attached := argValues(s)
	for i, v := range vals {
		if q := a.derivedName(v, attached[i] || strings.Contains(v, "/")); q != "" {
			return q
		}
		if q := a.protectedDirOf(v, true); q != "" {
			return q
		}
	}
	return ""
}

// What an unquoted word may expand to, as far as emptiness goes.
const (
	shapeSome       = iota // some text, or text the hook cannot know
	shapeEmpty             // nothing
	shapeMaybeEmpty        // nothing, or a number
)

// emptyShape says whether a word's shape is nothing, maybe nothing, or
// anything else.
func (a *analyzer) emptyShape(w *syntax.Word) int {
	num := false
	for _, s := range a.shape(w) {
		switch {
		case s.kind == segNumOrNone:
			num = true
		case s.kind == segLit && s.s == "":
		default:
			return shapeSome
		}
	}
	if num {
		return shapeMaybeEmpty
	}
	return shapeEmpty
}

// unquoted reports whether no part of a word is quoted (a quoted part, even
// empty, keeps the word).
func unquoted(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return false
		}
	}
	return true
}

// mayBeSeveral reports whether a computed argument may expand to several
// words: an unquoted expansion the hook cannot know, or "$@", "${a[@]}".
func (a *analyzer) mayBeSeveral(t tok) bool {
	if !t.dyn || t.kind == dynGlob || t.kind == dynInput || t.w == nil {
		return false
	}
	if mayBeWords(t.w) {
		return true
	}
	if !splitsWords(t.w) {
		return false
	}
	for _, s := range a.shape(t.w) {
		if s.kind == segAny {
			return true
		}
	}
	return false
}

// knownText is a word's text when every part of it is known (no number,
// nothing the hook cannot know).
func (a *analyzer) knownText(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, s := range a.shape(w) {
		if s.kind != segLit {
			return "", false
		}
		b.WriteString(s.s)
	}
	return b.String(), true
}

// alwaysEmpty reports whether a parameter expansion is empty whatever the
// parameter holds: an empty alternate value (${x:+}, ${x:+${y:0:0}}), a
// slice of length 0 (${x:0:0}, ${x::00}, ${x:0:1-1}), a pattern that
// matches the whole value removed (${x%%*}, ${x##?*}) or replaced by
// nothing (${x/*/}, ${x//?/}, ${x/#*/}) (review hook46 H1, hook47 H1).
func alwaysEmpty(p *syntax.ParamExp) bool {
	if p.Excl || p.Names != 0 || p.Length || p.Width {
		return false
	}
	switch {
	case p.Exp != nil && p.Slice == nil && p.Repl == nil:
		switch p.Exp.Op {
		case syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
			return emptyWord(p.Exp.Word)
		case syntax.RemLargeSuffix, syntax.RemLargePrefix:
			return p.Exp.Word != nil && matchesWhole(printWord(p.Exp.Word))
		}
	case p.Slice != nil && p.Exp == nil && p.Repl == nil:
		if p.Slice.Length == nil {
			return false
		}
		if arithWrites(p.Slice.Length) {
			return false // ${x:1:IFS=0}: expand.Arithm would assign (review hook93 L2: a crash)
		}
		n, err := expand.Arithm(&expand.Config{NoUnset: true}, p.Slice.Length) // a variable in it: an error
		return err == nil && n == 0
	case p.Repl != nil && p.Exp == nil && p.Slice == nil:
		if !emptyWord(p.Repl.With) || p.Repl.Orig == nil {
			return false
		}
		pat := printWord(p.Repl.Orig)
		if p.Repl.All {
			// ${x//?/}: every character removed; ${x//*/}: the whole value.
			// (After //, a leading # or % is a literal character.)
			return pat == "?" || matchesWhole(pat)
		}
		return matchesWhole(strings.TrimLeft(pat, "#%")) // ${x/*/}, ${x/#*/}
	}
	return false
}

// emptyWord reports whether a word is empty whatever the line's values:
// no parts, empty literals, always-empty expansions.
func emptyWord(w *syntax.Word) bool {
	if w == nil {
		return true
	}
	for _, part := range w.Parts {
		switch q := part.(type) {
		case *syntax.Lit:
			if q.Value != "" {
				return false
			}
		case *syntax.ParamExp:
			if !alwaysEmpty(q) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// matchesWhole reports whether a glob pattern's longest match is any whole
// value: only stars, or one ? with stars around it (?* matches every value
// but the empty one, which is empty anyway). ${x%%?} removes one
// character only (review hook48 H1).
func matchesWhole(pat string) bool {
	rest := strings.Trim(pat, "*")
	return rest == "" || rest == "?" && strings.Contains(pat, "*")
}
