package runner

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// An import block runs its resource's provider at plan time: Terraform
// calls the provider's ImportState with the block's id, then reads the
// object, and the plan carries what the read returned. For a provider
// whose objects are files on the host (host_writers) the id is a path:
// `import { to = local_file.x, id = "/proc/self/environ" }` would read
// the runner's environment into the plan the agent reads. So the runner
// counts each import block as plan-time code of its resource's provider
// (CheckProviderCode refuses it for host writers and program providers).
// Which provider that is depends on the resource block, which may be in a
// child module (to = module.m.TYPE.NAME) or written with a provider
// argument; the runner takes every provider it could be, in any module:
// the import's own provider argument, the provider each module implies
// from the type, and the provider of each resource block of that type
// and name.

// importCode lists the import blocks of one file of module m, once for
// each provider their resource may belong to.
func (c *Configuration) importCode(f *configFile, m *configModule) ([]programCode, error) {
	content, _, diags := f.HCL.Body.PartialContent(fileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
	}
	var out []programCode
	for _, b := range content.Blocks {
		if b.Type != "import" {
			continue
		}
		ic, _, diags := b.Body.PartialContent(importAttrs)
		if diags.HasErrors() {
			return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
		}
		var sources []string
		if a, ok := ic.Attributes["provider"]; ok {
			name, err := traversalRoot(a)
			if err != nil {
				return nil, err
			}
			s, err := m.source(name)
			if err != nil {
				return nil, err
			}
			sources = append(sources, s)
		}
		a, ok := ic.Attributes["to"]
		if !ok {
			return nil, fmt.Errorf("%s: an import block without to", b.DefRange)
		}
		typ, name, ok := importTarget(a.Expr)
		if !ok {
			return nil, fmt.Errorf("%s: the import's to cannot be read as a resource address (TYPE.NAME, module.M.TYPE.NAME, with index keys)", a.Range)
		}
		more, err := c.resourceSources(typ, name)
		if err != nil {
			return nil, fmt.Errorf("%s: import to %s.%s: %w", b.DefRange, typ, name, err)
		}
		for _, s := range append(sources, more...) {
			if !slices.ContainsFunc(out, func(pc programCode) bool { return pc.where == b.DefRange.String() && pc.source == s }) {
				out = append(out, programCode{where: b.DefRange.String(), what: "import into " + typ + "." + name, source: s})
			}
		}
	}
	return out, nil
}

// resourceSources are the providers a resource TYPE.NAME may belong to, in
// any module: the one each module implies from its type, and the one of
// each resource block of that type and name.
func (c *Configuration) resourceSources(typ, name string) ([]string, error) {
	var out []string
	for _, m := range c.modules {
		s, err := m.source(impliedLocalName(typ))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		for _, f := range m.files {
			content, _, diags := f.HCL.Body.PartialContent(fileSchema)
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
			}
			for _, b := range content.Blocks {
				if b.Type != "resource" || b.Labels[0] != typ || b.Labels[1] != name {
					continue
				}
				local, err := providerOf(b.Body, typ)
				if err != nil {
					return nil, err
				}
				s, err := m.source(local)
				if err != nil {
					return nil, err
				}
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// importTarget reads the resource type and name of an import's to: an
// address, whose index keys may be expressions (to = x.y[each.key]), in
// native syntax or as a JSON string.
func importTarget(e hcl.Expression) (string, string, bool) {
	if tr, diags := hcl.AbsTraversalForExpr(e); !diags.HasErrors() {
		return resourceName(tr)
	}
	native, ok := e.(hclsyntax.Expression)
	if !ok {
		// JSON syntax: the address is a string.
		v, err := literalValue(e)
		s, isString := tfsource.LiteralString(v)
		if err != nil || !isString {
			return "", "", false
		}
		parsed, diags := hclsyntax.ParseExpression([]byte(s), "", hcl.InitialPos)
		if diags.HasErrors() {
			return "", "", false
		}
		native = parsed
	}
	tr, ok := addressTraversal(native)
	if !ok {
		return "", "", false
	}
	return resourceName(tr)
}

// addressTraversal is an address expression as a traversal, each index
// (a literal or an expression) an index step.
func addressTraversal(e hclsyntax.Expression) (hcl.Traversal, bool) {
	switch t := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return slices.Clone(t.Traversal), true
	case *hclsyntax.RelativeTraversalExpr:
		tr, ok := addressTraversal(t.Source)
		return append(tr, t.Traversal...), ok
	case *hclsyntax.IndexExpr:
		tr, ok := addressTraversal(t.Collection)
		return append(tr, hcl.TraverseIndex{}), ok
	}
	return nil, false
}

// resourceName reads TYPE and NAME from a resource address traversal
// (module.m["k"].TYPE.NAME[0]).
func resourceName(tr hcl.Traversal) (string, string, bool) {
	names := addressNames(tr)
	if len(names) != 2 {
		return "", "", false
	}
	return names[0], names[1], true
}
