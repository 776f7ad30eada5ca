package policy

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// A terraform_remote_state data source (the built-in provider
// terraform.io/builtin/terraform) reads another state through a backend
// its own configuration names, at plan time and, when its configuration
// is known only then, at apply time, with the credentials of the job that
// runs Terraform. Its backend settings run code as a backend block's do
// (an s3 backend's profile and shared_config_files run the profile's
// credential_process). So every such data source is refused unless a
// remote_state block allows it exactly:
//
//	remote_state {
//	  backend   = "s3"
//	  config    = { bucket = "acme-tf", key = "network/terraform.tfstate", region = "eu-west-1" }
//	  workspace = "default"                  # optional, default "default"
//	}
//
// The match is the state block's (StatePin.Check): the backend equal, each
// setting config names equal, every other setting unset, the workspace
// equal.

func decodeRemoteStates(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range content.Blocks {
		if b.Type != "remote_state" {
			continue
		}
		pin, d := decodeStatePin(b)
		diags = append(diags, d...)
		p.RemoteStates = append(p.RemoteStates, pin)
	}
	return diags
}

// AllowingRemoteState returns the remote_state block that allows a
// terraform_remote_state data source with this backend type,
// configuration (a JSON object; null or absent settings are unset) and
// workspace ("" is "default"), or nil when none does. It returns an error
// when config is not a JSON object.
func (p *Policy) AllowingRemoteState(backend string, config []byte, workspace string) (*StatePin, error) {
	if workspace == "" {
		workspace = "default"
	}
	for _, pin := range p.RemoteStates {
		err := pin.Check(backend, config, workspace)
		if err == nil {
			return pin, nil
		}
		var m *StateMismatch
		if !errors.As(err, &m) {
			return nil, fmt.Errorf("the terraform_remote_state configuration: %w", err)
		}
	}
	if len(p.RemoteStates) == 0 {
		// Check the configuration is an object all the same.
		if err := (&StatePin{}).Check(backend, config, workspace); err != nil {
			var m *StateMismatch
			if !errors.As(err, &m) {
				return nil, fmt.Errorf("the terraform_remote_state configuration: %w", err)
			}
		}
	}
	return nil, nil
}
