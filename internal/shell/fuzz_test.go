package shell

import (
	"reflect"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// FuzzAnalyze: for any command line, Analyze never panics, refuses what
// does not parse, and judges the line the same when it is wrapped in a
// subshell, in `bash -c`, or (a single simple command) behind `env`.
func FuzzAnalyze(f *testing.F) {
	for _, c := range spellings {
		f.Add(c.cmd)
	}
	for _, c := range h31Refused {
		f.Add(c.cmd)
	}
	for _, c := range hook31bSeeds {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		if len(cmd) > 4096 {
			return
		}
		r := Analyze(cmd, testOpts)
		file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(cmd), "")
		if err != nil {
			if r.Allowed() {
				t.Fatalf("%q does not parse (%v) but was allowed", cmd, err)
			}
			return
		}
		if len(file.Stmts) == 0 || strings.HasSuffix(strings.TrimSuffix(cmd, "\r"), "\\") {
			return // nothing runs, or a trailing backslash would join the wrapper's next line
		}
		same := func(how, wrapped string) {
			w := Analyze(wrapped, testOpts)
			if r.Allowed() && !w.Allowed() && how == "in bash -c" {
				if text, _ := unrolled(cmd, syntax.LangBash, false); text != "" {
					return // a loop unrolled in the line, not in a script inside it (unroll.go)
				}
			}
			// The applies matter only when the line is allowed: the hook
			// then runs the gate on each; a refused line runs nothing.
			if w.Allowed() != r.Allowed() || r.Allowed() && !reflect.DeepEqual(w.Applies, r.Applies) {
				t.Fatalf("%q: %s\n  plain:   allowed=%v applies=%v refused=%q\n  wrapped: allowed=%v applies=%v refused=%q\n  (%q)",
					cmd, how, r.Allowed(), r.Applies, r.Refused, w.Allowed(), w.Applies, w.Refused, wrapped)
			}
		}
		same("in a subshell", "(\n"+cmd+"\n)")
		if q, err := syntax.Quote(cmd, syntax.LangBash); err == nil {
			same("in bash -c", "bash -c -- "+q)
		}
		if len(file.Stmts) == 1 {
			st := file.Stmts[0]
			// env reads a leading NAME=VALUE or -option itself: only
			// commands whose first word is neither mean the same behind it.
			if c, ok := st.Cmd.(*syntax.CallExpr); ok && len(c.Args) > 0 && len(c.Assigns) == 0 && !st.Background && !st.Coprocess && !st.Negated && len(st.Redirs) == 0 &&
				!strings.ContainsAny(c.Args[0].Lit(), "=-") && c.Args[0].Lit() != "" {
				same("behind env", "env "+cmd)
			}
		}
	})
}
