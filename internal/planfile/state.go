package planfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// State is what planguard reads from a state record (a saved plan's
// tfstate or tfstate-prev entry, a pinned state file, `terraform state
// pull`): its lineage and serial and its resource instance objects.
type State struct {
	// Lineage and Serial identify the state (tfstate-prev has neither).
	Lineage string
	Serial  uint64
	// Objects are the resource instance objects, managed and data, in the
	// order of the state.
	Objects []StateObject
}

// StateObject is one resource instance object of a state.
type StateObject struct {
	// Managed is false for a data resource.
	Managed bool
	// Address is the resource instance address, e.g.
	// module.a["x"].aws_db_instance.db[0] (data.… for a data resource).
	Address string
	// Type is the resource type.
	Type string
	// Deposed is the deposed key, "" for the current object.
	Deposed string
	// ID is attributes["id"] when it is a string (attributes_flat["id"]
	// for an object written without attributes), else "".
	ID string
	// Identity is the object's resource identity (Terraform 1.12+) as
	// compact JSON, or "".
	Identity string
	// Status is the object's status as the state writes it: "" (ready) or
	// "tainted".
	Status string
	// SchemaVersion is the version of the provider's schema the object's
	// attributes were written with.
	SchemaVersion uint64
	// Private is the provider's private data for the object (decoded from
	// its base64), or "".
	Private string
	// Dependencies are the object's recorded dependencies, as written.
	Dependencies []string
	// CreateBeforeDestroy is the object's recorded create_before_destroy.
	CreateBeforeDestroy bool
	// Provider is the provider configuration of the object's resource, as
	// the state writes it, e.g. provider["registry.terraform.io/hashicorp/aws"].west.
	Provider string
	// Attributes are the object's attributes in canonical JSON (see
	// CanonicalJSON), "" when the state has none (absent or null).
	Attributes string
	// AttributesFlat are the object's legacy flat attributes in canonical
	// JSON, "" when absent, null or empty.
	AttributesFlat string
	// SensitiveAttributes are the object's sensitive_attributes paths in
	// canonical JSON, "" when absent, null or empty.
	SensitiveAttributes string
	// IdentitySchemaVersion is the version of the provider's identity
	// schema the identity was written with.
	IdentitySchemaVersion uint64
}

// Key is the object's address and deposed key: what names it in a state.
func (o StateObject) Key() string {
	if o.Deposed == "" {
		return o.Address
	}
	return o.Address + " deposed " + o.Deposed
}

// The keys of a version 4 state that Terraform and OpenTofu read, at each
// level (their state readers decode with encoding/json, whose struct
// fields match keys without regard to case: a key that differs from one of
// these only in case is refused, as the plan JSON reader refuses one).
var (
	stateKeys    = []string{"version", "terraform_version", "serial", "lineage", "outputs", "resources", "check_results"}
	resourceKeys = []string{"module", "mode", "type", "name", "each", "provider", "instances"}
	instanceKeys = []string{"index_key", "status", "deposed", "schema_version", "attributes", "attributes_flat", "sensitive_attributes",
		"identity_schema_version", "identity", "private", "dependencies", "create_before_destroy"}
)

