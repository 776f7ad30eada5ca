package plan

// This file reads the plan's action_invocations (Terraform 1.14+): the
// provider-defined actions that applying the plan invokes, by
// `terraform apply -invoke` or by a resource's lifecycle action_trigger.
// They are side effects outside any resource change, so the gate judges
// every one; a shape this reader does not know is an error.

import (
	"strconv"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// actionInvocations reads action_invocations into p.
func (d *decoder) actionInvocations(p *Plan) error {
	l := loc{list: "action_invocations"}
	return d.array(name("action_invocations"), true, func(i int) error {
		l.i = i
		var f planformat.ActionFields
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
					if err := planformat.CaseVariant(key, planformat.Keys.ActionTrigger, name(lw)); err != nil {
						return err
					}
					return d.s.skipValue()
				})
				f.HaveLifecycle = !isNull
			default:
				if err = planformat.CaseVariant(key, planformat.Keys.ActionInvocation, l.String); err == nil {
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
