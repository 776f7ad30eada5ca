package runner

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// This file judges, before `terraform init`, the code a configuration's
// provider blocks make the runner run: `terraform plan` configures every
// provider, and a provider's configuration can run a command then (the
// kubernetes and helm providers' exec credential plugin; an AWS profile's
// credential_process in a shared_config_files the configuration names),
// with the runner's environment, credentials included. The gate judges
// the same settings in the saved plan, but only after the plan that ran
// them. So the runner reads each provider block of the uploaded files into
// the form the plan JSON gives the gate (configuration.provider_config:
// each argument {constant_value, references}, each nested block a list),
// and lets the gate's own code find the settings (plan.ProviderCommands,
// plan.ConfigProviderDynamics) and judge them (gate.JudgeProviderCommands,
// under the policy's provider_exec blocks). Anything not allowed exactly
// is refused.
//
// A provider that runs programs (the policy's program_providers, always
// hashicorp/external) runs one at plan time, with the runner's
// credentials, from each of its data sources, its ephemeral resources
// (opened during plan) and its provider-defined functions (evaluated
// during plan). The runner refuses every one of them, whatever the
// policy's allow_apply_reads or allow_provider_functions say: those name
// an address, and through the runner the agent writes the configuration,
// so the program behind an allowed address is whatever the agent put
// there. (In CI the allowances name reviewed code; the gate still judges
// them there.)
//
// A provider whose objects are files on the host (the policy's
// host_writers, always hashicorp/local and hashicorp/archive) reads the
// host the same way at plan time: local_file, local_sensitive_file and
// archive_file data sources read (or zip) any file the runner's user can
// read, /proc/self/environ and the env file included, into the plan the
// agent reads back. The runner refuses their data sources, ephemeral
// resources and provider functions too, whatever allow_apply_reads,
// allow_host_writes or allow_provider_functions say; their resources
// write at apply and are judged by the gate (allow_host_writes).

// execAttributes are the arguments of an exec-like block that are
// attributes, not nested blocks, in a JSON-syntax file: the command line
// the gate reads (planformat's execBlockSettings).
var execAttributes = []string{"api_version", "args", "command", "env"}

// programCode is a block or call of a configuration that runs its
// provider's code at plan time: a data source, an ephemeral resource, a
// provider-defined function.
type programCode struct {
	where  string // file:line
	what   string // data source data.TYPE.NAME, ephemeral resource …, function provider::…
	source string // its provider's source
}

// providerScan is what CheckProviderCode reads from a configuration.
type providerScan struct {
	commands []plan.ProviderCommand
	code     []programCode
	problems []string // what cannot be read or allowed whatever the policy says
}

// CheckProviderCode refuses the configuration in dir (ReadConfiguration,
// then Configuration.CheckProviderCode).
func CheckProviderCode(dir, defaultHost string, pol *policy.Policy) error {
	c, err := ReadConfiguration(dir, defaultHost)
	if err != nil {
		return err
	}
	return c.CheckProviderCode(pol)
}

