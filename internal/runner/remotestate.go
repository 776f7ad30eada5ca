package runner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// A terraform_remote_state data source reads another state at plan time,
// through the backend its configuration names, with the runner's
// credentials: its backend settings run code as a backend block's do (an
// s3 backend's profile and shared_config_files run the profile's
// credential_process). The gate judges the saved plan's remote states only
// after the plan, which is too late for the read the plan made. So the
// runner reads them from the configuration it was sent, before init, and
// refuses any that no remote_state block of the policy allows exactly
// (policy.AllowingRemoteState), and any it cannot read: settings that are
// not literal values, a block in an override file (Terraform merges it
// into another, so neither alone says what is read), a file that does not
// parse.

var (
	remoteStateFileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "check", LabelNames: []string{"name"}},
	}}
	remoteStateCheckSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "data", LabelNames: []string{"type", "name"}}}}
	remoteStateSchema      = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "backend"}, {Name: "config"}, {Name: "workspace"}}}
)

const remoteStateType = "terraform_remote_state"

// CheckRemoteStates refuses the configuration in dir (every *.tf and
// *.tf.json file below it) when it has a terraform_remote_state data
// source, at the top of a file or in a check block, that pol does not
// allow, or one it cannot read.
func CheckRemoteStates(dir string, pol *policy.Policy) error {
	c, err := ReadConfiguration(dir, TerraformRegistry)
	if err != nil {
		return fmt.Errorf("read the configuration's terraform_remote_state data sources: %w", err)
	}
	return c.CheckRemoteStates(pol)
}

// CheckRemoteStates is CheckRemoteStates on every file of every module.
func (c *Configuration) CheckRemoteStates(pol *policy.Policy) error {
	var problems []string
	for _, m := range c.modules {
		for _, f := range m.files {
			found, err := fileRemoteStates(f)
			if err != nil {
				return fmt.Errorf("read the configuration's terraform_remote_state data sources: %w", err)
			}
			for _, b := range found {
				if f.Override {
					problems = append(problems, fmt.Sprintf("%s: a terraform_remote_state data source in an override file: the runner refuses it (Terraform merges it into another block, so neither says alone what is read); write it whole in a main file", b.where))
					continue
				}
				if b.err != nil {
					problems = append(problems, fmt.Sprintf("%s: %v: the runner cannot tell which state it reads, so it refuses it; write backend, config and workspace as literal values", b.where, b.err))
					continue
				}
				pin, err := pol.AllowingRemoteState(b.backend, b.config, b.workspace)
				if err != nil {
					return fmt.Errorf("%s: %w", b.where, err)
				}
				if pin == nil {
					problems = append(problems, fmt.Sprintf("%s: data %q %q reads the state of backend %q (config %s, workspace %q), which no remote_state block of %s allows", b.where, remoteStateType, b.name, b.backend, b.config, b.workspace, pol.Filename))
				}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("the configuration reads remote states the policy does not allow: %s; terraform plan would read them with the runner's credentials, and a backend's settings can run code (an s3 profile's credential_process). Ask the policy's owners for a remote_state block that allows exactly the read, or remove the data source", strings.Join(problems, "; "))
	}
	return nil
}

// remoteStateBlock is one terraform_remote_state data source as written.
type remoteStateBlock struct {
	name, where        string
	backend, workspace string
	config             []byte // a JSON object
	err                error  // why its settings cannot be read
}

// fileRemoteStates finds the terraform_remote_state data sources of one
// file.
func fileRemoteStates(cf *configFile) ([]remoteStateBlock, error) {
	filename, isJSON := cf.Path, cf.JSON
	content, _, diags := cf.HCL.Body.PartialContent(remoteStateFileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", filename, diags.Error())
	}
	var blocks []*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "data":
			blocks = append(blocks, b)
		case "check":
			cc, _, diags := b.Body.PartialContent(remoteStateCheckSchema)
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", filename, diags.Error())
			}
			blocks = append(blocks, cc.Blocks...)
		}
	}
	var out []remoteStateBlock
	for _, b := range blocks {
		if b.Labels[0] != remoteStateType {
			continue
		}
		rs := remoteStateBlock{name: b.Labels[1], where: b.DefRange.String(), workspace: "default"}
		rs.err = readRemoteState(&rs, b.Body, isJSON)
		out = append(out, rs)
	}
	return out, nil
}

// readRemoteState reads backend, config and workspace as literal values.
func readRemoteState(rs *remoteStateBlock, body hcl.Body, isJSON bool) error {
	c, _, diags := body.PartialContent(remoteStateSchema)
	if diags.HasErrors() {
		return fmt.Errorf("%s", diags.Error())
	}
	value := func(name string) (cty.Value, bool, error) {
		a, ok := c.Attributes[name]
		if !ok {
			return cty.NilVal, false, nil
		}
		v, err := literalValue(a.Expr)
		if err != nil {
			return cty.NilVal, true, errLiteral(name, err)
		}
		if isJSON && hasTemplate(v) {
			// Terraform reads a JSON string as a template.
			return cty.NilVal, true, fmt.Errorf("%s holds a template sequence (${ or %%{), which Terraform evaluates", name)
		}
		return v, true, nil
	}
	v, ok, err := value("backend")
	switch {
	case err != nil:
		return err
	case !ok || v.IsNull() || !v.Type().Equals(cty.String):
		return fmt.Errorf("backend is not a literal string")
	}
	rs.backend = v.AsString()
	if v, ok, err = value("workspace"); err != nil {
		return err
	} else if ok && !v.IsNull() {
		if !v.Type().Equals(cty.String) {
			return fmt.Errorf("workspace is not a literal string")
		}
		rs.workspace = v.AsString()
	}
	rs.config = []byte("{}")
	if v, ok, err = value("config"); err != nil {
		return err
	} else if ok && !v.IsNull() {
		if !v.Type().IsObjectType() && !v.Type().IsMapType() {
			return fmt.Errorf("config is not a literal object")
		}
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			return fmt.Errorf("config: %w", err)
		}
		rs.config = b
	}
	return nil
}

// hasTemplate reports whether a string in v holds "${" or "%{".
func hasTemplate(v cty.Value) bool {
	found := false
	_ = cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		if e.IsKnown() && !e.IsNull() && e.Type().Equals(cty.String) {
			s := e.AsString()
			found = found || strings.Contains(s, "${") || strings.Contains(s, "%{")
		}
		return !found, nil
	})
	return found
}
