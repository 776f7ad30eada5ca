package shell

import (
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Arithmetic evaluates the values of the variables it names as arithmetic
// again, array subscripts included: a value holding `a[$(cmd)]` runs cmd.
// The line's own static text is checked where it is assigned (evalText);
// a value the line computes at run time (read, $(…), a default) cannot be,
// so arithmetic over such a variable is refused, and so is text in
// [[ … ]] that bash evaluates that way (-eq…, -v).

var arithNameRe = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// arithmetic refuses arithmetic in f over values the line computes.
func (a *analyzer) arithmetic(f *syntax.File) {
	intVars := false // declare -i: assignments evaluate their values
	syntax.Walk(f, func(n syntax.Node) bool {
		if d, ok := n.(*syntax.DeclClause); ok {
			for _, as := range d.Args {
				if as.Naked && as.Name == nil && as.Value != nil {
					if o := printWord(as.Value); strings.HasPrefix(o, "-") && strings.Contains(o, "i") {
						intVars = true
					}
				}
			}
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			if len(n.Args) > 1 {
				name := baseName(printWord(n.Args[0]))
				for _, w := range n.Args[1:] {
					t := a.word(w)
					if t.dyn {
						if name == "let" {
							a.arithWord(w, "`let`")
						}
						continue
					}
					if name == "let" {
						a.arithText(t.s, "`let`")
					} else if evaluators[name] {
						for _, m := range subscriptsRe.FindAllStringSubmatch(t.s, -1) {
							a.arithText(m[1], "`"+name+"`, in an array subscript,")
						}
					}
				}
			}
		case *syntax.LetClause:
			for _, x := range n.Exprs {
				a.arith(x, "`let`")
			}
		case *syntax.ArithmCmd:
			a.arith(n.X, "(( … ))")
		case *syntax.ArithmExp:
			a.arith(n.X, "$(( … ))")
		case *syntax.Assign:
			if n.Index != nil {
				a.arith(n.Index, "an array subscript")
			}
			if intVars && n.Value != nil {
				for _, p := range n.Value.Parts {
					a.arithPart(p)
				}
			}
		case *syntax.ParamExp:
			a.indirect(n)
			if n.Index != nil {
				a.arith(n.Index, "an array subscript")
			}
			if n.Slice != nil {
				if n.Slice.Offset != nil {
					a.arith(n.Slice.Offset, "a substring offset")
				}
				if n.Slice.Length != nil {
					a.arith(n.Slice.Length, "a substring length")
				}
			}
		case *syntax.BinaryTest:
			if n.Op >= syntax.TsEql && n.Op <= syntax.TsGtr {
				a.testOperand(n.X)
				a.testOperand(n.Y)
			}
		case *syntax.UnaryTest:
			if n.Op == syntax.TsVarSet || n.Op == syntax.TsRefVar {
				a.testOperand(n.X)
			}
		}
		return true
	})
}

func (a *analyzer) arith(x syntax.ArithmExpr, where string) {
	syntax.Walk(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Word:
			if hasSubst(n) {
				a.substArith(n, where)
				return false
			}
		case *syntax.Lit:
			for _, name := range arithNameRe.FindAllString(n.Value, -1) {
				a.arithUse(name, "%s evaluates `%s`, a value this line computes at run time: bash evaluates it as arithmetic again, running any `$(…)` in an array subscript it holds", where, name)
			}
		case *syntax.ParamExp:
			if n.Param != nil {
				a.arithUse(n.Param.Value, "%s evaluates `$%s`, a value this line computes at run time, as arithmetic", where, n.Param.Value)
			}
		case *syntax.SglQuoted, *syntax.DblQuoted:
			if wp, ok := n.(syntax.WordPart); ok && subscriptRe.MatchString(a.word(&syntax.Word{Parts: []syntax.WordPart{wp}}).s) {
				a.refuse("%s holds a command substitution in an array subscript", where)
				return false
			}
		}
		return true
	})
}

// testOperand judges an operand [[ … ]] evaluates as arithmetic or as a
// variable name with a subscript.
func (a *analyzer) testOperand(x syntax.TestExpr) {
	w, ok := x.(*syntax.Word)
	if !ok {
		return
	}
	t := a.word(w)
	if !t.dyn && subscriptRe.MatchString(t.s) {
		a.refuse("`[[ … %s … ]]` evaluates an array subscript holding a command substitution, which bash runs", t.s)
		return
	}
	if hasSubst(w) {
		a.substArith(w, "`[[ … ]]`")
		return
	}
	for _, p := range w.Parts {
		a.arithPart(p)
	}
	// [[ -v a[x] ]]: the parser keeps a[x] as a glob; bash as a name.
	for _, m := range subscriptsRe.FindAllStringSubmatch(printWord(w), -1) {
		a.arithText(m[1], "`[[ … ]]`, in an array subscript,")
	}
}

