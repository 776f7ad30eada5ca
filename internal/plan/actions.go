package plan

// This file reads the plan's action_invocations (Terraform 1.14+): the
// provider-defined actions that applying the plan invokes, by
// `terraform apply -invoke` or by a resource's lifecycle action_trigger.
// They are side effects outside any resource change, so the gate judges
// every one; a shape this reader does not know is an error.

import (
	"fmt"
	"strconv"
)

// ActionFields is an action invocation as a reader read it, before Check.
type ActionFields struct {
	ActionInvocation
	// HaveInvoke and HaveLifecycle report whether invoke_action_trigger
	// and lifecycle_action_trigger were present and not null.
	HaveInvoke, HaveLifecycle bool
}

// Check validates an action invocation read at where and returns it: its
// address and type must be set, and exactly one trigger that this reader
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

// actionInvocations reads action_invocations into p.
func (d *decoder) actionInvocations(p *Plan) error {
	l := loc{list: "action_invocations"}
	return d.array(name("action_invocations"), true, func(i int) error {
		l.i = i
		var f ActionFields
		_, err := d.object(l.String, false, func(key []byte) error {
			var err error
			k := string(key)
			field := func() string { return l.field("." + k) }
			switch k {
			case "address":
				f.Address, err = d.str(field, false)
			case "type":
				f.Type, err = d.istr(field)
			case "name":
				f.Name, err = d.str(field, false)
			case "provider_name":
				f.ProviderName, err = d.istr(field)
			case "invoke_action_trigger":
				var isNull bool
				isNull, err = d.object(field, true, func([]byte) error { return d.s.skipValue() })
				f.HaveInvoke = !isNull
			case "lifecycle_action_trigger":
				lw := l.field(".lifecycle_action_trigger")
				var isNull bool
				isNull, err = d.object(name(lw), true, func(key []byte) error {
					switch string(key) {
					case "triggering_resource_address":
						var err error
						f.TriggeringResource, err = d.str(name(lw+".triggering_resource_address"), false)
						return err
					case "action_trigger_event":
						var err error
						f.Event, err = d.str(name(lw+".action_trigger_event"), false)
						return err
					}
					if err := caseVariant(key, actionTriggerKeys, name(lw)); err != nil {
						return err
					}
					return d.s.skipValue()
				})
				f.HaveLifecycle = !isNull
			default:
				if err = caseVariant(key, actionInvocationKeys, l.String); err == nil {
					err = d.s.skipValue()
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		a, err := f.Check(func() string { return "action_invocations[" + strconv.Itoa(i) + "]" })
		if err != nil {
			return err
		}
		d.cfg.NoteProvider(a.ProviderName)
		p.ActionInvocations = append(p.ActionInvocations, a)
		return nil
	})
}
