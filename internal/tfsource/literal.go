package tfsource

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Evaluating an expression to see whether it is a literal is not a check:
// it is running the expression. A few kilobytes of nested for expressions
// over literal lists (no variable, so "no references" let them through)
// evaluate to billions of elements, and evaluation neither stops on a
// context nor is bounded in memory: the process that reads the file ends
// (review hook152 H1, M1). So a literal is decided from the syntax first,
// and only a literal is evaluated, without a context: literal values
// (strings, numbers, bools, null), templates of literal text (a heredoc
// included), lists and maps of literals (keys literal or bare names), in
// parentheses or under a unary operator (-1). Evaluating one of those
// takes time and memory in proportion to its source, with two exceptions
// bounded here: a number is a big float (1e100000000 is 12 bytes, and
// Terraform's JSON form and its string form write out every digit), and
// the elements of one value are counted.

// MaxLiteralElements bounds the elements (list items and object members,
// counted at every level) of one literal value.
const MaxLiteralElements = 1 << 16

// maxLiteralExp bounds the binary exponent of a literal number: 2^256 is
// about 1.2e77. Rendering a number as Terraform's JSON or a string writes
// out every digit (cty formats with 'f'), so 1e100000000 would be a
// hundred million digits; a number in a configuration is far below this.
const maxLiteralExp = 256

// NotLiteralError says why an expression is not a literal value: the
// kind of expression (plural: "for expressions") and where it is.
type NotLiteralError struct {
	Range hcl.Range
	// Kind is what the expression is, in the plural ("for expressions",
	// "function calls", "references (var.x)").
	Kind string
	// Limit is set when the expression is a literal too large to read
	// (Kind then says which bound).
	Limit bool
}

func (e *NotLiteralError) Error() string {
	if e.Limit {
		return fmt.Sprintf("is too large a literal value (%s): %s", e.Range, e.Kind)
	}
	return fmt.Sprintf("must be a literal value: %s are not evaluated (%s)", e.Kind, e.Range)
}

// LiteralValue evaluates e, without a context, when it is a literal value
// (see the comment at the top of this file); otherwise it returns a
// *NotLiteralError, having evaluated nothing. A JSON-syntax expression is
// evaluated (without a context its strings are not templates, so its
// value is its JSON) and then bounded the same way.
func LiteralValue(e hcl.Expression) (cty.Value, error) {
	if e == nil {
		return cty.NilVal, &NotLiteralError{Kind: "missing expressions"}
	}
	if se, ok := e.(hclsyntax.Expression); ok {
		n := 0
		if err := literalSyntax(se, 0, &n); err != nil {
			return cty.NilVal, err
		}
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, &NotLiteralError{Range: e.Range(), Kind: "expressions that do not evaluate without a context (" + diags.Error() + ")"}
	}
	if !v.IsWhollyKnown() {
		return cty.NilVal, &NotLiteralError{Range: e.Range(), Kind: "unknown values"}
	}
	n := 0
	if err := literalBounds(v, e.Range(), 0, &n); err != nil {
		return cty.NilVal, err
	}
	return v, nil
}

