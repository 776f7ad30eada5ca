package tfexec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	hclv1 "github.com/hashicorp/hcl"
	hclv1ast "github.com/hashicorp/hcl/hcl/ast"
)

// EnvError is why an environment may not run terraform for the gate.
type EnvError struct{ Msg string }

func (e *EnvError) Error() string { return e.Msg }

// Lookup returns a lookup function over env (KEY=VALUE entries), or
// os.Getenv when env is nil.
func Lookup(env []string) func(string) string {
	if env == nil {
		return os.Getenv
	}
	return func(k string) string {
		v := ""
		for _, kv := range env {
			if key, val, ok := strings.Cut(kv, "="); ok && key == k {
				v = val // the last one wins, as for exec
			}
		}
		return v
	}
}

// CheckEnv refuses an environment in which terraform would run provider
// binaries the lock file does not govern: TF_REATTACH_PROVIDERS (terraform
// talks to provider processes already running, whatever they are) always,
// and, when lockPinned, a CLI configuration with dev_overrides (providers
// from a local directory, never checked against the lock file) or that
// does not parse. The CLI configuration is TF_CLI_CONFIG_FILE, else
// TERRAFORM_CONFIG, else ~/.terraformrc and ~/.tofurc, plus the *.tfrc
// files of ~/.terraform.d. getenv nil means os.Getenv.
func CheckEnv(getenv func(string) string, lockPinned bool) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("TF_REATTACH_PROVIDERS") != "" {
		return &EnvError{"TF_REATTACH_PROVIDERS is set: terraform would use provider processes already running instead of the locked provider binaries; unset it"}
	}
	if !lockPinned {
		return nil
	}
	for _, p := range cliConfigFiles(getenv) {
		src, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return &EnvError{fmt.Sprintf("CLI configuration %s: %v (the policy pins provider binaries with lock_file, so planguard must read it)", p, err)}
		}
		found, err := hasDevOverrides(src, p)
		if err != nil {
			return &EnvError{fmt.Sprintf("CLI configuration %s does not parse (%v); the policy pins provider binaries with lock_file, so planguard must read it", p, err)}
		}
		if found {
			return &EnvError{fmt.Sprintf("CLI configuration %s has dev_overrides: terraform would run provider binaries from a local directory that the policy's lock_file does not check; use a CLI configuration without dev_overrides", p)}
		}
	}
	return nil
}

// DevOverridden returns the provider source addresses (as the CLI
// configuration writes them) that the dev_overrides of a CLI configuration
// terraform would read under getenv name, and an error for a configuration
// that does not parse.
func DevOverridden(getenv func(string) string) ([]string, error) {
	var out []string
	for _, p := range cliConfigFiles(getenv) {
		src, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("CLI configuration %s: %w", p, err)
		}
		f, err := hclv1.ParseBytes(src)
		if err != nil {
			return nil, fmt.Errorf("CLI configuration %s does not parse: %w", p, err)
		}
		hclv1ast.Walk(f.Node, func(n hclv1ast.Node) (hclv1ast.Node, bool) {
			item, ok := n.(*hclv1ast.ObjectItem)
			if !ok || len(item.Keys) == 0 {
				return n, true
			}
			if v, _ := item.Keys[len(item.Keys)-1].Token.Value().(string); v == "dev_overrides" {
				if obj, ok := item.Val.(*hclv1ast.ObjectType); ok {
					for _, e := range obj.List.Items {
						if len(e.Keys) > 0 {
							if k, ok := e.Keys[0].Token.Value().(string); ok {
								out = append(out, k)
							}
						}
					}
				}
			}
			return n, true
		})
	}
	return out, nil
}

// DevOverrides reports whether a CLI configuration terraform would read
// under getenv has dev_overrides.
func DevOverrides(getenv func(string) string) bool {
	for _, p := range cliConfigFiles(getenv) {
		if src, err := os.ReadFile(p); err == nil {
			if found, err := hasDevOverrides(src, p); err == nil && found {
				return true
			}
		}
	}
	return false
}

// cliConfigFiles lists the CLI configuration files terraform (or tofu)
// would read under getenv.
func cliConfigFiles(getenv func(string) string) []string {
	var files []string
	switch {
	case getenv("TF_CLI_CONFIG_FILE") != "":
		files = append(files, getenv("TF_CLI_CONFIG_FILE"))
	case getenv("TERRAFORM_CONFIG") != "":
		files = append(files, getenv("TERRAFORM_CONFIG"))
	}
	home := getenv("HOME")
	if home == "" {
		return files
	}
	if len(files) == 0 {
		files = append(files, filepath.Join(home, ".terraformrc"), filepath.Join(home, ".tofurc"))
	}
	for _, d := range []string{filepath.Join(home, ".terraform.d")} {
		for _, pat := range []string{"*.tfrc", "*.tfrc.json"} {
			m, _ := filepath.Glob(filepath.Join(d, pat))
			files = append(files, m...)
		}
	}
	return files
}

// hasDevOverrides reports whether a CLI configuration names dev_overrides
// anywhere. It is read as Terraform and OpenTofu read it: HCL 1 (which
// takes JSON too), so quoted keys such as dev_overrides' own are accepted.
func hasDevOverrides(src []byte, _ string) (bool, error) {
	f, err := hclv1.ParseBytes(src)
	if err != nil {
		return false, err
	}
	found := false
	hclv1ast.Walk(f.Node, func(n hclv1ast.Node) (hclv1ast.Node, bool) {
		if item, ok := n.(*hclv1ast.ObjectItem); ok {
			for _, k := range item.Keys {
				if v, ok := k.Token.Value().(string); ok && v == "dev_overrides" {
					found = true
				}
			}
		}
		return n, !found
	})
	return found, nil
}

// CLIConfigFiles lists the CLI configuration files terraform (or tofu)
// would read under getenv (the runner judges each).
func CLIConfigFiles(getenv func(string) string) []string { return cliConfigFiles(getenv) }
