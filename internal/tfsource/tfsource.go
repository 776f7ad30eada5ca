// Package tfsource is planguard's one reading of which provider a local
// provider name of a Terraform (or OpenTofu) module stands for. Both
// readers of configuration use it: the runner's, on the files a client
// sent (internal/runner), and the CI gate's, on the configuration
// snapshot of a saved plan (internal/plan). Each reader judging its own
// reading is how a check came to judge one provider while Terraform ran
// another: a source written twice, an override file's required_providers,
// a source Terraform normalizes. So the reading follows Terraform's, per
// module directory, on files held in memory (a name and its bytes):
//
//   - the files are *.tf and *.tf.json (and OpenTofu's *.tofu and
//     *.tofu.json where the caller reads them), primary files in name
//     order, then override files (override.tf, *_override.tf, and their
//     other forms) in name order, merged last, as Terraform loads them; a
//     file Terraform ignores (a name starting with "." or "#", or ending
//     with "~") is for the caller to refuse (Ignored);
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
package tfsource

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	tfaddr "github.com/hashicorp/terraform-registry-address"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Registry hosts of a provider source written without a host.
const (
	TerraformRegistry = "registry.terraform.io"
	OpenTofuRegistry  = "registry.opentofu.org"
)

// BuiltinTerraform is the source of the built-in provider (terraform_data,
// terraform_remote_state, provider::terraform::… functions).
const BuiltinTerraform = "terraform.io/builtin/terraform"

// File is one parsed configuration file of a module directory.
type File struct {
	// Path names the file in messages: a slash path relative to the
	// configuration (the runner) or to the root module (a snapshot).
	Path string
	// Name is its base name, which decides its kind and its order.
	Name     string
	Src      []byte
	JSON     bool
	Override bool
	HCL      *hcl.File
}

// Kind reports whether name is a configuration file name (ok), and
// whether it is JSON syntax: *.tf and *.tf.json, and with tofu OpenTofu's
// *.tofu and *.tofu.json as well.
func Kind(name string, tofu bool) (isJSON, ok bool) {
	for _, s := range []struct {
		suffix string
		json   bool
		tofu   bool
	}{{".tf", false, false}, {".tf.json", true, false}, {".tofu", false, true}, {".tofu.json", true, true}} {
		if (tofu || !s.tofu) && strings.HasSuffix(name, s.suffix) && len(name) > len(s.suffix) {
			return s.json, true
		}
	}
	return false, false
}

// Ignored reports whether Terraform and OpenTofu skip a file of that name
// in a module directory (configs.IsIgnoredFile, generously: any name
// starting with "#"): a reader that reads it would read a file they do
// not, so callers refuse it.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~")
}

// IgnoredError is the error for a file name Ignored reports, p naming it.
func IgnoredError(p string) error {
	return fmt.Errorf("%s: Terraform ignores a file whose name starts with \".\" or \"#\" or ends with \"~\", so planguard's checks would read a file Terraform does not; rename or remove it", p)
}

// IsOverride reports whether Terraform (or OpenTofu) reads name as an
// override file: override or NAME_override, with any configuration
// extension.
func IsOverride(name string) bool {
	for _, ext := range []string{".tf.json", ".tofu.json", ".tf", ".tofu"} {
		if base, ok := strings.CutSuffix(name, ext); ok && base != "" {
			return base == "override" || strings.HasSuffix(base, "_override")
		}
	}
	return false
}

// Parse parses src, the file at p (a slash path; its base name says its
// kind: JSON syntax for *.tf.json and *.tofu.json). A file nested too
// deeply for the parsers' stacks, a .tf.json file that repeats a key in
// any object, and a file that does not parse are errors naming p.
func Parse(p string, src []byte) (*File, error) {
	name := path.Base(p)
	isJSON := strings.HasSuffix(name, ".json")
	if isJSON {
		if err := nesting.JSON(src); err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if err := nesting.HCLJSON(src); err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if err := JSONDuplicateKey(src); err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
	} else if err := nesting.HCL(src); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if isJSON {
		f, diags = hcljson.Parse(src, p)
	} else {
		f, diags = hclsyntax.ParseConfig(src, p, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", p, diags.Error())
	}
	return &File{Path: p, Name: name, Src: src, JSON: isJSON, Override: IsOverride(name), HCL: f}, nil
}

// Sort orders the files of one module as Terraform loads them: primary
// files in name order, then override files in name order.
func Sort(files []*File) {
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i], files[j]
		if a.Override != b.Override {
			return !a.Override
		}
		return a.Name < b.Name
	})
}

// Provider is what a local name stands for in a module.
type Provider struct {
	// Source is the normalized source address, HOST/NAMESPACE/TYPE.
	Source string
	// DefaultHost is set when the host is the default registry's because
	// none was written (or the provider is implied from the local name).
	DefaultHost bool
}

