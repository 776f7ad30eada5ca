package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
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

// Decode reads the JSON of `terraform show -json PLANFILE` from r, strictly.
//
// It returns an error (see ErrNotAPlan, ErrMalformed, ErrUnsupportedFormat,
// ErrErrored) for input that is not JSON, is truncated or has trailing data;
// has a duplicate key in any object it interprets (the top level, a resource
// change, its change, before, after and after_unknown); has a missing or
// unsupported format_version; is errored; has no planned_values (such as the
// JSON of a state); or has a resource change with a missing address, type or
// mode, or with an empty, unknown or unknown combination of actions.
//
// A plan without a resource_changes key is accepted as a plan without
// changes only when neither planned_values nor prior_state holds a managed
// resource: Terraform and OpenTofu omit the key (it is "omitempty") exactly
// when the configuration and the state have no resources at all, and emit a
// "no-op" change for every managed resource otherwise (see the no_changes
// and empty fixtures in testdata).
//
// The SHA256 of the returned plan is the hash of all bytes read from r.
func Decode(r io.Reader) (*Plan, error) {
	h := sha256.New()
	var u utf8Check
	p, err := decode(io.TeeReader(r, io.MultiWriter(h, &u)))
	if err != nil {
		return nil, err
	}
	if err := u.finish(); err != nil {
		return nil, err
	}
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

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

// jsonReader walks JSON tokens with strict, contextual errors.
type jsonReader struct {
	dec *json.Decoder
}

func newJSONReader(r io.Reader) *jsonReader {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &jsonReader{dec: dec}
}

// syntaxError wraps a decoding error as ErrMalformed with its position.
func (d *jsonReader) syntaxError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrMalformed) || errors.Is(err, ErrNotAPlan) || errors.Is(err, ErrUnsupportedFormat) || errors.Is(err, ErrErrored) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: unexpected end of input after byte %d: the JSON is truncated; write it again with `terraform show -json PLANFILE`", ErrMalformed, d.dec.InputOffset())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: invalid JSON at byte %d: %v", ErrMalformed, se.Offset, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%w: at byte %d: %v", ErrMalformed, te.Offset, te)
	}
	// Not a JSON error: an I/O error of the reader.
	return fmt.Errorf("reading the plan JSON after byte %d: %w", d.dec.InputOffset(), err)
}

// token reads the next token; the end of input is an error here.
func (d *jsonReader) token() (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntaxError(err)
	}
	return tok, nil
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "a list"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", tok)
}

func (d *jsonReader) typeError(what, want string, tok json.Token) error {
	return fmt.Errorf("%w: %s must be %s, found %s (at byte %d)", ErrMalformed, what, want, describe(tok), d.dec.InputOffset())
}

// members reads the members of an object whose '{' was consumed, through the
// closing '}'. fn must consume exactly one value. Duplicate keys are errors.
func (d *jsonReader) members(what string, fn func(key string) error) error {
	seen := make(map[string]struct{})
	for d.dec.More() {
		tok, err := d.token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return d.typeError("a key in "+what, "a string", tok)
		}
		if _, dup := seen[key]; dup {
			return fmt.Errorf("%w: duplicate key %q in %s (at byte %d): JSON with duplicate keys is ambiguous; write the plan JSON again with `terraform show -json PLANFILE`", ErrMalformed, key, what, d.dec.InputOffset())
		}
		seen[key] = struct{}{}
		if err := fn(key); err != nil {
			return err
		}
	}
	tok, err := d.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('}') {
		return d.typeError("the end of "+what, "'}'", tok)
	}
	return nil
}

// object reads an object (null when nullOK) and calls fn for each member.
// It reports whether the value was null.
func (d *jsonReader) object(what string, nullOK bool, fn func(key string) error) (isNull bool, err error) {
	tok, err := d.token()
	if err != nil {
		return false, err
	}
	if tok == nil && nullOK {
		return true, nil
	}
	if tok != json.Delim('{') {
		return false, d.typeError(what, "an object", tok)
	}
	return false, d.members(what, fn)
}

// array reads a list (null when nullOK) and calls fn for each element; fn
// must consume exactly one value.
func (d *jsonReader) array(what string, nullOK bool, fn func(i int) error) error {
	tok, err := d.token()
	if err != nil {
		return err
	}
	if tok == nil && nullOK {
		return nil
	}
	if tok != json.Delim('[') {
		return d.typeError(what, "a list", tok)
	}
	for i := 0; d.dec.More(); i++ {
		if err := fn(i); err != nil {
			return err
		}
	}
	if _, err := d.token(); err != nil { // ']'
		return err
	}
	return nil
}

