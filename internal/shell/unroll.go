package shell

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// A loop over words the line spells out (`for t in unit e2e; do go test
// -run "Test$t" ./...; done`, `for f in a b; do touch "$f.txt"; done`) has a
// variable the hook otherwise reads as computed, and refuses where the
// variable names a file or an option. Such a line is judged again with
// the loop unrolled: `t=unit; t_pgunroll0=unit; go test -run
// "Test$t_pgunroll0" ./...; t=e2e; …`, the same commands in the same order,
// each pass's uses of the variable renamed to one that pass alone sets
// (review hook89 false refusal 3). Only a loop whose lowercase variable
// the line uses nowhere else but as `$t`/`${t}` in the body, in a line that
// spells no break or continue, runs no computed command name and no
// builtin that runs its arguments (eval, command, builtin, trap…), over at
// most maxUnroll plain words, and only when bash reads the line as the
// hook's printer writes it (the rewritten text is the hook's parse
// printed back). The unrolled line is judged twice — without the loop's
// variable (the line must not set it otherwise) and with it set before
// each pass, as the loop leaves it (review hook93 H1) — and the line is
// allowed when both are; otherwise the first judgement stands.

// loopName is a loop variable the rule takes: lowercase, as scripts name
// their own variables; not _, which bash sets to the last argument.
var loopName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxUnroll bounds the words of an unrolled loop.
const maxUnroll = 8

// plainItem is a loop word unrolled: no quotes, expansions, globs,
// braces, tildes or blanks.
var plainItem = regexp.MustCompile(`^[A-Za-z0-9_.,+@%:=/-]+$`)

// unrolled returns the line with its first loop over plain words unrolled
// and the loop's variable, or "" when it has none the rule takes.
func unrolled(src string, lang syntax.LangVariant, setVar bool) (string, string) {
	if nesting.Shell(src) != nil || HiddenChar(src) != "" || strings.ContainsRune(src, 0) {
		return "", "" // refused for that already; the parser may not even finish
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(src), "")
	if err != nil {
		return "", ""
	}
	var target *syntax.Stmt
	inner := map[*syntax.ForClause]bool{} // loops inside loops and functions
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ForClause, *syntax.WhileClause, *syntax.FuncDecl:
			syntax.Walk(n, func(m syntax.Node) bool {
				if fc, ok := m.(*syntax.ForClause); ok && fc != n {
					inner[fc] = true
				}
				return true
			})
		case *syntax.Stmt:
			if fc, ok := n.Cmd.(*syntax.ForClause); ok && target == nil && !inner[fc] && unrollable(src, f, fc) {
				target = n
			}
		}
		return true
	})
	if target == nil {
		return "", ""
	}
	fc, _ := target.Cmd.(*syntax.ForClause)
	wi, ok := fc.Loop.(*syntax.WordIter)
	if !ok {
		return "", ""
	}
	name := wi.Name.Value
	block := &syntax.Block{}
	assign := func(n, v string) {
		block.Stmts = append(block.Stmts, &syntax.Stmt{Cmd: &syntax.CallExpr{Assigns: []*syntax.Assign{{
			Name: &syntax.Lit{Value: n}, Value: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: v}}}}}}})
	}
	for i, item := range wi.Items {
		// The body with its uses renamed to a variable this pass alone
		// sets, so that the hook reads each use as the value, split and
		// globbed as bash does. The loop's own variable is set only with
		// setVar: without it, a line that sets it anyway (read a""b,
		// printf -v "${n}b") shows that the body may read another value
		// (unrolledResult).
		v := item.Lit()
		own := fmt.Sprintf("%s_pgunroll%d", name, i)
		if strings.Contains(src, own) {
			return "", ""
		}
		if setVar {
			assign(name, v)
		}
		assign(own, v)
		for _, st := range fc.Do {
			c := cloneStmt(st, lang)
			if c == nil {
				return "", ""
			}
			rename(c, name, own)
			block.Stmts = append(block.Stmts, c)
		}
	}
	target.Cmd = block
	var b bytes.Buffer
	if err := syntax.NewPrinter().Print(&b, f); err != nil {
		return "", ""
	}
	return b.String(), name
}

