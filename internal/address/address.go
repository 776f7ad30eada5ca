// Package address parses and renders Terraform resource instance addresses,
// such as module.data["eu"].aws_db_instance.main[0].
//
// Parsing follows HCL traversal syntax, as Terraform itself does, and is
// strict: an address is accepted only in the canonical form Terraform prints
// in plans, so that an approval's target compares byte for byte with the
// address in a plan.
package address

import (
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Step is one module call or the resource itself, with an optional instance key.
type Step struct {
	// Name is the module call name, or for the last step the resource name.
	Name string
	// Key is the instance key: nil (none), a string (for_each) or an int64 (count).
	Key any
}

// Address is a parsed managed resource instance address.
type Address struct {
	// Module holds the module path, outermost first.
	Module []Step
	// Type is the resource type, e.g. aws_db_instance.
	Type string
	// Resource is the resource name and instance key.
	Resource Step
}

// maxLen bounds the input so that a hostile approval cannot make parsing costly.
const maxLen = 4096

// Parse parses a managed resource instance address. It refuses data sources,
// module-only addresses, and any address not written in canonical form.
func Parse(s string) (Address, error) {
	var a Address
	var steps []rawStep
	var err error
	if a.Module, steps, err = parseModules(s); err != nil {
		return a, err
	}
	if len(steps) == 0 {
		return a, fmt.Errorf("address %q names a module, not a resource instance", s)
	}
	if steps[0].name == "data" {
		return a, fmt.Errorf("address %q is a data source: only managed resources can be approved", s)
	}
	if len(steps) != 2 || steps[0].key != nil {
		return a, fmt.Errorf("address %q is not of the form [module.NAME[KEY].]...TYPE.NAME[KEY]", s)
	}
	a.Type = steps[0].name
	a.Resource = Step{Name: steps[1].name, Key: steps[1].key}
	if canon := a.String(); canon != s {
		return a, fmt.Errorf("address %q is not in canonical form: write %s, as Terraform prints it", s, canon)
	}
	return a, nil
}

// ParseAction parses the address of an action instance (Terraform 1.14+),
// [module.NAME[KEY].]...action.TYPE.NAME[KEY], in canonical form. The
// Address's Type is the action type and Resource the action's name and key;
// its String is without the "action." step (use ActionString).
func ParseAction(s string) (Address, error) {
	var a Address
	var steps []rawStep
	var err error
	if a.Module, steps, err = parseModules(s); err != nil {
		return a, err
	}
	if len(steps) != 3 || steps[0].name != "action" || steps[0].key != nil || steps[1].key != nil {
		return a, fmt.Errorf("address %q is not an action address of the form [module.NAME[KEY].]...action.TYPE.NAME[KEY]", s)
	}
	a.Type = steps[1].name
	a.Resource = Step{Name: steps[2].name, Key: steps[2].key}
	if canon := ActionString(a); canon != s {
		return a, fmt.Errorf("address %q is not in canonical form: write %s, as Terraform prints it", s, canon)
	}
	return a, nil
}

// ActionString renders an action address parsed by ParseAction.
func ActionString(a Address) string {
	if len(a.Module) == 0 {
		return "action." + a.String()
	}
	p := a.ModulePath()
	return p + ".action." + a.String()[len(p)+1:]
}

// parseModules checks s and splits it into its module steps and the rest.
func parseModules(s string) ([]Step, []rawStep, error) {
	if s == "" {
		return nil, nil, fmt.Errorf("address is empty")
	}
	if len(s) > maxLen {
		return nil, nil, fmt.Errorf("address is longer than %d bytes", maxLen)
	}
	if !utf8.ValidString(s) {
		return nil, nil, fmt.Errorf("address %q is not valid UTF-8", s)
	}
	trav, diags := hclsyntax.ParseTraversalAbs([]byte(s), "address", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("address %q is not a valid resource address: %s", s, firstDiag(diags))
	}
	steps, err := split(trav)
	if err != nil {
		return nil, nil, fmt.Errorf("address %q: %w", s, err)
	}
	var mods []Step
	for len(steps) > 0 && steps[0].name == "module" {
		if len(steps) < 2 || steps[0].key != nil || steps[1].name == "" {
			return nil, nil, fmt.Errorf("address %q: module step needs a name, as in module.NAME", s)
		}
		mods = append(mods, Step{Name: steps[1].name, Key: steps[1].key})
		steps = steps[2:]
	}
	return mods, steps, nil
}

type rawStep struct {
	name string
	key  any
}

// split turns a traversal into name steps, each with an optional key.
func split(trav hcl.Traversal) ([]rawStep, error) {
	var out []rawStep
	for i, t := range trav {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			out = append(out, rawStep{name: t.Name})
		case hcl.TraverseAttr:
			out = append(out, rawStep{name: t.Name})
		case hcl.TraverseIndex:
			if i == 0 || out[len(out)-1].key != nil {
				return nil, fmt.Errorf("unexpected index at step %d", i+1)
			}
			k, err := key(t.Key)
			if err != nil {
				return nil, err
			}
			out[len(out)-1].key = k
		default:
			return nil, fmt.Errorf("unsupported step %T", t)
		}
	}
	return out, nil
}

func key(v cty.Value) (any, error) {
	if v.IsNull() || !v.IsKnown() {
		return nil, fmt.Errorf("index key must be a string or a whole number")
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), nil
	case cty.Number:
		bf := v.AsBigFloat()
		if !bf.IsInt() {
			return nil, fmt.Errorf("index key %s is not a whole number", bf.String())
		}
		i, acc := bf.Int64()
		if acc != big.Exact || i < 0 {
			return nil, fmt.Errorf("index key %s is out of range", bf.String())
		}
		return i, nil
	}
	return nil, fmt.Errorf("index key must be a string or a whole number, not %s", v.Type().FriendlyName())
}

// String renders the address in Terraform's canonical form.
func (a Address) String() string {
	var b strings.Builder
	for _, m := range a.Module {
		b.WriteString("module.")
		writeStep(&b, m)
		b.WriteByte('.')
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	writeStep(&b, a.Resource)
	return b.String()
}

// ModulePath renders the module part, e.g. module.a.module.b[0], or "" at the root.
func (a Address) ModulePath() string {
	parts := make([]string, 0, len(a.Module))
	for _, m := range a.Module {
		var b strings.Builder
		b.WriteString("module.")
		writeStep(&b, m)
		parts = append(parts, b.String())
	}
	return strings.Join(parts, ".")
}

func writeStep(b *strings.Builder, s Step) {
	b.WriteString(s.Name)
	switch k := s.Key.(type) {
	case string:
		b.WriteByte('[')
		b.WriteString(Quote(k))
		b.WriteByte(']')
	case int64:
		fmt.Fprintf(b, "[%d]", k)
	}
}

// Quote renders s as an HCL quoted string the way Terraform renders string
// instance keys.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case (r == '$' || r == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		case !unicode.IsPrint(r):
			if r < 0x10000 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

func firstDiag(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Detail != "" {
				return d.Summary + ": " + d.Detail
			}
			return d.Summary
		}
	}
	return "invalid"
}