// literalSyntax refuses, without evaluating anything, a native expression
// that is not a literal value, or one nested deeper than nesting.Max or
// with more than MaxLiteralElements elements (counted in n).
func literalSyntax(e hclsyntax.Expression, depth int, n *int) error {
	if depth > nesting.Max {
		return &NotLiteralError{Range: e.Range(), Kind: fmt.Sprintf("values nested more than %d levels deep", nesting.Max), Limit: true}
	}
	refuse := func(kind string) error { return &NotLiteralError{Range: e.Range(), Kind: kind} }
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return literalNumber(x.Val, x.SrcRange)
	case *hclsyntax.TemplateExpr:
		// Only literal text: an interpolated literal number would be
		// written out digit by digit.
		for _, p := range x.Parts {
			lit, ok := p.(*hclsyntax.LiteralValueExpr)
			if !ok || lit.Val.Type() != cty.String {
				return refuse("template interpolations and directives (${…}, %{…})")
			}
		}
		return nil
	case *hclsyntax.TemplateWrapExpr:
		return literalSyntax(x.Wrapped, depth+1, n)
	case *hclsyntax.ParenthesesExpr:
		return literalSyntax(x.Expression, depth+1, n)
	case *hclsyntax.UnaryOpExpr:
		return literalSyntax(x.Val, depth+1, n)
	case *hclsyntax.TupleConsExpr:
		for _, item := range x.Exprs {
			if err := count(n, e.Range()); err != nil {
				return err
			}
			if err := literalSyntax(item, depth+1, n); err != nil {
				return err
			}
		}
		return nil
	case *hclsyntax.ObjectConsExpr:
		for _, item := range x.Items {
			if err := count(n, e.Range()); err != nil {
				return err
			}
			k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
			if !ok {
				return refuse("object keys that are not literal")
			}
			bare := !k.ForceNonLiteral && hcl.ExprAsKeyword(k.Wrapped) != ""
			if !bare {
				if err := literalSyntax(k.Wrapped, depth+1, n); err != nil {
					return err
				}
			}
			if err := literalSyntax(item.ValueExpr, depth+1, n); err != nil {
				return err
			}
		}
		return nil
	case *hclsyntax.ForExpr:
		return refuse("for expressions")
	case *hclsyntax.TemplateJoinExpr:
		return refuse("template directives (%{for …})")
	case *hclsyntax.FunctionCallExpr:
		return refuse("function calls")
	case *hclsyntax.ConditionalExpr:
		return refuse("conditional expressions")
	case *hclsyntax.BinaryOpExpr:
		return refuse("operators")
	case *hclsyntax.SplatExpr, *hclsyntax.AnonSymbolExpr:
		return refuse("splat expressions")
	case *hclsyntax.IndexExpr, *hclsyntax.RelativeTraversalExpr:
		return refuse("index and attribute expressions")
	case *hclsyntax.ScopeTraversalExpr:
		return refuse("references (" + traversalString(x.Traversal) + ")")
	case *hclsyntax.ObjectConsKeyExpr:
		// A key alone (hcl.ExprMap's): a bare name is its own text.
		if !x.ForceNonLiteral && hcl.ExprAsKeyword(x.Wrapped) != "" {
			return nil
		}
		return literalSyntax(x.Wrapped, depth+1, n)
	}
	return refuse(fmt.Sprintf("expressions of this kind (%T)", e))
}

func count(n *int, r hcl.Range) error {
	if *n++; *n > MaxLiteralElements {
		return &NotLiteralError{Range: r, Kind: fmt.Sprintf("more than %d elements", MaxLiteralElements), Limit: true}
	}
	return nil
}

// literalNumber refuses a number beyond ±2^256 or, unless zero, nearer
// zero than 2^-256.
func literalNumber(v cty.Value, r hcl.Range) error {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return nil
	}
	f := v.AsBigFloat()
	if f.IsInf() {
		return &NotLiteralError{Range: r, Kind: "an infinite number", Limit: true}
	}
	if f.Sign() == 0 {
		return nil
	}
	if exp := f.MantExp(nil); exp > maxLiteralExp || exp < -maxLiteralExp {
		return &NotLiteralError{Range: r, Kind: "a number beyond ±1e77 or nearer zero than 1e-77", Limit: true}
	}
	return nil
}

// literalBounds checks an evaluated value (of a JSON expression, or again
// of a native one): its numbers, its depth and its elements.
func literalBounds(v cty.Value, r hcl.Range, depth int, n *int) error {
	if depth > nesting.Max {
		return &NotLiteralError{Range: r, Kind: fmt.Sprintf("values nested more than %d levels deep", nesting.Max), Limit: true}
	}
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.Number:
		return literalNumber(v, r)
	case t.IsTupleType() || t.IsListType() || t.IsSetType() || t.IsObjectType() || t.IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			if err := count(n, r); err != nil {
				return err
			}
			_, ev := it.Element()
			if err := literalBounds(ev, r, depth+1, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// traversalString renders a reference: var.x, local.y[…].
func traversalString(tr hcl.Traversal) string {
	s := ""
	for _, step := range tr {
		switch t := step.(type) {
		case hcl.TraverseRoot:
			s += t.Name
		case hcl.TraverseAttr:
			s += "." + t.Name
		default:
			s += "[…]"
		}
	}
	return s
}
