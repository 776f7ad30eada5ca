package policy

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// This file holds what a policy says about files the apply writes on the
// machine it runs on: host_writers (providers whose resources and data
// sources write there, besides DefaultHostWriters) and allow_host_writes
// blocks (the writes that may happen, by address and absolute path). See
// docs/guides/policy.md.

// DefaultHostWriters are the providers whose resources and data sources
// write files on the machine that applies the plan, whatever host_writers
// adds: hashicorp/local (local_file, local_sensitive_file) and
// hashicorp/archive (archive_file), from the Terraform and the OpenTofu
// registry.
var DefaultHostWriters = []string{
	"registry.terraform.io/hashicorp/local",
	"registry.opentofu.org/hashicorp/local",
	"registry.terraform.io/hashicorp/archive",
	"registry.opentofu.org/hashicorp/archive",
}

var allowHostWritesSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "addresses", Required: true},
		{Name: "paths", Required: true},
	},
}

// HostWriteAllowance is one allow_host_writes block: a resource or data
// source whose address matches one of Addresses may write a file whose
// planned absolute path matches one of Paths.
type HostWriteAllowance struct {
	// Name is the block's label, unique among allow_host_writes blocks.
	Name string
	// Addresses are instance address globs ('*' and '?' match any
	// characters): local_file.kubeconfig, data.archive_file.lambda,
	// module.app.local_file.out["a"].
	Addresses []string
	// Paths are absolute, clean path patterns in the syntax of Go's
	// path.Match: '*' matches any run of characters but '/', '?' one of
	// them, [...] a class.
	Paths []string
	// Range is the block's header, for messages.
	Range hcl.Range

	addrs []glob
}

// decodeHostWrites reads the host_writers attribute and the
// allow_host_writes blocks.
func decodeHostWrites(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if a, ok := content.Attributes["host_writers"]; ok {
		list, ranges, more := stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range list {
			if strings.ContainsAny(s, " \t\r\n") || strings.Count(s, "/") != 2 && !strings.Contains(s, "*") {
				diags = append(diags, errorAt(ranges[i], "Invalid provider source",
					fmt.Sprintf("host_writers[%d] %q: want a provider source address as the plan JSON prints it, HOSTNAME/NAMESPACE/TYPE (e.g. \"registry.terraform.io/hashicorp/local\"), with '*' and '?' as wildcards.", i, s)))
			}
		}
		p.HostWriters = list
	}
	for _, s := range append(slices.Clone(DefaultHostWriters), p.HostWriters...) {
		p.hostWriters = append(p.hostWriters, compileGlob(s))
	}
	seen := map[string]*HostWriteAllowance{}
	for _, b := range content.Blocks {
		if b.Type != "allow_host_writes" {
			continue
		}
		al, d := decodeHostWriteAllowance(b)
		diags = append(diags, d...)
		if first, dup := seen[al.Name]; dup {
			diags = append(diags, errorAt(b.LabelRanges[0], "Duplicate allow_host_writes block",
				fmt.Sprintf("An allow_host_writes block named %q is already defined at %s; names must be unique.", al.Name, first.Range)))
			continue
		}
		seen[al.Name] = al
		p.AllowHostWrites = append(p.AllowHostWrites, al)
	}
	return diags
}

func decodeHostWriteAllowance(b *hcl.Block) (*HostWriteAllowance, hcl.Diagnostics) {
	al := &HostWriteAllowance{Name: b.Labels[0], Range: b.DefRange}
	var diags hcl.Diagnostics
	if !namePattern.MatchString(al.Name) {
		diags = append(diags, errorAt(b.LabelRanges[0], "Invalid allow_host_writes name",
			fmt.Sprintf("allow_host_writes %q: a name may only contain letters, digits, '.', '_' and '-', and must not be empty.", al.Name)))
	}
	content, more := b.Body.Content(allowHostWritesSchema)
	diags = append(diags, more...)
	if a, ok := content.Attributes["addresses"]; ok {
		var ranges []hcl.Range
		al.Addresses, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range al.Addresses {
			if strings.Trim(s, "*?") == "" || strings.ContainsAny(s, " \t\r\n") {
				diags = append(diags, errorAt(ranges[i], "Invalid address glob",
					fmt.Sprintf("addresses[%d] %q: name the resource or data source instances that may write, as the plan prints their addresses (e.g. \"local_file.kubeconfig\", \"data.archive_file.lambda\"), with '*' and '?' as wildcards; an allowance for every address would allow any write.", i, s)))
				continue
			}
			al.addrs = append(al.addrs, compileGlob(s))
		}
	}
	if a, ok := content.Attributes["paths"]; ok {
		var ranges []hcl.Range
		al.Paths, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range al.Paths {
			if msg := badPathPattern(s); msg != "" {
				diags = append(diags, errorAt(ranges[i], "Invalid path pattern", fmt.Sprintf("paths[%d] %q: %s.", i, s, msg)))
			}
		}
	}
	return al, diags
}

// badPathPattern says what is wrong with a path pattern of
// allow_host_writes, "" when nothing is.
func badPathPattern(s string) string {
	switch {
	case !strings.HasPrefix(s, "/"):
		return "want an absolute path (a relative one is written in Terraform's working directory, where the apply's providers are installed)"
	case path.Clean(s) != s:
		return fmt.Sprintf("want a clean path, without \"..\", \".\", \"//\" or a trailing '/' (%q)", path.Clean(s))
	case strings.ContainsAny(s, "\\\x00\r\n"):
		return "a path pattern may not contain '\\', NUL or line breaks"
	case strings.Contains(s, "**"):
		return `"**" is not supported: '*' matches within one path element; list each directory`
	}
	if _, err := path.Match(s, ""); err != nil {
		return "not a valid pattern: " + err.Error()
	}
	els := strings.Split(s[1:], "/")
	for i, el := range els {
		if strings.Trim(el, "*?") == "" && (i < len(els)-1 || len(els) == 1) {
			return "only the last element of the path may be wildcards alone, and not the first (\"/*\" or \"/srv/*/x\" would allow any directory)"
		}
	}
	return ""
}

// WritesHost reports whether the provider source writes files on the
// machine that applies the plan: DefaultHostWriters and the policy's
// host_writers.
func (p *Policy) WritesHost(source string) bool {
	globs := p.hostWriters
	if globs == nil {
		// A Policy not made by Parse: the defaults still hold.
		for _, s := range DefaultHostWriters {
			globs = append(globs, compileGlob(s))
		}
	}
	for _, g := range globs {
		if g.match(source) {
			return true
		}
	}
	return false
}

// AllowingHostWrite returns the names of the allow_host_writes blocks
// that allow the instance at address to write the file at the absolute
// path file, in policy order. The caller checks file itself (known,
// absolute, clean, outside the apply's own directories).
func (p *Policy) AllowingHostWrite(address, file string) []string {
	var out []string
	for _, al := range p.AllowHostWrites {
		if !slices.ContainsFunc(al.addrs, func(g glob) bool { return g.match(address) }) {
			continue
		}
		if slices.ContainsFunc(al.Paths, func(pat string) bool { ok, err := path.Match(pat, file); return err == nil && ok }) {
			out = append(out, al.Name)
		}
	}
	return out
}
