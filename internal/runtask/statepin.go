package runtask

import "github.com/planguard/terraform-provider-planguard/internal/policy"

// statePinOf is the one line to change when the policy's state block
// (branch r-state: policy.Policy.State) is merged; until then no policy has
// one.
func statePinOf(*policy.Policy) *StatePin { return nil }
