package planformat

// This file holds what a plan writes on the machine that applies it: the
// changes of resources and the apply-time reads of data sources whose
// provider writes files there (hashicorp/local's local_file, hashicorp/
// archive's archive_file, …; which providers do is the policy's to say), and
// the provider configurations that Terraform may configure only during the
// apply, because their arguments refer to what the plan has not applied yet.
// A file written during the apply can become code before the apply ends: a
// provider configured afterwards reads it (an AWS shared config file's
// credential_process), Terraform launches it (a provider binary under
// .terraform/providers), or a later step of the job runs it.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// HostWritePathAttributes are the attributes, in order, that name the file
// a change writes: filename (hashicorp/local's local_file and
// local_sensitive_file) and output_path (hashicorp/archive's archive_file).
var HostWritePathAttributes = []string{"filename", "output_path"}

// HostWrite is a resource change (create, update, replace or delete) or an
// apply-time data source read of a provider that may write files on the
// machine that applies the plan.
type HostWrite struct {
	// Address is the resource or data source instance address.
	Address string `json:"address"`
	// Mode is managed or data.
	Mode string `json:"mode"`
	// Type is the resource or data source type, e.g. local_file.
	Type string `json:"type"`
	// ProviderName is the provider source address.
	ProviderName string `json:"provider"`
	// Action is create, update, replace, delete or read.
	Action Kind `json:"action"`
	// ActionReason is Terraform's action_reason, if any.
	ActionReason string `json:"action_reason,omitempty"`
	// Deposed is the deposed key of a change to a deposed object.
	Deposed string `json:"deposed,omitempty"`
	// PathAttribute is the first of HostWritePathAttributes the object has
	// (set, or unknown), "" when it has none.
	PathAttribute string `json:"path_attribute,omitempty"`
	// Path is PathAttribute's planned value, the file written: "" for a
	// delete, and when unknown or not a string.
	Path string `json:"path,omitempty"`
	// PathUnknown is set when the file written is not known at plan time
	// (after_unknown marks PathAttribute, or its value is not a string).
	PathUnknown bool `json:"path_unknown,omitempty"`
	// PriorPath is, for a delete, replace or update, PathAttribute's value
	// before the change when it is a string that differs from Path: the
	// file removed.
	PriorPath string `json:"prior_path,omitempty"`
}

// HostWriteValues are the values of one change a reader gives
// NoteHostWrite, each decoded as generic JSON (nil when absent or null).
type HostWriteValues struct {
	Before, After func(attr string) (any, error)
	// Unknown reports whether after_unknown marks the attribute (wholly
	// or partly) unknown.
	Unknown func(attr string) (bool, error)
}

// RawHostWriteValues are the HostWriteValues of raw JSON members; a nil
// map stands for an absent or null object, allUnknown for an after_unknown
// of true.
func RawHostWriteValues(before, after, unknown func(string) ([]byte, bool), allUnknown bool) HostWriteValues {
	get := func(lookup func(string) ([]byte, bool)) func(string) (any, error) {
		return func(attr string) (any, error) {
			raw, ok := lookup(attr)
			if !ok {
				return nil, nil
			}
			return decodeAny(raw)
		}
	}
	return HostWriteValues{Before: get(before), After: get(after), Unknown: func(attr string) (bool, error) {
		if allUnknown {
			return true, nil
		}
		raw, ok := unknown(attr)
		if !ok {
			return false, nil
		}
		return containsTrue(raw)
	}}
}

// MapHostWriteValues are the HostWriteValues of decoded objects.
func MapHostWriteValues(before, after, unknown map[string]any, allUnknown bool) HostWriteValues {
	return HostWriteValues{
		Before:  func(attr string) (any, error) { return before[attr], nil },
		After:   func(attr string) (any, error) { return after[attr], nil },
		Unknown: func(attr string) (bool, error) { return allUnknown || AnyTrue(unknown[attr]), nil },
	}
}

// hostWriteKind reports whether a change of kind in mode may write on the
// host: a managed create, update, replace or delete, or a data source read
// during the apply.
func hostWriteKind(mode string, kind Kind) bool {
	switch kind {
	case KindCreate, KindUpdate, KindReplace, KindDelete:
		return mode == "managed"
	case KindRead:
		return mode == "data"
	}
	return false
}

// WantsHostWrite reports whether NoteHostWrite records a resource_changes
// entry: a change of a kind that may write on the host, of a provider the
// HostWriter filter selects (every provider when it is nil).
func (ci *ConfigInfo) WantsHostWrite(h *Header, kind Kind) bool {
	return hostWriteKind(h.Mode, kind) && (ci.HostWriter == nil || ci.HostWriter(h.ProviderName))
}

