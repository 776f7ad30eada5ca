package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Errors that Decode and Read wrap, for errors.Is. Every error they return
// wraps one of these, except errors of the underlying reader or file system
// (such as an *fs.PathError), which are wrapped as they are.
var (
	// ErrNotAPlan: the input is not the JSON of a plan (empty, not an
	// object, a state instead of a plan, or a file that is neither JSON nor
	// a saved plan).
	ErrNotAPlan = errors.New("not a plan")
	// ErrMalformed: the input is not valid JSON, is truncated, has trailing
	// data or duplicate keys, or does not have the structure of a plan.
	ErrMalformed = errors.New("malformed plan JSON")
	// ErrUnsupportedFormat: the format_version is not one this reader
	// understands (0.x with x >= 1, or 1.x).
	ErrUnsupportedFormat = errors.New("unsupported plan format")
	// ErrErrored: the plan is marked errored, so planning failed and it
	// cannot be applied.
	ErrErrored = errors.New("errored plan")
	// ErrShow: running `terraform show -json` on a saved plan failed.
	ErrShow = errors.New("terraform show failed")
)

// utf8Check is a writer that checks that what is written to it is valid
// UTF-8 (encoding/json would silently replace invalid bytes with U+FFFD).
// It copes with runes split across writes.
type utf8Check struct {
	pending []byte // the start of a rune split across writes
	offset  int64  // bytes checked so far
	bad     bool
}

func (u *utf8Check) Write(p []byte) (int, error) {
	n := len(p)
	if u.bad {
		return n, nil
	}
	for len(u.pending) > 0 && len(p) > 0 && !utf8.FullRune(u.pending) {
		u.pending = append(u.pending, p[0])
		p = p[1:]
	}
	if len(u.pending) > 0 {
		if !utf8.FullRune(u.pending) {
			return n, nil
		}
		if !utf8.Valid(u.pending) {
			u.bad = true
			return n, nil
		}
		u.offset += int64(len(u.pending))
		u.pending = u.pending[:0]
	}
	cut := len(p)
	for k := 1; k < utf8.UTFMax && k <= len(p); k++ {
		if c := p[len(p)-k]; utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(p[len(p)-k:]) {
				cut = len(p) - k
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		u.bad = true
		return n, nil
	}
	u.offset += int64(cut)
	u.pending = append(u.pending, p[cut:]...)
	return n, nil
}

func (u *utf8Check) finish() error {
	if u.bad || len(u.pending) > 0 {
		return fmt.Errorf("%w: the JSON is not valid UTF-8 (after byte %d); write it again with `terraform show -json PLANFILE`", ErrMalformed, u.offset)
	}
	return nil
}

// checkFormatVersion accepts "major.minor" (optionally ".patch") with 0.x,
// x >= 1, or 1.x.
func checkFormatVersion(v string) error {
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

// The keys planguard interprets in the objects terraform-json decodes into
// structs. encoding/json matches such keys case-insensitively (with Unicode
// folding: "ſ" is "s", the Kelvin sign is "k"), so "Resource_Changes" means
// resource_changes to it and nothing to a reader that matches exactly. Both
// of planguard's readers reject a key of these objects that differs from
// one of these only in case: such JSON is ambiguous, as duplicate keys are.
var (
	planKeys = []string{"format_version", "terraform_version", "errored", "resource_changes",
		"resource_drift", "deferred_changes", "planned_values", "prior_state", "configuration",
		"action_invocations"}
	resourceChangeKeys = []string{"address", "previous_address", "module_address", "mode", "type",
		"name", "provider_name", "deposed", "action_reason", "change"}
	changeKeys    = []string{"actions", "before", "after", "after_unknown", "importing", "before_identity", "after_identity"}
	importingKeys = []string{"id", "identity"}
	deferredKeys  = []string{"reason", "resource_change"}
	// The keys read in planned_values and prior_state, to find managed
	// resources when resource_changes is absent.
	stateKeys    = []string{"values"}
	valuesKeys   = []string{"root_module"}
	moduleKeys   = []string{"resources", "child_modules"}
	resourceKeys = []string{"mode", "address", "type", "values", "identity"}
	// The keys read in an action invocation and its lifecycle trigger.
	actionInvocationKeys = []string{"address", "type", "name", "provider_name", "lifecycle_action_trigger", "invoke_action_trigger"}
	actionTriggerKeys    = []string{"triggering_resource_address", "action_trigger_event"}
)

// caseVariant returns an error when key, which is none of known, equals
// one of them ignoring case; what names the object, built only then.
func caseVariant(key []byte, known []string, what func() string) error {
	plain := true
	for _, c := range key {
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		// Lower-case ASCII folds to itself only: it is not a variant.
		return nil
	}
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return fmt.Errorf("%w: key %q in %s differs from %q only in case; decoders that match keys case-insensitively (encoding/json, terraform-json) read it as %q, so the JSON is ambiguous; write it again with `terraform show -json PLANFILE`", ErrMalformed, key, what(), k, k)
		}
	}
	return nil
}