// CheckProviderCode refuses the configuration (every module) when a
// provider block would run a command the policy's provider_exec blocks do
// not allow exactly (or that cannot be read: a dynamic block, a setting
// that is not a literal value, a provider block in an override file), or
// when it has a data source, an ephemeral resource or a provider-defined
// function call of a provider that runs programs or whose objects are
// files on the host (program_providers, host_writers).
func (c *Configuration) CheckProviderCode(pol *policy.Policy) error {
	scan, err := c.scanProviderCode()
	if err != nil {
		return err
	}
	problems := append([]string(nil), scan.problems...)
	for _, pc := range gate.JudgeProviderCommands(pol, scan.commands) {
		if !pc.Allowed {
			problems = append(problems, pc.Problem)
		}
	}
	for _, r := range scan.code {
		switch {
		case pol.RunsPrograms(r.source):
			problems = append(problems, fmt.Sprintf("%s: %s of %s, which runs the program its configuration names: Terraform runs it at plan time, with the runner's credentials, before anything is judged; the runner refuses it whatever allow_apply_reads or allow_provider_functions say (they name an address, and the agent writes what is at that address); remove it, or plan this configuration in CI where its code is reviewed", r.where, r.what, r.source))
		case pol.WritesHost(r.source):
			problems = append(problems, fmt.Sprintf("%s: %s of %s, a provider whose objects are files on the host (host_writers, always hashicorp/local and hashicorp/archive): Terraform runs it at plan time, as the runner's user, before anything is judged, and it reads whatever file its configuration names (/proc/self/environ is the runner's environment, credentials included) into the plan; the runner refuses it whatever allow_apply_reads, allow_host_writes or allow_provider_functions say; remove it (a resource of the provider is still planned and judged by the gate), or plan this configuration in CI where its code is reviewed", r.where, r.what, r.source))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// scanProviderCode reads the provider blocks, data sources, ephemeral
// resources and provider function calls of every module.
func (c *Configuration) scanProviderCode() (*providerScan, error) {
	scan := &providerScan{}
	for _, m := range c.modules {
		prefix := ""
		if m.dir != "." {
			prefix = "./" + m.dir + ":"
		}
		for _, f := range m.files {
			dyn, ok := plan.ConfigProviderDynamics(f.Src, f.Path)
			if !ok {
				return nil, fmt.Errorf("read %s: its provider blocks cannot be read (it does not parse, or a JSON object repeats a member)", f.Path)
			}
			for _, pc := range dyn {
				pc.Name = prefix + f.Path + ": " + pc.Name
				scan.commands = append(scan.commands, pc)
			}
			blocks, err := providerBlocks(f.HCL, f.Src, f.Path)
			if err != nil {
				return nil, err
			}
			for _, b := range blocks {
				if f.Override {
					scan.problems = append(scan.problems, fmt.Sprintf("%s: provider %q in an override file: Terraform merges it into the main file's provider block setting by setting, so neither block alone says what the provider is configured with; the runner refuses provider blocks in override files; write the provider block whole in a main file", f.Path, b.key))
					continue
				}
				if a, ok := b.exprs["alias"].(map[string]any); ok {
					if _, isString := a["constant_value"].(string); !isString {
						scan.problems = append(scan.problems, fmt.Sprintf("%s: provider %q: its alias is not a literal string, so the runner cannot tell which provider configuration it is; write the alias as one literal string", prefix+f.Path, b.key))
						continue
					}
				}
				if rs := routeSettings(b.exprs); len(rs) > 0 {
					scan.problems = append(scan.problems, routeProblem(prefix+f.Path, b.key, rs))
				}
				full, err := m.source(b.local)
				if err != nil {
					return nil, err
				}
				scan.commands = append(scan.commands, plan.ProviderCommands(prefix+b.key, b.local, full, b.exprs)...)
			}
			code, err := planTimeCode(f, m)
			if err != nil {
				return nil, err
			}
			scan.code = append(scan.code, code...)
			imports, err := c.importCode(f, m)
			if err != nil {
				return nil, err
			}
			scan.code = append(scan.code, imports...)
			calls, err := functionCalls(f)
			if err != nil {
				return nil, err
			}
			for _, fc := range calls {
				name := strings.TrimPrefix(fc.name, "core::")
				if !strings.Contains(name, "::") {
					continue
				}
				parts := strings.Split(name, "::")
				if len(parts) != 3 || parts[0] != "provider" {
					scan.problems = append(scan.problems, fmt.Sprintf("%s: the function %q is of a namespace the runner does not know (Terraform's are core:: and provider::NAME::)", fc.where, fc.name))
					continue
				}
				full, err := m.source(parts[1])
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", fc.where, fc.name, err)
				}
				scan.code = append(scan.code, programCode{where: fc.where, what: "function " + fc.name, source: full})
			}
		}
	}
	return scan, nil
}

// providerBlock is one provider block, in the plan JSON's form.
type providerBlock struct {
	key   string // local name, or local.alias
	local string
	exprs map[string]any
}

// providerBlocks reads the provider blocks of one file.
func providerBlocks(f *hcl.File, src []byte, rel string) ([]providerBlock, error) {
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		var out []providerBlock
		for _, b := range body.Blocks {
			if b.Type != "provider" {
				continue
			}
			if len(b.Labels) != 1 {
				return nil, fmt.Errorf("%s: a provider block has one label", b.DefRange())
			}
			exprs, err := nativeBody(b.Body)
			if err != nil {
				return nil, fmt.Errorf("%s: provider %q: %w", b.DefRange(), b.Labels[0], err)
			}
			out = append(out, providerBlock{key: aliased(b.Labels[0], exprs), local: b.Labels[0], exprs: exprs})
		}
		return out, nil
	}
	return jsonProviderBlocks(src, rel)
}

// aliased is a provider configuration's key in the plan JSON: its local
// name, and its alias when the alias is a literal string.
func aliased(local string, exprs map[string]any) string {
	if a, ok := exprs["alias"].(map[string]any); ok {
		if s, ok := a["constant_value"].(string); ok {
			return local + "." + s
		}
	}
	return local
}

// nativeBody turns a native-syntax block body into the plan JSON's
// expressions form. A dynamic block is left out: plan.ConfigProviderDynamics
// reports it, as a command that cannot be read.
func nativeBody(body *hclsyntax.Body) (map[string]any, error) {
	m := map[string]any{}
	for name, a := range body.Attributes {
		m[name] = exprForm(a.Expr)
	}
	for _, b := range body.Blocks {
		if b.Type == "dynamic" {
			continue
		}
		inner, err := nativeBody(b.Body)
		if err != nil {
			return nil, err
		}
		list, isList := m[b.Type].([]any)
		if _, set := m[b.Type]; set && !isList {
			return nil, fmt.Errorf("%s: %s is both an argument and a block", b.DefRange(), b.Type)
		}
		m[b.Type] = append(list, inner)
	}
	return m, nil
}

// notLiteral stands for the references of an expression that is not a
// literal value and names no variable (a function call, say).
const notLiteral = "(an expression that is not a literal value)"

// objectKeysField, in an expression's plan JSON form, lists the object
// keys written in an expression that has no constant value (objectKeys);
// it is the runner's, not Terraform's.
const objectKeysField = "planguard_object_keys"

// exprForm is one expression in the plan JSON's form: constant_value when
// it is a literal value, and its references. Terraform writes a
// constant_value for any expression with no references that evaluates
// without a context; the runner evaluates only literals (literalValue:
// a for expression with no references is not evaluated, review hook152),
// so an expression with no references that is not a literal gets the
// reference notLiteral instead, and the keys of the objects written in
// it (objectKeysField) for the route check.
func exprForm(e hcl.Expression) map[string]any {
	m := map[string]any{}
	var refs []any
	for _, tr := range e.Variables() {
		refs = append(refs, traversalText(tr))
	}
	v, err := literalValue(e)
	switch {
	case err != nil || v.ContainsMarked():
		if len(refs) == 0 {
			refs = append(refs, notLiteral)
		}
		if keys := objectKeys(e); len(keys) > 0 {
			m[objectKeysField] = keys
		}
	case len(refs) == 0:
		if c, ok := ctyGeneric(v); ok {
			m["constant_value"] = c
		} else {
			refs = append(refs, notLiteral)
		}
	}
	if len(refs) > 0 {
		m["references"] = refs
	}
	return m
}

// ctyGeneric is a known, unmarked value as encoding/json decodes its JSON.
func ctyGeneric(v cty.Value) (any, bool) {
	raw, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil, false
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, false
	}
	return out, true
}

