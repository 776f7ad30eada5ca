package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	hclv1 "github.com/hashicorp/hcl"
	hclv1ast "github.com/hashicorp/hcl/hcl/ast"
	hclv1token "github.com/hashicorp/hcl/hcl/token"

	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// CheckCLIConfig refuses a Terraform environment (getenv: the runner's
// children's, see ChildEnv) whose provider installation someone other than
// the runner or root can change: the CLI configuration files Terraform
// reads, every plugin_cache_dir and filesystem_mirror path they name, and
// the directories Terraform searches for providers on its own (the
// runner's ~/.terraform.d, and terraform/plugins and opentofu/plugins in
// the XDG data directories), with everything below them (trustedPath).
// What it cannot judge it refuses: dev_overrides, a credentials_helper, a
// setting it does not know, a path that is not absolute, and
// TF_PLUGIN_CACHE_DIR. serve calls it at start and the service before each
// init and apply (ExecTerraform.CheckEnv).
func CheckCLIConfig(getenv func(string) string) error {
	if v := getenv("TF_PLUGIN_CACHE_DIR"); v != "" {
		return fmt.Errorf("TF_PLUGIN_CACHE_DIR is set (%s): the runner reads its plugin cache only from its --cli-config (plugin_cache_dir), where it checks it; unset it", v)
	}
	main := getenv("TF_CLI_CONFIG_FILE")
	if main == "" {
		return errors.New("internal error: the runner's Terraform has no TF_CLI_CONFIG_FILE")
	}
	for _, p := range tfexec.CLIConfigFiles(getenv) {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && p != main {
			continue
		}
		if err != nil {
			return fmt.Errorf("CLI configuration %s: %w", p, err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("CLI configuration %s is not a regular file", p)
		}
		if err := trustedPath(p, "CLI configuration", trustedPathOptions{}); err != nil {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("CLI configuration %s: %w", p, err)
		}
		dirs, err := cliConfigDirs(p, src, getenv)
		if err != nil {
			return err
		}
		for _, d := range dirs {
			if err := trustedPath(d.path, fmt.Sprintf("the %s of CLI configuration %s,", d.what, p), trustedPathOptions{tree: true}); err != nil {
				return err
			}
		}
	}
	for _, d := range implicitProviderDirs(getenv) {
		if err := trustedPath(d, "the provider directory Terraform searches on its own", trustedPathOptions{tree: true, missingOK: true}); err != nil {
			return err
		}
	}
	return nil
}

// implicitProviderDirs are the directories Terraform and OpenTofu read
// providers (and CLI configuration files) from without being told: the
// runner's ~/.terraform.d, and terraform/plugins and opentofu/plugins in
// $XDG_DATA_HOME (~/.local/share) and each of $XDG_DATA_DIRS
// (/usr/local/share, /usr/share).
func implicitProviderDirs(getenv func(string) string) []string {
	home := getenv("HOME")
	var out []string
	if filepath.IsAbs(home) {
		out = append(out, filepath.Join(home, ".terraform.d"))
	}
	var data []string
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		data = append(data, d)
	} else if filepath.IsAbs(home) {
		data = append(data, filepath.Join(home, ".local", "share"))
	}
	dirs := getenv("XDG_DATA_DIRS")
	if dirs == "" {
		dirs = "/usr/local/share:/usr/share"
	}
	for _, d := range filepath.SplitList(dirs) {
		if filepath.IsAbs(d) {
			data = append(data, d)
		}
	}
	for _, d := range data {
		out = append(out, filepath.Join(d, "terraform", "plugins"), filepath.Join(d, "opentofu", "plugins"))
	}
	return out
}

type namedDir struct{ what, path string }

