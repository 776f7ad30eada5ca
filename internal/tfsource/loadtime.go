package tfsource

// What Terraform and OpenTofu evaluate when they load a configuration,
// before any plan or apply: `init` and `show` read it too, so in
// planguard's room (a saved plan's configuration snapshot, shown and
// applied with the job's credentials around) it runs before the gate has
// decided anything. Terraform evaluates these settings without variables
// or functions; OpenTofu (1.8+) evaluates variables, locals and every
// built-in function in them ("early evaluation"): a module source written
// as "./${local.k}" with local.k = file("/proc/self/environ") reads the
// job's environment at init and prints it in the error. So every such
// setting must be a literal, which planguard can judge and nothing
// evaluates:
//
//   - a module call's source and version;
//   - a provider block's for_each (OpenTofu 1.9+): a literal, or in the
//     root module a reference to a root variable (its value is the plan's);
//   - a terraform block's required_version, and every setting of its
//     backend, cloud and provider_meta blocks; experiments are refused
//     unless the list is empty (release builds refuse them as well);
//   - a child module's variable declared const (OpenTofu 1.12+): its value
//     is the module call's argument, evaluated when the configuration loads.
//
// Which other blocks a terraform block may hold is TerraformBlockSchema.

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// LoadTimeError is a setting that Terraform or OpenTofu evaluate when
// they load the configuration and that is not a literal (or is refused
// outright). Its message names the file, the line and the fix.
type LoadTimeError struct {
	// Range is where the setting is.
	Range hcl.Range
	// What names the setting ("module \"net\" source").
	What string
	// Why says what is wrong with it, and Fix what to write instead.
	Why, Fix string
}

func (e *LoadTimeError) Error() string {
	return fmt.Sprintf("%s: %s %s; %s", e.Range.String(), e.What, e.Why, e.Fix)
}

// earlyEval is why a setting must be a literal.
const earlyEval = "OpenTofu evaluates variables, locals and functions (file(\"/proc/self/environ\") among them) there when it loads the configuration, in init and show, before planguard has decided anything and with the job's credentials around"

var (
	loadTimeSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
	}}
	moduleLoadSchema   = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}, {Name: "version"}}}
	providerLoadSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "for_each"}}}
	variableLoadSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "const"}}}
)

// CheckLoadTime refuses, in f, a setting that Terraform or OpenTofu
// evaluate when they load the configuration and that is not a literal
// (see the file comment); root says f belongs to the root module. An
// error is a *FileError wrapping a *LoadTimeError, or a *FileError saying
// why f cannot be read so.
func CheckLoadTime(f *File, root bool) error {
	if f == nil || f.HCL == nil {
		return &FileError{Path: "", Err: fmt.Errorf("no configuration file to read")}
	}
	fail := func(err error) error { return &FileError{Path: f.Path, Err: err} }
	content, _, diags := f.HCL.Body.PartialContent(loadTimeSchema)
	if diags.HasErrors() {
		return fail(fmt.Errorf("read %s: %s", f.Path, diags.Error()))
	}
	for _, b := range content.Blocks {
		var err error
		switch b.Type {
		case "terraform":
			err = checkTerraformLoad(b)
		case "module":
			err = checkModuleLoad(b)
		case "provider":
			err = checkProviderLoad(b, root)
		case "variable":
			if !root {
				err = checkVariableLoad(b)
			}
		}
		if err != nil {
			return fail(err)
		}
	}
	return nil
}

// checkModuleLoad: a module call's source (required) and version are
// literal strings.
func checkModuleLoad(b *hcl.Block) error {
	name := fmt.Sprintf("module %q", b.Labels[0])
	c, _, diags := b.Body.PartialContent(moduleLoadSchema)
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", b.DefRange, diags.Error())
	}
	src, ok := c.Attributes["source"]
	if !ok {
		return &LoadTimeError{Range: b.DefRange, What: name, Why: "has no source", Fix: "give it a source"}
	}
	for _, a := range []*hcl.Attribute{src, c.Attributes["version"]} {
		if a == nil {
			continue
		}
		if _, ok := literalString(a.Expr); !ok {
			return &LoadTimeError{Range: a.Range, What: name + " " + a.Name, Why: "is not a literal string: " + earlyEval,
				Fix: "write the " + a.Name + " as one literal string (\"./modules/net\", \"1.2.0\"), with no variable, local, function or template"}
		}
	}
	return nil
}

