package runner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// This file judges the configuration's backend before `terraform init`:
// init configures the backend the root module's backend or cloud block
// names, with the runner's credentials in its environment (an s3 backend's
// profile and shared_config_files run the profile's credential_process; a
// local backend's path or workspace_dir reads and writes any state the
// runner can reach). The gate judges the saved plan's backend against the
// policy's state pin only after plan, which is too late for what init ran.
//
// The rule is the gate's (policy.StatePin.Check: every setting the pin
// names equal, nothing else set), applied to the configuration as written.
// Override files are refused outright rather than merged: Terraform's
// merge of an override's backend block replaces the whole block, and a
// second reading of that merge is a second place to get wrong. The saved
// plan is still checked by the gate's own pin afterwards.

var (
	rootFileSchema     = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}}
	terraformBlockKeys = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "backend", LabelNames: []string{"type"}},
		{Type: "cloud"},
	}}
)

// backendBlock is a backend or cloud block of the root module.
type backendBlock struct {
	typ    string // "cloud" for a cloud block
	config []byte // its settings as a JSON object
	where  string // file:line
}

// CheckBackend refuses the configuration in dir (its root module: the
// *.tf and *.tf.json files directly in dir) unless its backend is exactly
// the policy's state pin: a backend or cloud block in an override file, more
// than one, settings that are not literal values, or any difference from
// the pin (type, a setting, a setting the pin does not name) is an error.
// No block is Terraform's implied local backend with no settings. The
// workspace is the pin's: the runner selects it itself (SelectWorkspace).
func CheckBackend(dir string, pin *policy.StatePin) error {
	if pin == nil {
		return errNoStatePin
	}
	c, err := ReadConfiguration(dir, TerraformRegistry)
	if err != nil {
		return err
	}
	return c.CheckBackend(pin)
}

// CheckBackend is CheckBackend on the configuration's root module.
func (c *Configuration) CheckBackend(pin *policy.StatePin) error {
	if pin == nil {
		return errNoStatePin
	}
	b, err := c.rootBackend()
	if err != nil {
		return fmt.Errorf("%w (the policy's state block, %s, pins the backend)", err, pin.Range)
	}
	typ, config, where := "local", []byte("{}"), "no backend block (Terraform's implied local backend)"
	if b != nil {
		typ, config, where = b.typ, b.config, b.where
	}
	if err := pin.Check(typ, config, pin.Workspace); err != nil {
		msg := err.Error()
		var m *policy.StateMismatch
		if errors.As(err, &m) {
			msg = strings.Join(m.Problems, "; ")
		}
		return fmt.Errorf("the configuration's backend (%s) is not the state the policy pins (%s): %s; the runner judges it before init, which would run the backend with its credentials. Write the backend block exactly as the policy's state block says, in a file that is not an override file", where, pin.Range, msg)
	}
	return nil
}

var errNoStatePin = fmt.Errorf("the policy has no state block: the runner runs `terraform init` with its credentials, so the configuration's backend block would choose which state init and the apply read and write, and which code the backend runs (an s3 profile's credential_process). Add state { backend = \"…\", config = { … } } to the policy (docs/guides/policy.md, \"Pinning the state\")")

