package tfexec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	hclv1 "github.com/hashicorp/hcl"
	hclv1ast "github.com/hashicorp/hcl/hcl/ast"
)

// ProviderDirs returns the directories terraform (or tofu) under getenv
// installs or runs provider binaries from, besides its working directory:
// the filesystem_mirror paths and plugin_cache_dir of every CLI
// configuration it would read, TF_PLUGIN_CACHE_DIR, the implied local
// mirrors (~/.terraform.d/plugins, $XDG_DATA_HOME/terraform/plugins, …),
// and the directories of the CLI configuration files themselves. A
// configuration that cannot be read or parsed is an error: which
// directories it names is unknown. getenv nil means os.Getenv.
func ProviderDirs(getenv func(string) string) ([]string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var out []string
	for _, p := range cliConfigFiles(getenv) {
		src, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("CLI configuration %s: %w", p, err)
		}
		out = append(out, filepath.Dir(p))
		f, err := hclv1.ParseBytes(src)
		if err != nil {
			return nil, fmt.Errorf("CLI configuration %s does not parse: %w", p, err)
		}
		hclv1ast.Walk(f.Node, func(n hclv1ast.Node) (hclv1ast.Node, bool) {
			item, ok := n.(*hclv1ast.ObjectItem)
			if !ok || len(item.Keys) == 0 {
				return n, true
			}
			switch key, _ := item.Keys[len(item.Keys)-1].Token.Value().(string); key {
			case "plugin_cache_dir":
				if lit, ok := item.Val.(*hclv1ast.LiteralType); ok {
					if s, ok := lit.Token.Value().(string); ok && s != "" {
						out = append(out, s)
					}
				}
			case "filesystem_mirror":
				if obj, ok := item.Val.(*hclv1ast.ObjectType); ok {
					for _, e := range obj.List.Items {
						if len(e.Keys) == 0 {
							continue
						}
						if k, _ := e.Keys[0].Token.Value().(string); k == "path" {
							if lit, ok := e.Val.(*hclv1ast.LiteralType); ok {
								if s, ok := lit.Token.Value().(string); ok && s != "" {
									out = append(out, s)
								}
							}
						}
					}
				}
			}
			return n, true
		})
	}
	if d := getenv("TF_PLUGIN_CACHE_DIR"); d != "" {
		out = append(out, d)
	}
	if home := getenv("HOME"); home != "" {
		out = append(out, filepath.Join(home, ".terraform.d"), filepath.Join(home, ".local", "share", "terraform"))
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		out = append(out, filepath.Join(d, "terraform"), filepath.Join(d, "opentofu"))
	}
	// The system-wide implied mirrors (/usr/share/terraform/plugins, …)
	// lie under /usr, which the gate never allows.
	return out, nil
}
