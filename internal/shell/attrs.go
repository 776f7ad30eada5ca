package shell

import (
	"fmt"
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
// The case attributes (-l, -u, -c) change every value later stored in the
// name, which the hook keeps as written (review hook51 H1: declare -l
// o=-C; bash $o … runs bash -c).
var attrLetters = map[string]string{"declare": "inIrluc", "typeset": "inIrluc", "local": "inIrluc", "export": "", "readonly": "", "nameref": ""}

// declClause judges a declaration clause the parser recognised
// (declare/typeset/local/export/readonly/nameref spelled plainly).
func (a *analyzer) declClause(d *syntax.DeclClause) {
	name := "declare"
	if d.Variant != nil {
		name = d.Variant.Value
	}
	var words []tok
	arr := false
	for _, as := range d.Args {
		if as.Naked && as.Name == nil && as.Value != nil {
			if t := a.word(as.Value); !t.dyn && strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s, "aA") {
				arr = true
			}
		}
	}
	for _, as := range d.Args {
		if as.Name != nil && as.Array != nil {
			a.markArray(as.Name.Value)
		}
		if as.Naked && as.Name == nil && as.Value != nil {
			// declare -a x=\(…\): the parser reads an escaped word as a plain one.
			t := a.word(as.Value)
			if k, v, ok := strings.Cut(t.s, "="); ok && isName(strings.TrimSuffix(k, "+")) {
				a.arrayValue(name, strings.TrimSuffix(k, "+"), tok{s: v, dyn: t.dyn, kind: t.kind}, arr)
			}
			a.declSubscript(name, t)
		}
		if as.Name != nil && as.Value != nil && as.Array == nil {
			a.arrayValue(name, as.Name.Value, a.word(as.Value), arr)
		} else if as.Name != nil && arr {
			a.markArray(as.Name.Value)
		}
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
	arr := false
	for _, t := range c.argv[1:] {
		if strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s, "aA") {
			arr = true
		}
	}
	for _, t := range c.argv[1:] {
		if strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+") {
			continue
		}
		a.declSubscript(name, t)
		if k, v, ok := strings.Cut(t.s, "="); ok && isName(strings.TrimSuffix(k, "+")) {
			a.arrayValue(name, strings.TrimSuffix(k, "+"), tok{s: v, dyn: t.dyn, kind: t.kind}, arr)
		} else if !t.dyn && isName(t.s) && arr {
			a.markArray(t.s)
		}
	}
	for _, t := range c.argv[1:] {
		if (!t.dyn || name == "export") && !strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "+") {
			a.declared(t)
		}
	}
	return kindOther
}

// declSubscript refuses a declaration word NAME[SUBSCRIPT]… whose
// subscript is more than digits and names: declare, typeset and local
// evaluate it as arithmetic, running the command substitutions it holds,
// also when the word was quoted (review hook51 H4: declare 'a[$(…)]=1').
func (a *analyzer) declSubscript(builtin string, t tok) {
	i := strings.IndexByte(t.s, '[')
	if i <= 0 || !isName(t.s[:i]) {
		return
	}
	// The subscript ends at the matching ], not at the first = ('a[x=$(…)]=1',
	// 'a[IFS=0]=1': review hook91 H1–H3).
	sub, depth := t.s[i+1:], 0
	for j := i; j < len(t.s); j++ {
		if t.s[j] == '[' {
			depth++
		} else if t.s[j] == ']' {
			if depth--; depth == 0 {
				sub = t.s[i+1 : j]
				break
			}
		}
	}
	if t.dyn || strings.Trim(sub, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" {
		a.refuse("`%s %s`: %s evaluates the array subscript in the word as arithmetic, running the command substitutions it holds: write the subscript as a number", builtin, srcOf(t), builtin)
		return
	}
	if isName(sub) && a.unknown[sub] {
		// typeset 'd[y]=1': y's value is evaluated too (review hook79 H3).
		a.refuse("`%s %s`: %s's value is computed at run time, and %s evaluates the subscript as arithmetic, running the command substitutions a value like a[$(…)] holds", builtin, srcOf(t), sub, builtin)
	}
}

// markArray records a name the line makes an array. A declaration of the
// name judged before with a value bash would parse as an array assignment
// is refused now: a loop or a function may run it after this (review
// hook147: for … do declare x="$(…)"; x[1]=a; done).
func (a *analyzer) markArray(name string) {
	if a.arrays == nil {
		a.arrays = map[string]bool{}
	}
	if why, ok := a.scalarDecls[name]; ok && !a.arrays[name] {
		a.refuse("%s; the line also makes %s an array, which a loop or a function may do before the declaration runs", why, name)
	}
	a.arrays[name] = true
}

