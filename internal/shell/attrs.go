package shell

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Variable attributes the hook cannot follow. bash keeps a variable's
// attributes for the rest of the shell's life, whatever command set them:
//   - integer (declare -i): every later assignment to the name — a plain
//     one, read, printf -v, mapfile, getopts, a for loop, ${x:=…} —
//     evaluates the value as arithmetic, and an array subscript in it runs
//     its command substitutions (x='a[$(terraform destroy)]');
//   - nameref (declare -n): an assignment sets, and an expansion reads,
//     the variable the value names, subscript included, so the hook no
//     longer knows which variable a name is;
//   - inherit (local -I): a local variable takes the attributes above;
//   - readonly (readonly, declare -r): a later assignment fails and the
//     name keeps its earlier value, which the hook judged as the new one
//     (t=$(mktemp) after `readonly t`; an interactive shell the agent keeps
//     open goes on after the error).
//
// A line that sets one of them, in any spelling (declare, typeset, local,
// readonly, quoted, behind builtin or command, combined with other
// letters, computed), is refused: the attributes persist, so the hook
// would have to judge every later assignment as code.

// attrLetters are, for each declaration builtin, the option letters that
// set such an attribute.
var attrLetters = map[string]string{"declare": "inIr", "typeset": "inIr", "local": "inIr", "export": "", "readonly": "", "nameref": ""}

// declClause judges a declaration clause the parser recognised
// (declare/typeset/local/export/readonly/nameref spelled plainly).
func (a *analyzer) declClause(d *syntax.DeclClause) {
	name := "declare"
	if d.Variant != nil {
		name = d.Variant.Value
	}
	var words []tok
	for _, as := range d.Args {
		switch {
		case as.Naked && as.Name == nil && as.Value != nil:
			t := a.word(as.Value)
			t.src = printWord(as.Value)
			words = append(words, t)
		case as.Name != nil:
			words = append(words, tok{s: as.Name.Value})
			if as.Naked && as.Value == nil && as.Array == nil && (name == "local" || name == "declare" || name == "typeset") {
				// local d: in a function, d is a new, empty variable,
				// whatever the line assigned it before.
				if arithVars[as.Name.Value] {
					a.forget(as.Name.Value) // local OPTIND: no value to evaluate
				} else {
					a.setUnknown(as.Name.Value)
				}
			}
		}
	}
	a.declAttrs(name, words)
}

// declare judges the declaration builtins run as programs: quoted
// (\declare, 'typeset'), behind builtin or command, or reached through
// another wrapper. The parser reads these as plain commands, so their
// NAME=VALUE words are judged here as the clause's assignments are.
func (a *analyzer) declare(c call) kind {
	name := baseName(c.argv[0].s)
	a.declAttrs(name, c.argv[1:])
	for _, t := range c.argv[1:] {
		if (!t.dyn || name == "export") && !strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "+") {
			a.declared(t)
		}
	}
	return kindOther
}

// declAttrs refuses a declaration that sets an attribute the hook cannot
// follow, or whose words are computed (they may be such an option, or a
// name with an array subscript, which declare and local evaluate).
func (a *analyzer) declAttrs(name string, words []tok) {
	letters := attrLetters[name]
	line := name + " " + quoteArgs(words)
	if name == "nameref" {
		a.refuse("`%s` makes a name refer to another variable: the hook cannot tell which variable later assignments and expansions of it use", line)
		return
	}
	if name == "readonly" {
		for _, t := range words {
			if !strings.HasPrefix(t.s, "-") || t.dyn {
				a.refuse("`%s`: a readonly variable keeps its earlier value when the line assigns it again, which the hook would judge by the new one", line)
				return
			}
		}
	}
	for _, t := range words {
		switch {
		case t.dyn && letters != "":
			a.refuse("`%s`: the word %s is computed at run time; it may be an option that makes later assignments evaluate their values (-i, -n), or a name with an array subscript, which %s evaluates", line, srcOf(t), name)
			return
		case t.dyn:
			// export $X, readonly handled above: X may be NAME=VALUE.
			a.unknownEnv = true
		case strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s[1:], letters) && letters != "":
			a.refuse("`%s` sets an attribute (%s) that persists and makes every later assignment to the name evaluate its value as arithmetic or as another variable's name (running the command substitutions an array subscript holds), which the hook cannot follow: %s", line, t.s, attrHint)
			return
		}
	}
}

// attrHint is the way forward for a refused attribute.
const attrHint = "use plain variables, and $(( … )) over values the line spells out"