// rootBackend finds the root module's backend or cloud block (nil when
// there is none).
func (c *Configuration) rootBackend() (*backendBlock, error) {
	var found []*backendBlock
	var files []*configFile
	if root := c.root(); root != nil {
		files = root.files
	}
	for _, f := range files {
		name := f.Name
		content, _, diags := f.HCL.Body.PartialContent(rootFileSchema)
		if diags.HasErrors() {
			return nil, fmt.Errorf("read %s: %s", name, diags.Error())
		}
		for _, tb := range content.Blocks {
			tc, _, diags := tb.Body.PartialContent(terraformBlockKeys)
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", name, diags.Error())
			}
			for _, bb := range tc.Blocks {
				where := bb.DefRange.String()
				if f.Override {
					return nil, fmt.Errorf("%s: a %s block in an override file: the runner refuses backend and cloud blocks in override files (they replace the backend the main files name); write the backend block, exactly as the policy's state block says, in a main file", where, bb.Type)
				}
				typ := "cloud"
				if bb.Type == "backend" {
					typ = bb.Labels[0]
				}
				v, err := literalBody(bb.Body)
				if err != nil {
					return nil, fmt.Errorf("%s: %s block: %w", where, bb.Type, err)
				}
				raw, err := ctyjson.Marshal(v, v.Type())
				if err != nil {
					return nil, fmt.Errorf("%s: %s block: %w", where, bb.Type, err)
				}
				found = append(found, &backendBlock{typ: typ, config: raw, where: where})
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	var at []string
	for _, b := range found {
		at = append(at, b.where)
	}
	return nil, fmt.Errorf("the configuration has %d backend or cloud blocks (%s); a root module has at most one", len(found), strings.Join(at, ", "))
}

// literalBody reads a backend or cloud block's body as an object of
// literal values: attributes, and nested blocks without labels (a cloud
// block's workspaces) as objects, each at most once. Anything that needs
// evaluation (a reference, a function call) is an error, as in Terraform.
func literalBody(body hcl.Body) (cty.Value, error) {
	attrs := map[string]cty.Value{}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for name, a := range sb.Attributes {
			v, err := literalValue(a.Expr)
			if err != nil {
				return cty.NilVal, errLiteral(name, err)
			}
			attrs[name] = v
		}
		for _, b := range sb.Blocks {
			if len(b.Labels) > 0 {
				return cty.NilVal, fmt.Errorf("%s: a nested block with labels", b.DefRange())
			}
			if _, dup := attrs[b.Type]; dup {
				return cty.NilVal, fmt.Errorf("%s: %s is set twice", b.DefRange(), b.Type)
			}
			v, err := literalBody(b.Body)
			if err != nil {
				return cty.NilVal, fmt.Errorf("%s: %w", b.Type, err)
			}
			attrs[b.Type] = v
		}
	} else {
		// JSON: every key is an attribute; nested objects are objects.
		as, diags := body.JustAttributes()
		if diags.HasErrors() {
			return cty.NilVal, fmt.Errorf("%s", diags.Error())
		}
		for name, a := range as {
			v, err := literalValue(a.Expr)
			if err != nil {
				return cty.NilVal, errLiteral(name, err)
			}
			attrs[name] = v
		}
	}
	for name, v := range attrs {
		if !v.IsWhollyKnown() {
			return cty.NilVal, fmt.Errorf("%s is not a literal value", name)
		}
	}
	return cty.ObjectVal(attrs), nil
}

// SelectWorkspace makes the pin's workspace the one Terraform uses in the
// working directory dir: TF_WORKSPACE is never in the runner's children's
// environment (RefuseEnv), so Terraform reads the selected workspace from
// its data directory (.terraform/environment; TF_DATA_DIR is refused too).
// The default workspace needs nothing.
func SelectWorkspace(dir string, pin *policy.StatePin) error {
	if pin == nil || pin.Workspace == "" || pin.Workspace == "default" {
		return nil
	}
	data := filepath.Join(dir, ".terraform")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(data, "environment"), []byte(pin.Workspace), 0o600)
}

// CheckTerraformBlocks refuses a terraform block, in any file of any
// module, that holds anything but the settings that run no code
// (tfsource.CheckTerraformBlocks): OpenTofu's encryption block, for one;
// and a setting that Terraform or OpenTofu evaluate when they load the
// configuration, in init, that is not a literal (tfsource.CheckLoadTime:
// OpenTofu 1.8+ evaluates variables, locals and functions there).
func (c *Configuration) CheckTerraformBlocks() error {
	for _, m := range c.modules {
		for _, f := range m.files {
			if err := tfsource.CheckTerraformBlocks(f); err != nil {
				return err
			}
			if err := tfsource.CheckLoadTime(f, m.dir == "."); err != nil {
				return err
			}
		}
	}
	return nil
}