// unrollable reports whether the rule takes the loop fc of file f.
func unrollable(src string, f *syntax.File, fc *syntax.ForClause) bool {
	wi, ok := fc.Loop.(*syntax.WordIter)
	if !ok || !wi.InPos.IsValid() || len(wi.Items) == 0 || len(wi.Items) > maxUnroll || fc.Select {
		return false
	}
	for _, w := range wi.Items {
		if l := w.Lit(); l == "" || !plainItem.MatchString(l) || l != printWord(w) {
			return false
		}
	}
	name := wi.Name.Value
	if !loopName.MatchString(name) || strings.HasSuffix(name, "_proxy") {
		return false // _ and bash's own variables (RANDOM, LINENO) are not what the loop sets
	}
	ok = true
	uses := 0
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Param != nil && n.Param.Value == name {
				if !simpleParam(n) || !inside(fc.Do, n) {
					ok = false
				}
				uses++
			}
		case *syntax.CallExpr:
			// A command name the hook reads only at run time may be
			// break or continue ($x with x=break: review hook93 L1), and
			// so may a glob or brace form (continu[e] where a file of
			// that name exists); a builtin that runs its arguments as a
			// command in this shell may run them decoded or joined
			// (eval $'\x63ontinue', command c$c: review hook97 H1-H5).
			if len(n.Args) > 0 {
				name := strings.ReplaceAll(unquotedLit(n.Args[0]), `\`, "")
				if n.Args[0].Lit() == "" && name == "" || strings.ContainsAny(name, "*?[{") || unrollRunners[name] {
					ok = false
				}
			}
		}
		return ok
	})
	if !ok {
		return false
	}
	// break and continue, in the body or in a function, eval or alias it
	// runs, spelled with quotes or backslashes (b""reak, \break): a pass
	// that stops makes the passes after it not run, with their
	// assignments (review hook93 L1).
	bare := strings.NewReplacer(`"`, "", "'", "", `\`, "").Replace(src)
	if strings.Contains(bare, "break") || strings.Contains(bare, "continue") {
		return false
	}
	// Every other mention of the name (export t, read t, t=…, '$t' in a
	// script, ((t)), an fd variable {t}) makes the loop not taken: only
	// the header and the uses counted above, and option letters (-t).
	// Quotes are removed first: read a""b sets ab.
	src = strings.NewReplacer(`"`, "", "'", "", `\`, "").Replace(src)
	re := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9_])`)
	mentions := 0
	for i := 0; i < len(src); {
		loc := re.FindStringSubmatchIndex(src[i:])
		if loc == nil {
			break
		}
		start := i + loc[3] // the name's first byte
		if start == 0 || src[start-1] != '-' {
			mentions++
		}
		i = start + len(name)
	}
	return mentions == uses+1
}

// unrollRunners are the builtins that run text given to them as code
// in the current shell, where a break or continue stops the loop.
var unrollRunners = map[string]bool{"eval": true, "builtin": true, "command": true, "source": true, ".": true,
	"trap": true, "mapfile": true, "readarray": true, "alias": true, "enable": true, "fc": true, "complete": true,
	"compgen": true, "bind": true}

// simpleParam reports whether p is $NAME or ${NAME}: no index, length,
// operator or indirection.
func simpleParam(p *syntax.ParamExp) bool {
	return !p.Excl && !p.Length && !p.Width && !p.IsSet && p.Index == nil && p.Slice == nil && p.Repl == nil &&
		p.Names == 0 && p.Exp == nil && p.NestedParam == nil && len(p.Modifiers) == 0
}

// inside reports whether n lies within the statements stmts.
func inside(stmts []*syntax.Stmt, n syntax.Node) bool {
	for _, st := range stmts {
		if n.Pos().Offset() >= st.Pos().Offset() && n.End().Offset() <= st.End().Offset() {
			return true
		}
	}
	return false
}

// cloneStmt copies a statement by printing and parsing it again.
func cloneStmt(st *syntax.Stmt, lang syntax.LangVariant) *syntax.Stmt {
	var b bytes.Buffer
	if err := syntax.NewPrinter().Print(&b, st); err != nil {
		return nil
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(&b, "")
	if err != nil || len(f.Stmts) != 1 {
		return nil
	}
	return f.Stmts[0]
}

// rename renames each $name and ${name} in st to $own.
func rename(st *syntax.Stmt, name, own string) {
	syntax.Walk(st, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && pe.Param.Value == name {
			pe.Param = &syntax.Lit{Value: own}
		}
		return true
	})
}

// unrolledResult judges the line with a loop unrolled (see the top of
// this file), when it was refused: the unrolled line's result if that
// is allowed, or ok false. namesUnknown: the line sets variables by names
// it computes (printf -v "${n}b"), which may be the loop's.
func unrolledResult(command string, opts Options, namesUnknown bool) (Result, bool) {
	if opts.unrolled || opts.bashText || namesUnknown {
		return Result{}, false
	}
	lang := syntax.LangBash
	if opts.posix {
		lang = syntax.LangPOSIX
	}
	text, name := unrolled(command, lang, false)
	if text == "" || len(text) > MaxCommand {
		return Result{}, false
	}
	exact, _ := unrolled(command, lang, true)
	if exact == "" || len(exact) > MaxCommand {
		return Result{}, false
	}
	if opts.Reparse != nil {
		// The rewrite is the hook's parse printed back: taken only when
		// bash reads the line as it reads that printing.
		f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(command), "")
		if err != nil {
			return Result{}, false
		}
		var b bytes.Buffer
		if syntax.NewPrinter().Print(&b, f) != nil {
			return Result{}, false
		}
		orig, err1 := opts.Reparse(command)
		printed, err2 := opts.Reparse(b.String())
		// Compared as the hook's printer writes each (bash prints a
		// top-level `;` as it was written, the printer as a newline:
		// review hook93 false refusal).
		if err1 != nil || err2 != nil || reprint(orig, lang) == "" || reprint(orig, lang) != reprint(printed, lang) {
			return Result{}, false
		}
	}
	o := opts
	o.unrolled = true
	// First without the loop's variable set: if the line sets it anyway
	// (read a""b, printf -v "${n}b"), a pass may read another value than
	// the one the hook gave its uses.
	u := analyze(text, o)
	_, set := u.vars[name]
	if set || u.unknown[name] || u.tainted[name] || u.prefixSet[name] || u.unknownEnv || !u.res.Allowed() {
		return Result{}, false
	}
	// Then with it set before each pass, as the loop sets it: a read the
	// hook cannot see by name (eval "\$${x}q" after the loop: review
	// hook93 H1) is judged with its values.
	r := Analyze(exact, o)
	return r, r.Allowed()
}

// reprint is a text parsed and printed again, or "".
func reprint(src string, lang syntax.LangVariant) string {
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(src), "")
	if err != nil {
		return ""
	}
	var b bytes.Buffer
	if syntax.NewPrinter().Print(&b, f) != nil {
		return ""
	}
	return b.String()
}

// unquotedLit is a word's text when it is literal but for quotes and
// backslashes (b""reak), or "".
func unquotedLit(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return ""
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return ""
				}
				b.WriteString(l.Value)
			}
		default:
			return ""
		}
	}
	return b.String()
}
