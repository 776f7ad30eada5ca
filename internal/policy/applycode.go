package policy

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// What a policy allows of the code the configuration runs during the
// apply that the plan JSON does not show (the configuration snapshot's
// file reads unknown at plan, and functions of providers that run
// programs): allow_apply_file_reads and allow_provider_functions, each a
// list of configuration address globs of the blocks that may do so. An
// ephemeral block of a provider that runs programs is allowed by
// allow_apply_reads (exec.go). See docs/guides/policy.md.

// decodeApplyCode reads allow_apply_file_reads and
// allow_provider_functions.
func decodeApplyCode(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	read := func(name string, dst *[]string, globs *[]glob) {
		a, ok := content.Attributes[name]
		if !ok {
			return
		}
		list, ranges, more := stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range list {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				diags = append(diags, errorAt(ranges[i], "Invalid configuration address",
					fmt.Sprintf("%s[%d] %q: want the configuration address of a block as planguard's report prints it (e.g. \"aws_instance.web\", \"module.app.local.config\", \"provider.kubernetes\", \"module.app.output.token\"), with '*' and '?' as wildcards.", name, i, s)))
				continue
			}
			*globs = append(*globs, compileGlob(s))
		}
		*dst = list
	}
	read("allow_apply_file_reads", &p.AllowApplyFileReads, &p.fileReads)
	read("allow_provider_functions", &p.AllowProviderFunctions, &p.providerFunctions)
	return diags
}

// AllowsApplyFileRead reports whether allow_apply_file_reads lists the
// configuration address of the block that reads.
func (p *Policy) AllowsApplyFileRead(address string) bool {
	return matchAny(p.fileReads, address)
}

// AllowsProviderFunction reports whether allow_provider_functions lists
// the configuration address of the block that calls.
func (p *Policy) AllowsProviderFunction(address string) bool {
	return matchAny(p.providerFunctions, address)
}

func matchAny(globs []glob, s string) bool {
	for _, g := range globs {
		if g.match(s) {
			return true
		}
	}
	return false
}
