package plan

// This file is the strict, token-by-token walker on encoding/json that was
// planguard's plan reader before the streaming scanner (decode.go, scan.go).
// It is kept as the strictness half of the reference decoder, DecodeFull:
// it rejects exactly the inputs Decode must reject, by an independent
// implementation on encoding/json's Decoder.Token.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

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
		return fmt.Errorf("%w: invalid JSON at byte %d: %w", ErrMalformed, se.Offset, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%w: at byte %d: %w", ErrMalformed, te.Offset, te)
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
func (d *jsonReader) values(what string, prior bool) (managed bool, err error) {
	_, err = d.object(what, true, func(key string) error {
		if key != "root_module" {
			if err := caseVariant([]byte(key), valuesKeys, name(what)); err != nil {
				return err
			}
			return d.skip()
		}
		m, err := d.module(what+".root_module", prior)
		managed = managed || m
		return err
	})
	return managed, err
}

// module walks a module object (resources, child_modules).
func (d *jsonReader) module(what string, prior bool) (managed bool, err error) {
	_, err = d.object(what, true, func(key string) error {
		switch key {
		case "resources":
			return d.array(what+".resources", true, func(i int) error {
				rw := fmt.Sprintf("%s.resources[%d]", what, i)
				var isManaged bool
				var addr, typ string
				_, err := d.object(rw, false, func(key string) error {
					var err error
					switch {
					case key == "mode":
						var mode string
						mode, err = d.str(rw+".mode", false)
						isManaged = mode == "managed"
					case prior && key == "address":
						addr, err = d.str(rw+".address", false)
					case prior && key == "type":
						typ, err = d.str(rw+".type", false)
					case prior && key == "values":
						// Only duplicate keys are checked here; the id is
						// taken from terraform-json's decoding.
						_, err = d.object(rw+".values", true, func(string) error { return d.skip() })
					default:
						if err = caseVariant([]byte(key), resourceKeys, name(rw)); err == nil {
							err = d.skip()
						}
					}
					return err
				})
				if err != nil || !isManaged {
					return err
				}
				managed = true
				if prior && (addr == "" || typ == "") {
					return fmt.Errorf("%w: %s is a managed resource without an address or type", ErrMalformed, rw)
				}
				return nil
			})
		case "child_modules":
			return d.array(what+".child_modules", true, func(i int) error {
				m, err := d.module(fmt.Sprintf("%s.child_modules[%d]", what, i), prior)
				managed = managed || m
				return err
			})
		}
		if err := caseVariant([]byte(key), moduleKeys, name(what)); err != nil {
			return err
		}
		return d.skip()
	})
	return managed, err
}

func tokenDecode(r io.Reader) (*Plan, error) {
	d := newJSONReader(r)
	tok, err := d.dec.Token()
	if errors.Is(err, io.EOF) {
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
			m, err := d.values("planned_values", false)
			managed = managed || m
			return err
		case "configuration":
			return d.configuration()
		case "prior_state":
			_, err := d.object("prior_state", true, func(key string) error {
				if key != "values" {
					if err := caseVariant([]byte(key), stateKeys, name("prior_state")); err != nil {
						return err
					}
					return d.skip()
				}
				m, err := d.values("prior_state.values", true)
				managed = managed || m
				return err
			})
			return err
		default:
			if err := caseVariant([]byte(key), planKeys, name("the plan")); err != nil {
				return err
			}
			return d.skip()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Nothing but white space may follow the plan object.
	if tok, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("%w: trailing data after the plan object: %w", ErrMalformed, d.syntaxError(err))
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

// tokChange is one resource change as read, before classification.
type tokChange struct {
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
			if err = caseVariant([]byte(key), deferredKeys, name(what)); err == nil {
				err = d.skip()
			}
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
	var rc tokChange
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
				case "importing":
					// Strictness only; the values come from terraform-json.
					iw := field + ".importing"
					_, err = d.object(iw, true, func(key string) error {
						if key == "id" {
							_, err := d.str(iw+".id", true)
							return err
						}
						if err := caseVariant([]byte(key), importingKeys, name(iw)); err != nil {
							return err
						}
						return d.skip()
					})
				default:
					if err = caseVariant([]byte(key), changeKeys, name(field)); err == nil {
						err = d.skip()
					}
				}
				return err
			})
		default:
			if err = caseVariant([]byte(key), resourceChangeKeys, name(what)); err == nil {
				err = d.skip()
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return rc.build(what, approvals)
}

// build validates and classifies a raw change.
func (rc *tokChange) build(what string, approvals bool) (*Change, *Approval, error) {
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

	before, _, err := tokObjectMembers(rc.before, what+".change.before")
	if err != nil {
		return nil, nil, err
	}
	after, afterNull, err := tokObjectMembers(rc.after, what+".change.after")
	if err != nil {
		return nil, nil, err
	}
	// after_unknown is an object of markers, or true when the whole
	// object is unknown.
	unknown := map[string]json.RawMessage{}
	allUnknown := bytes.Equal(bytes.TrimSpace(rc.afterUnknown), []byte("true"))
	if !allUnknown {
		if unknown, _, err = tokObjectMembers(rc.afterUnknown, what+".change.after_unknown"); err != nil {
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
	a, err := tokApproval(c, after, unknown, what+".change.after")
	if err != nil {
		return nil, nil, err
	}
	return c, a, nil
}

// tokObjectMembers splits a JSON object into its members, rejecting duplicate
// keys. An absent or null value gives an empty map and isNull.
func tokObjectMembers(raw json.RawMessage, what string) (map[string]json.RawMessage, bool, error) {
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

// tokApproval extracts the planned value of a planguard_approval.
func tokApproval(c *Change, after, unknown map[string]json.RawMessage, what string) (*Approval, error) {
	a := &Approval{Address: c.Address, Kind: c.Kind, Known: true}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"scope", &a.Scope}, {"target", &a.Target}, {"action", &a.Action},
		{"reason", &a.Reason}, {"expires_at", &a.ExpiresAt}, {"identity", &a.Identity},
		{"from", &a.From}, {"issued_at", &a.IssuedAt},
	} {
		unk, err := containsTrue(unknown[f.name])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: after_unknown.%s: %w", ErrMalformed, what, f.name, err)
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
		return nil, fmt.Errorf("%w: %s: after_unknown.signatures: %w", ErrMalformed, what, err)
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
