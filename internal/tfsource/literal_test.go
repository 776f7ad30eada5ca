package tfsource

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// forBomb is review hook152's expression: depth nested for expressions
// over a literal list of n numbers (n^depth elements from a few kilobytes);
// with cond, the innermost keeps none (if false), so that evaluating it
// takes n^depth steps of CPU but little memory.
func forBomb(n, depth int, cond bool) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	e := "1"
	for d := 0; d < depth; d++ {
		if d == 0 && cond {
			e = fmt.Sprintf("[for v%d in %s: %s if false]", d, list, e)
		} else {
			e = fmt.Sprintf("[for v%d in %s: %s]", d, list, e)
		}
	}
	return e
}

// literalWithin runs LiteralValue on a native expression in a goroutine and
// fails the test when it takes longer than d: evaluating one of the bombs
// would take hours (it is not stopped: it is refused or the test fails).
func literalWithin(t *testing.T, src string, d time.Duration) (cty.Value, error) {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(src), "x.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	type result struct {
		v   cty.Value
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := LiteralValue(e)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(d):
		t.Fatalf("LiteralValue did not return within %s: it evaluates what it should refuse", d)
	}
	return cty.NilVal, nil
}

// TestLiteralValueRefusesBeforeEvaluating (review hook152 H1, M1): a
// for expression has no references, and was evaluated to see that it is
// a literal: 300^4 elements from 4.4 KB. It is refused from its syntax.
func TestLiteralValueRefusesBeforeEvaluating(t *testing.T) {
	for _, src := range []string{
		forBomb(300, 4, true),
		forBomb(300, 4, false),
		"{ x = " + forBomb(300, 4, true) + " }",
		"\"%{for a in " + forBomb(300, 1, false) + "}%{for b in " + forBomb(300, 1, false) + "}%{for c in " + forBomb(300, 1, false) + "}%{for d in " + forBomb(300, 1, false) + "}x%{endfor}%{endfor}%{endfor}%{endfor}\"",
	} {
		start := time.Now()
		_, err := literalWithin(t, src, 10*time.Second)
		var nl *NotLiteralError
		if !errors.As(err, &nl) || nl.Limit {
			t.Fatalf("%.60s…: %v, want a NotLiteralError", src, err)
		}
		if !strings.Contains(err.Error(), "must be a literal value: ") || !strings.Contains(err.Error(), "are not evaluated") {
			t.Errorf("message: %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.60s…: refused after %s", src, d)
		}
	}
}

func TestLiteralValue(t *testing.T) {
	many := "[" + strings.Repeat("1,", MaxLiteralElements) + "1]"
	for _, tc := range []struct {
		src  string
		want string // "" = a literal; else a substring of the error
	}{
		{src: `"eu-west-1"`},
		{src: `3`},
		{src: `-3.5`},
		{src: `1e77`},
		{src: `-1e-70`},
		{src: `0`},
		{src: `true`},
		{src: `null`},
		{src: `!false`},
		{src: `(("x"))`},
		{src: `"a$${b}%%{c}"`},
		{src: "<<EOT\nline one\n  line two\nEOT\n"},
		{src: "<<-EOT\n    indented\n    EOT\n"},
		{src: `["a", 1, [true, null], { k = "v" }]`},
		{src: `{ a = 1, "b-c" = [2], 3 = "x", ("d") = -1 }`},
		{src: `"${1}"`},
		{src: "[" + strings.Repeat("1,", MaxLiteralElements-1) + "1]"},

		{src: `var.x`, want: "references (var.x) are not evaluated"},
		{src: `local.a[0].b`, want: "references (local.a[…].b)"},
		{src: `upper("x")`, want: "function calls"},
		{src: `true ? "a" : "b"`, want: "conditional expressions"},
		{src: `1 + 1`, want: "operators"},
		{src: `-(1 + 1)`, want: "operators"},
		{src: `[1, 2][*]`, want: "splat expressions"},
		{src: `[1, 2][0]`, want: "index and attribute expressions"},
		{src: `{a = 1}.a`, want: "index and attribute expressions"},
		{src: `[for x in [1] : x]`, want: "for expressions"},
		{src: `{for x in ["a"] : x => x}`, want: "for expressions"},
		{src: `"a${"b"}"`, want: "template interpolations"},
		{src: `"a${1e9}"`, want: "template interpolations"},
		{src: `"%{if true}a%{endif}"`, want: "template interpolations and directives"},
		{src: `{ (var.k) = 1 }`, want: "references (var.k)"},
		{src: `{ k = [for x in [1] : x] }`, want: "for expressions"},
		{src: `1e78`, want: "beyond ±1e77"},
		{src: `1e100000000`, want: "beyond ±1e77"},
		{src: `1e-78`, want: "nearer zero than 1e-77"},
		{src: many, want: fmt.Sprintf("more than %d elements", MaxLiteralElements)},
		{src: strings.Repeat("[", 600) + strings.Repeat("]", 600), want: "nested more than 512 levels"},
	} {
		v, err := literalWithin(t, tc.src, 10*time.Second)
		name := tc.src
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", name, err)
		case tc.want == "" && !v.IsWhollyKnown():
			t.Errorf("%s: not known: %#v", name, v)
		case tc.want != "" && err == nil:
			t.Errorf("%s: allowed (%#v), want %q", name, v, tc.want)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// TestLiteralValueJSON: a JSON expression is evaluated without a context
// (its strings are not templates, so its cost is its size) and bounded as
// a native one.
func TestLiteralValueJSON(t *testing.T) {
	many := "[" + strings.Repeat("1,", MaxLiteralElements) + "1]"
	for _, tc := range []struct {
		src  string
		want string
	}{
		{src: `{"a": "${[for x in [1,2,3] : x]}", "b": [1, -2.5, {"c": null}]}`},
		{src: `{"a": 1e78}`, want: "beyond ±1e77"},
		{src: `{"a": ` + many + `}`, want: "more than"},
	} {
		f, diags := hcljson.Parse([]byte(tc.src), "x.tf.json")
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		attrs, diags := f.Body.JustAttributes()
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		var err error
		for _, a := range attrs {
			if _, e := LiteralValue(a.Expr); e != nil {
				err = e
			}
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%.40s: refused: %v", tc.src, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%.40s: %v, want %q", tc.src, err, tc.want)
		}
	}
}
