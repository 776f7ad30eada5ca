package planfile

// The dependency lock file a saved plan embeds (.terraform.lock.hcl, as
// `terraform init` wrote it in the working directory): which version of
// each provider the apply may run, and the hashes of the packages it
// accepts. Read as Terraform's depsfile reads it: provider blocks only,
// each labelled with a provider source address, with a version and
// optional constraints and hashes, all literal.

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// LockedProvider is one provider block of a dependency lock file.
type LockedProvider struct {
	// Address is the provider's source address, as the lock file writes
	// it: registry.terraform.io/hashicorp/aws.
	Address string
	// Version is the selected version.
	Version string
	// Constraints are the version constraints the configuration gave, or
	// "".
	Constraints string
	// Hashes are the package hashes accepted for it (h1:…, zh:…), in file
	// order.
	Hashes []string
}

var (
	lockFileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source_addr"}}}}
	providerSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "version", Required: true}, {Name: "constraints"}, {Name: "hashes"},
	}}
)

// maxLockNesting bounds the brackets open at once in a lock file (two in
// one terraform init writes): hclsyntax's parser recurses once per level,
// and a deep enough nesting would overflow the stack rather than fail.
const maxLockNesting = 32

// parseLocks parses a lock file; its providers are returned sorted by
// address.
func parseLocks(src []byte) ([]LockedProvider, error) {
	depth := 0
	for _, c := range src {
		// Brackets in strings and comments count too: none in what
		// terraform init writes.
		switch c {
		case '{', '[', '(':
			if depth++; depth > maxLockNesting {
				return nil, fmt.Errorf("brackets nested deeper than %d", maxLockNesting)
			}
		case '}', ']', ')':
			depth--
		}
	}
	f, diags := hclsyntax.ParseConfig(src, entryLocks, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, diags := f.Body.Content(lockFileSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []LockedProvider
	seen := map[string]bool{}
	for _, b := range content.Blocks {
		lp, err := lockedProvider(b)
		if err != nil {
			return nil, err
		}
		if seen[lp.Address] {
			return nil, fmt.Errorf("provider %q is locked twice", lp.Address)
		}
		seen[lp.Address] = true
		out = append(out, lp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out, nil
}

func lockedProvider(b *hcl.Block) (LockedProvider, error) {
	lp := LockedProvider{Address: b.Labels[0]}
	parts := strings.Split(lp.Address, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" || strings.ContainsAny(lp.Address, " \t\r\n") {
		return lp, fmt.Errorf("%s: provider %q is not a full source address (HOSTNAME/NAMESPACE/TYPE)", b.DefRange, lp.Address)
	}
	content, diags := b.Body.Content(providerSchema)
	if diags.HasErrors() {
		return lp, diags
	}
	var err error
	if lp.Version, err = literalString(content.Attributes["version"]); err != nil {
		return lp, err
	}
	if lp.Version == "" {
		return lp, fmt.Errorf("%s: provider %q has an empty version", b.DefRange, lp.Address)
	}
	if a := content.Attributes["constraints"]; a != nil {
		if lp.Constraints, err = literalString(a); err != nil {
			return lp, err
		}
	}
	if a := content.Attributes["hashes"]; a != nil {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			return lp, diags
		}
		if !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
			return lp, fmt.Errorf("%s: hashes must be a list of strings", a.Range)
		}
		for it := v.ElementIterator(); it.Next(); {
			_, h := it.Element()
			if h.IsNull() || h.Type() != cty.String {
				return lp, fmt.Errorf("%s: hashes must be a list of strings", a.Range)
			}
			s := h.AsString()
			if scheme, val, ok := strings.Cut(s, ":"); !ok || scheme == "" || val == "" {
				return lp, fmt.Errorf("%s: hash %q is not SCHEME:VALUE", a.Range, s)
			}
			lp.Hashes = append(lp.Hashes, s)
		}
	}
	return lp, nil
}

// literalString evaluates an attribute that must be a literal string.
func literalString(a *hcl.Attribute) (string, error) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", errors.New(a.Range.String() + ": " + a.Name + " must be a string")
	}
	return v.AsString(), nil
}
