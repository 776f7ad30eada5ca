package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
// The data sources of a provider that runs programs (the policy's
// program_providers, always hashicorp/external) run their program at plan
// time with the runner's credentials: the runner refuses each one the
// policy's allow_apply_reads does not list by its address, as the gate
// refuses one read during the apply.

// execAttributes are the arguments of an exec-like block that are
// attributes, not nested blocks, in a JSON-syntax file: the command line
// the gate reads (planformat's execBlockSettings).
var execAttributes = []string{"api_version", "args", "command", "env"}

// programRead is a data source block of a configuration.
type programRead struct {
	where   string // file:line
	address string // data.TYPE.NAME in the root module; "" elsewhere
	source  string // its provider's source
	counted bool   // count or for_each: its instances' addresses are not known before plan
}

// providerScan is what CheckProviderCode reads from a configuration.
type providerScan struct {
	commands []plan.ProviderCommand
	reads    []programRead
}

// CheckProviderCode refuses the configuration in dir (every module below
// it) when a provider block would run a command the policy's provider_exec
// blocks do not allow exactly (or that cannot be read: a dynamic block, a
// setting that is not a literal value), or when a data source of a
// provider that runs programs is not listed in allow_apply_reads.
func CheckProviderCode(dir, defaultHost string, pol *policy.Policy) error {
	scan, err := scanProviderCode(dir, defaultHost)
	if err != nil {
		return err
	}
	var problems []string
	for _, c := range gate.JudgeProviderCommands(pol, scan.commands) {
		if !c.Allowed {
			problems = append(problems, c.Problem)
		}
	}
	for _, r := range scan.reads {
		if !pol.RunsPrograms(r.source) {
			continue
		}
		switch {
		case r.address == "" || r.counted:
			problems = append(problems, fmt.Sprintf("%s: a data source of %s, which runs the program its configuration names, with the runner's credentials, at plan time; the runner allows one only in the root module, without count or for_each, when the policy's allow_apply_reads lists its address", r.where, r.source))
		case !pol.AllowsApplyRead(r.address):
			problems = append(problems, fmt.Sprintf("%s: %s is a data source of %s, which runs the program its configuration names, with the runner's credentials, at plan time; the policy's allow_apply_reads does not list it (allow_apply_reads = [%q] allows it)", r.where, r.address, r.source, r.address))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// scanProviderCode reads the provider blocks and data sources of every
// module (directory) below dir.
func scanProviderCode(dir, defaultHost string) (*providerScan, error) {
	type file struct {
		rel string
		src []byte
		f   *hcl.File
	}
	mods := map[string][]file{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".tf") && !strings.HasSuffix(name, ".tf.json") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parseConfigFile(src, rel, strings.HasSuffix(name, ".json"))
		if err != nil {
			return err
		}
		mod := filepath.ToSlash(filepath.Dir(rel))
		mods[mod] = append(mods[mod], file{rel: rel, src: src, f: f})
		return nil
	})
	if err != nil {
		return nil, err
	}
	scan := &providerScan{}
	dirs := make([]string, 0, len(mods))
	for m := range mods {
		dirs = append(dirs, m)
	}
	sort.Strings(dirs)
	for _, mod := range dirs {
		files := mods[mod]
		var hfiles []*hcl.File
		for _, f := range files {
			hfiles = append(hfiles, f.f)
		}
		local, err := requiredLocals(hfiles)
		if err != nil {
			return nil, err
		}
		source := func(name string) (string, error) {
			src, ok := local[name]
			if !ok {
				src = name
				if name == "terraform" {
					src = builtinTerraform
				}
			}
			full, err := normalizeSource(src, defaultHost)
			if err != nil {
				return "", fmt.Errorf("provider %q: %w", name, err)
			}
			return full, nil
		}
		prefix := ""
		if mod != "." {
			prefix = "./" + mod + ":"
		}
		for _, f := range files {
			dyn, ok := plan.ConfigProviderDynamics(f.src, f.rel)
			if !ok {
				return nil, fmt.Errorf("read %s: its provider blocks cannot be read (it does not parse, or a JSON object repeats a member)", f.rel)
			}
			for _, c := range dyn {
				c.Name = prefix + f.rel + ": " + c.Name
				scan.commands = append(scan.commands, c)
			}
			blocks, err := providerBlocks(f.f, f.src, f.rel)
			if err != nil {
				return nil, err
			}
			for _, b := range blocks {
				full, err := source(b.local)
				if err != nil {
					return nil, err
				}
				scan.commands = append(scan.commands, plan.ProviderCommands(prefix+b.key, b.local, full, b.exprs)...)
			}
			reads, err := dataBlocks(f.f, mod == ".", func(b *hcl.Block) (string, error) {
				name, err := providerOf(b.Body, b.Labels[0])
				if err != nil {
					return "", err
				}
				return source(name)
			})
			if err != nil {
				return nil, err
			}
			scan.reads = append(scan.reads, reads...)
		}
	}
	return scan, nil
}

// requiredLocals maps a module's provider local names to the sources its
// required_providers blocks give them.
func requiredLocals(files []*hcl.File) (map[string]string, error) {
	local := map[string]string{}
	for _, f := range files {
		content, _, diags := f.Body.PartialContent(fileSchema)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s", diags.Error())
		}
		for _, b := range content.Blocks {
			if b.Type != "terraform" {
				continue
			}
			tc, _, diags := b.Body.PartialContent(terraformSchema)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s", diags.Error())
			}
			for _, rp := range tc.Blocks {
				attrs, diags := rp.Body.JustAttributes()
				if diags.HasErrors() {
					return nil, fmt.Errorf("%s", diags.Error())
				}
				for name, a := range attrs {
					src, err := requiredSource(a)
					if err != nil {
						return nil, err
					}
					if src != "" {
						local[name] = src
					}
				}
			}
		}
	}
	return local, nil
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