// ParseState reads a version 4 state. Empty (or white space) input is an
// empty state. It is strict where Terraform's reader is lenient and a
// second reading could differ: a duplicate key in any object, and a key
// of the state's own structure (or an object's "id" attribute) spelt in
// another case, are errors, since encoding/json would take the last of
// them, or the case variant, where planguard read another.
func ParseState(b []byte) (*State, error) {
	s := &State{}
	if len(bytes.TrimSpace(b)) == 0 {
		return s, nil
	}
	r := &stateReader{dec: json.NewDecoder(bytes.NewReader(b))}
	r.dec.UseNumber()
	version, haveVersion := uint64(0), false
	isNull, err := r.object("the state", stateKeys, func(key string) error {
		var err error
		switch key {
		case "version":
			version, err = r.uint("version")
			haveVersion = err == nil
		case "lineage":
			s.Lineage, err = r.str("lineage")
		case "serial":
			s.Serial, err = r.uint("serial")
		case "resources":
			err = r.array("resources", func(i int) error { return r.resource(s, i) })
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("not a state file: %w", err)
	}
	if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a state file: data after the state object")
	}
	if isNull || !haveVersion || version != 4 {
		return nil, fmt.Errorf("state format version %d, not 4", version)
	}
	return s, nil
}

// resource reads resources[i] into s.
func (r *stateReader) resource(s *State, i int) error {
	what := fmt.Sprintf("resources[%d]", i)
	var module, mode, typ, name, provider string
	var instances []StateObject
	_, err := r.object(what, resourceKeys, func(key string) error {
		var err error
		switch key {
		case "module":
			module, err = r.str(what + ".module")
		case "mode":
			mode, err = r.str(what + ".mode")
		case "type":
			typ, err = r.str(what + ".type")
		case "name":
			name, err = r.str(what + ".name")
		case "provider":
			provider, err = r.str(what + ".provider")
		case "instances":
			err = r.array(what+".instances", func(j int) error {
				o, err := r.instance(fmt.Sprintf("%s.instances[%d]", what, j))
				instances = append(instances, o)
				return err
			})
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	var managed bool
	switch mode {
	case "managed":
		managed = true
	case "data":
	default:
		return fmt.Errorf("resource %s.%s has mode %q (managed or data)", typ, name, mode)
	}
	if typ == "" || name == "" {
		return fmt.Errorf("a resource without type or name")
	}
	base := typ + "." + name
	if !managed {
		base = "data." + base
	}
	if module != "" {
		base = module + "." + base
	}
	for _, o := range instances {
		o.Managed, o.Type, o.Provider = managed, typ, provider
		o.Address = base + o.Address // the instance key, if any
		s.Objects = append(s.Objects, o)
	}
	return nil
}

// instance reads one instance object; its Address is only its instance
// key ("[0]", "" for none).
func (r *stateReader) instance(what string) (StateObject, error) {
	var o StateObject
	var attrID, flatID string
	haveAttrs := false
	_, err := r.object(what, instanceKeys, func(key string) error {
		var err error
		switch key {
		case "index_key":
			var raw json.RawMessage
			if raw, err = r.raw(); err == nil {
				if k := bytes.TrimSpace(raw); len(k) > 0 && string(k) != "null" {
					o.Address = "[" + string(compact(k)) + "]"
				}
			}
		case "deposed":
			o.Deposed, err = r.str(what + ".deposed")
		case "status":
			o.Status, err = r.str(what + ".status")
		case "schema_version":
			o.SchemaVersion, err = r.uint(what + ".schema_version")
		case "private":
			var p string
			if p, err = r.str(what + ".private"); err == nil {
				var dec []byte
				if dec, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(p)); err != nil {
					err = fmt.Errorf("%s.private is not base64: %w", what, err)
				}
				o.Private = string(dec)
			}
		case "dependencies":
			err = r.array(what+".dependencies", func(k int) error {
				d, err := r.str(fmt.Sprintf("%s.dependencies[%d]", what, k))
				o.Dependencies = append(o.Dependencies, d)
				return err
			})
		case "create_before_destroy":
			o.CreateBeforeDestroy, err = r.bool(what + ".create_before_destroy")
		case "identity":
			var raw json.RawMessage
			if raw, err = r.raw(); err == nil {
				if idn := bytes.TrimSpace(raw); len(idn) > 0 && string(idn) != "null" {
					o.Identity = string(compact(idn))
				}
			}
		case "attributes":
			haveAttrs = true
			o.Attributes, attrID, err = r.attributes(what + ".attributes")
		case "attributes_flat":
			o.AttributesFlat, flatID, err = r.attributes(what + ".attributes_flat")
			if o.AttributesFlat == "{}" {
				o.AttributesFlat = ""
			}
		case "sensitive_attributes":
			var raw json.RawMessage
			if raw, err = r.raw(); err == nil {
				if o.SensitiveAttributes, err = CanonicalJSON(raw); err == nil && o.SensitiveAttributes == "[]" {
					o.SensitiveAttributes = ""
				}
			}
		case "identity_schema_version":
			o.IdentitySchemaVersion, err = r.uint(what + ".identity_schema_version")
		default:
			err = r.skip()
		}
		return err
	})
	o.ID = attrID
	if !haveAttrs {
		o.ID = flatID
	}
	return o, err
}

// attributes reads an attributes object (or null): its canonical JSON
// ("" for null) and its "id" when that is a string. An attribute whose name
// is "id" in another case is an error: attribute names are lower case, and
// encoding/json would read it as "id".
func (r *stateReader) attributes(what string) (canon, id string, err error) {
	raw, err := r.raw()
	if err != nil {
		return "", "", err
	}
	v, err := decodeNumbers(raw)
	if err != nil {
		return "", "", err
	}
	if v == nil {
		return "", "", nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", "", fmt.Errorf("%s is not an object", what)
	}
	for k, val := range m {
		if k == "id" {
			id, _ = val.(string)
		} else if strings.EqualFold(k, "id") {
			return "", "", fmt.Errorf("%s has the key %q, which Terraform reads as %q: refused, write the state with Terraform", what, k, "id")
		}
	}
	b, err := json.Marshal(canonicalValue(v))
	if err != nil {
		return "", "", err
	}
	return string(b), id, nil
}

// stateReader reads a state with a json.Decoder, token by token, so that
// every object's keys are seen: duplicates and case variants are refused.
type stateReader struct {
	dec   *json.Decoder
	depth int // arrays and objects open
}

// maxStateNesting is encoding/json's own limit, past which Terraform cannot
// read a state either (json.Decoder.Token has none, and the reader
// recurses once per level).
const maxStateNesting = 10000

// open counts an array or object opened, refusing too deep a nesting.
func (r *stateReader) open() error {
	if r.depth++; r.depth > maxStateNesting {
		return errors.New("the state is nested too deeply")
	}
	return nil
}

// object reads an object (or null: isNull), calling member for each key;
// member must read the key's value. known are the keys the caller reads:
// a key that equals one of them only when case is ignored is an error.
func (r *stateReader) object(what string, known []string, member func(key string) error) (isNull bool, err error) {
	tok, err := r.dec.Token()
	if err != nil {
		return false, err
	}
	if tok == nil {
		return true, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return false, fmt.Errorf("%s is not an object", what)
	}
	if err := r.open(); err != nil {
		return false, err
	}
	defer func() { r.depth-- }()
	seen := map[string]bool{}
	for r.dec.More() {
		kt, err := r.dec.Token()
		if err != nil {
			return false, err
		}
		key, _ := kt.(string)
		if seen[key] {
			return false, fmt.Errorf("%s has the key %q twice: which one a reader takes is not defined", what, key)
		}
		seen[key] = true
		for _, k := range known {
			if key != k && strings.EqualFold(key, k) {
				return false, fmt.Errorf("%s has the key %q, which Terraform reads as %q: refused, write the state with Terraform", what, key, k)
			}
		}
		if err := member(key); err != nil {
			return false, err
		}
	}
	_, err = r.dec.Token() // '}'
	return false, err
}

// array reads an array (or null) of values, calling elem for each.
func (r *stateReader) array(what string, elem func(i int) error) error {
	tok, err := r.dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s is not an array", what)
	}
	if err := r.open(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	for i := 0; r.dec.More(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	_, err = r.dec.Token() // ']'
	return err
}

// value reads a scalar, or skips an array or object and returns nil.
func (r *stateReader) value() (any, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); ok {
		return nil, r.rest(d)
	}
	return tok, nil
}

// skip reads one value, checking the keys of every object in it.
func (r *stateReader) skip() error {
	_, err := r.value()
	return err
}

// rest reads the rest of an array or object whose opening delimiter d
// was read.
func (r *stateReader) rest(d json.Delim) error {
	if err := r.open(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	if d == '{' {
		seen := map[string]bool{}
		for r.dec.More() {
			kt, err := r.dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			if seen[key] {
				return fmt.Errorf("an object has the key %q twice: which one a reader takes is not defined", key)
			}
			seen[key] = true
			if err := r.skip(); err != nil {
				return err
			}
		}
	} else {
		for r.dec.More() {
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
	_, err := r.dec.Token()
	return err
}

// raw reads one value and returns its JSON text; its objects' keys are
// checked as skip checks them.
func (r *stateReader) raw() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return nil, err
	}
	sub := &stateReader{dec: json.NewDecoder(bytes.NewReader(raw)), depth: r.depth}
	sub.dec.UseNumber()
	return raw, sub.skip()
}

// str reads a string or null ("").
func (r *stateReader) str(what string) (string, error) {
	tok, err := r.value()
	if err != nil {
		return "", err
	}
	switch t := tok.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	}
	return "", fmt.Errorf("%s is not a string", what)
}

// uint reads a non-negative integer or null (0).
func (r *stateReader) uint(what string) (uint64, error) {
	tok, err := r.value()
	if err != nil {
		return 0, err
	}
	switch t := tok.(type) {
	case nil:
		return 0, nil
	case json.Number:
		n, err := strconv.ParseUint(t.String(), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s is not a non-negative integer: %s", what, t)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s is not a number", what)
}

// bool reads a boolean or null (false).
func (r *stateReader) bool(what string) (bool, error) {
	tok, err := r.value()
	if err != nil {
		return false, err
	}
	switch t := tok.(type) {
	case nil:
		return false, nil
	case bool:
		return t, nil
	}
	return false, fmt.Errorf("%s is not a boolean", what)
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return bytes.TrimSpace(out.Bytes())
}

// String is o for messages: its address, deposed key and id.
func (o StateObject) String() string {
	var b strings.Builder
	b.WriteString(o.Key())
	if o.ID != "" {
		fmt.Fprintf(&b, " (id %q)", o.ID)
	}
	return b.String()
}
