package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// This file holds what a policy says about code the apply runs through
// providers rather than resources: provider_exec blocks (commands a
// provider configuration may run), program_providers (providers whose
// data sources run programs) and allow_apply_reads (data sources of those
// providers that may be read during the apply). See docs/guides/policy.md.

// DefaultProgramProviders are the providers whose data sources run a
// program of the configuration's choosing, whatever program_providers
// adds: hashicorp/external from the Terraform and the OpenTofu registry.
var DefaultProgramProviders = []string{
	"registry.terraform.io/hashicorp/external",
	"registry.opentofu.org/hashicorp/external",
}

var providerExecSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "provider", Required: true},
		{Name: "command", Required: true},
		{Name: "args"},
		{Name: "env"},
	},
}

// ProviderExec is one provider_exec block: a provider configuration of
// that provider may run exactly this command line.
type ProviderExec struct {
	// Provider is the provider source address, exactly as the plan JSON
	// prints it (no wildcards).
	Provider string
	// Command is the program (or, for a string-valued setting such as
	// credential_process, the whole string).
	Command string
	// Args are its arguments, in order; none by default.
	Args []string
	// Env is the environment an exec block adds; none by default.
	Env map[string]string
	// Range is the block's header, for messages.
	Range hcl.Range
}

// decodeProviderExec reads the provider_exec blocks and the
// program_providers and allow_apply_reads attributes.
func decodeProviderExec(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range content.Blocks {
		if b.Type != "provider_exec" {
			continue
		}
		pe, d := decodeExecBlock(b)
		diags = append(diags, d...)
		p.ProviderExecs = append(p.ProviderExecs, pe)
	}
	if a, ok := content.Attributes["program_providers"]; ok {
		list, ranges, more := stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range list {
			if strings.ContainsAny(s, " \t\r\n") || strings.Count(s, "/") != 2 && !strings.Contains(s, "*") {
				diags = append(diags, errorAt(ranges[i], "Invalid provider source",
					fmt.Sprintf("program_providers[%d] %q: want a provider source address as the plan JSON prints it, HOSTNAME/NAMESPACE/TYPE (e.g. \"registry.terraform.io/hashicorp/external\"), with '*' and '?' as wildcards.", i, s)))
				continue
			}
		}
		p.ProgramProviders = list
	}
	for _, s := range append(slices.Clone(DefaultProgramProviders), p.ProgramProviders...) {
		p.programProviders = append(p.programProviders, compileGlob(s))
	}
	if a, ok := content.Attributes["allow_apply_reads"]; ok {
		list, ranges, more := stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range list {
			if !strings.HasPrefix(s, "data.") && !(strings.HasPrefix(s, "module.") && strings.Contains(s, ".data.")) &&
				!strings.HasPrefix(s, "ephemeral.") && !(strings.HasPrefix(s, "module.") && strings.Contains(s, ".ephemeral.")) {
				diags = append(diags, errorAt(ranges[i], "Invalid data source address",
					fmt.Sprintf("allow_apply_reads[%d] %q: want a data source instance address as the plan prints it (e.g. \"data.external.lookup\", \"module.ops.data.external.token[0]\"), or an ephemeral block's address (e.g. \"ephemeral.external.token\", \"module.ops.ephemeral.vault_secret.db\"), with '*' and '?' as wildcards.", i, s)))
				continue
			}
			p.applyReads = append(p.applyReads, compileGlob(s))
		}
		p.AllowApplyReads = list
	}
	return diags
}

func decodeExecBlock(b *hcl.Block) (*ProviderExec, hcl.Diagnostics) {
	pe := &ProviderExec{Range: b.DefRange}
	content, diags := b.Body.Content(providerExecSchema)
	if a, ok := content.Attributes["provider"]; ok {
		s, d := stringAttr(a)
		diags = append(diags, d...)
		if !d.HasErrors() && (strings.ContainsAny(s, " \t\r\n*?") || strings.Count(s, "/") != 2) {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid provider source",
				fmt.Sprintf("provider %q: want the provider source address exactly as the plan JSON prints it, HOSTNAME/NAMESPACE/TYPE (e.g. \"registry.terraform.io/hashicorp/kubernetes\"), without wildcards.", s)))
		}
		pe.Provider = s
	}
	if a, ok := content.Attributes["command"]; ok {
		s, d := stringAttr(a)
		diags = append(diags, d...)
		if !d.HasErrors() && s == "" {
			diags = append(diags, errorAt(a.Expr.Range(), "Empty command", "command must name the program the provider runs, e.g. \"aws\"."))
		}
		pe.Command = s
	}
	if a, ok := content.Attributes["args"]; ok {
		v, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			list, ok := stringValues(v)
			if !ok {
				diags = append(diags, errorAt(a.Expr.Range(), "Invalid args", `args must be a list of strings, like ["eks", "get-token"].`))
			}
			pe.Args = list
		}
	}
	if a, ok := content.Attributes["env"]; ok {
		v, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			env, ok := stringMap(v)
			if !ok {
				diags = append(diags, errorAt(a.Expr.Range(), "Invalid env", `env must be a map of strings, like { AWS_PROFILE = "prod" }.`))
			}
			pe.Env = env
		}
	}
	return pe, diags
}

// stringValues returns the strings of a known list or tuple of strings.
func stringValues(v cty.Value) ([]string, bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		return nil, false
	}
	out := []string{}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() || e.Type() != cty.String {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

// stringMap returns the members of a known object or map of strings.
func stringMap(v cty.Value) (map[string]string, bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil, false
	}
	out := map[string]string{}
	for k, e := range v.AsValueMap() {
		if e.IsNull() || e.Type() != cty.String {
			return nil, false
		}
		out[k] = e.AsString()
	}
	return out, true
}

// AllowingExec returns the provider_exec block that allows a provider of
// source to run command with args and env, or nil. Only a constant command
// line can be allowed, so the caller passes only those.
func (p *Policy) AllowingExec(source, command string, args []string, env map[string]string) *ProviderExec {
	for _, pe := range p.ProviderExecs {
		if pe.Provider == source && pe.Command == command && slices.Equal(pe.Args, args) && sameEnv(pe.Env, env) {
			return pe
		}
	}
	return nil
}

func sameEnv(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// RunsPrograms reports whether the data sources of the provider source run
// programs: DefaultProgramProviders and the policy's program_providers.
func (p *Policy) RunsPrograms(source string) bool {
	globs := p.programProviders
	if globs == nil {
		// A Policy not made by Parse: the defaults still hold.
		for _, s := range DefaultProgramProviders {
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

// AllowsApplyRead reports whether allow_apply_reads lists the data source
// instance address.
func (p *Policy) AllowsApplyRead(address string) bool {
	for _, g := range p.applyReads {
		if g.match(address) {
			return true
		}
	}
	return false
}