// exprForm is one expression in the plan JSON's form: constant_value when
// it is a literal value (as Terraform writes it: an expression with no
// references that evaluates without a context), and its references.
func exprForm(e hcl.Expression) map[string]any {
	m := map[string]any{}
	var refs []any
	for _, tr := range e.Variables() {
		refs = append(refs, traversalText(tr))
	}
	v, diags := e.Value(nil)
	switch {
	case diags.HasErrors() || !v.IsWhollyKnown() || v.ContainsMarked():
		if len(refs) == 0 {
			refs = append(refs, notLiteral)
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
	v, diags := e.Value(nil)
	if out, ok := literalString(v); ok && !diags.HasErrors() && len(vars) == 0 {
		return out
	}
	if len(vars) == 0 {
		*refs = append(*refs, notLiteral)
	}
	return ""
}

// literalString is v's string when v is a known, non-null, unmarked
// string: cty's AsString panics on anything else, and a configuration can
// write a typed null ((true ? null : "x")).
func literalString(v cty.Value) (string, bool) {
	if v == cty.NilVal || v.IsMarked() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// dataBlocks lists the data sources of one file (top level, and those a
// check block nests), with their providers' sources; root says the file
// is in the root module, where a data source's address is data.TYPE.NAME.
func dataBlocks(f *hcl.File, root bool, source func(*hcl.Block) (string, error)) ([]programRead, error) {
	content, _, diags := f.Body.PartialContent(fileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	var data []*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "data":
			data = append(data, b)
		case "check":
			cc, _, diags := b.Body.PartialContent(checkSchema)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s", diags.Error())
			}
			data = append(data, cc.Blocks...)
		}
	}
	var out []programRead
	for _, b := range data {
		src, err := source(b)
		if err != nil {
			return nil, err
		}
		r := programRead{where: b.DefRange.String(), source: src}
		if root {
			r.address = "data." + b.Labels[0] + "." + b.Labels[1]
		}
		mc, _, diags := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}}})
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s", diags.Error())
		}
		r.counted = len(mc.Attributes) > 0
		out = append(out, r)
	}
	return out, nil
}