// traversalText renders a reference as the plan JSON does (var.x,
// local.y.z).
func traversalText(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		default:
			b.WriteString("[…]")
		}
	}
	return b.String()
}

// jsonProviderBlocks reads the provider blocks of a JSON-syntax file:
// {"provider": {"NAME": {…} or [{…}, …]}}. The plan.ConfigProviderDynamics
// call before has refused a file with a repeated member.
func jsonProviderBlocks(src []byte, rel string) ([]providerBlock, error) {
	var top map[string]any
	if err := json.Unmarshal(src, &top); err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	provs, has := top["provider"]
	if !has {
		return nil, nil
	}
	byName, ok := provs.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("read %s: \"provider\" is not an object of provider names", rel)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []providerBlock
	for _, name := range names {
		var bodies []any
		switch t := byName[name].(type) {
		case map[string]any:
			bodies = []any{t}
		case []any:
			bodies = t
		default:
			return nil, fmt.Errorf("read %s: provider %q is not an object", rel, name)
		}
		for _, b := range bodies {
			obj, ok := b.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("read %s: provider %q is not an object", rel, name)
			}
			exprs := jsonBody(obj, false)
			out = append(out, providerBlock{key: aliased(name, exprs), local: name, exprs: exprs})
		}
	}
	return out, nil
}

