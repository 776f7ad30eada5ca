package runner

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// This file finds the providers a configuration needs before `terraform
// init` installs them: data sources run at plan time with the runner's
// environment, so a provider outside the policy's providers list must never
// start. After init, the lock file Terraform wrote is checked again (see
// LockedProviders): it also lists providers the state alone requires.

// Registry hosts of a provider source without a host.
const (
	TerraformRegistry = "registry.terraform.io"
	OpenTofuRegistry  = "registry.opentofu.org"
)

// builtinTerraform is the source of the built-in provider (terraform_data,
// terraform_remote_state).
const builtinTerraform = "terraform.io/builtin/terraform"

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
	terraformSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "required_providers"}}}
	checkSchema     = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "data", LabelNames: []string{"type", "name"}}}}
	providerAttr    = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "provider"}}}
	moduleAttrs     = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}}
	importAttrs     = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "provider"}, {Name: "to"}}}
)

// RequiredProviders returns the provider sources (HOST/NAMESPACE/TYPE) the
// configuration in dir uses, reading every *.tf and *.tf.json file in dir
// and its subdirectories (each directory a module with its own local
// names). defaultHost is the registry of a source written without a host.
// A module whose source is not a local path is an error: the runner plans
// only what the client sent. So is anything it cannot read: the scan fails
// closed.
func RequiredProviders(dir, defaultHost string) ([]string, error) {
	mods := map[string][]*hcl.File{} // directory (slash, relative) → files
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".tf") && !strings.HasSuffix(name, ".tf.json") {
			return nil
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parseConfigFile(src, p, strings.HasSuffix(name, ".json"))
		if err != nil {
			return err
		}
		mods[filepath.ToSlash(rel)] = append(mods[filepath.ToSlash(rel)], f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for modDir, files := range mods {
		if err := moduleProviders(modDir, files, defaultHost, set); err != nil {
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

// moduleProviders adds the sources one module's files use to set.
func moduleProviders(modDir string, files []*hcl.File, defaultHost string, set map[string]bool) error {
	local := map[string]string{} // local name → source
	var used []string            // local names
	var blocks []*hcl.Block
	for _, f := range files {
		content, _, diags := f.Body.PartialContent(fileSchema)
		if diags.HasErrors() {
			return fmt.Errorf("%s", diags.Error())
		}
		blocks = append(blocks, content.Blocks...)
	}
	for _, b := range blocks {
		switch b.Type {
		case "terraform":
			tc, _, diags := b.Body.PartialContent(terraformSchema)
			if diags.HasErrors() {
				return fmt.Errorf("%s", diags.Error())
			}
			for _, rp := range tc.Blocks {
				attrs, diags := rp.Body.JustAttributes()
				if diags.HasErrors() {
					return fmt.Errorf("%s", diags.Error())
				}
				for name, a := range attrs {
					src, err := requiredSource(a)
					if err != nil {
						return err
					}
					if src == "" {
						src = name
					}
					local[name] = src
					used = append(used, name)
				}
			}
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
			v, diags := a.Expr.Value(nil)
			s, ok := literalString(v)
			if diags.HasErrors() || !ok {
				return fmt.Errorf("%s: module %q: source must be a literal string", a.Range, b.Labels[0])
			}
			if !strings.HasPrefix(s, "./") && !strings.HasPrefix(s, "../") {
				return fmt.Errorf("%s: module %q comes from %q: the runner plans only local modules sent with the configuration (./DIR)", a.Range, b.Labels[0], s)
			}
			if target := path.Join(modDir, s); target == ".." || strings.HasPrefix(target, "../") {
				return fmt.Errorf("%s: module %q at %q is outside the configuration's directory, so it was not sent", a.Range, b.Labels[0], s)
			}
		}
	}
	for _, name := range used {
		src, ok := local[name]
		if !ok {
			src = name
			if name == "terraform" {
				src = builtinTerraform
			}
		}
		full, err := normalizeSource(src, defaultHost)
		if err != nil {
			return fmt.Errorf("provider %q: %w", name, err)
		}
		set[full] = true
	}
	return nil
}

// requiredSource reads one required_providers entry: { source = "…", … }
// or a bare version string (then the source is implied, "").
func requiredSource(a *hcl.Attribute) (string, error) {
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || !v.Type().Equals(cty.String) {
			return "", fmt.Errorf("%s: required_providers.%s: want { source = \"…\", version = \"…\" }", a.Range, a.Name)
		}
		return "", nil // a version constraint alone
	}
	for _, kv := range pairs {
		k, d := kv.Key.Value(nil)
		key, ok := literalString(k)
		if d.HasErrors() || !ok {
			if kw := hcl.ExprAsKeyword(kv.Key); kw != "" {
				key = kw
			} else {
				return "", fmt.Errorf("%s: required_providers.%s: a key is not a name", a.Range, a.Name)
			}
		}
		if key != "source" {
			continue
		}
		v, d := kv.Value.Value(nil)
		src, ok := literalString(v)
		if d.HasErrors() || !ok {
			return "", fmt.Errorf("%s: required_providers.%s.source must be a literal string", a.Range, a.Name)
		}
		return src, nil
	}
	return "", nil
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

func traversalRoot(a *hcl.Attribute) (string, error) {
	tr, diags := hcl.AbsTraversalForExpr(a.Expr)
	if diags.HasErrors() {
		// JSON syntax writes references as strings.
		v, d := a.Expr.Value(nil)
		s, ok := literalString(v)
		if d.HasErrors() || !ok {
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
	if len(names) >= 1 {
		return names[0]
	}
	return ""
}

// normalizeSource expands a provider source to HOST/NAMESPACE/TYPE,
// lower-case, as the plan JSON and the lock file write it.
func normalizeSource(src, defaultHost string) (string, error) {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(src)), "/")
	for _, p := range parts {
		if p == "" {
			return "", fmt.Errorf("source %q is not HOST/NAMESPACE/TYPE", src)
		}
	}
	switch len(parts) {
	case 1:
		return defaultHost + "/hashicorp/" + parts[0], nil
	case 2:
		return defaultHost + "/" + parts[0] + "/" + parts[1], nil
	case 3:
		return strings.Join(parts, "/"), nil
	}
	return "", fmt.Errorf("source %q is not HOST/NAMESPACE/TYPE", src)
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
