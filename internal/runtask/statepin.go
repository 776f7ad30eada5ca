package runtask

import "github.com/planguard/terraform-provider-planguard/internal/policy"

// statePinOf is the policy's state block as the run task checks it against
// the run's organization and workspace; nil when the policy has none.
func statePinOf(p *policy.Policy) *StatePin {
	if p == nil || p.State == nil {
		return nil
	}
	return &StatePin{Backend: p.State.Backend, Config: p.State.Config, Workspace: p.State.Workspace}
}
