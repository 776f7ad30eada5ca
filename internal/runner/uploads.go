package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// A file the runner writes into its working directory is a file a setting
// of the configuration could name (a provider's shared_config_files or
// config_path, a backend's): the runner takes *.tfvars and *.tfvars.json
// files only when they are what their names say, variable definitions
// with literal values, so that an AWS profile file (INI) or a kubeconfig
// (YAML) cannot come in under a tfvars name. (A JSON object is valid YAML:
// the provider checks, not this one, keep a kubeconfig in a .tfvars.json
// file from being used.)

// checkTfvars refuses a *.tfvars file that is not HCL attributes with
// literal values (no blocks, no references, no function calls), and a
// *.tfvars.json file that is not one JSON object whose members are
// literal values. Other files pass.
func checkTfvars(f File) error {
	switch {
	case strings.HasSuffix(f.Path, ".tfvars.json"):
		if err := tfvarsJSON(f.Data, f.Path); err != nil {
			return fmt.Errorf("%s is not a variable definitions file: %w; the runner takes *.tfvars.json files only as one JSON object of literal values", f.Path, err)
		}
	case strings.HasSuffix(f.Path, ".tfvars"):
		if err := tfvarsHCL(f.Data, f.Path); err != nil {
			return fmt.Errorf("%s is not a variable definitions file: %w; the runner takes *.tfvars files only as name = literal value lines", f.Path, err)
		}
	}
	return nil
}

func tfvarsHCL(src []byte, name string) error {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return fmt.Errorf("%s", diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return fmt.Errorf("not native syntax")
	}
	if len(body.Blocks) > 0 {
		return fmt.Errorf("%s: a block", body.Blocks[0].DefRange())
	}
	for n, a := range body.Attributes {
		if err := literalExpr(a.Expr); err != nil {
			return fmt.Errorf("%s: %s: %w", a.SrcRange, n, err)
		}
	}
	return nil
}

func tfvarsJSON(src []byte, name string) error {
	dec := json.NewDecoder(bytes.NewReader(src))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil || top == nil {
		return fmt.Errorf("not a JSON object")
	}
	if _, err := dec.Token(); err == nil {
		return fmt.Errorf("data after the JSON object")
	}
	f, diags := hcljson.Parse(src, name)
	if diags.HasErrors() {
		return fmt.Errorf("%s", diags.Error())
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		return fmt.Errorf("%s", diags.Error())
	}
	for n, a := range attrs {
		if err := literalExpr(a.Expr); err != nil {
			return fmt.Errorf("%s: %s: %w", a.Range, n, err)
		}
	}
	return nil
}

// literalExpr refuses an expression that is not a literal value, from
// its syntax, before evaluating anything (literalValue): a reference, a
// function call, a for expression (a few kilobytes of nested ones over
// literal lists have no references and evaluated to billions of
// elements: review hook152 H1).
func literalExpr(e hcl.Expression) error {
	// As before: a reference is refused, in a JSON string too (a
	// template to a reader that evaluates one).
	if vars := e.Variables(); len(vars) > 0 {
		return fmt.Errorf("not a literal value (it refers to %s)", traversalText(vars[0]))
	}
	_, err := literalValue(e)
	return err
}

// reservedNames are the names of what Terraform's local backend writes in
// the working directory: a path of the configuration that uses one, as a
// file or a directory at any depth, is refused. A plan's directory is
// kept after a failure only for a state file the pinned local backend
// wrote (planStateFile), never for one the client named.
var reservedNames = map[string]bool{
	"terraform.tfstate":            true,
	"terraform.tfstate.backup":     true,
	".terraform.tfstate.lock.info": true,
	"terraform.tfstate.d":          true,
}

// reservedPath refuses a slash-separated path with a reserved component.
func reservedPath(p string) error {
	for _, part := range strings.Split(p, "/") {
		if reservedNames[part] {
			return fmt.Errorf("%q uses the name %s, which Terraform's local backend writes in the working directory; rename it", p, part)
		}
	}
	return nil
}

// planStateFile is where the pinned backend keeps its state inside the
// working directory work: for a local backend whose path (default
// terraform.tfstate) or, in another workspace, workspace_dir (default
// terraform.tfstate.d) is relative. "" for any other backend or an
// absolute path: nothing in the plan's directory is state.
func planStateFile(work string, pin *policy.StatePin) string {
	if pin == nil || pin.Backend != "local" {
		return ""
	}
	setting := func(name, def string) (string, bool) {
		raw, ok := pin.Config[name]
		if !ok {
			return def, true
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	}
	var rel string
	if pin.Workspace == "" || pin.Workspace == "default" {
		p, ok := setting("path", "terraform.tfstate")
		if !ok {
			return ""
		}
		rel = p
	} else {
		d, ok := setting("workspace_dir", "terraform.tfstate.d")
		if !ok {
			return ""
		}
		rel = filepath.Join(d, pin.Workspace, "terraform.tfstate")
	}
	if !filepath.IsLocal(rel) {
		return ""
	}
	return filepath.Join(work, rel)
}
