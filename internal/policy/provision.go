package policy

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// This file holds what a policy says about code the apply runs:
// allow_provisioners blocks and the providers attribute. See
// docs/guides/policy.md.

// ProvisionerTypes are the provisioner types a policy may name: Terraform's
// three, and "removed-block", which stands for the destroy-time provisioners
// a `removed` block may declare (Terraform 1.9+), which the plan JSON does
// not show.
var ProvisionerTypes = []string{"local-exec", "remote-exec", "file", "removed-block"}

// DefaultProvisionApprovals is the number of approvals a provisioner needs
// when no protect rule matches its resource.
const DefaultProvisionApprovals = 1

var allowProvisionersSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "addresses"},
		{Name: "types", Required: true},
	},
}

// ProvisionerAllowance is one allow_provisioners block: provisioners of the
// listed types on resources whose instance address matches run without
// approval.
type ProvisionerAllowance struct {
	// Name is the block's label, unique among allow_provisioners blocks.
	Name string
	// Addresses are resource address globs (as in protect); empty means
	// any address.
	Addresses []string
	// Types are provisioner type globs over ProvisionerTypes.
	Types []string
	// Range is the block's header, for messages.
	Range hcl.Range

	types []glob
	addrs []*addrPattern
}

// decodeProvisioning reads the providers attribute and the
// allow_provisioners blocks.
func decodeProvisioning(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if a, ok := content.Attributes["providers"]; ok {
		list, ranges, more := stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range list {
			if strings.ContainsAny(s, " \t\r\n") || strings.Count(s, "/") != 2 && !strings.Contains(s, "*") {
				diags = append(diags, errorAt(ranges[i], "Invalid provider source",
					fmt.Sprintf("providers[%d] %q: want a provider source address as the plan JSON prints it, HOSTNAME/NAMESPACE/TYPE (e.g. \"registry.terraform.io/hashicorp/aws\", \"terraform.io/builtin/terraform\"), with '*' and '?' as wildcards.", i, s)))
				continue
			}
			p.providers = append(p.providers, compileGlob(s))
		}
		p.Providers = list
		if p.Providers == nil {
			// An invalid list still restricts (the policy is refused anyway).
			p.Providers = []string{}
		}
	}
	seen := map[string]*ProvisionerAllowance{}
	for _, b := range content.Blocks {
		if b.Type != "allow_provisioners" {
			continue
		}
		al, d := decodeAllowance(b)
		diags = append(diags, d...)
		if first, dup := seen[al.Name]; dup {
			diags = append(diags, errorAt(b.LabelRanges[0], "Duplicate allow_provisioners block",
				fmt.Sprintf("An allow_provisioners block named %q is already defined at %s; names must be unique.", al.Name, first.Range)))
			continue
		}
		seen[al.Name] = al
		p.AllowProvisioners = append(p.AllowProvisioners, al)
	}
	return diags
}

func decodeAllowance(b *hcl.Block) (*ProvisionerAllowance, hcl.Diagnostics) {
	al := &ProvisionerAllowance{Name: b.Labels[0], Range: b.DefRange}
	var diags hcl.Diagnostics
	if !namePattern.MatchString(al.Name) {
		diags = append(diags, errorAt(b.LabelRanges[0], "Invalid allow_provisioners name",
			fmt.Sprintf("allow_provisioners %q: a name may only contain letters, digits, '.', '_' and '-', and must not be empty.", al.Name)))
	}
	content, more := b.Body.Content(allowProvisionersSchema)
	diags = append(diags, more...)
	if a, ok := content.Attributes["types"]; ok {
		var ranges []hcl.Range
		al.Types, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, t := range al.Types {
			g := compileGlob(t)
			matched := false
			for _, known := range ProvisionerTypes {
				matched = matched || g.match(known)
			}
			if !matched {
				diags = append(diags, errorAt(ranges[i], "Unknown provisioner type",
					fmt.Sprintf("types[%d] %q matches none of %s.", i, t, strings.Join(ProvisionerTypes, ", "))))
				continue
			}
			al.types = append(al.types, g)
		}
	}
	if a, ok := content.Attributes["addresses"]; ok {
		var ranges []hcl.Range
		al.Addresses, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range al.Addresses {
			pat, err := compileAddrPattern(s)
			if err != nil {
				diags = append(diags, errorAt(ranges[i], "Invalid address glob", fmt.Sprintf("addresses[%d] %q: %s.", i, s, err)))
				continue
			}
			al.addrs = append(al.addrs, pat)
		}
	}
	return al, diags
}

// RestrictsProviders reports whether the policy lists the providers a plan
// may use.
func (p *Policy) RestrictsProviders() bool { return p.Providers != nil }

// AllowsProvider reports whether a plan may use the provider source: true
// when the policy sets no providers, else when one of its globs matches.
// The empty source (a provider the plan does not name) is never allowed by
// a restricting policy.
func (p *Policy) AllowsProvider(source string) bool {
	if p.Providers == nil {
		return true
	}
	if source == "" {
		return false
	}
	for _, g := range p.providers {
		if g.match(source) {
			return true
		}
	}
	return false
}

// AllowingProvisioner returns the names of the allow_provisioners blocks
// that allow a provisioner of type provType on the resource instance at
// address, in policy order. An address that does not parse matches only
// blocks without addresses.
func (p *Policy) AllowingProvisioner(address, provType string) []string {
	addr, err := parseAddress(address)
	var out []string
	for _, al := range p.AllowProvisioners {
		typeOK := false
		for _, g := range al.types {
			typeOK = typeOK || g.match(provType)
		}
		if !typeOK {
			continue
		}
		addrOK := len(al.addrs) == 0
		if err == nil && addr.mode == modeManaged {
			for _, pat := range al.addrs {
				addrOK = addrOK || pat.match(&addr)
			}
		}
		if addrOK {
			out = append(out, al.Name)
		}
	}
	return out
}

// ProvisionRequirement is what approvals of the provisioners of one
// resource instance need: the strictest of the protect rules matching the
// resource (whatever their actions), or DefaultProvisionApprovals
// approvals when none does.
func (p *Policy) ProvisionRequirement(address, resourceType string) Requirement {
	req := Requirement{Approvals: DefaultProvisionApprovals}
	for _, r := range p.match(address, resourceType, actAll) {
		req.Rules = append(req.Rules, r.Name)
		req.Approvals = max(req.Approvals, r.Approvals)
		if r.MaxTTL > 0 && (req.MaxTTL == 0 || r.MaxTTL < req.MaxTTL) {
			req.MaxTTL = r.MaxTTL
		}
	}
	return req
}