// str reads a string; null is "" when nullOK.
func (d *jsonReader) str(what string, nullOK bool) (string, error) {
	tok, err := d.token()
	if err != nil {
		return "", err
	}
	if tok == nil && nullOK {
		return "", nil
	}
	s, ok := tok.(string)
	if !ok {
		return "", d.typeError(what, "a string", tok)
	}
	return s, nil
}

func (d *jsonReader) boolean(what string) (bool, error) {
	tok, err := d.token()
	if err != nil {
		return false, err
	}
	b, ok := tok.(bool)
	if !ok {
		return false, d.typeError(what, "a boolean", tok)
	}
	return b, nil
}

// raw reads one whole value. Use only for values of bounded size (one
// resource's before/after).
func (d *jsonReader) raw() (json.RawMessage, error) {
	var m json.RawMessage
	if err := d.dec.Decode(&m); err != nil {
		return nil, d.syntaxError(err)
	}
	return m, nil
}

// skip consumes one value of any size token by token, without holding it.
func (d *jsonReader) skip() error {
	depth := 0
	for {
		tok, err := d.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// values walks a state/planned values object ({"root_module": …}) and
// reports whether it holds any managed resource.
func (d *jsonReader) values(what string) (managed bool, err error) {
	_, err = d.object(what, true, func(key string) error {
		if key != "root_module" {
			return d.skip()
		}
		m, err := d.module(what + ".root_module")
		managed = managed || m
		return err
	})
	return managed, err
}

// module walks a module object (resources, child_modules).
func (d *jsonReader) module(what string) (managed bool, err error) {
	_, err = d.object(what, true, func(key string) error {
		switch key {
		case "resources":
			return d.array(what+".resources", true, func(i int) error {
				rw := fmt.Sprintf("%s.resources[%d]", what, i)
				_, err := d.object(rw, false, func(key string) error {
					if key != "mode" {
						return d.skip()
					}
					mode, err := d.str(rw+".mode", false)
					if mode == "managed" {
						managed = true
					}
					return err
				})
				return err
			})
		case "child_modules":
			return d.array(what+".child_modules", true, func(i int) error {
				m, err := d.module(fmt.Sprintf("%s.child_modules[%d]", what, i))
				managed = managed || m
				return err
			})
		}
		return d.skip()
	})
	return managed, err
}

func decode(r io.Reader) (*Plan, error) {
	d := newJSONReader(r)
	tok, err := d.dec.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty input; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if err != nil {
		return nil, d.syntaxError(err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: the JSON is %s, not an object; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan, describe(tok))
	}

	p := &Plan{}
	var haveFormat, haveChanges, havePlanned, managed bool
	err = d.members("the plan", func(key string) error {
		switch key {
		case "format_version":
			v, err := d.str("format_version", false)
			if err != nil {
				return err
			}
			if err := checkFormatVersion(v); err != nil {
				return err
			}
			p.FormatVersion, haveFormat = v, true
		case "terraform_version":
			v, err := d.str("terraform_version", false)
			p.TerraformVersion = v
			return err
		case "errored":
			b, err := d.boolean("errored")
			if err != nil {
				return err
			}
			if b {
				return fmt.Errorf("%w: the plan is marked errored: planning failed and this plan cannot be applied; fix the errors `terraform plan` reports and plan again", ErrErrored)
			}
		case "resource_changes":
			haveChanges = true
			return d.array("resource_changes", false, func(i int) error {
				c, a, err := d.resourceChange(fmt.Sprintf("resource_changes[%d]", i), true)
				if err != nil || c == nil {
					return err
				}
				p.Changes = append(p.Changes, *c)
				if a != nil {
					p.Approvals = append(p.Approvals, *a)
				}
				return nil
			})
		case "resource_drift":
			return d.array("resource_drift", false, func(i int) error {
				c, _, err := d.resourceChange(fmt.Sprintf("resource_drift[%d]", i), false)
				if err == nil && c != nil {
					p.Drift = append(p.Drift, *c)
				}
				return err
			})
		case "deferred_changes":
			return d.array("deferred_changes", false, func(i int) error {
				c, err := d.deferredChange(fmt.Sprintf("deferred_changes[%d]", i))
				if err == nil && c != nil {
					p.Deferred = append(p.Deferred, *c)
				}
				return err
			})
		case "planned_values":
			havePlanned = true
			m, err := d.values("planned_values")
			managed = managed || m
			return err
		case "prior_state":
			_, err := d.object("prior_state", true, func(key string) error {
				if key != "values" {
					return d.skip()
				}
				m, err := d.values("prior_state.values")
				managed = managed || m
				return err
			})
			return err
		default:
			return d.skip()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Nothing but white space may follow the plan object.
	if tok, err := d.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, fmt.Errorf("%w: trailing data after the plan object: %v", ErrMalformed, d.syntaxError(err))
		}
		return nil, fmt.Errorf("%w: trailing data after the plan object (%s at byte %d); the file must hold exactly one JSON object", ErrMalformed, describe(tok), d.dec.InputOffset())
	}
	if !haveFormat {
		return nil, fmt.Errorf("%w: no format_version; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if !havePlanned {
		return nil, fmt.Errorf("%w: no planned_values (is this the JSON of a state rather than a plan?); expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if !haveChanges && managed {
		return nil, fmt.Errorf("%w: no resource_changes although planned_values or prior_state hold managed resources; the JSON is incomplete: write it again with `terraform show -json PLANFILE`", ErrMalformed)
	}
	return p, nil
}

// rawChange is one resource change as read, before classification.
type rawChange struct {
	address, previousAddress, moduleAddress, mode, typ, name string
	provider, deposed, actionReason                          string
	haveChange                                               bool
	actions                                                  []string
	before, after, afterUnknown                              json.RawMessage
}

// deferredChange reads one deferred_changes element.
func (d *jsonReader) deferredChange(what string) (*Change, error) {
	var reason string
	var c *Change
	var have bool
	_, err := d.object(what, false, func(key string) error {
		var err error
		switch key {
		case "reason":
			reason, err = d.str(what+".reason", false)
		case "resource_change":
			have = true
			c, _, err = d.resourceChange(what+".resource_change", false)
		default:
			err = d.skip()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !have {
		return nil, fmt.Errorf("%w: %s has no resource_change", ErrMalformed, what)
	}
	if c != nil {
		c.ActionReason = reason
	}
	return c, nil
}

// resourceChange reads one resource change object. It returns a nil Change
// for a data source. With approvals, it also returns the Approval of a
// planned planguard_approval.
func (d *jsonReader) resourceChange(what string, approvals bool) (*Change, *Approval, error) {
	var rc rawChange
	_, err := d.object(what, false, func(key string) error {
		var err error
		field := what + "." + key
		switch key {
		case "address":
			rc.address, err = d.str(field, false)
		case "previous_address":
			rc.previousAddress, err = d.str(field, false)
		case "module_address":
			rc.moduleAddress, err = d.str(field, false)
		case "mode":
			rc.mode, err = d.str(field, false)
		case "type":
			rc.typ, err = d.str(field, false)
		case "name":
			rc.name, err = d.str(field, false)
		case "provider_name":
			rc.provider, err = d.str(field, false)
		case "deposed":
			rc.deposed, err = d.str(field, false)
		case "action_reason":
			rc.actionReason, err = d.str(field, false)
		case "change":
			rc.haveChange = true
			_, err = d.object(field, false, func(key string) error {
				var err error
				switch key {
				case "actions":
					rc.actions = []string{}
					err = d.array(field+".actions", false, func(i int) error {
						a, err := d.str(fmt.Sprintf("%s.actions[%d]", field, i), false)
						rc.actions = append(rc.actions, a)
						return err
					})
				case "before":
					rc.before, err = d.raw()
				case "after":
					rc.after, err = d.raw()
				case "after_unknown":
					rc.afterUnknown, err = d.raw()
				default:
					err = d.skip()
				}
				return err
			})
		default:
			err = d.skip()
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return rc.build(what, approvals)
}

// build validates and classifies a raw change.
func (rc *rawChange) build(what string, approvals bool) (*Change, *Approval, error) {
	for _, f := range []struct{ name, v string }{{"address", rc.address}, {"mode", rc.mode}, {"type", rc.typ}} {
		if f.v == "" {
			return nil, nil, fmt.Errorf("%w: %s has no %s", ErrMalformed, what, f.name)
		}
	}
	what = fmt.Sprintf("%s (%s)", what, rc.address)
	if !rc.haveChange {
		return nil, nil, fmt.Errorf("%w: %s has no change", ErrMalformed, what)
	}
	if rc.actions == nil {
		return nil, nil, fmt.Errorf("%w: %s has no change.actions", ErrMalformed, what)
	}
	kind, err := Classify(rc.actions)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	switch rc.mode {
	case "managed":
	case "data":
		return nil, nil, nil
	default:
		return nil, nil, fmt.Errorf("%w: %s has unknown mode %q (expected managed or data); upgrade planguard", ErrMalformed, what, rc.mode)
	}

	before, _, err := objectMembers(rc.before, what+".change.before")
	if err != nil {
		return nil, nil, err
	}
	after, afterNull, err := objectMembers(rc.after, what+".change.after")
	if err != nil {
		return nil, nil, err
	}
	// after_unknown is an object of markers, or true when the whole
	// object is unknown.
	unknown := map[string]json.RawMessage{}
	allUnknown := bytes.Equal(bytes.TrimSpace(rc.afterUnknown), []byte("true"))
	if !allUnknown {
		if unknown, _, err = objectMembers(rc.afterUnknown, what+".change.after_unknown"); err != nil {
			return nil, nil, err
		}
	}

	c := &Change{
		Address:         rc.address,
		PreviousAddress: rc.previousAddress,
		ModuleAddress:   rc.moduleAddress,
		Type:            rc.typ,
		Name:            rc.name,
		ProviderName:    rc.provider,
		Deposed:         rc.deposed,
		Actions:         rc.actions,
		Kind:            kind,
		ActionReason:    rc.actionReason,
	}
	if id, ok := before["id"]; ok {
		var s string
		if len(id) > 0 && id[0] == '"' && json.Unmarshal(id, &s) == nil {
			c.PriorID = s
		}
	}
	if allUnknown {
		// Mark every attribute we know of as unknown.
		for k := range before {
			unknown[k] = json.RawMessage("true")
		}
		for k := range after {
			unknown[k] = json.RawMessage("true")
		}
		afterNull = false
	}
	if kind == KindUpdate || kind == KindReplace {
		if c.ChangedAttributes, err = changedAttributes(before, after, unknown, what); err != nil {
			return nil, nil, err
		}
	}
	if !approvals || rc.typ != ApprovalType || kind == KindDelete || afterNull {
		return c, nil, nil
	}
	if allUnknown {
		return c, &Approval{Address: c.Address, Kind: c.Kind}, nil
	}
	a, err := approval(c, after, unknown, what+".change.after")
	if err != nil {
		return nil, nil, err
	}
	return c, a, nil
}

// objectMembers splits a JSON object into its members, rejecting duplicate
// keys. An absent or null value gives an empty map and isNull.
func objectMembers(raw json.RawMessage, what string) (map[string]json.RawMessage, bool, error) {
	m := make(map[string]json.RawMessage)
	if len(raw) == 0 {
		return m, true, nil
	}
	d := newJSONReader(bytes.NewReader(raw))
	isNull, err := d.object(what, true, func(key string) error {
		v, err := d.raw()
		m[key] = v
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return m, isNull, nil
}

// changedAttributes lists the sorted top-level attributes whose before and
// after differ or whose after is unknown.
func changedAttributes(before, after, unknown map[string]json.RawMessage, what string) ([]string, error) {
	keys := make(map[string]struct{})
	for k := range before {
		keys[k] = struct{}{}
	}
	for k := range after {
		keys[k] = struct{}{}
	}
	for k := range unknown {
		keys[k] = struct{}{}
	}
	var out []string
	for k := range keys {
		unk, err := containsTrue(unknown[k])
		if err != nil {
			return nil, fmt.Errorf("%w: %s.change.after_unknown.%s: %v", ErrMalformed, what, k, err)
		}
		if !unk {
			eq, err := jsonEqual(before[k], after[k])
			if err != nil {
				return nil, fmt.Errorf("%w: %s.change attribute %s: %v", ErrMalformed, what, k, err)
			}
			if eq {
				continue
			}
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
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

// containsTrue reports whether an after_unknown value marks anything unknown.
func containsTrue(raw json.RawMessage) (bool, error) {
	v, err := decodeAny(raw)
	if err != nil {
		return false, err
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case bool:
			return t
		case []any:
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v), nil
}

// approval extracts the planned value of a planguard_approval.
func approval(c *Change, after, unknown map[string]json.RawMessage, what string) (*Approval, error) {
	a := &Approval{Address: c.Address, Kind: c.Kind, Known: true}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"scope", &a.Scope}, {"target", &a.Target}, {"action", &a.Action},
		{"reason", &a.Reason}, {"expires_at", &a.ExpiresAt}, {"identity", &a.Identity},
	} {
		unk, err := containsTrue(unknown[f.name])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: after_unknown.%s: %v", ErrMalformed, what, f.name, err)
		}
		if unk {
			a.Known = false
			continue
		}
		raw, ok := after[f.name]
		if !ok {
			continue
		}
		d := newJSONReader(bytes.NewReader(raw))
		if *f.dst, err = d.str(what+"."+f.name, true); err != nil {
			return nil, err
		}
	}
	unk, err := containsTrue(unknown["signatures"])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: after_unknown.signatures: %v", ErrMalformed, what, err)
	}
	if unk {
		a.Known = false
		return a, nil
	}
	raw, ok := after["signatures"]
	if !ok {
		return a, nil
	}
	d := newJSONReader(bytes.NewReader(raw))
	err = d.array(what+".signatures", true, func(i int) error {
		var s Signature
		sw := fmt.Sprintf("%s.signatures[%d]", what, i)
		_, err := d.object(sw, false, func(key string) error {
			var err error
			switch key {
			case "principal":
				s.Principal, err = d.str(sw+".principal", true)
			case "signature":
				s.Signature, err = d.str(sw+".signature", true)
			default:
				err = d.skip()
			}
			return err
		})
		a.Signatures = append(a.Signatures, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
