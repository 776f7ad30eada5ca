package shell

import (
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Code that runs again or later. The hook walks a line once, in order, and
// knows a variable's value from the assignments before the use. A loop's
// body runs again after its own later assignments (`p=echo; for i in 1 2;
// do $p destroy; p=terraform; done` runs terraform destroy the second
// time), a function's body runs after whatever the line assigns before the
// call, and a trap's code at exit. Code in those places judged with a
// variable's static value is refused when the line gives that variable
// any other value too.

// deferredSpans are the loops and function definitions of a script.
func deferredSpans(f *syntax.File) [][2]syntax.Pos {
	var spans [][2]syntax.Pos
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.ForClause, *syntax.WhileClause, *syntax.FuncDecl:
			spans = append(spans, [2]syntax.Pos{n.Pos(), n.End()})
		}
		return true
	})
	return spans
}

func inSpans(spans [][2]syntax.Pos, p syntax.Pos) bool {
	for _, s := range spans {
		if p.Offset() >= s[0].Offset() && p.Offset() < s[1].Offset() {
			return true
		}
	}
	return false
}

// usedStatic records that deferred code was judged with name's static
// value.
func (a *analyzer) usedStatic(name string) {
	if !a.deferred {
		return
	}
	if a.deferredUses == nil {
		a.deferredUses = map[string]string{}
	}
	if _, ok := a.deferredUses[name]; !ok {
		a.deferredUses[name] = a.vars[name]
	}
}

// usedNumber records that deferred code read name as a number the line
// computes.
func (a *analyzer) usedNumber(name string) {
	if !a.deferred {
		return
	}
	if a.deferredNums == nil {
		a.deferredNums = map[string]bool{}
	}
	a.deferredNums[name] = true
}

// setInLine reports whether the line may set name anywhere: its text
// names it other than as an expansion ($name, ${name}), as an assignment,
// a read or printf -v target, a loop variable, a declaration. Deferred
// code (a function body, a loop, a trap) that reads such a name before
// the walk reaches the assignment runs with the value the line gives it
// (f() { $X; }; X=…; f: found fixing review hook81 H1; review hook83 H1,
// hook85 H1), so it is read as computed by the line there.
func (a *analyzer) setInLine(name string) bool {
	if a.lineNames == nil {
		a.lineNames = map[string]bool{}
		for _, m := range lineNameRe.FindAllStringSubmatchIndex(a.line, -1) {
			if i := m[2]; i > 0 && strings.ContainsRune("${!#", rune(a.line[i-1])) {
				continue // an expansion, not a name being set
			}
			a.lineNames[a.line[m[2]:m[3]]] = true
		}
	}
	return a.lineNames[name]
}

var lineNameRe = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)`)

// readUnset records that deferred code read name as the environment's.
func (a *analyzer) readUnset(name string) {
	if !a.deferred || !isName(name) || bashSets[name] {
		return
	}
	if a.deferredUnset == nil {
		a.deferredUnset = map[string]bool{}
	}
	a.deferredUnset[name] = true
}

// notePrefix records a prefix assignment (NAME=VALUE cmd) that gives NAME
// another value than the line's static one: a function called so runs
// its body with it (review hook39 H5).
func (a *analyzer) notePrefix(as *syntax.Assign) {
	name := as.Name.Value
	if as.Value != nil && as.Array == nil && as.Index == nil && !as.Append {
		if t := a.word(as.Value); !t.dyn {
			if v, ok := a.vars[name]; ok && v == t.s {
				return
			}
		}
	}
	if a.prefixSet == nil {
		a.prefixSet = map[string]bool{}
	}
	a.prefixSet[name] = true
}

// finishDeferred refuses deferred code judged with a value the variable
// does not keep: the line assigns it another value, or one computed at run
// time, anywhere (a.unknown holds every such name by the end of the walk).
func (a *analyzer) finishDeferred() {
	names := make([]string, 0, len(a.deferredUses))
	for n, v := range a.deferredUses {
		// i=0; while [ $i -lt 3 ]; do …; i=$((i+1)); done: a number
		// judged where the line gives the variable only numbers after.
		if a.prefixSet[n] || a.unknown[n] && !(isNumber(v) && a.numberVar(n)) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		a.refuse("`$%s` is used in a loop, a function or a trap, which may run after the line gives `%s` another value (the hook judged it as %q): bash runs that code again, or later, with the new value; use a separate variable for each value", n, n, a.deferredUses[n])
	}
	// A name the text does not spell whole (declare X""Y=…, printf -v
	// "${n}Y") that the walk found set after deferred code read it
	// (review hook87 H1).
	var unset []string
	for n := range a.deferredUnset {
		if _, set := a.vars[n]; set || a.unknown[n] || a.tainted[n] || a.prefixSet[n] || a.unknownEnv {
			unset = append(unset, n)
		}
	}
	sort.Strings(unset)
	for _, n := range unset {
		a.refuse("`$%s` is used in a loop, a function or a trap before the line sets `%s` (with a name it does not spell whole): bash runs that code with the value the line gives it; set it before the code, spelled out", n, n)
	}
	var nums []string
	for n := range a.deferredNums {
		if !a.numberVar(n) || a.prefixSet[n] {
			nums = append(nums, n)
		}
	}
	sort.Strings(nums)
	for _, n := range nums {
		a.refuse("`$%s` is used in a loop, a function or a trap as a number, and the line also gives `%s` a value that is not one: bash runs that code again, or later, with it; use a separate variable for each value", n, n)
	}
}