// checkProviderLoad: a provider block's for_each is a literal, or, in the
// root module, refers only to root variables.
func checkProviderLoad(b *hcl.Block, root bool) error {
	c, _, diags := b.Body.PartialContent(providerLoadSchema)
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", b.DefRange, diags.Error())
	}
	a, ok := c.Attributes["for_each"]
	if !ok || Literal(a.Expr, root) {
		return nil
	}
	fix := "write the for_each as a literal map or set of strings"
	if root {
		fix += ", or refer to a root module variable (var.regions) with no local, function or other reference"
	}
	return &LoadTimeError{Range: a.Range, What: fmt.Sprintf("provider %q for_each", b.Labels[0]), Why: "is not a literal: " + earlyEval, Fix: fix}
}

// checkVariableLoad: a child module's variable is not const.
func checkVariableLoad(b *hcl.Block) error {
	c, _, diags := b.Body.PartialContent(variableLoadSchema)
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", b.DefRange, diags.Error())
	}
	a, ok := c.Attributes["const"]
	if !ok {
		return nil
	}
	if v, ok := literalValue(a.Expr); ok && v.Type() == cty.Bool && v.False() {
		return nil
	}
	return &LoadTimeError{Range: a.Range, What: fmt.Sprintf("variable %q const", b.Labels[0]),
		Why: "is set in a child module: OpenTofu then evaluates the module call's argument for it (variables, locals, functions) when it loads the configuration, before planguard has decided anything",
		Fix: "remove const from the child module's variable"}
}

// checkTerraformLoad: a terraform block's required_version is a literal
// string, every setting of its backend, cloud and provider_meta blocks is
// a literal, and it sets no experiments (an empty list passes).
// (TerraformBlockSchema, checked by CheckTerraformBlocks, says which
// blocks it may hold at all.)
func checkTerraformLoad(b *hcl.Block) error {
	attrs, blocks, err := bodyParts(b.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", b.DefRange, err)
	}
	for _, a := range attrs {
		switch a.Name {
		case "experiments":
			if v, ok := literalValue(a.Expr); ok && (v.Type().IsTupleType() || v.Type().IsListType()) && v.LengthInt() == 0 {
				continue // none
			}
			return &LoadTimeError{Range: a.Range, What: "terraform experiments", Why: "are set: experiments are for alpha builds (release builds of Terraform refuse them) and change how the configuration is read",
				Fix: "remove experiments"}
		case "required_version":
			if _, ok := literalString(a.Expr); !ok {
				return &LoadTimeError{Range: a.Range, What: "terraform required_version", Why: "is not a literal string", Fix: "write it as one literal string (\">= 1.8\")"}
			}
		}
	}
	for _, nb := range blocks {
		switch nb.Type {
		case "backend", "cloud", "provider_meta":
			if r, ok := literalBody(nb.Body); !ok {
				what := nb.Type
				if len(nb.Labels) > 0 {
					what = fmt.Sprintf("%s %q", nb.Type, nb.Labels[0])
				}
				return &LoadTimeError{Range: r, What: "a setting of the terraform block's " + what, Why: "is not a literal: " + earlyEval,
					Fix: "write every setting as a literal (a string, number, bool, list or map of them), with no variable, local, function or template; pass what differs per environment with -backend-config"}
			}
		}
	}
	return nil
}

// bodyParts returns a body's attributes and blocks: for the native
// syntax as written, for JSON all members as attributes with the blocks
// the terraform block may hold (backend and provider_meta labelled).
func bodyParts(body hcl.Body) ([]*hcl.Attribute, []*hcl.Block, error) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		var attrs []*hcl.Attribute
		for _, a := range sb.Attributes {
			attrs = append(attrs, a.AsHCLAttribute())
		}
		var blocks []*hcl.Block
		for _, nb := range sb.Blocks {
			blocks = append(blocks, nb.AsHCLBlock())
		}
		return attrs, blocks, nil
	}
	c, rest, diags := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "backend", LabelNames: []string{"type"}},
		{Type: "cloud"},
		{Type: "provider_meta", LabelNames: []string{"provider"}},
	}})
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("%s", diags.Error())
	}
	others, diags := rest.JustAttributes()
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("%s", diags.Error())
	}
	var attrs []*hcl.Attribute
	for _, a := range others {
		attrs = append(attrs, a)
	}
	return attrs, c.Blocks, nil
}

// literalBody reports whether every attribute of body, and of every block
// nested in it, is a literal; when not, the range of the first that is
// not.
func literalBody(body hcl.Body) (hcl.Range, bool) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		for _, a := range sb.Attributes {
			if !Literal(a.Expr, false) {
				return a.SrcRange, false
			}
		}
		for _, nb := range sb.Blocks {
			if r, ok := literalBody(nb.Body); !ok {
				return r, false
			}
		}
		return hcl.Range{}, true
	}
	// JSON: every member is an attribute whose value is plain JSON.
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		return body.MissingItemRange(), false
	}
	for _, a := range attrs {
		if !Literal(a.Expr, false) {
			return a.Range, false
		}
	}
	return hcl.Range{}, true
}