// bashArrays are the variables bash itself makes arrays (bash 5.2's
// manual): a declaration of one of them with a value that starts with (
// is an array assignment, whatever the line did before (review hook147
// H1: declare DIRSTACK="$(…)"). BASH_ALIASES and BASH_CMDS are
// associative; PIPESTATUS, BASH_REMATCH, MAPFILE and COPROC are made as
// the line runs, the BASH_ARG* and FUNCNAME ones in functions or with
// extdebug, COMP_WORDS and COMPREPLY for completion.
var bashArrays = map[string]bool{"BASH_ALIASES": true, "BASH_ARGC": true, "BASH_ARGV": true, "BASH_CMDS": true,
	"BASH_LINENO": true, "BASH_REMATCH": true, "BASH_SOURCE": true, "BASH_VERSINFO": true, "COMP_WORDS": true,
	"COMPREPLY": true, "COPROC": true, "DIRSTACK": true, "FUNCNAME": true, "GROUPS": true, "MAPFILE": true,
	"PIPESTATUS": true}

// isArray reports whether a name may be an array when a declaration of
// it runs: bash's own, or one the line makes an array before.
func (a *analyzer) isArray(name string) bool {
	return bashArrays[name] || a.arrays[name]
}

// arrayValue judges NAME=VALUE in a declaration (declare, typeset, local,
// export, readonly): with -a/-A, or for a name already an array, bash
// parses a value that starts with "(" — quoted, escaped or computed — as
// a compound assignment and expands its contents again, running the
// command substitutions and backquotes it holds (review hook34 F1:
// declare -a x='($(terraform destroy))'). A literal list is fine.
func (a *analyzer) arrayValue(builtin, name string, val tok, arr bool) {
	if val.dyn && val.w != nil {
		val.s = quotedPrefix(val.w) // "a$(…)" starts with a
	}
	s := strings.TrimLeft(unescape(val.s), " \t\n")
	if arr {
		a.markArray(name)
	}
	switch {
	case strings.HasPrefix(s, "(") && !strings.ContainsAny(s, "$`") && (arr || a.isArray(name)):
		// declare -a o='(-c)': o is the array (-c), not the text the hook
		// keeps (review hook51 H3).
		a.refuse("`%s %s=%s`: bash parses a quoted or escaped value that starts with ( as an array assignment, whose elements the hook does not read: %s", builtin, name, val, arrayHint)
	case strings.HasPrefix(s, "(") && strings.ContainsAny(s, "$`"):
		a.refuse("`%s %s=%s`: bash parses a value that starts with ( as an array assignment and expands it again, running the command substitutions and backquotes it holds: %s", builtin, name, val, arrayHint)
	case promptVars[name] && strings.HasPrefix(s, "(") && (arr || a.isArray(name)):
		a.refuse("`%s %s=%s`: bash parses the value as an array assignment, and the shell runs what a prompt variable's elements hold", builtin, name, val)
	case val.dyn && (s == "" || strings.HasPrefix(s, "(")) && (arr || a.isArray(name)):
		a.refuse("`%s %s=%s`: the value of an array declaration is computed at run time, and bash parses one that starts with ( as an array assignment and expands it again, running the command substitutions it holds: %s", builtin, name, srcOf(val), arrayHint)
	case val.dyn && s == "" || strings.HasPrefix(s, "("):
		// Not an array yet: refused if the line makes it one (markArray).
		if a.scalarDecls == nil {
			a.scalarDecls = map[string]string{}
		}
		if _, ok := a.scalarDecls[name]; !ok {
			a.scalarDecls[name] = fmt.Sprintf("`%s %s=%s`: bash parses the value of an array's declaration that starts with ( (computed at run time, or quoted) as an array assignment and expands it again, running the command substitutions it holds: %s", builtin, name, srcOf(val), arrayHint)
		}
	}
}

// unescape drops the backslashes of an unquoted word's text (the hook
// keeps them in an assignment's value): x=\(\$\(…\)\) is ($(…)).
func unescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// arrayHint is the way forward for a refused array declaration value.
const arrayHint = "declare the array with a literal list (declare -a x=(a b c)), or fill it with mapfile/read -a"

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
			a.refuse("`%s` sets an attribute (%s) that persists and makes every later assignment to the name evaluate its value as arithmetic or as another variable's name (running the command substitutions an array subscript holds), or change its case, which the hook cannot follow: %s", line, t.s, attrHint)
			return
		}
	}
}

// attrHint is the way forward for a refused attribute.
const attrHint = "use plain variables, and $(( … )) over values the line spells out"
