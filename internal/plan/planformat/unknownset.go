package planformat

import (
	"encoding/json"
	"slices"
	"sort"
)

// WholeObject stands in Change.UnknownAttributes for a new object that
// after_unknown marks unknown as a whole (after_unknown = true), and for
// every unknown attribute of a change whose resource the configuration does
// not show: the gate cannot tell which attributes the configuration sets.
const WholeObject = "(the whole object)"

// WantsUnknownAttributes reports whether a reader with a filter
// (plan.Options.KeepAfterString) collects a resource change's
// UnknownAttributes: the same changes as WantsAfterStrings.
func WantsUnknownAttributes(kind Kind, afterID, afterIdentity string) bool {
	return WantsAfterStrings(kind, afterID, afterIdentity)
}

// UnknownTopRaw returns the sorted names of the members of a raw
// after_unknown object that mark something unknown (hold a true anywhere).
func UnknownTopRaw(unknown map[string]json.RawMessage) ([]string, error) {
	var out []string
	for k, v := range unknown {
		t, err := containsTrue(v)
		if err != nil {
			return nil, err
		}
		if t {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// UnknownTop is UnknownTopRaw on a decoded after_unknown object.
func UnknownTop(unknown map[string]any) []string {
	var out []string
	for k, v := range unknown {
		if AnyTrue(v) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// NoteSetAttributes records the top-level attributes (and blocks) that the
// configuration of a managed resource sets: the keys of its expressions.
// module is its module path (module.a.module.b.), as for AddResource.
func (ci *ConfigInfo) NoteSetAttributes(module, mode, typ, nam string, keys []string) {
	if mode != "managed" {
		return
	}
	if ci.setAttrs == nil {
		ci.setAttrs = map[string][]string{}
	}
	addr := module + typ + "." + nam
	ci.setAttrs[addr] = append(ci.setAttrs[addr], keys...)
}

// resolveUnknown narrows each change's UnknownAttributes, which a reader
// filled with every unknown top-level attribute of its new object, to those
// the configuration sets (NoteSetAttributes): computed-only attributes (id,
// arn) are the provider's, while an attribute the configuration sets and
// the plan does not know is decided by the configuration at apply. A change
// whose resource the configuration does not show keeps every unknown
// attribute, as WholeObject when the object is wholly unknown.
func (ci *ConfigInfo) resolveUnknown(p *Plan) {
	for i := range p.Changes {
		c := &p.Changes[i]
		if len(c.UnknownAttributes) == 0 {
			continue
		}
		ca, _, err := configAddress(c.Address)
		set, ok := ci.setAttrs[ca]
		if err != nil || !ok {
			continue
		}
		var out []string
		for _, a := range c.UnknownAttributes {
			switch {
			case a == WholeObject:
				out = append(out, set...)
			case slices.Contains(set, a):
				out = append(out, a)
			}
		}
		sort.Strings(out)
		c.UnknownAttributes = slices.Compact(out)
		if len(c.UnknownAttributes) == 0 {
			c.UnknownAttributes = nil
		}
	}
}
