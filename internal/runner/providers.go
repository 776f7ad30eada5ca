package runner

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// This file finds the providers a configuration needs before `terraform
// init` installs them: data sources run at plan time with the runner's
// environment, so a provider outside the policy's providers list must never
// start. After init, the lock file Terraform wrote is checked again (see
// LockedProviders): it also lists providers the state alone requires.

// Registry hosts of a provider source without a host.
const (
	TerraformRegistry = tfsource.TerraformRegistry
	OpenTofuRegistry  = tfsource.OpenTofuRegistry
)

var (
	fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
		{Type: "list", LabelNames: []string{"type", "name"}},
		{Type: "action", LabelNames: []string{"type", "name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "import"},
		{Type: "removed"},
	}}
	checkSchema  = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "data", LabelNames: []string{"type", "name"}}}}
	providerAttr = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "provider"}}}
	moduleAttrs  = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}}
	importAttrs  = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "provider"}, {Name: "to"}}}
)

// RequiredProviders returns the provider sources (HOST/NAMESPACE/TYPE) the
// configuration in dir uses (ReadConfig, then Configuration.RequiredProviders).
func RequiredProviders(dir, defaultHost string) ([]string, error) {
	c, err := ReadConfiguration(dir, defaultHost)
	if err != nil {
		return nil, err
	}
	return c.RequiredProviders()
}

// RequiredProviders returns the provider sources (HOST/NAMESPACE/TYPE) the
// configuration uses: every module's required_providers entries, and the
// providers its provider, resource, data, ephemeral and import blocks name
// or imply, each through its module's local names. A block of an override
// file counts as well as the block it overrides (Terraform keeps one of
// them; the set holds both). A module whose source is not a local path is
// an error: the runner plans only what the client sent.
func (c *Configuration) RequiredProviders() ([]string, error) {
	set := map[string]bool{}
	for _, m := range c.modules {
		if err := moduleProviders(m, set); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// moduleProviders adds the sources one module uses to set.
func moduleProviders(m *configModule, set map[string]bool) error {
	var used []string // local names
	for name := range m.Local {
		used = append(used, name)
	}
	var blocks []*hcl.Block
	for _, f := range m.files {
		content, _, diags := f.HCL.Body.PartialContent(fileSchema)
		if diags.HasErrors() {
			return fmt.Errorf("read %s: %s", f.Path, diags.Error())
		}
		blocks = append(blocks, content.Blocks...)
	}
	for _, b := range blocks {
		switch b.Type {
		case "provider":
			used = append(used, b.Labels[0])
		case "resource", "data", "ephemeral", "list", "action":
			name, err := providerOf(b.Body, b.Labels[0])
			if err != nil {
				return err
			}
			used = append(used, name)
		case "check":
			cc, _, diags := b.Body.PartialContent(checkSchema)
			if diags.HasErrors() {
				return fmt.Errorf("%s", diags.Error())
			}
			for _, d := range cc.Blocks {
				name, err := providerOf(d.Body, d.Labels[0])
				if err != nil {
					return err
				}
				used = append(used, name)
			}
		case "import":
			ic, _, diags := b.Body.PartialContent(importAttrs)
			if diags.HasErrors() {
				return fmt.Errorf("%s", diags.Error())
			}
			if a, ok := ic.Attributes["provider"]; ok {
				name, err := traversalRoot(a)
				if err != nil {
					return err
				}
				used = append(used, name)
			} else if a, ok := ic.Attributes["to"]; ok {
				if tr, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() {
					if typ := resourceTypeOf(tr); typ != "" {
						used = append(used, impliedLocalName(typ))
					}
				}
			}
		case "module":
			mc, _, diags := b.Body.PartialContent(moduleAttrs)
			if diags.HasErrors() {
				return fmt.Errorf("%s", diags.Error())
			}
			a, ok := mc.Attributes["source"]
			if !ok {
				return fmt.Errorf("%s: module %q has no source", b.DefRange, b.Labels[0])
			}
			v, err := literalValue(a.Expr)
			if err != nil {
				return fmt.Errorf("%s: module %q: source %w", a.Range, b.Labels[0], err)
			}
			s, ok := tfsource.LiteralString(v)
			if !ok {
				return fmt.Errorf("%s: module %q: source must be a literal string", a.Range, b.Labels[0])
			}
			if !strings.HasPrefix(s, "./") && !strings.HasPrefix(s, "../") {
				return fmt.Errorf("%s: module %q comes from %q: the runner plans only local modules sent with the configuration (./DIR)", a.Range, b.Labels[0], s)
			}
			if target := path.Join(m.dir, s); target == ".." || strings.HasPrefix(target, "../") {
				return fmt.Errorf("%s: module %q at %q is outside the configuration's directory, so it was not sent", a.Range, b.Labels[0], s)
			}
		}
	}
	for _, name := range used {
		full, err := m.source(name)
		if err != nil {
			return err
		}
		set[full] = true
	}
	return nil
}

// providerOf is the local provider name of a resource-like block: its
// provider attribute's root (aws.west → aws), else implied by its type.
func providerOf(body hcl.Body, typ string) (string, error) {
	c, _, diags := body.PartialContent(providerAttr)
	if diags.HasErrors() {
		return "", fmt.Errorf("%s", diags.Error())
	}
	if a, ok := c.Attributes["provider"]; ok {
		return traversalRoot(a)
	}
	return impliedLocalName(typ), nil
}

// traversalRoot is the root name of a provider reference: aws.west → aws.
// OpenTofu's provider for_each writes an instance with an index
// expression (aws.west[each.key]): its collection is the reference.
func traversalRoot(a *hcl.Attribute) (string, error) {
	expr := a.Expr
	if ix, ok := expr.(*hclsyntax.IndexExpr); ok {
		expr = ix.Collection
	}
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		// JSON syntax writes references as strings.
		v, err := literalValue(a.Expr)
		s, ok := tfsource.LiteralString(v)
		if err != nil || !ok {
			return "", fmt.Errorf("%s: provider must be a reference such as aws.west", a.Range)
		}
		name, _, _ := strings.Cut(s, ".")
		return name, nil
	}
	return tr.RootName(), nil
}

// impliedLocalName is Terraform's rule: a type's provider is the prefix
// before its first underscore.
func impliedLocalName(typ string) string {
	name, _, _ := strings.Cut(typ, "_")
	return name
}

// resourceTypeOf reads the resource type from an address traversal such
// as module.x.aws_instance.y[0].
func resourceTypeOf(tr hcl.Traversal) string {
	if names := addressNames(tr); len(names) >= 1 {
		return names[0]
	}
	return ""
}

// addressNames reads the names of an address traversal, without its
// module.NAME prefixes and index steps: module.x["k"].TYPE.NAME[0] gives
// [TYPE NAME].
func addressNames(tr hcl.Traversal) []string {
	var names []string
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			names = append(names, s.Name)
		case hcl.TraverseAttr:
			names = append(names, s.Name)
		}
	}
	for len(names) >= 2 && names[0] == "module" {
		names = names[2:]
	}
	return names
}

// LockedProviders reads the provider sources a .terraform.lock.hcl lists.
// A missing file lists none.
func LockedProviders(lockFile string) ([]string, error) {
	src, err := os.ReadFile(lockFile)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, diags := hclsyntax.ParseConfig(src, lockFile, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	content, _, diags := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source"}}}})
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	var out []string
	for _, b := range content.Blocks {
		out = append(out, strings.ToLower(b.Labels[0]))
	}
	return out, nil
}
