package shell

import (
	"fmt"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Arithmetic evaluates the values of the variables it names as arithmetic
// again, array subscripts included: a value holding `a[$(cmd)]` runs cmd.
// So in every arithmetic context (((…)), $((…)), $[…], for ((…)), let,
// array subscripts, substring offsets and lengths, [[ … -eq … ]]
// operands) a parameter is allowed only when the hook knows its value is
// a number: a variable the line itself assigns, before the use on every
// path (an earlier command of the same list, the condition of an if or
// while, a for loop's header), only numbers (a literal with no names in
// it, $((…)), an arithmetic assignment, a count: numericSubst, a static
// loop over numbers). Positional parameters ($1, $@, $*, $0, which
// `set --`, a function's arguments and `bash -c '…' _ ARGS` set), `$-`,
// and the variables bash fills itself (`_`, BASH_REMATCH, REPLY…) are
// refused always; a variable from the environment (an interactive shell
// the agent keeps open may hold anything an earlier call put there) too.
// Only $?, $#, $$ and $!, which bash sets to digits, are allowed.

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
	defer func(s []syntax.Node) { a.arithStack = s }(a.arithStack)
	a.arithStack = nil
	syntax.Walk(f, func(n syntax.Node) bool {
		if n == nil {
			a.arithStack = a.arithStack[:len(a.arithStack)-1]
			return true
		}
		a.arithStack = append(a.arithStack, n)
		switch n := n.(type) {
		case *syntax.CStyleLoop:
			// for ((INIT; COND; POST)): INIT runs first, and assigns
			// numbers for COND, POST and the body.
			if n.Init != nil {
				a.arith(n.Init, "for (( … ))")
			}
			defer func(d []string) { a.arithDefs = d }(a.arithDefs)
			a.arithDefs = append(a.arithDefs, arithAssigned(n.Init)...)
			if n.Cond != nil {
				a.arith(n.Cond, "for (( … ))")
			}
			if n.Post != nil {
				a.arith(n.Post, "for (( … ))")
			}
		case *syntax.CallExpr:
			if len(n.Args) > 1 {
				name := baseName(printWord(n.Args[0]))
				var toks []tok
				for _, w := range n.Args[1:] {
					t := a.word(w)
					toks = append(toks, t)
					if name != "let" {
						continue
					}
					if t.dyn {
						a.arithWord(w, "`let`")
					} else {
						a.arithText(t.s, "`let`")
					}
				}
				if name != "let" && evaluators[name] {
					// Only the words bash takes as variable names (printf
					// -v NAME, test -v NAME, read NAME…): a format string
					// or a test operand with brackets is text.
					for _, t := range evalNameArgs(name, toks) {
						if t.dyn {
							continue
						}
						for _, m := range subscriptsRe.FindAllStringSubmatch(t.s, -1) {
							if !a.assocUse(t.s) {
								a.arithText(m[1], "`"+name+"`, in an array subscript,")
							}
						}
					}
				}
			}
		case *syntax.Redirect:
			if n.N != nil && strings.HasPrefix(n.N.Value, "{") && strings.Contains(n.N.Value, "[") {
				// exec {a[x]}>FILE: bash evaluates the subscript as
				// arithmetic, and x's value may hold $(…) (review hook118
				// H2).
				a.refuse("`%s`: a redirection's variable with a subscript, which bash evaluates as arithmetic (a value holding $(…) runs it): name a plain variable ({fd}>FILE)", n.N.Value)
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
			if n.Index != nil && !(n.Name != nil && a.assocArray(n.Name.Value)) {
				a.arith(n.Index, "an array subscript")
			}
			if intVars && n.Value != nil {
				for _, p := range n.Value.Parts {
					a.arithPart(p)
				}
			}
		case *syntax.ParamExp:
			a.indirect(n)
			if n.Index != nil && !(n.Param != nil && a.assocArray(n.Param.Value)) {
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
		case *syntax.BinaryArithm:
			if n.Op == syntax.Assgn && arithWordName(n.X) != "" {
				// NAME = …: NAME is assigned, not read.
				a.arith(n.Y, where)
				return false
			}
		case *syntax.Word:
			if hasSubst(n) {
				a.substArith(n, where)
				return false
			}
		case *syntax.Lit:
			for _, name := range arithNames(n.Value) {
				a.arithUse(name, where, "`"+name+"`")
			}
		case *syntax.ParamExp:
			a.arithParam(n, where)
		case *syntax.SglQuoted, *syntax.DblQuoted:
			if sq, ok := n.(*syntax.SglQuoted); ok {
				if sq.Dollar {
					a.refuse("%s holds %s, text the hook does not evaluate as bash does", where, "$'…'")
					return false
				}
				if strings.ContainsAny(sq.Value, "$`") {
					// let a['$(…)']: bash removes the quotes, and the
					// subscript's $(…) then runs (review hook73 H1).
					a.refuse("%s holds quoted text with `$` or a backquote, which bash evaluates once the quotes are removed (a subscript's $(…) runs)", where)
					return false
				}
				for _, name := range arithNames(sq.Value) {
					a.arithUse(name, where, "`"+name+"`")
				}
			}
			if wp, ok := n.(syntax.WordPart); ok && subscriptRe.MatchString(a.word(&syntax.Word{Parts: []syntax.WordPart{wp}}).s) {
				a.refuse("%s holds a command substitution in an array subscript", where)
				return false
			}
		}
		return true
	})
}

// arithParam judges an expansion whose value bash evaluates as
// arithmetic: $x, ${x:-…}, $1, $@. ${#x} is a length, digits.
func (a *analyzer) arithParam(p *syntax.ParamExp, where string) {
	if p.Param == nil || p.Length {
		return
	}
	name := p.Param.Value
	shown := "`" + printWord(&syntax.Word{Parts: []syntax.WordPart{p}}) + "`"
	switch {
	case p.Excl:
		a.refuse("%s evaluates %s, the value of a variable whose name is computed, as arithmetic: bash evaluates it again, and an array subscript in it (a[$(…)]) runs its command substitution", where, shown)
	case digitParams[name]:
		// $?, $#, $$, $!: bash sets them to digits (or nothing).
	case !isName(name):
		a.refuse("%s evaluates %s as arithmetic: a positional or special parameter holds what `set --`, a function's or `bash -c`'s arguments put there, which the hook cannot know, and bash evaluates it again (an array subscript in it, a[$(…)], runs its command substitution)", where, shown)
	default:
		a.arithUse(name, where, shown)
	}
}

// digitParams are the special parameters bash sets to digits alone.
var digitParams = map[string]bool{"?": true, "#": true, "$": true, "!": true}

// bashSets are the variables bash itself assigns as commands run (the
// last argument, a regular expression's match, what read or getopts
// read, a directory): whatever the line assigned them before, their value
// at the use is text the hook did not see.
var bashSets = map[string]bool{"_": true, "BASH_REMATCH": true, "REPLY": true, "OPTARG": true, "OPTIND": true, "MAPFILE": true,
	"BASH_ARGV": true, "BASH_ARGC": true, "BASH_ARGV0": true, "BASH_COMMAND": true, "BASH_LINENO": true, "BASH_SOURCE": true,
	"BASH_SUBSHELL": true, "BASHPID": true, "FUNCNAME": true, "PIPESTATUS": true, "DIRSTACK": true, "PWD": true, "OLDPWD": true,
	"COPROC": true, "READLINE_LINE": true, "READLINE_POINT": true, "READLINE_MARK": true, "READLINE_ARGUMENT": true,
	"COMP_WORDS": true, "COMP_CWORD": true, "COMP_LINE": true, "COMP_POINT": true, "COMP_KEY": true, "COMP_TYPE": true,
	"COMP_WORDBREAKS": true, "COMPREPLY": true, "HISTCMD": true, "LINENO": true, "RANDOM": true, "SRANDOM": true,
	"SECONDS": true, "EPOCHREALTIME": true, "EPOCHSECONDS": true, "GROUPS": true, "COLUMNS": true, "LINES": true,
	"BASH_EXECUTION_STRING": true, "HOSTNAME": true, "PPID": true, "UID": true, "EUID": true, "SHLVL": true, "BASH_VERSINFO": true}

// arithNames are the variable names arithmetic text refers to: words that
// start with a letter or _ (a word starting with a digit is a number:
// 0x1f, 16#ff, 2#101).
func arithNames(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			for i < len(s) && (isWordByte(s[i]) || s[i] == '#' || s[i] == '@') {
				i++
			}
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for i < len(s) && isWordByte(s[i]) {
				i++
			}
			out = append(out, s[j:i])
		default:
			i++
		}
	}
	return out
}

