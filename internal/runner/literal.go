package runner

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// literalValue is the value of an expression the agent wrote that a check
// before init reads as a literal (a tfvars value, a module's source, a
// terraform_remote_state's settings, a backend setting, a provider
// argument): tfsource.LiteralValue decides from the syntax, before
// evaluating anything, that it is one (a for expression over literal
// lists has no references, and evaluated to billions of elements in the
// runner's own process: review hook152 H1). The error says what is not a
// literal; literalReason gives it without the "must be a literal value"
// lead.
func literalValue(e hcl.Expression) (cty.Value, error) {
	v, err := tfsource.LiteralValue(e)
	if err == nil {
		return v, nil
	}
	var nl *tfsource.NotLiteralError
	if errors.As(err, &nl) && !nl.Limit {
		return cty.NilVal, &literalError{reason: nl.Kind + " are not evaluated by the runner"}
	}
	if errors.As(err, &nl) {
		return cty.NilVal, &literalError{reason: nl.Kind, limit: true}
	}
	return cty.NilVal, &literalError{reason: err.Error()}
}

// literalError is literalValue's error.
type literalError struct {
	reason string
	limit  bool
}

func (e *literalError) Error() string {
	if e.limit {
		return "is too large for the runner to read: " + e.reason
	}
	return "must be a literal value: " + e.reason
}

// literalReason is why literalValue refused an expression ("for
// expressions are not evaluated by the runner").
func literalReason(err error) string {
	var le *literalError
	if errors.As(err, &le) {
		return le.reason
	}
	return err.Error()
}

// objectKeys lists the keys, written as names or literal strings, of the
// object constructors anywhere in a native expression: a provider
// argument that is not a literal has no constant value whose keys the
// route check could read (routeSettings), so it reads these.
func objectKeys(e hcl.Expression) []string {
	se, ok := e.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var keys []string
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		oc, ok := n.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return nil
		}
		for _, item := range oc.Items {
			k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
			if !ok {
				continue
			}
			if kw := hcl.ExprAsKeyword(k.Wrapped); kw != "" && !k.ForceNonLiteral {
				keys = append(keys, kw)
				continue
			}
			if t, ok := k.Wrapped.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() {
				if v, err := literalValue(t); err == nil {
					if s, ok := tfsource.LiteralString(v); ok {
						keys = append(keys, s)
					}
				}
			}
		}
		return nil
	})
	return keys
}

// errLiteral formats a literalValue error after a setting's name:
// "config is not a literal value: for expressions are not evaluated by
// the runner".
func errLiteral(name string, err error) error {
	return fmt.Errorf("%s is not a literal value: %s", name, literalReason(err))
}
