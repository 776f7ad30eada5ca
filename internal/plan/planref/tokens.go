package planref

// This file is the strict, token-by-token walker on encoding/json that was
// planguard's plan reader before the streaming scanner (plan.Decode). It is
// the strictness half of the reference decoder, DecodeFull: it rejects
// exactly the inputs plan.Decode must reject, by an independent walk of the
// JSON on encoding/json's Decoder.Token.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
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

// syntaxError wraps a decoding error as planformat.ErrMalformed with its position.
func (d *jsonReader) syntaxError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, planformat.ErrMalformed) || errors.Is(err, planformat.ErrNotAPlan) || errors.Is(err, planformat.ErrUnsupportedFormat) || errors.Is(err, planformat.ErrErrored) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: unexpected end of input after byte %d: the JSON is truncated; write it again with `terraform show -json PLANFILE`", planformat.ErrMalformed, d.dec.InputOffset())
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: invalid JSON at byte %d: %w", planformat.ErrMalformed, se.Offset, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%w: at byte %d: %w", planformat.ErrMalformed, te.Offset, te)
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
	return fmt.Errorf("%w: %s must be %s, found %s (at byte %d)", planformat.ErrMalformed, what, want, describe(tok), d.dec.InputOffset())
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
			return fmt.Errorf("%w: duplicate key %q in %s (at byte %d): JSON with duplicate keys is ambiguous; write the plan JSON again with `terraform show -json PLANFILE`", planformat.ErrMalformed, key, what, d.dec.InputOffset())
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
			if err := planformat.CaseVariant([]byte(key), planformat.Keys.Values, name(what)); err != nil {
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
					case prior && key == "identity":
						_, err = d.identity(rw + ".identity")
					default:
						if err = planformat.CaseVariant([]byte(key), planformat.Keys.Resource, name(rw)); err == nil {
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
					return fmt.Errorf("%w: %s is a managed resource without an address or type", planformat.ErrMalformed, rw)
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
		if err := planformat.CaseVariant([]byte(key), planformat.Keys.Module, name(what)); err != nil {
			return err
		}
		return d.skip()
	})
	return managed, err
}

// DecodeTokens is the token walk alone: the plan as the earlier reader
// built it (without the configuration fields, prior objects and hash), or
// the error plan.Decode must also return. For benchmarks; DecodeFull uses it
// as its strictness check.
func DecodeTokens(r io.Reader) (*planformat.Plan, error) {
	return tokenDecode(r)
}