// jsonBody turns a JSON block body into the plan JSON's expressions form.
// Without the provider's schema a JSON object may be a nested block or an
// argument of object type; it is read as a block (whose members are then
// searched for command settings too), except the command line of an
// exec-like block (a block named exec, or one that sets command), which
// is read as the gate reads it.
func jsonBody(obj map[string]any, execBlock bool) map[string]any {
	_, hasCommand := obj["command"]
	execLike := execBlock || hasCommand
	m := map[string]any{}
	for k, v := range obj {
		if execLike && slices.Contains(execAttributes, k) {
			m[k] = jsonExpr(v)
			continue
		}
		switch t := v.(type) {
		case map[string]any:
			m[k] = []any{jsonBody(t, k == "exec")}
		case []any:
			if blocks, ok := jsonBlocks(t, k == "exec"); ok {
				m[k] = blocks
			} else {
				m[k] = jsonExpr(v)
			}
		default:
			m[k] = jsonExpr(v)
		}
	}
	return m
}

// jsonBlocks reads a non-empty array of objects as nested blocks.
func jsonBlocks(list []any, exec bool) ([]any, bool) {
	if len(list) == 0 {
		return nil, false
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		out = append(out, jsonBody(o, exec))
	}
	return out, true
}

// jsonExpr is one JSON-syntax argument in the plan JSON's form. Terraform
// reads each string (and object key) of it as a template: it is a literal
// when the template evaluates without a context, and that value is what
// Terraform sees.
func jsonExpr(v any) map[string]any {
	var refs []any
	c := jsonValue(v, &refs)
	if len(refs) > 0 {
		return map[string]any{"references": refs}
	}
	return map[string]any{"constant_value": c}
}

func jsonValue(v any, refs *[]any) any {
	switch t := v.(type) {
	case string:
		return templateValue(t, refs)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonValue(e, refs)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[templateValue(k, refs)] = jsonValue(e, refs)
		}
		return out
	}
	return v
}

// templateValue evaluates one JSON string as Terraform does, adding to
// refs what it references when it is not a literal.
func templateValue(s string, refs *[]any) string {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return s
	}
	e, diags := hclsyntax.ParseTemplate([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		*refs = append(*refs, notLiteral)
		return ""
	}
	vars := e.Variables()
	for _, tr := range vars {
		*refs = append(*refs, traversalText(tr))
	}
	// Only a template of literal text is evaluated (literalValue): a
	// %{for} directive over literal lists has no references either.
	v, err := literalValue(e)
	if out, ok := tfsource.LiteralString(v); ok && err == nil && len(vars) == 0 {
		return out
	}
	if len(vars) == 0 {
		*refs = append(*refs, notLiteral)
	}
	return ""
}

// planTimeCode lists the data sources (top level, and those a check
// block nests) and the ephemeral resources of one file, with their
// providers' sources in module m.
func planTimeCode(f *configFile, m *configModule) ([]programCode, error) {
	blocks, err := planTimeBlocks(f)
	if err != nil {
		return nil, err
	}
	var out []programCode
	for _, b := range blocks {
		name, err := providerOf(b.Body, b.Labels[0])
		if err != nil {
			return nil, err
		}
		src, err := m.source(name)
		if err != nil {
			return nil, err
		}
		what := "data source data."
		if b.Type == "ephemeral" {
			what = "ephemeral resource ephemeral."
		}
		out = append(out, programCode{where: b.DefRange.String(), what: what + b.Labels[0] + "." + b.Labels[1], source: src})
	}
	return out, nil
}