// Module is one module directory: its files in Terraform's order and what
// its local provider names stand for.
type Module struct {
	// Files are the primary files in name order, then the override files
	// in name order.
	Files []*File
	// DefaultHostName is the registry of a source written without a host.
	DefaultHostName string
	// Local maps each local name a required_providers entry declares
	// (after the override files are merged) to its provider.
	Local map[string]Provider
}

// FileError is an error of ReadModule about one file; its message names
// the file and where in it.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ReadModule sorts files (Sort) and reads their required_providers
// entries: each primary file's (a local name declared twice is an error,
// as in Terraform), then each override file's, each replacing the entry
// of its local name. defaultHost is the registry of a source written
// without a host (TerraformRegistry or OpenTofuRegistry). An error is a
// *FileError.
func ReadModule(files []*File, defaultHost string) (*Module, error) {
	m := &Module{Files: append([]*File(nil), files...), DefaultHostName: defaultHost, Local: map[string]Provider{}}
	Sort(m.Files)
	declared := map[string]string{} // local name → where (primary files)
	for _, f := range m.Files {
		fail := func(err error) (*Module, error) { return nil, &FileError{Path: f.Path, Err: err} }
		entries, err := requiredEntries(f)
		if err != nil {
			return fail(err)
		}
		for _, e := range entries {
			if !f.Override {
				if at, dup := declared[e.name]; dup {
					return fail(fmt.Errorf("%s: required_providers declares %q again (first at %s); Terraform refuses a local name declared twice outside override files", e.where, e.name, at))
				}
				declared[e.name] = e.where
			}
			var p Provider
			var err error
			if e.source == "" {
				// A version alone: Terraform implies the provider from the
				// name, normalized (ParseProviderPart) before it compares
				// it with "terraform".
				p, err = m.Implied(e.name, true)
			} else {
				p, err = normalize(e.source, defaultHost)
			}
			if err != nil {
				return fail(fmt.Errorf("%s: required_providers.%s: %w", e.where, e.name, err))
			}
			m.Local[e.name] = p
		}
	}
	return m, nil
}

// Resolve is the provider a local name stands for in m: its
// required_providers entry, else the provider Terraform implies from the
// name (hashicorp/NAME on the default registry; terraform is the built-in
// provider).
func (m *Module) Resolve(local string) (Provider, error) {
	if p, ok := m.Local[local]; ok {
		return p, nil
	}
	return m.Implied(local, false)
}

// Source is the normalized source address of a local name (Resolve).
func (m *Module) Source(local string) (string, error) {
	p, err := m.Resolve(local)
	return p.Source, err
}

// Implied is the provider Terraform implies from a local name
// (addrs.ImpliedProviderForUnqualifiedType): the built-in provider for
// "terraform", else hashicorp/NAME on the default registry. normalized
// says Terraform normalizes the name before that comparison (a
// required_providers entry without a source) rather than after (a
// resource type's prefix).
func (m *Module) Implied(local string, normalized bool) (Provider, error) {
	name := local
	if normalized {
		part, err := tfaddr.ParseProviderPart(local)
		if err != nil {
			return Provider{}, fmt.Errorf("the local name %q is not a provider type Terraform accepts: %w", local, err)
		}
		name = part
	}
	if name == "terraform" {
		return Provider{Source: BuiltinTerraform}, nil
	}
	return normalize(local, m.DefaultHostName)
}

// NormalizeSource parses a provider source as Terraform does
// (tfaddr.ParseProviderSource, then the namespace hashicorp when none is
// written) and writes it HOST/NAMESPACE/TYPE, as the plan JSON and the
// lock file do; defaultHost is the host of a source written without one.
// A source the library cannot parse is an error.
func NormalizeSource(src, defaultHost string) (string, error) {
	p, err := normalize(src, defaultHost)
	return p.Source, err
}

func normalize(src, defaultHost string) (Provider, error) {
	p, err := tfaddr.ParseProviderSource(src)
	if err != nil {
		return Provider{}, fmt.Errorf("source %q is not a provider source Terraform accepts ([HOST/]NAMESPACE/TYPE): %w", src, err)
	}
	if !p.HasKnownNamespace() || p.IsLegacy() {
		p.Namespace = "hashicorp"
	}
	host := p.Hostname.ForDisplay()
	defaulted := strings.Count(src, "/") < 2
	if defaulted {
		host = defaultHost
	}
	return Provider{Source: host + "/" + p.Namespace + "/" + p.Type, DefaultHost: defaulted}, nil
}

var (
	rootFileSchema  = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}}
	terraformSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "required_providers"}}}
)

// requiredEntry is one required_providers entry.
type requiredEntry struct {
	name   string
	source string // as written; "" when the entry names none
	where  string
}

