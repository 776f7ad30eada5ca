package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	tfaddr "github.com/hashicorp/terraform-registry-address"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// This file is the runner's one reading of the configuration it was sent,
// shared by every check made before `terraform init` (the providers it
// needs, the code its provider blocks and program providers run, its
// backend, its remote states, its function calls). Each check judging its
// own reading is how the runner came to judge one configuration while
// Terraform ran another: a source written twice, an override file's
// required_providers, a source Terraform normalizes. So the reading
// follows Terraform's, per module directory:
//
//   - the files are *.tf and *.tf.json, primary files in name order, then
//     override files (override.tf, *_override.tf, and their .tf.json forms)
//     in name order, merged last, as Terraform loads them; a file Terraform
//     ignores (a name starting with ".") is refused, not skipped;
//   - a required_providers entry of a primary file names its local name
//     once in the module; an override file's entry replaces that local
//     name's entry whole (Terraform's mergeProviderVersionConstraints);
//   - a provider source is parsed and normalized by Terraform's own
//     library (terraform-registry-address: IDNA/UTS-46 mapping of every
//     part, so "ｔestobj" is "testobj"), with the tool's default registry
//     for a source without a host; what it cannot parse is refused;
//   - a key written twice in a required_providers entry (Terraform keeps
//     the last), an unknown key, and any key a .tf.json object repeats
//     (HCL's JSON reader keeps every duplicate) are refused.
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
	dir         string // slash path relative to the configuration, "." for the root
	defaultHost string
	// files are the primary files in name order, then the override files
	// in name order.
	files []*configFile
	// local maps each local name a required_providers entry declares
	// (after the override files are merged) to its normalized source.
	local map[string]string
}

// configFile is one parsed configuration file.
type configFile struct {
	rel      string // slash path relative to the configuration
	name     string // base name
	src      []byte
	json     bool
	override bool
	file     *hcl.File
}

