// Package lockfile reads Terraform's and OpenTofu's dependency lock file
// (.terraform.lock.hcl) and compares a lock file the change's author wrote
// with a trusted one: the only provider builds that may run in the gate and
// the apply are those whose hashes a reviewer locked.
package lockfile

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// Provider is one provider block of a lock file.
type Provider struct {
	// Source is the provider's address as the block labels it, such as
	// "registry.terraform.io/hashicorp/aws".
	Source string
	// Version is the locked version.
	Version string
	// Constraints are the version constraints the configuration gave, or "".
	Constraints string
	// Hashes are the locked package hashes ("h1:…", "zh:…").
	Hashes []string
}

// Locks maps a provider source address to its lock.
type Locks map[string]Provider

var (
	rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "provider", LabelNames: []string{"source"}},
		{Type: "module", LabelNames: []string{"source"}}, // reserved by Terraform; refused below
	}}
	providerSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "version", Required: true}, {Name: "constraints"}, {Name: "hashes"},
	}}
)

// Parse reads a lock file strictly: only provider blocks, each with a
// version and a list of hashes, each source once. filename names the
// source in messages.
func Parse(src []byte, filename string) (Locks, error) {
	// hclsyntax's parser recurses once per level: refuse deep nesting
	// before it overflows the stack rather than fails.
	if err := nesting.HCL(src); err != nil {
		return nil, fmt.Errorf("lock file %s: %w", filename, err)
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("lock file %s: %w", filename, diags)
	}
	content, diags := file.Body.Content(rootSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("lock file %s: %w", filename, diags)
	}
	locks := Locks{}
	for _, b := range content.Blocks {
		if b.Type != "provider" {
			return nil, fmt.Errorf("lock file %s: %s: %s blocks are not supported", filename, b.DefRange, b.Type)
		}
		p, err := decodeProvider(b)
		if err != nil {
			return nil, fmt.Errorf("lock file %s: %w", filename, err)
		}
		key := Normalize(p.Source)
		if _, dup := locks[key]; dup {
			return nil, fmt.Errorf("lock file %s: %s: provider %q is locked twice", filename, b.DefRange, p.Source)
		}
		locks[key] = p
	}
	return locks, nil
}

func decodeProvider(b *hcl.Block) (Provider, error) {
	p := Provider{Source: b.Labels[0]}
	parts := strings.Split(p.Source, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" || strings.ContainsAny(p.Source, " \t\r\n") {
		return p, fmt.Errorf("%s: provider %q: want a full source address HOST/NAMESPACE/TYPE", b.DefRange, p.Source)
	}
	content, diags := b.Body.Content(providerSchema)
	if diags.HasErrors() {
		return p, diags
	}
	v, err := tfsource.LiteralValue(content.Attributes["version"].Expr)
	if err != nil || v.IsNull() || !v.IsKnown() || v.Type() != cty.String || v.AsString() == "" {
		return p, fmt.Errorf("%s: provider %q: version must be a string", b.DefRange, p.Source)
	}
	p.Version = v.AsString()
	if a, ok := content.Attributes["constraints"]; ok {
		cv, err := tfsource.LiteralValue(a.Expr)
		if err != nil || cv.IsNull() || !cv.IsKnown() || cv.Type() != cty.String {
			return p, fmt.Errorf("%s: provider %q: constraints must be a string", a.Range, p.Source)
		}
		p.Constraints = cv.AsString()
	}
	if a, ok := content.Attributes["hashes"]; ok {
		hv, err := tfsource.LiteralValue(a.Expr)
		if err != nil || hv.IsNull() || !hv.IsWhollyKnown() || !(hv.Type().IsTupleType() || hv.Type().IsListType()) {
			return p, fmt.Errorf("%s: provider %q: hashes must be a list of strings", a.Range, p.Source)
		}
		for it := hv.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() || e.Type() != cty.String {
				return p, fmt.Errorf("%s: provider %q: hashes must be a list of strings", a.Range, p.Source)
			}
			h := e.AsString()
			scheme, val, ok := strings.Cut(h, ":")
			if !ok || scheme == "" || val == "" {
				return p, fmt.Errorf("%s: provider %q: hash %q has no scheme (h1:, zh:)", a.Range, p.Source, h)
			}
			p.Hashes = append(p.Hashes, h)
		}
	}
	return p, nil
}

