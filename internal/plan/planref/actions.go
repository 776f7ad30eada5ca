package planref

// Resource identities and action invocations, read by the reference: the
// token walk checks them as strictly as plan.Decode, and DecodeFull takes
// their values from terraform-json's decoding.

import (
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// identity reads a resource identity value and returns its canonical form.
func (d *jsonReader) identity(what string) (string, error) {
	raw, err := d.raw()
	if err != nil {
		return "", err
	}
	return planformat.CanonicalIdentity(raw, name(what))
}

// actionInvocations walks action_invocations.
func (d *jsonReader) actionInvocations() ([]planformat.ActionInvocation, error) {
	var out []planformat.ActionInvocation
	err := d.array("action_invocations", true, func(i int) error {
		aw := fmt.Sprintf("action_invocations[%d]", i)
		var f planformat.ActionFields
		_, err := d.object(aw, false, func(key string) error {
			var err error
			switch key {
			case "address":
				f.Address, err = d.str(aw+".address", false)
			case "type":
				f.Type, err = d.str(aw+".type", false)
			case "name":
				f.Name, err = d.str(aw+".name", false)
			case "provider_name":
				f.ProviderName, err = d.str(aw+".provider_name", false)
			case "invoke_action_trigger":
				var isNull bool
				isNull, err = d.object(aw+".invoke_action_trigger", true, func(string) error { return d.skip() })
				f.HaveInvoke = !isNull
			case "lifecycle_action_trigger":
				lw := aw + ".lifecycle_action_trigger"
				var isNull bool
				isNull, err = d.object(lw, true, func(key string) error {
					var err error
					switch key {
					case "triggering_resource_address":
						f.TriggeringResource, err = d.str(lw+"."+key, false)
					case "action_trigger_event":
						f.Event, err = d.str(lw+"."+key, false)
					default:
						if err = planformat.CaseVariant([]byte(key), planformat.Keys.ActionTrigger, name(lw)); err == nil {
							err = d.skip()
						}
					}
					return err
				})
				f.HaveLifecycle = !isNull
			default:
				if err = planformat.CaseVariant([]byte(key), planformat.Keys.ActionInvocation, name(aw)); err == nil {
					err = d.skip()
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		a, err := f.Check(name(aw))
		out = append(out, a)
		return err
	})
	return out, err
}

// fullIdentity is the canonical form of an identity terraform-json decoded.
func fullIdentity(v any) string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return ""
	}
	c, err := canonjson.Value(m)
	if err != nil {
		// The token walk refused such an identity first.
		return ""
	}
	return string(c)
}

// fullActions derives the plan's action invocations from terraform-json's.
func fullActions(tp *tfjson.Plan) ([]planformat.ActionInvocation, error) {
	var out []planformat.ActionInvocation
	for i, ai := range tp.ActionInvocations {
		if ai == nil {
			return nil, fmt.Errorf("%w: action_invocations[%d] is null", planformat.ErrMalformed, i)
		}
		f := planformat.ActionFields{
			ActionInvocation: planformat.ActionInvocation{Address: ai.Address, Type: ai.Type, Name: ai.Name, ProviderName: ai.ProviderName},
			HaveInvoke:       ai.InvokeActionTrigger != nil,
			HaveLifecycle:    ai.LifecycleActionTrigger != nil,
		}
		if lt := ai.LifecycleActionTrigger; lt != nil {
			f.TriggeringResource, f.Event = lt.TriggeringResourceAddress, lt.ActionTriggerEvent
		}
		a, err := f.Check(func() string { return fmt.Sprintf("action_invocations[%d]", i) })
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