// ReadConfiguration reads the configuration in dir (every *.tf and *.tf.json
// file below it, each directory a module) as Terraform reads it; see the
// file comment. defaultHost is the registry of a provider source written
// without a host (TerraformRegistry or OpenTofuRegistry).
func ReadConfiguration(dir, defaultHost string) (*Configuration, error) {
	byDir := map[string]*configModule{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		isJSON := strings.HasSuffix(name, ".tf.json")
		if !isJSON && !strings.HasSuffix(name, ".tf") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(name, ".") {
			return fmt.Errorf("%s: Terraform ignores a file whose name starts with \".\", so the runner's checks would read a file Terraform does not; rename or remove it", rel)
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", rel, err)
		}
		cf, err := parseTerraformFile(src, rel, isJSON)
		if err != nil {
			return err
		}
		cf.name, cf.override = name, isOverrideFile(name)
		mod := filepath.ToSlash(filepath.Dir(rel))
		if byDir[mod] == nil {
			byDir[mod] = &configModule{dir: mod, defaultHost: defaultHost}
		}
		byDir[mod].files = append(byDir[mod].files, cf)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := &Configuration{dir: dir, defaultHost: defaultHost}
	for _, m := range byDir {
		sort.SliceStable(m.files, func(i, j int) bool {
			a, b := m.files[i], m.files[j]
			if a.override != b.override {
				return !a.override
			}
			return a.name < b.name
		})
		if err := m.readRequiredProviders(); err != nil {
			return nil, err
		}
		c.modules = append(c.modules, m)
	}
	sort.Slice(c.modules, func(i, j int) bool { return c.modules[i].dir < c.modules[j].dir })
	return c, nil
}

// parseTerraformFile parses one file; a .tf.json file that repeats a key
// in any object is refused, as internal/plan refuses one in a saved plan's
// snapshot.
func parseTerraformFile(src []byte, rel string, isJSON bool) (*configFile, error) {
	if isJSON {
		if err := nesting.JSON(src); err != nil {
			return nil, fmt.Errorf("read %s: %w", rel, err)
		}
		if err := plan.JSONDuplicateKey(src); err != nil {
			return nil, fmt.Errorf("read %s: %w", rel, err)
		}
	}
	f, err := parseConfigFile(src, rel, isJSON)
	if err != nil {
		return nil, err
	}
	return &configFile{rel: rel, src: src, json: isJSON, file: f}, nil
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

// readRequiredProviders fills m.local: each primary file's entries (a
// local name declared twice is an error, as in Terraform), then each
// override file's entries, each replacing the entry of its local name.
func (m *configModule) readRequiredProviders() error {
	m.local = map[string]string{}
	declared := map[string]string{} // local name → where (primary files)
	for _, f := range m.files {
		entries, err := requiredEntries(f)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !f.override {
				if at, dup := declared[e.name]; dup {
					return fmt.Errorf("%s: required_providers declares %q again (first at %s); Terraform refuses a local name declared twice outside override files", e.where, e.name, at)
				}
				declared[e.name] = e.where
			}
			var full string
			var err error
			if e.source == "" {
				// A version alone: Terraform implies the provider from the
				// name, normalized (ParseProviderPart) before it compares
				// it with "terraform".
				full, err = m.implied(e.name, true)
			} else {
				full, err = normalizeSource(e.source, m.defaultHost)
			}
			if err != nil {
				return fmt.Errorf("%s: required_providers.%s: %w", e.where, e.name, err)
			}
			m.local[e.name] = full
		}
	}
	return nil
}

// source is the normalized provider source of a local name in m: its
// required_providers entry, else the provider Terraform implies from the
// name (hashicorp/NAME on the default registry; terraform is the built-in
// provider).
func (m *configModule) source(local string) (string, error) {
	if s, ok := m.local[local]; ok {
		return s, nil
	}
	full, err := m.implied(local, false)
	if err != nil {
		return "", fmt.Errorf("provider %q (module %s): %w", local, m.dir, err)
	}
	return full, nil
}

// implied is the provider Terraform implies from a local name
// (addrs.ImpliedProviderForUnqualifiedType): the built-in provider for
// "terraform", else hashicorp/NAME on the default registry. normalized
// says Terraform normalizes the name before that comparison (a
// required_providers entry without a source) rather than after (a
// resource type's prefix).
func (m *configModule) implied(local string, normalized bool) (string, error) {
	name := local
	if normalized {
		part, err := tfaddr.ParseProviderPart(local)
		if err != nil {
			return "", fmt.Errorf("the local name %q is not a provider type Terraform accepts: %w", local, err)
		}
		name = part
	}
	if name == "terraform" {
		return builtinTerraform, nil
	}
	return normalizeSource(local, m.defaultHost)
}

// normalizeSource parses a provider source as Terraform does
// (tfaddr.ParseProviderSource, then the namespace hashicorp when none is
// written) and writes it HOST/NAMESPACE/TYPE, as the plan JSON and the
// lock file do; defaultHost is the host of a source written without one.
// A source the library cannot parse is an error.
func normalizeSource(src, defaultHost string) (string, error) {
	p, err := tfaddr.ParseProviderSource(src)
	if err != nil {
		return "", fmt.Errorf("source %q is not a provider source Terraform accepts ([HOST/]NAMESPACE/TYPE): %w", src, err)
	}
	if !p.HasKnownNamespace() || p.IsLegacy() {
		p.Namespace = "hashicorp"
	}
	host := p.Hostname.ForDisplay()
	if strings.Count(src, "/") < 2 {
		host = defaultHost
	}
	return host + "/" + p.Namespace + "/" + p.Type, nil
}

// requiredEntry is one required_providers entry.
type requiredEntry struct {
	name   string
	source string // as written; "" when the entry names none
	where  string
}

// requiredEntries reads the required_providers entries of one file, in
// order; a local name twice in one file is an error.
func requiredEntries(f *configFile) ([]requiredEntry, error) {
	content, _, diags := f.file.Body.PartialContent(rootFileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", f.rel, diags.Error())
	}
	var out []requiredEntry
	seen := map[string]bool{}
	for _, tb := range content.Blocks {
		tc, _, diags := tb.Body.PartialContent(terraformSchema)
		if diags.HasErrors() {
			return nil, fmt.Errorf("read %s: %s", f.rel, diags.Error())
		}
		for _, rp := range tc.Blocks {
			attrs, diags := rp.Body.JustAttributes()
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", f.rel, diags.Error())
			}
			names := make([]string, 0, len(attrs))
			for n := range attrs {
				names = append(names, n)
			}
			sort.Slice(names, func(i, j int) bool { return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte })
			for _, n := range names {
				a := attrs[n]
				if seen[n] {
					return nil, fmt.Errorf("%s: required_providers declares %q twice in %s; declare it once", a.Range, n, f.rel)
				}
				seen[n] = true
				src, err := requiredSource(a)
				if err != nil {
					return nil, err
				}
				out = append(out, requiredEntry{name: n, source: src, where: a.Range.String()})
			}
		}
	}
	return out, nil
}

// requiredKeys are the keys of a required_providers entry Terraform knows.
var requiredKeys = map[string]bool{"source": true, "version": true, "configuration_aliases": true}

// requiredSource reads one required_providers entry: { source = "…", … }
// or a bare version string (then the source is implied, ""). A key
// written twice (Terraform keeps the last, a reader may keep the first),
// a key Terraform does not know, and a source that is not a literal
// string are errors.
func requiredSource(a *hcl.Attribute) (string, error) {
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || !v.Type().Equals(cty.String) {
			return "", fmt.Errorf("%s: required_providers.%s: want { source = \"…\", version = \"…\" }", a.Range, a.Name)
		}
		return "", nil // a version constraint alone
	}
	seen := map[string]bool{}
	src := ""
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
		if !requiredKeys[key] {
			return "", fmt.Errorf("%s: required_providers.%s: unknown key %q (Terraform knows source, version and configuration_aliases)", a.Range, a.Name, key)
		}
		if seen[key] {
			return "", fmt.Errorf("%s: required_providers.%s: %s is written twice (Terraform keeps the last, another reader the first), so the runner refuses it; write it once", a.Range, a.Name, key)
		}
		seen[key] = true
		if key != "source" {
			continue
		}
		v, d := kv.Value.Value(nil)
		s, ok := literalString(v)
		if d.HasErrors() || !ok {
			return "", fmt.Errorf("%s: required_providers.%s.source must be a literal string", a.Range, a.Name)
		}
		if s == "" {
			return "", fmt.Errorf("%s: required_providers.%s.source is empty", a.Range, a.Name)
		}
		src = s
	}
	return src, nil
}