// cliConfigDirs reads one CLI configuration (HCL 1 or JSON, as Terraform
// does) and returns the provider directories it names: plugin_cache_dir
// (with $VARIABLES expanded by getenv, as Terraform expands them) and each
// filesystem_mirror's path. It refuses what it cannot judge.
func cliConfigDirs(name string, src []byte, getenv func(string) string) ([]namedDir, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("CLI configuration %s: %s", name, fmt.Sprintf(format, args...))
	}
	f, err := hclv1.ParseBytes(src)
	if err != nil {
		return nil, fail("does not parse: %v", err)
	}
	list, ok := f.Node.(*hclv1ast.ObjectList)
	if !ok {
		return nil, fail("not a list of settings")
	}
	var dirs []namedDir
	path := func(what string, v hclv1ast.Node, expand bool) error {
		s, ok := stringValue(v)
		if !ok {
			return fail("%s is not a string", what)
		}
		if expand {
			s = os.Expand(s, getenv)
		} else if strings.Contains(s, "$") {
			return fail("%s %q has a '$': the runner cannot tell what Terraform makes of it; write the path literally", what, s)
		}
		if !filepath.IsAbs(s) {
			return fail("%s %q is not an absolute path; write the absolute path of a directory of the runner's", what, s)
		}
		dirs = append(dirs, namedDir{what, filepath.Clean(s)})
		return nil
	}
	for _, item := range list.Items {
		key, rest, val := splitItem(item)
		switch key {
		case "plugin_cache_dir":
			if len(rest) > 0 {
				return nil, fail("plugin_cache_dir has labels")
			}
			if err := path("plugin_cache_dir", val, true); err != nil {
				return nil, err
			}
		case "disable_checkpoint", "disable_checkpoint_signature", "plugin_cache_may_break_dependency_lock_file":
			// Booleans about what Terraform checks, not what it runs.
		case "credentials", "host":
			// Registry tokens and service discovery: where Terraform
			// downloads from, not what it runs unchecked.
		case "credentials_helper":
			return nil, fail("credentials_helper runs a program Terraform finds among its plugins, which the runner does not check; give the registry's token in a credentials block instead")
		case "provider_installation":
			methods, err := blockItems(rest, val)
			if err != nil {
				return nil, fail("provider_installation: %v", err)
			}
			for _, m := range methods {
				mkey, mrest, mval := splitItem(m)
				switch mkey {
				case "filesystem_mirror":
					settings, err := blockItems(mrest, mval)
					if err != nil {
						return nil, fail("filesystem_mirror: %v", err)
					}
					found := false
					for _, s := range settings {
						skey, srest, sval := splitItem(s)
						if skey == "path" && len(srest) == 0 {
							if err := path("filesystem_mirror path", sval, false); err != nil {
								return nil, err
							}
							found = true
						}
					}
					if !found {
						return nil, fail("a filesystem_mirror without a path")
					}
				case "network_mirror", "direct":
					// Downloads, checked against the lock file's hashes.
				case "dev_overrides":
					return nil, fail("dev_overrides: Terraform would run provider builds from a local directory, never checked against a lock file; remove the dev_overrides block")
				default:
					return nil, fail("provider_installation has %q, which the runner cannot judge; use filesystem_mirror, network_mirror or direct", mkey)
				}
			}
		default:
			return nil, fail("%q is a setting the runner cannot judge (it refuses what it cannot read: dev_overrides, credentials_helper, providers, ...); remove it", key)
		}
	}
	// dev_overrides anywhere else (Terraform reads it only in
	// provider_installation; a reader that did otherwise is refused).
	if found, err := hasKey(f.Node, "dev_overrides"); err != nil || found {
		return nil, fail("dev_overrides: Terraform would run provider builds from a local directory, never checked against a lock file; remove the dev_overrides block")
	}
	return dirs, nil
}

// splitItem returns an item's first key, the keys after it (HCL 1's
// `a b { }`, and its JSON form's flattened objects) and its value.
func splitItem(item *hclv1ast.ObjectItem) (string, []*hclv1ast.ObjectKey, hclv1ast.Node) {
	if len(item.Keys) == 0 {
		return "", nil, item.Val
	}
	k, _ := item.Keys[0].Token.Value().(string)
	return k, item.Keys[1:], item.Val
}

// blockItems returns the items of a block whose first key is already
// taken: with more keys (`a b { }`), the rest is one item of the block.
func blockItems(rest []*hclv1ast.ObjectKey, val hclv1ast.Node) ([]*hclv1ast.ObjectItem, error) {
	if len(rest) > 0 {
		return []*hclv1ast.ObjectItem{{Keys: rest, Val: val}}, nil
	}
	switch v := val.(type) {
	case *hclv1ast.ObjectType:
		return v.List.Items, nil
	case *hclv1ast.ListType: // JSON: an array of objects
		var out []*hclv1ast.ObjectItem
		for _, e := range v.List {
			o, ok := e.(*hclv1ast.ObjectType)
			if !ok {
				return nil, errors.New("not a block")
			}
			out = append(out, o.List.Items...)
		}
		return out, nil
	}
	return nil, errors.New("not a block")
}

func stringValue(n hclv1ast.Node) (string, bool) {
	lit, ok := n.(*hclv1ast.LiteralType)
	if !ok || lit.Token.Type != hclv1token.STRING {
		return "", false
	}
	s, ok := lit.Token.Value().(string)
	return s, ok
}

// hasKey reports whether key is any key of any item in n.
func hasKey(n hclv1ast.Node, key string) (bool, error) {
	found := false
	hclv1ast.Walk(n, func(n hclv1ast.Node) (hclv1ast.Node, bool) {
		if item, ok := n.(*hclv1ast.ObjectItem); ok {
			for _, k := range item.Keys {
				if v, ok := k.Token.Value().(string); ok && v == key {
					found = true
				}
			}
		}
		return n, !found
	})
	return found, nil
}
