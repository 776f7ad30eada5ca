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
// after_unknown object that mark something unknown (hold a true anywhere),
// and, of those, the sorted names whose value is a list or an object with
// a true inside (a nested block, or a nested or collection attribute,
// partly unknown): see Change.UnknownNested.
func UnknownTopRaw(unknown map[string]json.RawMessage) (all, nested []string, err error) {
	for k, v := range unknown {
		d, err := decodeAny(v)
		if err != nil {
			return nil, nil, err
		}
		if AnyTrue(d) {
			all = append(all, k)
			if _, ok := d.(bool); !ok {
				nested = append(nested, k)
			}
		}
	}
	sort.Strings(all)
	sort.Strings(nested)
	return all, nested, nil
}

// Structured returns the sorted members of all that may hold a block or a
// collection: nested (after_unknown marks them unknown inside a list or an
// object) and those that the decoded after_sensitive object sensitive
// lists with any value but false. Terraform and OpenTofu write there an
// unknown list, set, map or object (a block a dynamic block over a value
// unknown at plan writes: after_unknown "target": true) as [] or {}, and
// leave an unknown string (id, arn) out: see Change.UnknownNested.
func Structured(all, nested []string, sensitive any) []string {
	m, _ := sensitive.(map[string]any)
	var out []string
	for _, k := range all {
		v, ok := m[k]
		if slices.Contains(nested, k) || ok && v != false {
			out = append(out, k)
		}
	}
	return out
}

// UnknownTop is UnknownTopRaw on a decoded after_unknown object.
func UnknownTop(unknown map[string]any) (all, nested []string) {
	for k, v := range unknown {
		if AnyTrue(v) {
			all = append(all, k)
			if _, ok := v.(bool); !ok {
				nested = append(nested, k)
			}
		}
	}
	sort.Strings(all)
	sort.Strings(nested)
	return all, nested
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
//
// An attribute that may be a block (UnknownNested: after_unknown marks it
// unknown inside a list or an object, or after_sensitive shows it as a
// list or an object) is kept even when the expressions do not show it:
// Terraform and OpenTofu leave a dynamic block out of a resource's
// expressions, so a block that a dynamic block writes is set by the
// configuration all the same (fail closed: a computed collection or nested
// attribute counts too). UnknownNested is cleared: it only carries that to here.
func (ci *ConfigInfo) resolveUnknown(p *Plan) {
	for i := range p.Changes {
		c := &p.Changes[i]
		nested := c.UnknownNested
		c.UnknownNested = nil
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
			case slices.Contains(set, a), slices.Contains(nested, a):
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