// Normalize lower-cases a provider source address, as Terraform compares
// them, and adds the default registry host to a short address.
func Normalize(source string) string {
	s := strings.ToLower(source)
	if strings.Count(s, "/") == 1 {
		s = "registry.terraform.io/" + s
	}
	return s
}

// Untrusted is why a lock file names a provider build the trusted lock
// file does not.
type Untrusted struct {
	// Where names the lock file checked ("the saved plan", "the working
	// directory").
	Where string
	// Problems lists each provider, version and hash at fault.
	Problems []string
}

func (e *Untrusted) Error() string {
	return fmt.Sprintf("%s's lock file names provider builds the trusted lock file does not: %s", e.Where, strings.Join(e.Problems, "; "))
}

// Check returns an *Untrusted error unless every provider in got is in
// trusted at the same version with only hashes trusted lists, and every
// provider in used (source addresses the plan uses; may be nil) is in got.
// where names got in the message.
func Check(trusted, got Locks, used []string, where string) error {
	e := &Untrusted{Where: where}
	sources := make([]string, 0, len(got))
	for k := range got {
		sources = append(sources, k)
	}
	sort.Strings(sources)
	for _, k := range sources {
		g := got[k]
		t, ok := trusted[k]
		switch {
		case !ok:
			e.Problems = append(e.Problems, fmt.Sprintf("provider %s %s is not in the trusted lock file", g.Source, g.Version))
		case g.Version != t.Version:
			e.Problems = append(e.Problems, fmt.Sprintf("provider %s is locked at %s, the trusted lock file has %s", g.Source, g.Version, t.Version))
		default:
			if len(g.Hashes) == 0 {
				e.Problems = append(e.Problems, fmt.Sprintf("provider %s %s lists no hashes, so any build would be accepted", g.Source, g.Version))
			}
			for _, h := range g.Hashes {
				if !slices.Contains(t.Hashes, h) {
					e.Problems = append(e.Problems, fmt.Sprintf("provider %s %s hash %s is not in the trusted lock file", g.Source, g.Version, h))
				}
			}
		}
	}
	for _, u := range used {
		if _, ok := got[Normalize(u)]; !ok {
			e.Problems = append(e.Problems, fmt.Sprintf("provider %s is used by the plan but not locked", u))
		}
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}

// Subset returns the provider blocks of the lock file src (read strictly,
// as Parse does) whose sources are in sources, byte for byte as src writes
// them, in src's order: the trusted lock file cut down to the providers a
// configuration requires, since `terraform init -lockfile=readonly`
// refuses a lock file that lists a provider the configuration does not
// need. A source in sources that src does not lock is left out (init then
// refuses it). filename names src in messages.
func Subset(src []byte, filename string, sources []string) ([]byte, error) {
	if _, err := Parse(src, filename); err != nil {
		return nil, err
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("lock file %s: %w", filename, diags)
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("lock file %s: not native syntax", filename)
	}
	want := map[string]bool{}
	for _, s := range sources {
		want[Normalize(s)] = true
	}
	var out []byte
	for _, b := range body.Blocks {
		if b.Type != "provider" || len(b.Labels) != 1 || !want[Normalize(b.Labels[0])] {
			continue
		}
		r := b.Range()
		if len(out) > 0 {
			out = append(out, '\n')
		}
		out = append(out, src[r.Start.Byte:r.End.Byte]...)
		out = append(out, '\n')
	}
	return out, nil
}