// arithSafeText reports whether bash evaluating s as arithmetic reads
// nothing but s: numbers and operators, no names, no expansions.
func arithSafeText(s string) bool {
	return len(arithNames(s)) == 0 && !strings.ContainsAny(s, "$`[]\\'\"")
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
	if !a.assocUse(printWord(w)) {
		for _, m := range subscriptsRe.FindAllStringSubmatch(printWord(w), -1) {
			a.arithText(m[1], "`[[ … ]]`, in an array subscript,")
		}
	}
}

// subscriptsRe finds array subscripts in a name: a[x].
var subscriptsRe = regexp.MustCompile(`\[([^\]]*)\]`)

// arithText judges arithmetic text bash evaluates (let's static words,
// a subscript in a name given to a builtin): the names in it, and any
// expansion, which bash performs on it first.
func (a *analyzer) arithText(s, where string) {
	if strings.ContainsAny(s, "$`") {
		a.refuse("%s evaluates %q as arithmetic, and bash expands what it holds first: a value the hook cannot know", where, s)
		return
	}
	for _, name := range arithNames(s) {
		a.arithUse(name, where, "`"+name+"`")
	}
}

func (a *analyzer) arithPart(p syntax.WordPart) {
	const where = "`[[ … ]]`"
	switch p := p.(type) {
	case *syntax.Lit:
		for _, name := range arithNames(p.Value) {
			a.arithUse(name, where, "`"+name+"`")
		}
	case *syntax.SglQuoted:
		if p.Dollar {
			a.refuse("%s evaluates %s as arithmetic, text the hook does not evaluate as bash does", where, "$'…'")
			return
		}
		for _, name := range arithNames(p.Value) {
			a.arithUse(name, where, "`"+name+"`")
		}
	case *syntax.ParamExp:
		a.arithParam(p, where)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			a.arithPart(q)
		}
	}
}

