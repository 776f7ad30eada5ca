package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// This file is the runner's one reading of the configuration it was sent,
// shared by every check made before `terraform init` (the providers it
// needs, the code its provider blocks and program providers run, its
// backend, its remote states, its function calls). Each check judging its
// own reading is how the runner came to judge one configuration while
// Terraform ran another: a source written twice, an override file's
// required_providers, a source Terraform normalizes. So the reading
// follows Terraform's (internal/tfsource, which the CI gate's reading of
// a saved plan's configuration snapshot shares), per module directory:
// *.tf and *.tf.json files, primary files in name order then override
// files merged last, sources normalized by Terraform's own library, and
// refused: a file Terraform ignores, a key written twice in a
// required_providers entry, an unknown key, any key a .tf.json object
// repeats.
//
// Anything the reading cannot follow is an error: the checks fail closed.

// Configuration is a configuration directory as the runner's checks before init
// read it: every module directory below it, its files in Terraform's
// order, and the provider sources of each module's local names.
type Configuration struct {
	dir         string
	defaultHost string
	modules     []*configModule // by dir
}

// configModule is one module directory.
type configModule struct {
	dir string // slash path relative to the configuration, "." for the root
	*tfsource.Module
	// files are the primary files in name order, then the override files
	// in name order (Module.Files).
	files []*configFile
}

// configFile is one parsed configuration file; its Path is relative to
// the configuration.
type configFile = tfsource.File

// ReadConfiguration reads the configuration in dir (every *.tf and *.tf.json
// file below it, each directory a module) as Terraform reads it; see the
// file comment. defaultHost is the registry of a provider source written
// without a host (TerraformRegistry or OpenTofuRegistry).
func ReadConfiguration(dir, defaultHost string) (*Configuration, error) {
	byDir := map[string][]*configFile{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if _, ok := tfsource.Kind(name, false); !ok {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if tfsource.Ignored(name) {
			return tfsource.IgnoredError(rel)
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", rel, err)
		}
		cf, err := tfsource.Parse(rel, src)
		if err != nil {
			return err
		}
		mod := filepath.ToSlash(filepath.Dir(rel))
		byDir[mod] = append(byDir[mod], cf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &Configuration{dir: dir, defaultHost: defaultHost}
	for d, files := range byDir {
		tm, err := tfsource.ReadModule(files, defaultHost)
		if err != nil {
			return nil, err
		}
		c.modules = append(c.modules, &configModule{dir: d, Module: tm, files: tm.Files})
	}
	sort.Slice(c.modules, func(i, j int) bool { return c.modules[i].dir < c.modules[j].dir })
	return c, nil
}

// root is the root module (nil when dir holds no configuration file at
// its top).
func (c *Configuration) root() *configModule {
	for _, m := range c.modules {
		if m.dir == "." {
			return m
		}
	}
	return nil
}

// source is the normalized provider source of a local name in m: its
// required_providers entry, else the provider Terraform implies from the
// name (hashicorp/NAME on the default registry; terraform is the built-in
// provider).
func (m *configModule) source(local string) (string, error) {
	full, err := m.Source(local)
	if err != nil {
		if _, declared := m.Local[local]; !declared {
			return "", fmt.Errorf("provider %q (module %s): %w", local, m.dir, err)
		}
		return "", err
	}
	return full, nil
}