// requiredEntries reads the required_providers entries of one file, in
// order; a local name twice in one file is an error.
func requiredEntries(f *File) ([]requiredEntry, error) {
	content, _, diags := f.HCL.Body.PartialContent(rootFileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
	}
	var out []requiredEntry
	seen := map[string]bool{}
	for _, tb := range content.Blocks {
		tc, _, diags := tb.Body.PartialContent(terraformSchema)
		if diags.HasErrors() {
			return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
		}
		for _, rp := range tc.Blocks {
			attrs, diags := rp.Body.JustAttributes()
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
			}
			names := make([]string, 0, len(attrs))
			for n := range attrs {
				names = append(names, n)
			}
			sort.Slice(names, func(i, j int) bool { return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte })
			for _, n := range names {
				a := attrs[n]
				if seen[n] {
					return nil, fmt.Errorf("%s: required_providers declares %q twice in %s; declare it once", a.Range, n, f.Path)
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
		v, err := LiteralValue(a.Expr)
		if err != nil || !v.Type().Equals(cty.String) {
			return "", fmt.Errorf("%s: required_providers.%s: want { source = \"…\", version = \"…\" }", a.Range, a.Name)
		}
		return "", nil // a version constraint alone
	}
	seen := map[string]bool{}
	src := ""
	for _, kv := range pairs {
		k, err := LiteralValue(kv.Key)
		key, ok := "", false
		if err == nil {
			key, ok = LiteralString(k)
		}
		if !ok {
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
			return "", fmt.Errorf("%s: required_providers.%s: %s is written twice (Terraform keeps the last, another reader the first), so planguard refuses it; write it once", a.Range, a.Name, key)
		}
		seen[key] = true
		if key != "source" {
			continue
		}
		v, err := LiteralValue(kv.Value)
		if err != nil {
			return "", fmt.Errorf("%s: required_providers.%s.source %w", a.Range, a.Name, err)
		}
		s, ok := LiteralString(v)
		if !ok {
			return "", fmt.Errorf("%s: required_providers.%s.source must be a literal string", a.Range, a.Name)
		}
		if s == "" {
			return "", fmt.Errorf("%s: required_providers.%s.source is empty", a.Range, a.Name)
		}
		src = s
	}
	return src, nil
}

// LiteralString is v's string when v is a known, non-null, unmarked
// string: cty's AsString panics on anything else, and a configuration can
// write a typed null ((true ? null : "x")).
func LiteralString(v cty.Value) (string, bool) {
	if v == cty.NilVal || v.IsMarked() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// JSONDuplicateKey returns an error naming the first key that an object of
// the JSON document src has twice, or saying why src is not one JSON
// value. HCL's JSON reader (Terraform's, for *.tf.json files) keeps every
// duplicate where another reader keeps one, so planguard refuses such a
// file wherever it reads one.
func JSONDuplicateKey(src []byte) error {
	dec := json.NewDecoder(bytes.NewReader(src))
	depth := 0
	var value func() error
	value = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		if depth++; depth > nesting.Max {
			return errors.New("nested too deeply")
		}
		defer func() { depth-- }()
		if d == '{' {
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if seen[k] {
					return fmt.Errorf("an object has the key %q twice: Terraform's reader keeps both where another keeps one, so planguard refuses it; merge them into one", k)
				}
				seen[k] = true
				if err := value(); err != nil {
					return err
				}
			}
		} else {
			for dec.More() {
				if err := value(); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token()
		return err
	}
	if err := value(); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// TerraformBlockSchema is everything a terraform block may hold where
// planguard runs Terraform on a configuration it did not write (the
// runner's plans, the room a saved plan is shown and applied in): the
// settings that run no code. Anything else is refused, so that a block a
// newer Terraform or OpenTofu adds fails closed: OpenTofu 1.7's encryption
// block chooses keys with the job's credentials, and from 1.10 its
// key_provider "external" and method "external" run a command at init.
var TerraformBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}, {Name: "experiments"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "backend", LabelNames: []string{"type"}},
		{Type: "cloud"},
		{Type: "required_providers"},
		{Type: "provider_meta", LabelNames: []string{"provider"}},
	},
}

// CheckTerraformBlocks refuses a terraform block of f that holds anything
// but required_version, experiments, backend, cloud, required_providers and
// provider_meta (an encryption block, for one).
func CheckTerraformBlocks(f *File) error {
	content, _, diags := f.HCL.Body.PartialContent(rootFileSchema)
	if diags.HasErrors() {
		return &FileError{Path: f.Path, Err: fmt.Errorf("read %s: %s", f.Path, diags.Error())}
	}
	for _, tb := range content.Blocks {
		if _, diags := tb.Body.Content(TerraformBlockSchema); diags.HasErrors() {
			return &FileError{Path: f.Path, Err: fmt.Errorf("%s: the terraform block holds what planguard does not allow (%s): a terraform block may hold only required_version, experiments, backend, cloud, required_providers and provider_meta; an encryption block (OpenTofu) chooses keys with the credentials planguard runs Terraform with and can run a command at init, so state and plan encryption is the operator's (TF_ENCRYPTION in the job), not the configuration's", tb.DefRange.String(), diags.Error())}
		}
	}
	return nil
}