// NoteHostWrite records a resource_changes entry that WantsHostWrite
// selects, with the file it names. Errors wrap ErrMalformed.
func (ci *ConfigInfo) NoteHostWrite(h *Header, kind Kind, v HostWriteValues) error {
	if !ci.WantsHostWrite(h, kind) {
		return nil
	}
	w := HostWrite{Address: h.Address, Mode: h.Mode, Type: h.Type, ProviderName: h.ProviderName, Action: kind, ActionReason: h.ActionReason, Deposed: h.Deposed}
	malformed := func(err error) error {
		return fmt.Errorf("%w: resource change %s: %w", ErrMalformed, h.Address, err)
	}
	for _, attr := range HostWritePathAttributes {
		before, err := v.Before(attr)
		if err != nil {
			return malformed(err)
		}
		after, err := v.After(attr)
		if err != nil {
			return malformed(err)
		}
		unknown, err := v.Unknown(attr)
		if err != nil {
			return malformed(err)
		}
		if kind == KindDelete {
			after, unknown = nil, false
		}
		if before == nil && after == nil && !unknown {
			continue
		}
		w.PathAttribute = attr
		if kind != KindDelete {
			s, isString := after.(string)
			switch {
			case unknown || !isString:
				w.PathUnknown = true
			default:
				w.Path = s
			}
		}
		if s, isString := before.(string); isString && (kind == KindDelete || kind == KindReplace || kind == KindUpdate) && s != w.Path {
			w.PriorPath = s
		}
		break
	}
	if kind == KindDelete && w.PathAttribute != "" && w.PriorPath == "" {
		w.PathUnknown = true // before names no string: which file goes is unknown
	}
	ci.hostWrites = append(ci.hostWrites, w)
	return nil
}

// ApplyTimeProvider is a provider configuration whose arguments refer to
// resources, data sources, module outputs or local values: when any of
// them is unknown at plan time (a resource the plan creates, a data source
// read during the apply), Terraform configures the provider, and starts its
// plugin, only during the apply, after the changes it depends on were
// applied, so it reads whatever they wrote. Reported, not judged.
type ApplyTimeProvider struct {
	// Name is the configuration's key in configuration.provider_config.
	Name string `json:"name"`
	// Provider is the provider's local name.
	Provider string `json:"provider"`
	// Source is the provider source address, "" when absent.
	Source string `json:"source"`
	// References are what its arguments refer to besides input variables
	// (and path., terraform., count., each.), shortest form, sorted.
	References []string `json:"references"`
}

// lateReference reports whether a reference of a provider argument may be
// unknown at plan time: anything but an input variable or a value
// Terraform knows before planning.
func lateReference(ref string) bool {
	for _, known := range []string{"var.", "path.", "terraform.", "count.", "each.", "self."} {
		if strings.HasPrefix(ref, known) {
			return false
		}
	}
	return ref != ""
}

// collectReferences appends the references of every expression in v (a
// provider configuration's expressions decoded as generic JSON: objects
// with references, nested blocks as lists of such maps).
func collectReferences(v any, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		if rs, ok := t["references"].([]any); ok {
			for _, r := range rs {
				if s, ok := r.(string); ok {
					*out = append(*out, s)
				}
			}
		}
		for k, e := range t {
			if k != "references" && k != "constant_value" {
				collectReferences(e, out)
			}
		}
	case []any:
		for _, e := range t {
			collectReferences(e, out)
		}
	}
}

// shortestReferences keeps, of sorted distinct references, those that do
// not extend another one (credproc_file.cfg, not also
// credproc_file.cfg.filename).
func shortestReferences(refs []string) []string {
	sort.Strings(refs)
	refs = slices.Compact(refs)
	var out []string
	for _, r := range refs {
		extends := slices.ContainsFunc(out, func(o string) bool {
			return strings.HasPrefix(r, o) && len(r) > len(o) && (r[len(o)] == '.' || r[len(o)] == '[')
		})
		if !extends {
			out = append(out, r)
		}
	}
	return out
}

// noteApplyTimeProvider records one provider configuration when its
// arguments refer to something that may be unknown at plan time.
func (ci *ConfigInfo) noteApplyTimeProvider(key, local, source string, exprs map[string]any) {
	var refs []string
	collectReferences(exprs, &refs)
	refs = slices.DeleteFunc(refs, func(r string) bool { return !lateReference(r) })
	if len(refs) == 0 {
		return
	}
	ci.lateProviders = append(ci.lateProviders, ApplyTimeProvider{Name: key, Provider: local, Source: source, References: shortestReferences(refs)})
}
