package planformat

import "fmt"

// ActionFields is an action invocation as a reader read it, before Check.
type ActionFields struct {
	ActionInvocation
	// HaveInvoke and HaveLifecycle report whether invoke_action_trigger
	// and lifecycle_action_trigger were present and not null.
	HaveInvoke, HaveLifecycle bool
}

// Check validates an action invocation read at where and returns it: its
// address and type must be set, and exactly one trigger that planguard
// knows must be present (a lifecycle trigger with its triggering resource
// and event). Errors wrap ErrMalformed.
func (f *ActionFields) Check(where func() string) (ActionInvocation, error) {
	a := f.ActionInvocation
	switch {
	case a.Address == "":
		return a, fmt.Errorf("%w: %s has no address", ErrMalformed, where())
	case a.Type == "":
		return a, fmt.Errorf("%w: %s (%s) has no type", ErrMalformed, where(), a.Address)
	case f.HaveInvoke && f.HaveLifecycle:
		return a, fmt.Errorf("%w: %s (%s) has both an invoke and a lifecycle trigger", ErrMalformed, where(), a.Address)
	case f.HaveInvoke:
		a.Trigger = TriggerInvoke
	case f.HaveLifecycle:
		if a.TriggeringResource == "" || a.Event == "" {
			return a, fmt.Errorf("%w: %s (%s) has a lifecycle_action_trigger without triggering_resource_address or action_trigger_event", ErrMalformed, where(), a.Address)
		}
		a.Trigger = TriggerLifecycle
	default:
		return a, fmt.Errorf("%w: %s (%s) has no trigger planguard knows (invoke_action_trigger or lifecycle_action_trigger): it cannot tell when the action runs; upgrade planguard", ErrMalformed, where(), a.Address)
	}
	return a, nil
}
