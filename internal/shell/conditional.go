package shell

import "mvdan.cc/sh/v3/syntax"

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
		}
		return true
	})
	return spans
}

// condAssigned records the first assignment of name when it lies in
// conditional code of the line.
func (a *analyzer) condAssigned(name string, as *syntax.Assign) {
	if a.curDepth != 0 || as == nil {
		return
	}
	var in [2]syntax.Pos
	found := false
	for _, s := range a.condSpans {
		if as.Pos().Offset() >= s[0].Offset() && as.Pos().Offset() < s[1].Offset() {
			// The innermost: the latest start.
			if !found || s[0].Offset() >= in[0].Offset() {
				in, found = s, true
			}
		}
	}
	if !found {
		return
	}
	if a.condSpan == nil {
		a.condSpan = map[string][2]syntax.Pos{}
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
	return pos.Offset() < s[0].Offset() || pos.Offset() >= s[1].Offset()
}