func tokenDecode(r io.Reader) (*planformat.Plan, error) {
	d := newJSONReader(r)
	tok, err := d.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: empty input; expected the JSON of `terraform show -json PLANFILE`", planformat.ErrNotAPlan)
	}
	if err != nil {
		return nil, d.syntaxError(err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: the JSON is %s, not an object; expected the JSON of `terraform show -json PLANFILE`", planformat.ErrNotAPlan, describe(tok))
	}

	p := &planformat.Plan{}
	var haveFormat, haveChanges, havePlanned, managed bool
	err = d.members("the plan", func(key string) error {
		switch key {
		case "format_version":
			v, err := d.str("format_version", false)
			if err != nil {
				return err
			}
			if err := planformat.CheckFormatVersion(v); err != nil {
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
				return fmt.Errorf("%w: the plan is marked errored: planning failed and this plan cannot be applied; fix the errors `terraform plan` reports and plan again", planformat.ErrErrored)
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
		case "configuration":
			return d.configuration()
		case "action_invocations":
			a, err := d.actionInvocations()
			p.ActionInvocations = a
			return err
		case "planned_values", "prior_state":
			havePlanned = havePlanned || key == "planned_values"
			m, err := d.stateValues(key)
			managed = managed || m
			return err
		default:
			if err := planformat.CaseVariant([]byte(key), planformat.Keys.Plan, name("the plan")); err != nil {
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
			return nil, fmt.Errorf("%w: trailing data after the plan object: %w", planformat.ErrMalformed, d.syntaxError(err))
		}
		return nil, fmt.Errorf("%w: trailing data after the plan object (%s at byte %d); the file must hold exactly one JSON object", planformat.ErrMalformed, describe(tok), d.dec.InputOffset())
	}
	if err := planformat.CheckComplete(haveFormat, havePlanned, haveChanges, managed); err != nil {
		return nil, err
	}
	return p, nil
}

// stateValues walks planned_values, or prior_state down to its values, and
// reports whether it holds a managed resource.
func (d *jsonReader) stateValues(key string) (managed bool, err error) {
	if key == "planned_values" {
		return d.values(key, false)
	}
	_, err = d.object(key, true, func(k string) error {
		if k == "values" {
			m, err := d.values(key+".values", true)
			managed = m
			return err
		}
		if err := planformat.CaseVariant([]byte(k), planformat.Keys.State, name(key)); err != nil {
			return err
		}
		return d.skip()
	})
	return managed, err
}

// tokChange is one resource change as read, before classification.
type tokChange struct {
	planformat.Header
	before, after, afterUnknown                   json.RawMessage
	beforeIdentity, afterIdentity, importIdentity string
}

// deferredChange reads one deferred_changes element.
func (d *jsonReader) deferredChange(what string) (*planformat.Change, error) {
	var reason string
	var c *planformat.Change
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
			if err = planformat.CaseVariant([]byte(key), planformat.Keys.Deferred, name(what)); err == nil {
				err = d.skip()
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !have {
		return nil, fmt.Errorf("%w: %s has no resource_change", planformat.ErrMalformed, what)
	}
	if c != nil {
		c.ActionReason = reason
	}
	return c, nil
}

// resourceChange reads one resource change object. It returns a nil Change
// for a data source. With approvals, it also returns the Approval of a
// planned planguard_approval.
func (d *jsonReader) resourceChange(what string, approvals bool) (*planformat.Change, *planformat.Approval, error) {
	var rc tokChange
	_, err := d.object(what, false, func(key string) error {
		var err error
		field := what + "." + key
		switch key {
		case "address":
			rc.Address, err = d.str(field, false)
		case "previous_address":
			rc.PreviousAddress, err = d.str(field, false)
		case "module_address":
			rc.ModuleAddress, err = d.str(field, false)
		case "mode":
			rc.Mode, err = d.str(field, false)
		case "type":
			rc.Type, err = d.str(field, false)
		case "name":
			rc.Name, err = d.str(field, false)
		case "provider_name":
			rc.ProviderName, err = d.str(field, false)
		case "deposed":
			rc.Deposed, err = d.str(field, false)
		case "action_reason":
			rc.ActionReason, err = d.str(field, false)
		case "change":
			rc.HaveChange = true
			_, err = d.object(field, false, func(key string) error {
				var err error
				switch key {
				case "actions":
					rc.HaveActions = true
					err = d.array(field+".actions", false, func(i int) error {
						a, err := d.str(fmt.Sprintf("%s.actions[%d]", field, i), false)
						rc.Actions = append(rc.Actions, a)
						return err
					})
				case "before":
					rc.before, err = d.raw()
				case "after":
					rc.after, err = d.raw()
				case "after_unknown":
					rc.afterUnknown, err = d.raw()
				case "importing":
					iw := field + ".importing"
					var isNull bool
					isNull, err = d.object(iw, true, func(key string) error {
						switch key {
						case "id":
							var err error
							rc.ImportID, err = d.str(iw+".id", true)
							return err
						case "identity":
							var err error
							rc.importIdentity, err = d.identity(iw + ".identity")
							return err
						}
						if err := planformat.CaseVariant([]byte(key), planformat.Keys.Importing, name(iw)); err != nil {
							return err
						}
						return d.skip()
					})
					rc.Importing = !isNull
				case "before_identity":
					rc.beforeIdentity, err = d.identity(field + ".before_identity")
				case "after_identity":
					rc.afterIdentity, err = d.identity(field + ".after_identity")
				default:
					if err = planformat.CaseVariant([]byte(key), planformat.Keys.Change, name(field)); err == nil {
						err = d.skip()
					}
				}
				return err
			})
		default:
			if err = planformat.CaseVariant([]byte(key), planformat.Keys.ResourceChange, name(what)); err == nil {
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
func (rc *tokChange) build(what string, approvals bool) (*planformat.Change, *planformat.Approval, error) {
	where := func() string {
		if rc.Address == "" {
			return what
		}
		return fmt.Sprintf("%s (%s)", what, rc.Address)
	}
	kind, managed, err := rc.Check(where)
	if err != nil {
		return nil, nil, err
	}
	if !managed {
		if approvals && kind == planformat.KindRead {
			// A data source read during the apply may write on the host
			// (planformat.HostWrite): its objects are read, so checked.
			what = where()
			for _, o := range []struct {
				raw   json.RawMessage
				field string
			}{{rc.before, ".change.before"}, {rc.after, ".change.after"}, {rc.afterUnknown, ".change.after_unknown"}} {
				if o.field == ".change.after_unknown" && bytes.Equal(bytes.TrimSpace(o.raw), []byte("true")) {
					continue
				}
				if _, _, err := tokObjectMembers(o.raw, what+o.field); err != nil {
					return nil, nil, err
				}
			}
		}
		return nil, nil, nil
	}
	what = where()

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

	c := rc.Change(kind)
	c.PriorIdentity, c.ImportIdentity = rc.beforeIdentity, rc.importIdentity
	if id, ok := before["id"]; ok {
		var s string
		if len(id) > 0 && id[0] == '"' && json.Unmarshal(id, &s) == nil {
			c.PriorID = s
		}
	}
	if id, ok := after["id"]; ok {
		var s string
		if len(id) > 0 && id[0] == '"' && json.Unmarshal(id, &s) == nil {
			c.AfterID = s
		}
	}
	c.AfterIdentity = rc.afterIdentity
	if kind == planformat.KindUpdate || kind == planformat.KindReplace {
		if c.ChangedAttributes, err = planformat.ChangedRaw(before, after, unknown, allUnknown, name(what)); err != nil {
			return nil, nil, err
		}
	}
	if !approvals || !planformat.ApprovalPlanned(rc.Type, kind, afterNull, allUnknown) {
		return c, nil, nil
	}
	a, err := planformat.BuildApproval(c, &tokApproval{planformat.RawMembers{After: after, AfterUnknown: unknown, What: what + ".change.after"}}, allUnknown, name(what+".change.after"))
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

// tokApproval is the planformat.ApprovalValues of the token walk: the members
// of change.after, read with encoding/json tokens.
type tokApproval struct{ planformat.RawMembers }

func (t *tokApproval) String(attr string) (string, error) {
	raw, ok := t.After[attr]
	if !ok {
		return "", nil
	}
	return newJSONReader(bytes.NewReader(raw)).str(t.What+"."+attr, true)
}

func (t *tokApproval) Signatures() ([]planformat.Signature, error) {
	raw, ok := t.After["signatures"]
	if !ok {
		return nil, nil
	}
	var out []planformat.Signature
	d := newJSONReader(bytes.NewReader(raw))
	err := d.array(t.What+".signatures", true, func(i int) error {
		var s planformat.Signature
		sw := fmt.Sprintf("%s.signatures[%d]", t.What, i)
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
		out = append(out, s)
		return err
	})
	return out, err
}

func name(s string) func() string { return func() string { return s } }
