package planformat

// This file holds what the production reader (plan.Decode) and the
// reference decoder (package planref, imported only by tests, fuzzers and
// the benchmarks) must agree on, so that neither copies it: the validation and
// classification of a resource change's header, the extraction of an
// approval's attributes, the changed-attributes rule, and the format
// versions both accept (the key lists are in keys.go). The JSON
// walking stays separate: the reference walks the JSON with encoding/json
// and terraform-json, independently of the scanner, which is what the
// equivalence tests and the fuzzer check the scanner against.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// CheckComplete refuses a plan JSON without format_version or
// planned_values (not a plan: ErrNotAPlan), or without resource_changes
// although planned_values or prior_state hold a managed resource (the key
// is omitted only when there are none: ErrMalformed).
func CheckComplete(haveFormat, havePlanned, haveChanges, managed bool) error {
	if !haveFormat {
		return fmt.Errorf("%w: no format_version; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if !havePlanned {
		return fmt.Errorf("%w: no planned_values (is this the JSON of a state rather than a plan?); expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if !haveChanges && managed {
		return fmt.Errorf("%w: no resource_changes although planned_values or prior_state hold managed resources; the JSON is incomplete: write it again with `terraform show -json PLANFILE`", ErrMalformed)
	}
	return nil
}

// Header is the part of a resource change that every reader takes as it
// is: its strings, whether it has a change and change.actions, and the
// actions.
type Header struct {
	Address, PreviousAddress, ModuleAddress, Mode, Type, Name string
	ProviderName, Deposed, ActionReason                       string
	// HaveChange and HaveActions report whether change and change.actions
	// were present.
	HaveChange, HaveActions bool
	// Actions are change.actions.
	Actions []string
	// Importing and ImportID are from change.importing.
	Importing bool
	ImportID  string
}

// Check validates h and classifies its actions. where names the change
// for messages (with its address once known). It returns managed false
// for a data source, which no reader lists. Errors wrap ErrMalformed: a
// missing address, mode or type, change or change.actions; an actions list
// Classify refuses; an unknown mode; or a data source with an action other
// than read or no-op (Terraform and OpenTofu never plan one: the plan JSON
// was edited, perhaps to hide a change of a managed resource as a data
// source's).
func (h *Header) Check(where func() string) (kind Kind, managed bool, err error) {
	switch "" {
	case h.Address:
		return "", false, fmt.Errorf("%w: %s has no address", ErrMalformed, where())
	case h.Mode:
		return "", false, fmt.Errorf("%w: %s has no mode", ErrMalformed, where())
	case h.Type:
		return "", false, fmt.Errorf("%w: %s has no type", ErrMalformed, where())
	}
	if !h.HaveChange {
		return "", false, fmt.Errorf("%w: %s has no change", ErrMalformed, where())
	}
	if !h.HaveActions {
		return "", false, fmt.Errorf("%w: %s has no change.actions", ErrMalformed, where())
	}
	if kind, err = Classify(h.Actions); err != nil {
		return "", false, fmt.Errorf("%s: %w", where(), err)
	}
	switch h.Mode {
	case "managed":
		return kind, true, nil
	case "data":
		if kind != KindRead && kind != KindNoOp {
			return "", false, fmt.Errorf("%w: %s is a data source with actions %v: Terraform and OpenTofu only read data sources (read or no-op), so the plan JSON was edited; write it again with `terraform show -json PLANFILE`", ErrMalformed, where(), h.Actions)
		}
		return kind, false, nil
	}
	return "", false, fmt.Errorf("%w: %s has unknown mode %q (expected managed or data); upgrade planguard", ErrMalformed, where(), h.Mode)
}

// Change returns the Change of a checked managed header.
func (h *Header) Change(kind Kind) *Change {
	return &Change{
		Address:         h.Address,
		PreviousAddress: h.PreviousAddress,
		ModuleAddress:   h.ModuleAddress,
		Type:            h.Type,
		Name:            h.Name,
		ProviderName:    h.ProviderName,
		Deposed:         h.Deposed,
		Actions:         h.Actions,
		Kind:            kind,
		ActionReason:    h.ActionReason,
		Importing:       h.Importing,
		ImportID:        h.ImportID,
	}
}

// ChangedAttributes lists the sorted top-level attribute names whose before
// and after values differ or whose after value is (wholly or partly)
// unknown; every attribute of before and after when allUnknown (the whole
// after_unknown is true). isUnknown reports whether an after_unknown
// member marks anything unknown, equal compares two values (a missing one
// is V's zero value); each reader passes its own. Their errors are wrapped
// as ErrMalformed with what.
func ChangedAttributes[V any](before, after, unknown map[string]V, allUnknown bool,
	isUnknown func(V) (bool, error), equal func(a, b V) (bool, error), what func() string) ([]string, error) {
	keys := make(map[string]struct{}, len(before)+len(after))
	for _, m := range []map[string]V{before, after, unknown} {
		for k := range m {
			keys[k] = struct{}{}
		}
	}
	var out []string
	for k := range keys {
		if !allUnknown {
			unk, err := isUnknown(unknown[k])
			if err != nil {
				return nil, fmt.Errorf("%w: %s.change.after_unknown.%s: %w", ErrMalformed, what(), k, err)
			}
			if !unk {
				eq, err := equal(before[k], after[k])
				if err != nil {
					return nil, fmt.Errorf("%w: %s.change attribute %s: %w", ErrMalformed, what(), k, err)
				}
				if eq {
					continue
				}
			}
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// ChangedRaw is ChangedAttributes on raw JSON members: an after_unknown
// member marks something unknown when it holds a true anywhere, and two
// values are equal when they decode to equal values (numbers compared as
// written); absent is null.
func ChangedRaw(before, after, unknown map[string]json.RawMessage, allUnknown bool, what func() string) ([]string, error) {
	return ChangedAttributes(before, after, unknown, allUnknown, containsTrue, jsonEqual, what)
}

// containsTrue reports whether a raw after_unknown value marks anything
// unknown (holds a true anywhere); absent is null.
func containsTrue(raw json.RawMessage) (bool, error) {
	v, err := decodeAny(raw)
	if err != nil {
		return false, err
	}
	return AnyTrue(v), nil
}

// AnyTrue reports whether a decoded after_unknown value marks anything
// unknown.
func AnyTrue(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case []any:
		for _, e := range t {
			if AnyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if AnyTrue(e) {
				return true
			}
		}
	}
	return false
}

// ApprovalPlanned reports whether a managed change of a resource of type
// typ plans a planguard_approval that Plan.Approvals lists: one that is not
// only deleted and has an after object (or a wholly unknown one).
func ApprovalPlanned(typ string, kind Kind, afterNull, allUnknown bool) bool {
	return typ == ApprovalType && kind != KindDelete && (allUnknown || !afterNull)
}

// ApprovalValues are the planned attributes of one planguard_approval, as
// a reader found them in its own walk of change.after and
// change.after_unknown.
type ApprovalValues interface {
	// Unknown reports whether after_unknown marks the attribute wholly or
	// partly unknown; an error when the marker is not valid JSON.
	Unknown(attr string) (bool, error)
	// String returns the attribute's planned value: "" when absent or
	// null, an error (wrapping ErrMalformed) when not a string.
	String(attr string) (string, error)
	// Signatures returns the planned signatures, in plan order: none when
	// absent or null, an error (wrapping ErrMalformed) when not a list of
	// objects whose principal and signature are strings or null.
	Signatures() ([]Signature, error)
}

// RawMembers are the members of change.after and change.after_unknown as
// raw JSON, for a reader whose ApprovalValues read them; What names
// change.after for messages.
type RawMembers struct {
	After, AfterUnknown map[string]json.RawMessage
	What                string
}

// Unknown is ApprovalValues.Unknown: whether the attribute's
// after_unknown member holds a true.
func (r *RawMembers) Unknown(attr string) (bool, error) { return containsTrue(r.AfterUnknown[attr]) }

// approvalStrings are the string attributes of an Approval, by name.
func approvalStrings(a *Approval) []struct {
	name string
	dst  *string
} {
	return []struct {
		name string
		dst  *string
	}{
		{"scope", &a.Scope}, {"target", &a.Target}, {"action", &a.Action},
		{"reason", &a.Reason}, {"expires_at", &a.ExpiresAt}, {"identity", &a.Identity},
		{"from", &a.From}, {"issued_at", &a.IssuedAt},
	}
}

// BuildApproval extracts the Approval of the planned planguard_approval c
// from v; allUnknown is a wholly unknown after (then nothing is known).
// what names change.after for messages.
func BuildApproval(c *Change, v ApprovalValues, allUnknown bool, what func() string) (*Approval, error) {
	if allUnknown {
		return &Approval{Address: c.Address, Kind: c.Kind}, nil
	}
	a := &Approval{Address: c.Address, Kind: c.Kind, Known: true}
	for _, f := range approvalStrings(a) {
		unk, err := v.Unknown(f.name)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: after_unknown.%s: %w", ErrMalformed, what(), f.name, err)
		}
		if unk {
			a.Known = false
			continue
		}
		if *f.dst, err = v.String(f.name); err != nil {
			return nil, err
		}
	}
	unk, err := v.Unknown("signatures")
	if err != nil {
		return nil, fmt.Errorf("%w: %s: after_unknown.signatures: %w", ErrMalformed, what(), err)
	}
	if unk {
		a.Known = false
		return a, nil
	}
	if a.Signatures, err = v.Signatures(); err != nil {
		return nil, err
	}
	return a, nil
}

// CheckFormatVersion accepts a plan format_version the readers read:
// "major.minor" (optionally ".patch") with 0.x, x >= 1, or 1.x.
func CheckFormatVersion(v string) error {
	parts := strings.Split(v, ".")
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] < '0' || p[0] > '9' || (len(p) > 1 && p[0] == '0') {
			nums = nil
			break
		}
		nums[i] = n
	}
	if len(nums) < 2 || len(nums) > 3 {
		return fmt.Errorf("%w: format_version %q is not a version number", ErrUnsupportedFormat, v)
	}
	major, minor := nums[0], nums[1]
	if major > 1 || (major == 0 && minor < 1) {
		return fmt.Errorf("%w: format_version %q (this planguard reads 0.1 to 1.x); upgrade planguard or use a Terraform/OpenTofu version whose plan JSON has format 1.x", ErrUnsupportedFormat, v)
	}
	return nil
}

// decodeAny decodes a value, treating absent as null.
func decodeAny(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func jsonEqual(a, b json.RawMessage) (bool, error) {
	if bytes.Equal(a, b) {
		return true, nil
	}
	va, err := decodeAny(a)
	if err != nil {
		return false, err
	}
	vb, err := decodeAny(b)
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(va, vb), nil
}