// arithUse records that bash evaluates the value of name as arithmetic,
// and whether an assignment in the script runs before it on every path
// (dominated). It is judged at the end of the line (judgeArith), when
// every assignment is known: one in a later command of a loop, or outside
// an eval'd string walked earlier, counts too.
func (a *analyzer) arithUse(name, where, shown string) {
	a.arithUses = append(a.arithUses, arithUse{name: name, where: where, shown: shown,
		dominated: contains(a.arithDefs, name) || dominated(a.arithStack, name, stmtAssigns)})
}

type arithUse struct {
	name, where, shown string
	dominated          bool
}

// judgeArith refuses arithmetic over a value the hook cannot know is a
// number.
func (a *analyzer) judgeArith() {
	seen := map[string]bool{}
	for _, u := range a.arithUses {
		why := a.arithUnknown(u)
		if why == "" || seen[u.name] {
			continue
		}
		seen[u.name] = true
		a.refuse("%s evaluates %s as arithmetic, and %s: bash evaluates the value again, and an array subscript in it (a[$(…)]) runs its command substitution. Assign the variable a number earlier in the same command line", u.where, u.shown, why)
	}
}

// arithUnknown says why the value of a variable arithmetic uses may not
// be a number, or "" when it is one.
func (a *analyzer) arithUnknown(u arithUse) string {
	name := u.name
	if bashSets[name] {
		return "bash itself sets `" + name + "` (to the last argument, a match, what a command read), text the hook cannot know"
	}
	if a.unknown[name] {
		printed := a.numVars[name] && !a.numbersRedefined() // t=$(date +%s): once, a number
		counted := a.numeric[name] && !a.redefined["wc"] || a.intVal[name] || printed
		if !a.staticLoop[name] && (a.tainted[name] && !printed || !counted) {
			return "this line computes `" + name + "` at run time"
		}
	}
	if v, ok := a.vars[name]; ok && !arithSafeText(v) {
		return fmt.Sprintf("`%s` holds %q, which names other variables or expansions", name, v)
	}
	if !u.dominated {
		return "the line does not assign `" + name + "` a number before this use on every path (its value may come from the environment, which an interactive shell the agent keeps open carries over from earlier commands)"
	}
	return ""
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
	cs, ok := solePart(w).(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return false
	}
	st := cs.Stmts[0]
	for {
		// … | wc -l: the output is wc's alone (review hook89 FR2).
		b, ok := st.Cmd.(*syntax.BinaryCmd)
		if !ok || b.Op != syntax.Pipe && b.Op != syntax.PipeAll || st.Negated || st.Background || st.Coprocess || len(st.Redirs) != 0 {
			break
		}
		st = b.Y
	}
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
	cs, ok := solePart(w).(*syntax.CmdSubst)
	if !numericSubst(w) && !(ok && substNumber(cs) && !a.numbersRedefined()) {
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
				a.arithParam(p, where)
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

// evalNameArgs are the arguments of an evaluator builtin (evaluators)
// that bash reads as variable names, whose array subscripts it evaluates
// as arithmetic: nameArgs, unset's operands, declare's NAME=VALUE words
// (whole), and those of the builtin that `builtin` or `command` runs.
func evalNameArgs(name string, args []tok) []tok {
	switch name {
	case "builtin", "command":
		_, rest := builtinOpts(args, "")
		if len(rest) == 0 || rest[0].dyn {
			return rest
		}
		inner := baseName(rest[0].s)
		if !evaluators[inner] || inner == "let" {
			return nil
		}
		return evalNameArgs(inner, rest[1:])
	case "unset":
		_, rest := builtinOpts(args, "")
		return rest
	case "declare", "typeset", "local", "export", "readonly":
		var out []tok
		for _, t := range args {
			if !t.dyn && (strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+")) {
				continue
			}
			out = append(out, t) // NAME=VALUE whole: a[i=1]=2 is a name

		}
		return out
	}
	return nameArgs(name, args)
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

// dominated reports whether a statement for which defines holds runs
// before the innermost node of stack (its ancestors, the root first) on
// every path: an earlier statement of the same list, the condition of the
// if or while whose body holds it, the left side of && or ||, a for
// loop's header for its body. Subshells, command substitutions and
// pipelines inherit what ran before them; a function body what ran before
// the definition (a later assignment of a computed value is judged apart).
func dominated(stack []syntax.Node, name string, defines func(*syntax.Stmt, string) bool) bool {
	before := func(list []*syntax.Stmt, child syntax.Node) bool {
		for _, st := range list {
			if syntax.Node(st) == child {
				return false
			}
			if defines(st, name) {
				return true
			}
		}
		return false
	}
	in := func(list []*syntax.Stmt, child syntax.Node) bool {
		for _, st := range list {
			if syntax.Node(st) == child {
				return true
			}
		}
		return false
	}
	for i := len(stack) - 1; i > 0; i-- {
		child, parent := stack[i], stack[i-1]
		var hit bool
		switch p := parent.(type) {
		case *syntax.File:
			hit = before(p.Stmts, child)
		case *syntax.Block:
			hit = before(p.Stmts, child)
		case *syntax.Subshell:
			hit = before(p.Stmts, child)
		case *syntax.CmdSubst:
			hit = before(p.Stmts, child)
		case *syntax.ProcSubst:
			hit = before(p.Stmts, child)
		case *syntax.CaseItem:
			hit = before(p.Stmts, child)
		case *syntax.IfClause:
			switch {
			case in(p.Cond, child):
				hit = before(p.Cond, child)
			case in(p.Then, child):
				hit = before(p.Cond, nil) || before(p.Then, child)
			case child == syntax.Node(p.Else):
				hit = before(p.Cond, nil)
			}
		case *syntax.WhileClause:
			switch {
			case in(p.Cond, child):
				hit = before(p.Cond, child)
			case in(p.Do, child):
				hit = before(p.Cond, nil) || before(p.Do, child)
			}
		case *syntax.ForClause:
			if l, ok := p.Loop.(*syntax.CStyleLoop); ok && child == syntax.Node(l) && i+1 < len(stack) &&
				(stack[i+1] == syntax.Node(l.Cond) || stack[i+1] == syntax.Node(l.Post)) {
				hit = contains(arithAssigned(l.Init), name) // for (( i = 0; a[i]; … ))
			}
			if in(p.Do, child) {
				hit = before(p.Do, child)
				switch l := p.Loop.(type) {
				case *syntax.CStyleLoop:
					hit = hit || contains(arithAssigned(l.Init), name)
				case *syntax.WordIter:
					hit = hit || l.Name != nil && l.Name.Value == name
				}
			}
		case *syntax.BinaryCmd:
			if (p.Op == syntax.AndStmt || p.Op == syntax.OrStmt) && child == syntax.Node(p.Y) {
				hit = defines(p.X, name)
			}
		}
		if hit {
			return true
		}
	}
	return false
}

// stmtAssigns reports whether a statement, run in the current shell,
// always assigns name: NAME=… alone, a declaration, (( NAME = … )) or
// NAME++, let, or a { … } group holding one.
func stmtAssigns(st *syntax.Stmt, name string) bool {
	if st == nil || st.Background || st.Coprocess {
		return false
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			for _, as := range c.Assigns {
				if as.Name != nil && as.Name.Value == name && as.Index == nil {
					return true
				}
			}
		}
	case *syntax.DeclClause:
		for _, as := range c.Args {
			if as.Name != nil && as.Name.Value == name && as.Index == nil && (as.Value != nil || as.Array != nil) {
				return true
			}
		}
	case *syntax.ArithmCmd:
		return contains(arithAssigned(c.X), name)
	case *syntax.LetClause:
		for _, x := range c.Exprs {
			if contains(arithAssigned(x), name) {
				return true
			}
		}
	case *syntax.Block:
		for _, s := range c.Stmts {
			if stmtAssigns(s, name) {
				return true
			}
		}
	}
	return false
}

// arithAssigned lists the names an arithmetic expression always assigns
// (an integer): NAME = …, NAME op= …, NAME++, ++NAME, in a comma list or
// parentheses; not behind &&, || or ?:, which may skip them.
func arithAssigned(x syntax.ArithmExpr) []string {
	var out []string
	var walk func(x syntax.ArithmExpr)
	walk = func(x syntax.ArithmExpr) {
		switch x := x.(type) {
		case *syntax.BinaryArithm:
			switch x.Op {
			case syntax.Comma:
				walk(x.X)
				walk(x.Y)
			case syntax.Assgn, syntax.AddAssgn, syntax.SubAssgn, syntax.MulAssgn, syntax.QuoAssgn, syntax.RemAssgn,
				syntax.AndAssgn, syntax.OrAssgn, syntax.XorAssgn, syntax.ShlAssgn, syntax.ShrAssgn:
				if n := arithWordName(x.X); n != "" {
					out = append(out, n)
				}
				walk(x.Y)
			}
		case *syntax.UnaryArithm:
			if x.Op == syntax.Inc || x.Op == syntax.Dec {
				if n := arithWordName(x.X); n != "" {
					out = append(out, n)
				}
			}
		case *syntax.ParenArithm:
			walk(x.X)
		}
	}
	if x != nil {
		walk(x)
	}
	return out
}

// arithWordName is the variable an arithmetic operand names, or "".
func arithWordName(x syntax.ArithmExpr) string {
	w, ok := x.(*syntax.Word)
	if !ok || len(w.Parts) != 1 {
		return ""
	}
	if l, ok := w.Parts[0].(*syntax.Lit); ok && isName(l.Value) {
		return l.Value
	}
	return ""
}

// assocArray reports whether name is, where the walk stands, an
// associative array the line declared (declare -A, before it on every
// path): its subscripts are strings, not arithmetic.
//
// Only a declaration that surely makes one counts (review hook118 H1):
// declare or typeset (local fails outside a function, export has no -A),
// with options from -Agilrtux (-p only prints), of a name with a lower-case
// letter (bash's own arrays, PIPESTATUS, are indexed: the conversion
// fails), which the line assigns nowhere else as a whole (a=(1) first: the
// conversion fails), declares nowhere without -A (a local a in a function
// hides it) and never unsets.
func (a *analyzer) assocArray(name string) bool {
	if strings.ToUpper(name) == name || len(a.arithStack) == 0 || !a.onlyAssoc(a.arithStack[0], name) {
		return false
	}
	return dominated(a.arithStack, name, func(st *syntax.Stmt, name string) bool {
		d, ok := st.Cmd.(*syntax.DeclClause)
		if !ok || st.Background || st.Coprocess || st.Negated || len(st.Redirs) > 0 {
			// declare -A a </nonexistent: the redirection fails and
			// declare never runs (review hook119 H9).
			return false
		}
		return assocDecl(d, name)
	})
}

// assocDecl reports whether a declaration surely makes name an
// associative array (assocArray).
func assocDecl(d *syntax.DeclClause, name string) bool {
	if d.Variant.Value != "declare" && d.Variant.Value != "typeset" {
		return false
	}
	assoc, named := false, false
	for _, as := range d.Args {
		if as.Naked && as.Name == nil && as.Value != nil {
			o := printWord(as.Value)
			if !strings.HasPrefix(o, "-") || strings.Trim(o[1:], "Agilrtux") != "" {
				return false
			}
			assoc = assoc || strings.Contains(o, "A")
		}
		if as.Name != nil && as.Name.Value == name {
			named = true
		}
	}
	return assoc && named
}

// onlyAssoc reports whether the script declares name only as an
// associative array: no other declaration of it, no unset, and no
// assignment to it as a whole outside a declaration.
func (a *analyzer) onlyAssoc(root syntax.Node, name string) bool {
	ok := true
	syntax.Walk(root, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.DeclClause:
			for _, as := range n.Args {
				if as.Name != nil && as.Name.Value == name && !assocDecl(n, name) {
					ok = false
				}
			}
			return true
		case *syntax.CallExpr:
			for _, as := range n.Assigns {
				if as.Name != nil && as.Name.Value == name && as.Index == nil {
					ok = false
				}
			}
			if len(n.Args) > 0 && bareName(n.Args[0]) == "unset" {
				for _, w := range n.Args[1:] {
					if strings.Contains(printWord(w), name) {
						ok = false
					}
				}
			}
		}
		return ok
	})
	return ok
}