// literalString is the expression's string when it is a literal string.
func literalString(e hcl.Expression) (string, bool) {
	v, ok := literalValue(e)
	if !ok {
		return "", false
	}
	return LiteralString(v)
}

// literalValue is the expression's value when it is a literal.
func literalValue(e hcl.Expression) (cty.Value, bool) {
	v, err := LiteralValue(e)
	if err != nil || (!isNative(e) && hasTemplate(v)) {
		return cty.NilVal, false
	}
	return v, true
}

// isNative reports whether e is of the native syntax (not JSON).
func isNative(e hcl.Expression) bool {
	_, ok := e.(hclsyntax.Expression)
	return ok
}

// Literal reports whether e is a literal: in the native syntax, literal
// values, templates of literal text, and lists and maps (keys literal or
// bare names) of literals, in parentheses or negated; in the JSON syntax,
// a JSON value none of whose strings (keys included) holds a template
// sequence ("${" or "%{"), which OpenTofu would evaluate. With vars, a
// reference to a root module variable (var.NAME, with attribute or index
// steps) counts as well.
func Literal(e hcl.Expression, vars bool) bool {
	if e == nil {
		return false
	}
	if se, ok := e.(hclsyntax.Expression); ok {
		return literalNative(se, vars)
	}
	// JSON syntax: read without an evaluation context, strings are not
	// templates.
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return false
	}
	return !hasTemplate(v)
}

// literalNative is Literal of a native syntax expression.
func literalNative(e hclsyntax.Expression, vars bool) bool {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		for _, p := range x.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				return false
			}
		}
		return true
	case *hclsyntax.TemplateWrapExpr:
		return literalNative(x.Wrapped, vars)
	case *hclsyntax.ParenthesesExpr:
		return literalNative(x.Expression, vars)
	case *hclsyntax.UnaryOpExpr:
		return literalNative(x.Val, false)
	case *hclsyntax.TupleConsExpr:
		for _, item := range x.Exprs {
			if !literalNative(item, vars) {
				return false
			}
		}
		return true
	case *hclsyntax.ObjectConsExpr:
		for _, item := range x.Items {
			k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
			if !ok {
				return false
			}
			bare := !k.ForceNonLiteral && hcl.ExprAsKeyword(k.Wrapped) != ""
			if !bare && !literalNative(k.Wrapped, false) {
				return false
			}
			if !literalNative(item.ValueExpr, vars) {
				return false
			}
		}
		return true
	case *hclsyntax.ScopeTraversalExpr:
		if !vars || len(x.Traversal) < 2 || x.Traversal.RootName() != "var" {
			return false
		}
		_, ok := x.Traversal[1].(hcl.TraverseAttr)
		return ok
	}
	return false
}

// hasTemplate reports whether a string of v, or a key of an object or
// map in it, holds "${" or "%{".
func hasTemplate(v cty.Value) bool {
	if v.IsNull() || !v.IsKnown() {
		return false
	}
	t := v.Type()
	switch {
	case t == cty.String:
		s := v.AsString()
		return strings.Contains(s, "${") || strings.Contains(s, "%{")
	case t.IsObjectType() || t.IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if hasTemplate(k) || hasTemplate(ev) {
				return true
			}
		}
	case t.IsTupleType() || t.IsListType() || t.IsSetType():
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if hasTemplate(ev) {
				return true
			}
		}
	}
	return false
}

// RequiredProviders returns the providers the required_providers entries
// of f name, each normalized as ReadModule does (defaultHost for a source
// without a host, the implied provider for an entry without a source),
// in the order written. An error is a *FileError.
func RequiredProviders(f *File, defaultHost string) ([]Provider, error) {
	entries, err := requiredEntries(f)
	if err != nil {
		return nil, &FileError{Path: f.Path, Err: err}
	}
	m := &Module{DefaultHostName: defaultHost}
	out := make([]Provider, 0, len(entries))
	for _, e := range entries {
		var p Provider
		if e.source == "" {
			p, err = m.Implied(e.name, true)
		} else {
			p, err = normalize(e.source, defaultHost)
		}
		if err != nil {
			return nil, &FileError{Path: f.Path, Err: fmt.Errorf("%s: required_providers.%s: %w", e.where, e.name, err)}
		}
		out = append(out, p)
	}
	return out, nil
}