// subscriptsRe finds array subscripts in a name: a[x].
var subscriptsRe = regexp.MustCompile(`\[([^\]]*)\]`)

// arithText refuses arithmetic text that names a variable the line computes.
func (a *analyzer) arithText(s, where string) {
	for _, name := range arithNameRe.FindAllString(s, -1) {
		a.arithUse(name, "%s evaluates `%s`, a value this line computes at run time, as arithmetic: bash runs any `$(…)` in an array subscript it holds", where, name)
	}
}

func (a *analyzer) arithPart(p syntax.WordPart) {
	switch p := p.(type) {
	case *syntax.Lit:
		a.arithUse(p.Value, "`[[ … %s … ]]` evaluates a value this line computes at run time as arithmetic", p.Value)
	case *syntax.ParamExp:
		if p.Param != nil {
			a.arithUse(p.Param.Value, "`[[ … $%s … ]]` evaluates a value this line computes at run time as arithmetic", p.Param.Value)
		}
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			a.arithPart(q)
		}
	}
}

// arithUse records that bash evaluates the value of name as arithmetic.
// It is judged at the end of the line (judgeArith), when every assignment
// is known: one in a later command of a loop, or outside an eval'd string
// walked earlier, counts too.
func (a *analyzer) arithUse(name, format string, args ...any) {
	a.arithUses = append(a.arithUses, arithUse{name: name, why: fmt.Sprintf(format, args...)})
}

type arithUse struct{ name, why string }

// judgeArith refuses arithmetic over a value the line computes, unless
// the line spells the values out (a static loop) or every assignment of
// the name is a count (numericSubst: a digits-only output).
func (a *analyzer) judgeArith() {
	seen := map[string]bool{}
	for _, u := range a.arithUses {
		if seen[u.name] || !a.unknown[u.name] || a.staticLoop[u.name] {
			continue
		}
		if a.numeric[u.name] && !a.tainted[u.name] && !a.redefined["wc"] {
			continue
		}
		seen[u.name] = true
		a.refuse("%s", u.why)
	}
}

// wcCounts are the wc options whose output, for standard input alone, is
// digits and blanks.
var wcCounts = map[string]bool{"-l": true, "-c": true, "-w": true, "-m": true, "-L": true,
	"--lines": true, "--bytes": true, "--chars": true, "--words": true, "--max-line-length": true}

// numericSubst reports whether a word is nothing but `$(wc -l <FILE)` (or
// "$(…)", `…`, other counts): wc counting its standard input prints only
// digits and blanks, whatever the file holds, so bash evaluating the
// value as arithmetic cannot run code. wc must be the program wc: the line
// must not define a function or alias of that name (judgeArith); a wc the
// agent put on PATH runs its own code anyway, as any program it wrote.
// With a file operand wc prints the file's name, which is text the agent
// chooses: refused.
func numericSubst(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok {
		if len(dq.Parts) != 1 {
			return false
		}
		part = dq.Parts[0]
	}
	cs, ok := part.(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return false
	}
	st := cs.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || st.Coprocess || len(call.Assigns) != 0 || len(call.Args) < 2 {
		return false
	}
	for i, arg := range call.Args {
		if len(arg.Parts) != 1 {
			return false
		}
		l, ok := arg.Parts[0].(*syntax.Lit)
		if !ok || i == 0 && l.Value != "wc" || i > 0 && !wcCounts[l.Value] {
			return false
		}
	}
	for _, r := range st.Redirs {
		if r.Op != syntax.RdrIn || r.N != nil && r.N.Value != "0" {
			return false
		}
	}
	return true
}

// hasSubst reports whether a word holds a command or process
// substitution of its own (in its parts or their double quotes).
func hasSubst(w *syntax.Word) bool {
	var in func(ps []syntax.WordPart) bool
	in = func(ps []syntax.WordPart) bool {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.CmdSubst, *syntax.ProcSubst:
				return true
			case *syntax.DblQuoted:
				if in(p.Parts) {
					return true
				}
			}
		}
		return false
	}
	return in(w.Parts)
}