// assocUse reports whether a name with a subscript (m[key]) names an
// associative array (assocArray).
func (a *analyzer) assocUse(s string) bool {
	i := strings.IndexByte(s, '[')
	return i > 0 && isName(s[:i]) && a.assocArray(s[:i])
}

// arithValue reports whether a word is nothing but $(( … )) (or $[ … ],
// in double quotes or not): its value is a number.
func arithValue(w *syntax.Word) bool {
	_, ok := solePart(w).(*syntax.ArithmExp)
	return ok
}

// solePart returns a word's only part, looking inside double quotes
// ("$(…)" is $(…)), or nil when the word has more than one.
func solePart(w *syntax.Word) syntax.WordPart {
	if w == nil || len(w.Parts) != 1 {
		return nil
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok {
		if len(dq.Parts) != 1 {
			return nil
		}
		part = dq.Parts[0]
	}
	return part
}

// arithAssignOps are the arithmetic operators that assign their left side.
var arithAssignOps = map[syntax.BinAritOperator]bool{syntax.Assgn: true, syntax.AddAssgn: true, syntax.SubAssgn: true,
	syntax.MulAssgn: true, syntax.QuoAssgn: true, syntax.RemAssgn: true, syntax.AndAssgn: true, syntax.OrAssgn: true,
	syntax.XorAssgn: true, syntax.ShlAssgn: true, syntax.ShrAssgn: true}

// arithTarget is the variable an arithmetic assignment sets: NAME, or
// the array NAME[…] (IFS[0] is IFS), or "".
func arithTarget(x syntax.ArithmExpr) string {
	if n := arithWordName(x); n != "" {
		return n
	}
	if w, ok := x.(*syntax.Word); ok && len(w.Parts) == 1 {
		if pe, ok := w.Parts[0].(*syntax.ParamExp); ok && pe.Param != nil {
			return pe.Param.Value
		}
	}
	return ""
}

// arithSet records a variable an arithmetic assignment (((IFS=0)), let,
// $((…)), a subscript or an offset) or a {NAME}> redirection sets: a
// number the line computes. IFS, HOME, GIT_*, BASH_ENV and the other
// variables whose computed values the hook refuses are judged as for
// read NAME (review hook89 H1, H2: ((IFS=0)) splits at 0).
func (a *analyzer) arithSet(name string) {
	if name == "" {
		return
	}
	if a.sourced {
		// A function of a sourced file may assign it anything before it
		// is read again (review hook139 H2).
		a.setUnknown(name)
		return
	}
	a.forget(name)
	a.intVal[name] = true
}

// letCall judges `let` run as a command (command let, builtin let): the
// parser reads only a leading let as arithmetic, so each name its words
// hold may be one it assigns.
func (a *analyzer) letCall(c *syntax.CallExpr) {
	i := 0
	for i < len(c.Args) {
		switch printWord(c.Args[i]) {
		case "command", "builtin", "-p", "--":
			i++
			continue
		}
		break
	}
	if i >= len(c.Args) || printWord(c.Args[i]) != "let" {
		return
	}
	for _, w := range c.Args[i+1:] {
		t := a.word(w)
		if t.dyn {
			a.refuse("`let %s`: the expression is computed at run time and may assign any variable (IFS, HOME): spell it out", printWord(w))
			continue
		}
		for _, name := range arithNames(t.s) {
			a.arithSet(name)
		}
	}
}

// numbersRedefined reports whether the line defines a function or alias
// named after a program whose output substNumber takes for a number.
func (a *analyzer) numbersRedefined() bool {
	return a.redefined["date"] || a.redefined["nproc"] || a.redefined["id"] || a.redefined["wc"]
}

// arithWrites reports whether an arithmetic expression assigns anything
// (=, op=, ++, --), anywhere in it.
func arithWrites(x syntax.ArithmExpr) bool {
	writes := false
	syntax.Walk(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryArithm:
			writes = writes || arithAssignOps[n.Op]
		case *syntax.UnaryArithm:
			writes = writes || n.Op == syntax.Inc || n.Op == syntax.Dec
		}
		return !writes
	})
	return writes
}
