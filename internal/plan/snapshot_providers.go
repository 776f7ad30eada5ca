package plan

import (
	"archive/zip"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// What the plan JSON does not show of a provider configuration: a
// `dynamic` block. Terraform and OpenTofu (1.8.5, 1.11.4, OpenTofu 1.6.2,
// checked) expand a provider block's dynamic blocks when they configure
// the provider, and write its expressions into the plan JSON from the raw
// configuration, where a dynamic block is no block of the provider's
// schema: `dynamic "exec" { … content { command = "sh" … } }` runs its
// command at apply while configuration.provider_config shows no exec at
// all. The configuration snapshot of a saved plan shows it; each provider
// block with a dynamic block is a provider command that cannot be read,
// so it blocks.

// dynamicSetting is the Unreadable text of a dynamic block.
const dynamicSetting = "a dynamic block, whose content the plan JSON does not show"

// snapshotProviderDynamics returns a ProviderCommand that cannot be read
// for every provider block of the saved plan's configuration snapshot
// that has a dynamic block (at any depth), and for every configuration
// file of the snapshot that cannot be read or parsed.
func snapshotProviderDynamics(zipPath string) []ProviderCommand {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return []ProviderCommand{{Name: "(configuration snapshot)", Setting: "tfconfig", Unreadable: []string{"the saved plan's configuration snapshot cannot be read: " + err.Error()}}}
	}
	defer func() { _ = zr.Close() }()
	var out []ProviderCommand
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, "tfconfig/m-")
		if !ok {
			continue
		}
		key, file, ok := strings.Cut(rest, "/")
		if !ok {
			continue
		}
		native := strings.HasSuffix(file, ".tf") || strings.HasSuffix(file, ".tofu")
		if !native && !strings.HasSuffix(file, ".tf.json") && !strings.HasSuffix(file, ".tofu.json") {
			continue // not configuration: the room refuses it (planfile.ExtractConfig)
		}
		prefix := ""
		if key != "" {
			prefix = "module." + strings.ReplaceAll(key, ".", ".module.") + ":"
		}
		bad := func(why string) {
			out = append(out, ProviderCommand{Name: prefix + "(" + file + ")", Setting: "configuration file", Unreadable: []string{f.Name + ": " + why}})
		}
		if f.UncompressedSize64 > maxSnapshotFile {
			bad("too large to read")
			continue
		}
		rc, err := f.Open()
		if err != nil {
			bad(err.Error())
			continue
		}
		src, err := io.ReadAll(io.LimitReader(rc, maxSnapshotFile+1))
		_ = rc.Close()
		if err != nil || len(src) > maxSnapshotFile {
			bad("cannot be read")
			continue
		}
		var found []ProviderCommand
		if native {
			if found, ok = nativeProviderDynamics(src, f.Name); !ok {
				bad("does not parse, so its provider blocks cannot be read")
				continue
			}
		} else if found, err = jsonProviderDynamics(src, f.Name); err != nil {
			bad(err.Error())
			continue
		}
		for _, c := range found {
			c.Name = prefix + c.Name
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// nativeProviderDynamics finds the dynamic blocks of a native-syntax
// file's provider blocks; ok is false when it does not parse.
func nativeProviderDynamics(src []byte, filename string) ([]ProviderCommand, bool) {
	if nesting.HCL(src) != nil {
		return nil, false // would overflow hclsyntax's stack: see scanFile
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	body, isNative := file.Body.(*hclsyntax.Body)
	if !isNative {
		return nil, false
	}
	var out []ProviderCommand
	for _, b := range body.Blocks {
		if b.Type != "provider" || len(b.Labels) != 1 {
			continue
		}
		name := b.Labels[0]
		if a, ok := b.Body.Attributes["alias"]; ok {
			if v, err := tfsource.LiteralValue(a.Expr); err == nil && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				name += "." + v.AsString()
			}
		}
		var walk func(body *hclsyntax.Body, path string)
		walk = func(body *hclsyntax.Body, path string) {
			for _, inner := range body.Blocks {
				label := strings.Join(inner.Labels, ".")
				if inner.Type == "dynamic" {
					out = append(out, ProviderCommand{Name: name, Provider: b.Labels[0], Setting: path + "dynamic \"" + label + "\"", Unreadable: []string{dynamicSetting}})
					continue
				}
				walk(inner.Body, path+inner.Type+".")
			}
		}
		walk(b.Body, "")
	}
	return out, true
}

// jsonProviderDynamics finds the "dynamic" members (at any depth) of a
// JSON-syntax file's provider blocks, read as Terraform reads the file:
// with HCL's JSON parser, provider blocks as its "provider" property
// holds them (an object, or an array of objects). A file that does not
// parse, or that has a duplicate key in any object, is an error: HCL's
// reader keeps every duplicate (two "provider" properties are two sets of
// provider blocks) where another reader keeps one, so which configuration
// such a file holds depends on who reads it.
func jsonProviderDynamics(src []byte, filename string) ([]ProviderCommand, error) {
	if err := nesting.JSON(src); err != nil {
		return nil, err
	}
	if err := JSONDuplicateKey(src); err != nil {
		return nil, fmt.Errorf("its provider blocks cannot be read: %w", err)
	}
	file, diags := hcljson.Parse(src, filename)
	if diags.HasErrors() {
		return nil, fmt.Errorf("does not parse, so its provider blocks cannot be read: %s", diags.Error())
	}
	content, _, diags := file.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		return nil, fmt.Errorf("its provider blocks cannot be read: %s", diags.Error())
	}
	var out []ProviderCommand
	for _, b := range content.Blocks {
		name := b.Labels[0]
		attrs, diags := b.Body.JustAttributes()
		if diags.HasErrors() {
			return nil, fmt.Errorf("provider %q cannot be read: %s", name, diags.Error())
		}
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var walk func(v cty.Value, path string)
		walk = func(v cty.Value, path string) {
			if v.IsNull() || !v.IsKnown() {
				return
			}
			ty := v.Type()
			switch {
			case ty.IsObjectType() || ty.IsMapType():
				for it := v.ElementIterator(); it.Next(); {
					k, e := it.Element()
					if k.AsString() == "dynamic" {
						out = append(out, ProviderCommand{Name: name, Provider: name, Setting: path + "dynamic", Unreadable: []string{dynamicSetting}})
						continue
					}
					walk(e, path+k.AsString()+".")
				}
			case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
				for it := v.ElementIterator(); it.Next(); {
					_, e := it.Element()
					walk(e, path)
				}
			}
		}
		for _, k := range keys {
			if k == "dynamic" {
				out = append(out, ProviderCommand{Name: name, Provider: name, Setting: "dynamic", Unreadable: []string{dynamicSetting}})
				continue
			}
			v, err := tfsource.LiteralValue(attrs[k].Expr)
			if err != nil {
				return nil, fmt.Errorf("provider %q: %s cannot be read: %w", name, k, err)
			}
			walk(v, k+".")
		}
	}
	return out, nil
}

// JSONDuplicateKey returns an error naming the first key that an object of
// the JSON document src has twice (tfsource.JSONDuplicateKey).
func JSONDuplicateKey(src []byte) error { return tfsource.JSONDuplicateKey(src) }

// addSnapshotProviderCommands adds to p's provider commands what the
// saved plan's configuration snapshot shows and its JSON does not.
func addSnapshotProviderCommands(p *Plan, zipPath string) {
	if found := snapshotProviderDynamics(zipPath); len(found) > 0 {
		p.ProviderCommands = append(p.ProviderCommands, found...)
	}
}
