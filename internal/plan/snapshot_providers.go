package plan

import (
	"archive/zip"
	"encoding/json"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
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
			found, ok = nativeProviderDynamics(src, f.Name)
		} else {
			found, ok = jsonProviderDynamics(src)
		}
		if !ok {
			bad("does not parse, so its provider blocks cannot be read")
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
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
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

// jsonProviderDynamics finds the "dynamic" members of a JSON-syntax
// file's provider blocks; ok is false when it is not a JSON object.
func jsonProviderDynamics(src []byte) ([]ProviderCommand, bool) {
	if nesting.JSON(src) != nil {
		return nil, false
	}
	var top map[string]any
	if err := json.Unmarshal(src, &top); err != nil {
		return nil, false
	}
	var out []ProviderCommand
	var walk func(v any, name, provider, path string)
	walk = func(v any, name, provider, path string) {
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				walk(e, name, provider, path)
			}
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k == "dynamic" {
					out = append(out, ProviderCommand{Name: name, Provider: provider, Setting: path + "dynamic", Unreadable: []string{dynamicSetting}})
					continue
				}
				walk(t[k], name, provider, path+k+".")
			}
		}
	}
	if provs, ok := top["provider"].(map[string]any); ok {
		names := make([]string, 0, len(provs))
		for n := range provs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			walk(provs[n], n, n, "")
		}
	} else if _, has := top["provider"]; has {
		return nil, false
	}
	return out, true
}

// addSnapshotProviderCommands adds to p's provider commands what the
// saved plan's configuration snapshot shows and its JSON does not.
func addSnapshotProviderCommands(p *Plan, zipPath string) {
	if found := snapshotProviderDynamics(zipPath); len(found) > 0 {
		p.ProviderCommands = append(p.ProviderCommands, found...)
	}
}
