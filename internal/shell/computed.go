package shell

import (
	"path"
	"regexp"
	"slices"
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
// assigns once), numbers the line computes, and unknown text, which may
// hold slashes and `..` and so lead anywhere. The word is refused when a
// protected file — or a name one is derived from, or a directory of its own
// holding one — can take that shape: after the last unknown part only the
// literal end is left to tell them apart (`"$D/out.json"` passes,
// `"$F"`, `"$D/"` and `"$X.json"` beside .claude/settings.json do not).

type segKind uint8

const (
	segLit segKind = iota // text the hook knows
	segNum                // a number or an id the line computes: hex digits, a sign, blanks
	segAny                // text the hook cannot know
)

type seg struct {
	kind segKind
	s    string
}

// numText is the regular expression a segNum stands for: empty too (git
// rev-parse prints nothing outside a repository).
const numText = `[-0-9a-f \t]*`

// numPlaceholder marks a number in a shape's text; NUL is in no path.
const numPlaceholder = "\x00"

// shape reads a word as literal text, numbers and unknown text.
func (a *analyzer) shape(w *syntax.Word) []seg {
	if w == nil {
		return []seg{{kind: segAny}}
	}
	var out []seg
	add := func(k segKind, s string) {
		if n := len(out); n > 0 && out[n-1].kind == k && k != segNum {
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
					add(segNum, "")
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
	if p.Excl || p.Names != 0 || p.Index != nil || p.Width || p.Slice != nil || p.Repl != nil || p.Exp != nil {
		add(segAny, "")
		return
	}
	switch name {
	case "?", "$", "#", "!":
		add(segNum, "")
		return
	}
	if !isName(name) || a.unknown[name] && !a.numberVar(name) {
		add(segAny, "")
		return
	}
	if v, ok := a.vars[name]; ok && !a.unknown[name] {
		a.usedStatic(name) // a loop or function judged with it (deferred.go)
		if !quoted && strings.ContainsAny(v, a.ifsChars()+"*?[") {
			add(segAny, "") // split into words, or a glob
			return
		}
		add(segLit, v)
		return
	}
	if a.numberVar(name) {
		add(segNum, "")
		return
	}
	add(segAny, "") // the environment's
}

// numberVar reports whether the line assigns name only numbers it
// computes: a count (numericSubst) or $(( … )), or once a number or id
// (substNumber).
func (a *analyzer) numberVar(name string) bool {
	return (a.numeric[name] && !a.redefined["wc"] || a.intVal[name]) && !a.tainted[name] || a.idVars[name]
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

// substNumber reports whether a command substitution prints only a number
// or an id: a count of its standard input (numericSubst), nproc, id -u/-g,
// date +%s, a commit id (git rev-parse [--short] HEAD).
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
	case "nproc", "id -u", "id -g", "id -ru", "id -rg", "date +%s", "git rev-parse HEAD", "git rev-parse --short HEAD":
		return true
	}
	return false
}

// computedNames returns a protected file a computed argument of a program
// the hook does not know may name (see the top of this file), or "".
func (a *analyzer) computedNames(t tok) string {
	if t.found {
		return "" // find's expression decides which files it finds
	}
	if t.alts != nil {
		for _, v := range t.alts {
			vals, attached := argValues(v)
			for i, s := range vals {
				if q := a.shapeMatch(s, true, attached[i] || strings.Contains(s, "/")); q != "" {
					return q
				}
			}
		}
		return ""
	}
	if t.w != nil {
		if empty, ok := a.fresh(t.w); ok {
			// Under a file mktemp made: only the path it names when
			// mktemp prints nothing is left to judge (writes.go).
			return a.shapeMatch(empty, true, strings.Contains(empty, "/"))
		}
	}
	sh := a.shape(t.w)
	last := -1
	for i, s := range sh {
		if s.kind == segAny {
			last = i
		}
	}
	var b strings.Builder
	for _, s := range sh[last+1:] {
		if s.kind == segNum {
			b.WriteString(numPlaceholder)
		} else {
			b.WriteString(s.s)
		}
	}
	text := b.String()
	if last < 0 {
		// Known text and numbers: the path is placed from where it
		// starts, and each value after an = or an option's letters too.
		vals, attached := argValues(text)
		for i, v := range vals {
			if q := a.shapeMatch(v, true, attached[i] || strings.Contains(v, "/")); q != "" {
				return q
			}
		}
		return ""
	}
	// A name a program extends (a backup, a prefix) only with a
	// directory written out, as derivedName reads a literal one.
	if q := a.shapeMatch(text, false, strings.Contains(text, "/")); q != "" {
		return q
	}
	// KEY=VALUE and --opt=VALUE after the unknown part: the value starts
	// a path of its own.
	for i := 0; i < len(text); i++ {
		if text[i] == '=' && i+1 < len(text) {
			if q := a.shapeMatch(text[i+1:], true, true); q != "" {
				return q
			}
		}
	}
	return ""
}

// shapeMatch returns a protected file that text may name: from its start
// (anchored, relative to the working directory) or as the end of a longer
// path (after unknown text). suffixed: a program may add to the name
// (a backup, a prefix), as derivedName reads it.
func (a *analyzer) shapeMatch(text string, anchored, suffixed bool) string {
	if anchored {
		// A component that is only a number may be empty, and a `..`
		// after it then climbs from one directory higher: read the
		// rest as after unknown text.
		comps := strings.Split(text, "/")
		for i, c := range comps {
			if c != "" && strings.Trim(c, numPlaceholder) == "" && slices.Contains(comps[i+1:], "..") {
				anchored = false
			}
		}
	}
	if anchored {
		if strings.HasPrefix(text, "~/") && a.opts.Home != "" {
			text = a.opts.Home + text[1:]
		}
		if !path.IsAbs(text) {
			if a.cwdUnknown {
				anchored = false
			} else {
				text = path.Join(a.opts.Cwd, text)
			}
		}
	}
	if anchored {
		text = path.Clean(text)
	} else {
		// After unknown text: a `..` component leaves a path that ends
		// anywhere; `.` components stand for nothing.
		comps := strings.Split(text, "/")
		var keep []string
		for i, c := range comps {
			switch {
			case c == "..":
				keep = []string{""}
			case c == "." && i > 0:
				if i == len(comps)-1 {
					keep = append(keep, "")
				}
			default:
				keep = append(keep, c)
			}
		}
		text = strings.Join(keep, "/")
	}
	rx := regexp.QuoteMeta(text)
	rx = strings.ReplaceAll(rx, numPlaceholder, numText)
	if anchored {
		rx = "^" + rx
	}
	re, err := regexp.Compile("(?i)" + rx + "$")
	if err != nil {
		return a.opts.Protected[0] // fail closed
	}
	for _, q := range a.opts.Protected {
		cands := []string{q}
		for _, s := range compressSuffixes {
			cands = append(cands, q+s) // what a decompressor turns into q
		}
		for d := path.Dir(q); d != "/" && d != "." && !a.ancestorOfCwd(d); d = path.Dir(d) {
			cands = append(cands, d, d+"/") // a directory of its own holding q
		}
		if suffixed {
			dir := len(path.Dir(q)) + 1
			for k := dir + 1; k < len(q); k++ {
				cands = append(cands, q[:k]) // a prefix q's name extends
			}
		}
		for _, c := range cands {
			if re.MatchString(c) {
				return q
			}
		}
	}
	return ""
}