// substArith judges a word bash evaluates as arithmetic that holds a
// command substitution: its output is evaluated again, and an array
// subscript in it (b[$(cmd)]) runs cmd. Only a count (numericSubst:
// $(wc -l <FILE)) is allowed.
func (a *analyzer) substArith(w *syntax.Word, where string) {
	if !numericSubst(w) {
		a.refuse("%s evaluates the output of %s as arithmetic: an array subscript in it (b[$(…)]) runs its command substitution; compute the value first and test it with `[ … -eq … ]`, or count with $(wc -l <FILE)", where, printWord(w))
	}
}

// arithWord judges a computed word bash evaluates as arithmetic (let
// "$x"): the variables it expands are evaluated again (judgeArith), a
// command substitution's output too (substArith).
func (a *analyzer) arithWord(w *syntax.Word, where string) {
	if hasSubst(w) {
		a.substArith(w, where)
		return
	}
	var in func(ps []syntax.WordPart)
	in = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				a.arithText(p.Value, where)
			case *syntax.SglQuoted:
				a.arithText(p.Value, where)
			case *syntax.DblQuoted:
				in(p.Parts)
			case *syntax.ParamExp:
				if p.Param == nil || !isName(p.Param.Value) {
					a.refuse("%s evaluates %s, a value the hook cannot know, as arithmetic", where, printWord(w))
					return
				}
				a.arithUse(p.Param.Value, "%s evaluates `$%s`, a value this line computes at run time, as arithmetic", where, p.Param.Value)
			case *syntax.ArithmExp:
			default:
				a.refuse("%s evaluates %s, a value the hook cannot know, as arithmetic", where, printWord(w))
				return
			}
		}
	}
	in(w.Parts)
}

// indirect judges ${!name}: the value of the variable whose name name
// holds, with any array subscript in it evaluated (running its command
// substitutions). Allowed only when the line spells name's value out.
// ${!prefix*}, ${!a[@]} list names and keys: not indirection.
func (a *analyzer) indirect(p *syntax.ParamExp) {
	if !p.Excl || p.Index != nil || p.Names != 0 || p.Param == nil {
		return
	}
	name := p.Param.Value
	if v, ok := a.vars[name]; ok && !a.unknown[name] && !strings.ContainsAny(v, "[$`") {
		return
	}
	a.refuse("`${!%s}` expands the variable whose name `%s` holds, a value the hook cannot know (bash evaluates an array subscript in it, running its command substitutions)", name, name)
}

// nameArgs are the operands of a builtin that bash takes as variable
// names (printf -v NAME, read NAME…, mapfile NAME, getopts OPTS NAME,
// wait -p NAME, test -v NAME): it evaluates an array subscript in them.
func nameArgs(name string, args []tok) []tok {
	opts, operands := builtinOpts(args, map[string]string{
		"printf": "v", "read": "adinNptu", "mapfile": "dnOsuCc", "readarray": "dnOsuCc", "wait": "p", "getopts": "",
	}[name])
	var out []tok
	switch name {
	case "printf":
		out = opts['v']
	case "read":
		out = append(opts['a'], operands...)
	case "mapfile", "readarray":
		out = operands
	case "getopts":
		if len(operands) > 1 {
			out = operands[1:2]
		}
	case "wait":
		out = opts['p']
	case "test", "[":
		for i, t := range args {
			if (t.s == "-v" || t.s == "-R") && !t.dyn && i+1 < len(args) {
				out = append(out, args[i+1])
			}
		}
	}
	return out
}

// builtinOpts reads a builtin's leading options as bash's internal getopt
// does: valued letters take the rest of the word or the next one; the
// first operand or "--" ends them.
func builtinOpts(args []tok, valued string) (map[byte][]tok, []tok) {
	opts := map[byte][]tok{}
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" && !t.dyn {
			return opts, args[i+1:]
		}
		if t.dyn || !strings.HasPrefix(t.s, "-") || len(t.s) < 2 {
			return opts, args[i:]
		}
		for j := 1; j < len(t.s); j++ {
			c := t.s[j]
			if strings.IndexByte(valued, c) < 0 {
				continue
			}
			switch {
			case j+1 < len(t.s):
				opts[c] = append(opts[c], tok{s: t.s[j+1:]})
			case i+1 < len(args):
				i++
				opts[c] = append(opts[c], args[i])
			}
			break
		}
	}
	return opts, nil
}

// namesEval refuses a computed variable name given to a builtin that
// evaluates it (nameArgs).
func (a *analyzer) namesEval(name string, argv []tok) {
	for _, t := range nameArgs(name, argv[1:]) {
		if t.dyn {
			a.refuse("`%s`: the variable name %s is computed at run time, and bash evaluates an array subscript in a name (a[$(…)]), running its command substitutions", truncateTok(argv), srcOf(t))
			return
		}
	}
}
