package shell

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A variable the line assigns only in code that may not run — after && or
// ||, in an if or case branch, a loop's body, a function, a subshell, a
// pipeline's part, a background job or a command substitution — may
// still hold, after that code, what the environment gave it, and an
// interactive shell the agent keeps open carries anything over from an
// earlier call (`if false; then X=echo; fi; $X destroy`, `(X=echo); $X
// destroy`, `[ -f x ] && D=build; rm -rf "$D"`). Such a use, outside the
// code that assigned it, is read as computed. Uses inside that code (the
// branch, the body) see the value. The rule reads the line itself; the
// scripts inside it (bash -c '…') keep their own reading.

// conditionalSpans lists the line's code that may not run, or runs apart.
func conditionalSpans(f *syntax.File) [][2]syntax.Pos {
	var spans [][2]syntax.Pos
	add := func(n syntax.Node) {
		if n != nil && n.Pos().IsValid() && n.End().IsValid() {
			spans = append(spans, [2]syntax.Pos{n.Pos(), n.End()})
		}
	}
	addStmts := func(stmts []*syntax.Stmt) {
		if len(stmts) > 0 {
			spans = append(spans, [2]syntax.Pos{stmts[0].Pos(), stmts[len(stmts)-1].End()})
		}
	}
	var funcs []*syntax.FuncDecl
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok {
			funcs = append(funcs, fd)
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			switch n.Op {
			case syntax.AndStmt, syntax.OrStmt:
				add(n.Y)
			case syntax.Pipe, syntax.PipeAll:
				add(n.X)
				add(n.Y)
			}
		case *syntax.IfClause:
			addStmts(n.Then)
			if n.Else != nil {
				add(n.Else)
			}
		case *syntax.CaseClause:
			for _, it := range n.Items {
				addStmts(it.Stmts)
			}
		case *syntax.WhileClause:
			addStmts(n.Do)
		case *syntax.ForClause:
			addStmts(n.Do)
		case *syntax.FuncDecl, *syntax.Subshell, *syntax.CmdSubst, *syntax.ProcSubst, *syntax.CoprocClause:
			add(n)
		case *syntax.Stmt:
			if n.Background || n.Coprocess {
				add(n)
			}
			switch c := n.Cmd.(type) {
			case *syntax.DeclClause:
				// A declaration with a redirection that may fail, local
				// outside a function, an option bash does not take:
				// bash assigns nothing (review hook95 H1).
				if len(n.Redirs) > 0 || c.Variant != nil && c.Variant.Value == "local" && !inFunc(funcs, n) || !declOptionsKnown(c) {
					add(n)
				}
			case *syntax.Block, *syntax.IfClause, *syntax.WhileClause, *syntax.ForClause, *syntax.CaseClause:
				if len(n.Redirs) > 0 {
					add(n) // { X=…; } </missing: the group does not run
				}
			}
		}
		return true
	})
	return spans
}

// inFunc reports whether n lies in one of the function bodies funcs.
func inFunc(funcs []*syntax.FuncDecl, n syntax.Node) bool {
	for _, f := range funcs {
		if n.Pos().Offset() >= f.Pos().Offset() && n.End().Offset() <= f.End().Offset() {
			return true
		}
	}
	return false
}

// declOptionsKnown reports whether a declaration's options are all ones
// bash takes (declare -Z X=… assigns nothing).
func declOptionsKnown(d *syntax.DeclClause) bool {
	for _, as := range d.Args {
		if !as.Naked || as.Name != nil || as.Value == nil {
			continue
		}
		o := printWord(as.Value)
		if !strings.HasPrefix(o, "-") && !strings.HasPrefix(o, "+") {
			continue
		}
		if o == "--" {
			continue
		}
		if strings.Trim(o[1:], "aAfFgilnprtuxI") != "" {
			return false
		}
	}
	return true
}

// condAssigned records the first assignment of name when it lies in
// conditional code of the line. One in a script inside the line (eval,
// a trap, an alias, bash -c), or at no known place, counts as conditional
// everywhere in the line: eval 'false && X=…', trap 'X=…' EXIT (review
// hook95 H2).
func (a *analyzer) condAssigned(name string, pos syntax.Pos) {
	if a.condSpan == nil {
		a.condSpan = map[string][2]syntax.Pos{}
	}
	if a.curDepth != 0 || !pos.IsValid() {
		a.condSpan[name] = [2]syntax.Pos{}
		return
	}
	var in [2]syntax.Pos
	found := false
	for _, s := range a.condSpans {
		if pos.Offset() >= s[0].Offset() && pos.Offset() < s[1].Offset() {
			// The innermost: the latest start.
			if !found || s[0].Offset() >= in[0].Offset() {
				in, found = s, true
			}
		}
	}
	if !found {
		return
	}
	a.condSpan[name] = in
}

// maybeUnset reports whether a use of name at pos, in the line itself,
// lies outside the conditional code that first assigned it.
func (a *analyzer) maybeUnset(name string, pos syntax.Pos) bool {
	s, ok := a.condSpan[name]
	if !ok || a.curDepth != 0 || !pos.IsValid() {
		return false
	}
	if !s[0].IsValid() {
		return true // assigned in a script inside the line
	}
	return pos.Offset() < s[0].Offset() || pos.Offset() >= s[1].Offset()
}
