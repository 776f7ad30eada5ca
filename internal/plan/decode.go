package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"slices"
	"strconv"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// Decode reads the JSON of `terraform show -json PLANFILE` from r, strictly.
//
// It returns an error (see ErrNotAPlan, ErrMalformed, ErrUnsupportedFormat,
// ErrErrored) for input that is not JSON, is not valid UTF-8, is truncated
// or has trailing data; has a duplicate key in any object it interprets
// (the top level, planned_values and prior_state down to each resource
// object, a resource change, its change, the top level of before, after and
// after_unknown, deferred changes, an approval's signatures) or, in the plan,
// a resource change, its change or a deferred change, a key that differs
// from one it interprets only in case (which encoding/json would read as
// that key); has a missing
// or unsupported format_version; is errored; has no planned_values (such as
// the JSON of a state); or has a resource change with a missing address,
// type or mode, or with an empty, unknown or unknown combination of actions.
// Values it does not interpret (configuration, variables, output_changes,
// the values of planned and prior resources, …) are checked to be valid
// JSON, but not built.
//
// A plan without a resource_changes key is accepted as a plan without
// changes only when neither planned_values nor prior_state holds a managed
// resource: Terraform and OpenTofu omit the key (it is "omitempty") exactly
// when the configuration and the state have no resources at all, and emit a
// "no-op" change for every managed resource otherwise (see the no_changes
// and empty fixtures in testdata).
//
// Decode reads r in one pass through a fixed-size window, hashing the bytes
// and checking their UTF-8 on a second goroutine; memory grows only with
// the changes it returns (see Options.GateOnly to keep fewer).
//
// The SHA256 of the returned plan is the hash of all bytes read from r.
func Decode(r io.Reader) (*Plan, error) {
	return decodeWithOptions(r, Options{})
}

// decodeWithOptions is Decode with the GateOnly, KeepPrior,
// KeepAfterString and HostWriter of o.
func decodeWithOptions(r io.Reader, o Options) (*Plan, error) {
	sk := newSink()
	d := &decoder{s: newScanner(r, sk), gateOnly: o.GateOnly, keepPrior: o.KeepPrior, keepAfter: o.KeepAfterString}
	d.cfg.HostWriter = o.HostWriter
	p, err := d.plan()
	sum, uerr := sk.finish()
	d.s.release()
	if err != nil {
		return nil, err
	}
	if uerr != nil {
		return nil, uerr
	}
	p.SHA256 = sum
	return p, nil
}

// sink hashes the input and checks its UTF-8 on its own goroutine, chunk
// by chunk, in order. The scanner hands it each chunk it reads, and before
// reusing a buffer waits until the chunk that was in it is done.
type sink struct {
	ch          chan []byte
	acks        chan struct{}
	done        chan struct{}
	sent, acked int
	h           hash.Hash
	u           utf8Check
}

func newSink() *sink {
	k := &sink{ch: make(chan []byte, 2), acks: make(chan struct{}, 4), done: make(chan struct{}), h: sha256.New()}
	go k.run()
	return k
}

func (k *sink) run() {
	defer close(k.done)
	for b := range k.ch {
		k.h.Write(b)
		_, _ = k.u.Write(b)
		k.acks <- struct{}{}
	}
}

func (k *sink) send(b []byte) {
	k.sent++
	k.ch <- b
}

// waitSpare waits until at most the last chunk sent is still in use.
func (k *sink) waitSpare() {
	for k.acked < k.sent-1 {
		<-k.acks
		k.acked++
	}
}

// finish stops the goroutine and returns the hash and the UTF-8 verdict.
func (k *sink) finish() (string, error) {
	close(k.ch)
	<-k.done
	return hex.EncodeToString(k.h.Sum(nil)), k.u.finish()
}

// loc names a place in the plan for messages, built only when one is
// needed: list[i]pre (addr) and then a field.
type loc struct {
	list string // "resource_changes"; "" for the top level
	i    int
	pre  string // ".resource_change" inside a deferred change
	addr string // the change's address, once validated
}

func (l loc) String() string {
	if l.list == "" {
		return ""
	}
	s := l.list + "[" + strconv.Itoa(l.i) + "]" + l.pre
	if l.addr != "" {
		s += " (" + l.addr + ")"
	}
	return s
}

func (l loc) field(f string) string { return l.String() + f }

// decoder reads a plan from a scanner.
type decoder struct {
	s         *scanner
	sets      []*keySet // one per open interpreted object
	level     int       // open interpreted objects
	spanSets  [3]keySet // for objectSpans
	sub       scanner   // for the prior id, a captured value
	gateOnly  bool
	keepPrior PriorFilter
	keepAfter func(string) bool       // Options.KeepAfterString
	prior     planformat.PriorBuilder // read from prior_state
	priorAddr []byte                  // the address of the prior object being read
	priorID   []byte                  // its id
	priorDep  []byte                  // its deposed key
	priorSum  [32]byte                // the digest of its values
	priorSums planformat.PriorDigests // of every managed prior object
	befores   []planformat.BeforeDigest
	// beforeAddrs are the addresses of befores, once resource_changes
	// has been read whole (changesRead): a prior object at another
	// address is no change's before, and its values need no digest.
	beforeAddrs map[string]struct{}
	changesRead bool
	digester    canonjson.Digester
	strs        map[string]string     // interned short strings
	actions     map[string][]string   // shared actions lists
	scratch     [3][]memberSpan       // for objectSpans
	actionList  []string              // for resourceChange
	cfg         planformat.ConfigInfo // what config.go collects
}

// keySet detects duplicate keys: linear over a byte arena while small, a
// map when large.
type keySet struct {
	arena []byte
	ends  []int
	m     map[string]struct{}
}

func (k *keySet) reset() {
	k.arena, k.ends = k.arena[:0], k.ends[:0]
	if k.m != nil {
		clear(k.m)
		k.m = nil
	}
}

// add records key and reports false when it was already there.
func (k *keySet) add(key []byte) bool {
	if k.m != nil {
		if _, dup := k.m[string(key)]; dup {
			return false
		}
		k.m[string(key)] = struct{}{}
		return true
	}
	start := 0
	for _, e := range k.ends {
		if bytes.Equal(k.arena[start:e], key) {
			return false
		}
		start = e
	}
	k.arena = append(k.arena, key...)
	k.ends = append(k.ends, len(k.arena))
	if len(k.ends) > 32 {
		k.m = make(map[string]struct{}, 64)
		start := 0
		for _, e := range k.ends {
			k.m[string(k.arena[start:e])] = struct{}{}
			start = e
		}
	}
	return true
}

func (d *decoder) typeError(what, want string, c byte) error {
	found := describeByte(c)
	if found == "" {
		return d.s.syntaxError("looking for beginning of value")
	}
	return fmt.Errorf("%w: %s must be %s, found %s (at byte %d)", ErrMalformed, what, want, found, d.s.offset())
}

// describeByte names the kind of value that starts with c, or "" when no
// value starts so.
func describeByte(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || ('0' <= c && c <= '9'):
		return "a number"
	}
	return ""
}

// members reads the members of an object whose '{' was consumed, through
// the closing '}'. fn must consume exactly one value; its key is valid only
// until it reads on. Duplicate keys are errors.
func (d *decoder) members(what func() string, fn func(key []byte) error) error {
	if d.level == len(d.sets) {
		d.sets = append(d.sets, &keySet{})
	}
	set := d.sets[d.level]
	d.level++
	defer func() { d.level-- }()
	dup := func(key []byte) error {
		return fmt.Errorf("%w: duplicate key %q in %s (at byte %d): JSON with duplicate keys is ambiguous; write the plan JSON again with `terraform show -json PLANFILE`", ErrMalformed, key, what(), d.s.offset())
	}
	return d.eachMember(set, dup, func(key []byte, _ span, _ bool) error { return fn(key) })
}

// eachMember is the one loop over an object's members, for members and
// objectSpans: it reads each key (decoded), refers a key already in set
// to dup (which stops the loop with its error, or lets it go on), and
// calls fn with the key, where its content is in the input and whether it
// had escapes; fn must consume exactly one value.
func (d *decoder) eachMember(set *keySet, dup func(key []byte) error, fn func(key []byte, where span, escaped bool) error) error {
	s := d.s
	set.reset()
	c, err := s.next()
	if err != nil {
		return err
	}
	if c == '}' {
		s.pos++
		return nil
	}
	for {
		if c != '"' {
			return s.syntaxError("looking for beginning of object key string")
		}
		start := s.offset()
		prev := s.keep
		if prev < 0 || prev > start {
			s.keep = start
		}
		escaped, err := s.skipString()
		if err != nil {
			return err
		}
		where := span{start + 1, s.offset() - 1}
		key := d.bytes(where)
		if escaped {
			key = unescape(key)
		}
		if !set.add(key) {
			if err := dup(key); err != nil {
				return err
			}
		}
		err = s.expect(':', "after object key")
		s.keep = prev
		if err != nil {
			return err
		}
		if err := fn(key, where, escaped); err != nil {
			return err
		}
		if c, err = s.next(); err != nil {
			return err
		}
		switch c {
		case ',':
			s.pos++
			if c, err = s.next(); err != nil {
				return err
			}
		case '}':
			s.pos++
			return nil
		default:
			return s.syntaxError("after object key:value pair")
		}
	}
}

// object reads an object (null when nullOK) and calls fn for each member.
// It reports whether the value was null.
func (d *decoder) object(what func() string, nullOK bool, fn func(key []byte) error) (isNull bool, err error) {
	c, err := d.s.next()
	if err != nil {
		return false, err
	}
	if c == 'n' && nullOK {
		return true, d.s.skipLiteral("null")
	}
	if c != '{' {
		return false, d.typeError(what(), "an object", c)
	}
	d.s.pos++
	if err := d.s.push(); err != nil {
		return false, err
	}
	err = d.members(what, fn)
	d.s.depth--
	return false, err
}

// array reads a list (null when nullOK) and calls fn for each element; fn
// must consume exactly one value.
func (d *decoder) array(what func() string, nullOK bool, fn func(i int) error) error {
	s := d.s
	c, err := s.next()
	if err != nil {
		return err
	}
	if c == 'n' && nullOK {
		return s.skipLiteral("null")
	}
	if c != '[' {
		return d.typeError(what(), "a list", c)
	}
	s.pos++
	if err := s.push(); err != nil {
		return err
	}
	defer func() { s.depth-- }()
	if c, err = s.next(); err != nil {
		return err
	}
	if c == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := fn(i); err != nil {
			return err
		}
		if c, err = s.next(); err != nil {
			return err
		}
		switch c {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.syntaxError("after array element")
		}
	}
}

// strBytes reads a string (null is empty when nullOK); the result is
// valid only until the decoder reads on.
func (d *decoder) strBytes(what func() string, nullOK bool) ([]byte, error) {
	c, err := d.s.next()
	if err != nil {
		return nil, err
	}
	if c == 'n' && nullOK {
		return nil, d.s.skipLiteral("null")
	}
	if c != '"' {
		return nil, d.typeError(what(), "a string", c)
	}
	return d.s.stringBytes()
}

// str reads a string; null is "" when nullOK.
func (d *decoder) str(what func() string, nullOK bool) (string, error) {
	b, err := d.strBytes(what, nullOK)
	return string(b), err
}

// istr reads a string and interns it: for the few distinct values of
// types, modes, providers and the like.
func (d *decoder) istr(what func() string) (string, error) {
	b, err := d.strBytes(what, false)
	if err != nil {
		return "", err
	}
	if v, ok := d.strs[string(b)]; ok {
		return v, nil
	}
	v := string(b)
	if d.strs == nil {
		d.strs = map[string]string{}
	}
	if len(d.strs) < 4096 {
		d.strs[v] = v
	}
	return v, nil
}

func (d *decoder) boolean(what func() string) (bool, error) {
	c, err := d.s.next()
	if err != nil {
		return false, err
	}
	switch c {
	case 't':
		return true, d.s.skipLiteral("true")
	case 'f':
		return false, d.s.skipLiteral("false")
	}
	return false, d.typeError(what(), "a boolean", c)
}

// span is where a value (or a key's content) is: input offsets from its
// first byte to just after its last. Whoever reads it keeps the buffer.
type span struct{ start, end int64 }

// bytes returns a captured value's bytes, nil for none.
func (d *decoder) bytes(sp span) []byte {
	if sp.end == 0 {
		return nil
	}
	return d.s.buf[sp.start-d.s.base : sp.end-d.s.base]
}

func name(s string) func() string { return func() string { return s } }

// values walks a state/planned values object ({"root_module": …}) and
// reports whether it holds any managed resource. With prior, it records the
// managed objects that have an id in d.prior.
func (d *decoder) values(what string, prior bool) (managed bool, err error) {
	_, err = d.object(name(what), true, func(key []byte) error {
		if string(key) != "root_module" {
			if err := planformat.CaseVariant(key, planformat.Keys.Values, name(what)); err != nil {
				return err
			}
			return d.s.skipValue()
		}
		m, err := d.module(what+".root_module", prior)
		managed = managed || m
		return err
	})
	return managed, err
}

// module walks a module object (resources, child_modules).
func (d *decoder) module(what string, prior bool) (managed bool, err error) {
	_, err = d.object(name(what), true, func(key []byte) error {
		switch string(key) {
		case "resources":
			rl := loc{list: what + ".resources"}
			return d.array(name(what+".resources"), true, func(i int) error {
				rl.i = i
				var isManaged bool
				var obj priorObject
				d.priorAddr, d.priorID, d.priorDep = d.priorAddr[:0], d.priorID[:0], d.priorDep[:0]
				d.priorSum = nullDigest
				_, err := d.object(rl.String, false, func(key []byte) error {
					var err error
					switch {
					case string(key) == "mode":
						var mode []byte
						mode, err = d.strBytes(func() string { return rl.field(".mode") }, false)
						isManaged = string(mode) == "managed"
					case prior && string(key) == "address":
						var b []byte
						b, err = d.strBytes(func() string { return rl.field(".address") }, false)
						d.priorAddr = append(d.priorAddr, b...)
					case prior && string(key) == "type":
						obj.Type, err = d.istr(func() string { return rl.field(".type") })
					case prior && string(key) == "values":
						err = d.valuesID(func() string { return rl.field(".values") })
					case prior && string(key) == "deposed_key":
						var b []byte
						b, err = d.strBytes(func() string { return rl.field(".deposed_key") }, false)
						d.priorDep = append(d.priorDep, b...)
					case prior && string(key) == "identity":
						var raw []byte
						if raw, err = d.rawValue(); err == nil {
							obj.Identity, err = planformat.CanonicalIdentity(raw, func() string { return rl.field(".identity") })
						}
					default:
						if err = planformat.CaseVariant(key, planformat.Keys.Resource, rl.String); err == nil {
							err = d.s.skipValue()
						}
					}
					return err
				})
				if err != nil || !isManaged {
					return err
				}
				managed = true
				if prior {
					return d.addPrior(obj, rl)
				}
				return nil
			})
		case "child_modules":
			return d.array(name(what+".child_modules"), true, func(i int) error {
				m, err := d.module(fmt.Sprintf("%s.child_modules[%d]", what, i), prior)
				managed = managed || m
				return err
			})
		}
		if err := planformat.CaseVariant(key, planformat.Keys.Module, name(what)); err != nil {
			return err
		}
		return d.s.skipValue()
	})
	return managed, err
}

// valuesID reads a prior object's values (an object, or null) and keeps
// its "id" in d.priorID when that is a string, and the digest of the
// values in d.priorSum. Duplicate keys are errors.
func (d *decoder) valuesID(what func() string) error {
	s := d.s
	if _, err := s.next(); err != nil {
		return err
	}
	prev := s.keep
	start := s.offset()
	if prev < 0 || prev > start {
		s.keep = start
	}
	defer func() { s.keep = prev }()
	_, err := d.object(what, true, func(key []byte) error {
		if string(key) != "id" {
			return d.s.skipValue()
		}
		c, err := d.s.next()
		if err != nil {
			return err
		}
		if c != '"' {
			return d.s.skipValue()
		}
		b, err := d.strBytes(what, false)
		d.priorID = append(d.priorID, b...)
		return err
	})
	if err != nil {
		return err
	}
	if d.changesRead && len(d.priorAddr) > 0 {
		if _, ok := d.beforeAddrs[string(d.priorAddr)]; !ok {
			// No change starts from this object: its digest is never
			// compared (planformat.PriorDigests.Check refuses an object
			// without one, should a change name it after all).
			d.priorSum = noDigest
			return nil
		}
	}
	if d.priorSum, err = d.digester.Sum(d.bytes(span{start, s.offset()})); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformed, what(), err)
	}
	return nil
}

// noDigest stands for the digest of a prior object's values that was not
// computed: no change's before names the object (a zero sum; no value
// digests to it, barring a SHA-256 preimage).
var noDigest [32]byte

// nullDigest is the digest of a JSON null: the values of a prior object
// that has none.
var nullDigest, _ = canonjson.Digest([]byte("null"))

// priorObject is what the decoder reads of a prior object besides its
// address and id (in decoder.priorAddr and priorID).
type priorObject struct{ Type, Identity string }

// addPrior records a managed prior object that has an id or an identity.
func (d *decoder) addPrior(obj priorObject, l loc) error {
	if len(d.priorAddr) == 0 || obj.Type == "" {
		return fmt.Errorf("%w: %s is a managed resource without an address or type", ErrMalformed, l)
	}
	d.priorSums.Add(d.priorAddr, d.priorDep, d.priorSum)
	if (len(d.priorID) == 0 && obj.Identity == "") || (d.keepPrior != nil && !d.keepPrior(string(d.priorAddr), obj.Type, string(d.priorID), obj.Identity)) {
		return nil
	}
	d.prior.Add(d.priorAddr, d.priorID, obj.Type, obj.Identity)
	return nil
}

func (d *decoder) plan() (*Plan, error) {
	s := d.s
	c, ok := s.peek()
	if !ok {
		if s.rerr != nil {
			return nil, s.endError()
		}
		return nil, fmt.Errorf("%w: empty input; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan)
	}
	if c != '{' {
		found := describeByte(c)
		if found == "" {
			return nil, s.syntaxError("looking for beginning of value")
		}
		if c != '[' {
			// A scalar: report it as not a plan only if it is valid JSON.
			if err := s.skipValue(); err != nil {
				return nil, err
			}
		}
		return nil, fmt.Errorf("%w: the JSON is %s, not an object; expected the JSON of `terraform show -json PLANFILE`", ErrNotAPlan, found)
	}
	s.pos++
	if err := s.push(); err != nil {
		return nil, err
	}

	p := &Plan{}
	var haveFormat, haveChanges, havePlanned, managed bool
	err := d.members(name("the plan"), func(key []byte) error {
		switch string(key) {
		case "format_version":
			v, err := d.str(name("format_version"), false)
			if err != nil {
				return err
			}
			if err := planformat.CheckFormatVersion(v); err != nil {
				return err
			}
			p.FormatVersion, haveFormat = v, true
		case "terraform_version":
			v, err := d.str(name("terraform_version"), false)
			p.TerraformVersion = v
			return err
		case "errored":
			b, err := d.boolean(name("errored"))
			if err != nil {
				return err
			}
			if b {
				return fmt.Errorf("%w: the plan is marked errored: planning failed and this plan cannot be applied; fix the errors `terraform plan` reports and plan again", ErrErrored)
			}
		case "resource_changes":
			haveChanges = true
			l := loc{list: "resource_changes"}
			err := d.array(name("resource_changes"), false, func(i int) error {
				l.i = i
				c, a, err := d.resourceChange(l, true)
				if err != nil || c == nil {
					return err
				}
				d.cfg.NoteChange(c)
				if d.keep(c) {
					p.Changes = append(p.Changes, *c)
				}
				if a != nil {
					p.Approvals = append(p.Approvals, *a)
				}
				return nil
			})
			if err == nil && !d.changesRead {
				d.changesRead = true
				d.beforeAddrs = make(map[string]struct{}, len(d.befores))
				for _, b := range d.befores {
					d.beforeAddrs[b.Address] = struct{}{}
				}
			}
			return err
		case "resource_drift":
			l := loc{list: "resource_drift"}
			return d.array(name("resource_drift"), false, func(i int) error {
				l.i = i
				c, _, err := d.resourceChange(l, false)
				if err == nil && c != nil && d.keep(c) {
					p.Drift = append(p.Drift, *c)
				}
				return err
			})
		case "deferred_changes":
			l := loc{list: "deferred_changes"}
			return d.array(name("deferred_changes"), false, func(i int) error {
				l.i = i
				c, err := d.deferredChange(l)
				if err == nil && c != nil && d.keep(c) {
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
		case "action_invocations":
			return d.actionInvocations(p)
		case "prior_state":
			_, err := d.object(name("prior_state"), true, func(key []byte) error {
				if string(key) != "values" {
					if err := planformat.CaseVariant(key, planformat.Keys.State, name("prior_state")); err != nil {
						return err
					}
					return d.s.skipValue()
				}
				m, err := d.values("prior_state.values", true)
				managed = managed || m
				return err
			})
			return err
		default:
			if err := planformat.CaseVariant(key, planformat.Keys.Plan, name("the plan")); err != nil {
				return err
			}
			return d.s.skipValue()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.depth--
	// Nothing but white space may follow the plan object.
	if c, ok := s.peek(); ok {
		found := describeByte(c)
		if found == "" {
			found = quoteChar(c)
		}
		return nil, fmt.Errorf("%w: trailing data after the plan object (%s at byte %d); the file must hold exactly one JSON object", ErrMalformed, found, s.offset())
	}
	if s.rerr != nil {
		return nil, s.endError()
	}
	if err := planformat.CheckComplete(haveFormat, havePlanned, haveChanges, managed); err != nil {
		return nil, err
	}
	if err := d.cfg.Finish(p); err != nil {
		return nil, err
	}
	if d.gateOnly && d.keepAfter != nil {
		// A create kept for its unknown attributes may have none that
		// the configuration sets (ConfigInfo.Finish).
		p.Changes = slices.DeleteFunc(p.Changes, func(c Change) bool { return !c.GateRelevant() })
	}
	if err := d.priorSums.Check(d.befores); err != nil {
		return nil, err
	}
	p.Prior = d.prior.Build()
	return p, nil
}

// keep reports whether a change is kept in the plan.
func (d *decoder) keep(c *Change) bool {
	return !d.gateOnly || c.GateRelevant()
}

// deferredChange reads one deferred_changes element.
func (d *decoder) deferredChange(l loc) (*Change, error) {
	var reason string
	var c *Change
	var have bool
	_, err := d.object(l.String, false, func(key []byte) error {
		var err error
		switch string(key) {
		case "reason":
			reason, err = d.istr(func() string { return l.field(".reason") })
		case "resource_change":
			have = true
			rl := l
			rl.pre = ".resource_change"
			c, _, err = d.resourceChange(rl, false)
		default:
			if err = planformat.CaseVariant(key, planformat.Keys.Deferred, l.String); err == nil {
				err = d.s.skipValue()
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !have {
		return nil, fmt.Errorf("%w: %s has no resource_change", ErrMalformed, l)
	}
	if c != nil {
		c.ActionReason = reason
	}
	return c, nil
}

// change is one resource change as read, before classification.
type change struct {
	planformat.Header
	before, after, afterUnknown                   objectSpan
	beforeIdentity, afterIdentity, importIdentity span
	afterSensitive                                span
}

// resourceChange reads one resource change object. It returns a nil Change
// for a data source. With approvals, it also returns the Approval of a
// planned planguard_approval. The object stays in the buffer until it is
// built, so that before, after and after_unknown are not copied.
func (d *decoder) resourceChange(l loc, approvals bool) (*Change, *Approval, error) {
	s := d.s
	if _, err := s.next(); err != nil {
		return nil, nil, err
	}
	prev := s.keep
	if start := s.offset(); prev < 0 || prev > start {
		s.keep = start
	}
	defer func() { s.keep = prev }()
	var rc change
	_, err := d.object(l.String, false, func(key []byte) error {
		var err error
		switch string(key) {
		case "address":
			rc.Address, err = d.str(func() string { return l.field(".address") }, false)
		case "previous_address":
			rc.PreviousAddress, err = d.str(func() string { return l.field(".previous_address") }, false)
		case "module_address":
			rc.ModuleAddress, err = d.istr(func() string { return l.field(".module_address") })
		case "mode":
			rc.Mode, err = d.istr(func() string { return l.field(".mode") })
		case "type":
			rc.Type, err = d.istr(func() string { return l.field(".type") })
		case "name":
			rc.Name, err = d.istr(func() string { return l.field(".name") })
		case "provider_name":
			rc.ProviderName, err = d.istr(func() string { return l.field(".provider_name") })
		case "deposed":
			rc.Deposed, err = d.str(func() string { return l.field(".deposed") }, false)
		case "action_reason":
			rc.ActionReason, err = d.istr(func() string { return l.field(".action_reason") })
		case "change":
			rc.HaveChange = true
			_, err = d.object(func() string { return l.field(".change") }, false, func(key []byte) error {
				var err error
				switch string(key) {
				case "actions":
					rc.HaveActions = true
					rc.Actions = d.actionList[:0]
					err = d.array(func() string { return l.field(".change.actions") }, false, func(i int) error {
						a, err := d.istr(func() string { return fmt.Sprintf("%s.change.actions[%d]", l, i) })
						rc.Actions = append(rc.Actions, a)
						return err
					})
				case "before":
					err = d.objectSpans(&rc.before, 0)
				case "after":
					err = d.objectSpans(&rc.after, 1)
				case "after_unknown":
					err = d.objectSpans(&rc.afterUnknown, 2)
				case "after_sensitive":
					rc.afterSensitive, err = d.valueSpan()
				case "before_identity":
					rc.beforeIdentity, err = d.valueSpan()
				case "after_identity":
					rc.afterIdentity, err = d.valueSpan()
				case "importing":
					iw := func() string { return l.field(".change.importing") }
					var isNull bool
					isNull, err = d.object(iw, true, func(key []byte) error {
						if string(key) == "id" {
							var err error
							rc.ImportID, err = d.str(func() string { return l.field(".change.importing.id") }, true)
							return err
						}
						if string(key) == "identity" {
							var err error
							rc.importIdentity, err = d.valueSpan()
							return err
						}
						if err := planformat.CaseVariant(key, planformat.Keys.Importing, iw); err != nil {
							return err
						}
						return d.s.skipValue()
					})
					rc.Importing = !isNull
				default:
					if err = planformat.CaseVariant(key, planformat.Keys.Change, func() string { return l.field(".change") }); err == nil {
						err = d.s.skipValue()
					}
				}
				return err
			})
		default:
			if err = planformat.CaseVariant(key, planformat.Keys.ResourceChange, l.String); err == nil {
				err = d.s.skipValue()
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return d.build(&rc, l, approvals)
}

// objectSpan is a before, after or after_unknown value read in the
// stream: where it is and, when it is an object, where its members are.
// Its bytes stay in the buffer until the change is built.
type objectSpan struct {
	have, isNull bool
	whole        span
	members      []memberSpan
	// problem, when not "", is why the value is not a usable object:
	// reported only for a managed resource, as the reader always did.
	problem string
}

// memberSpan is one member of an objectSpan: its key's content (or, when
// the key has escapes, its decoded bytes) and its value.
type memberSpan struct {
	key     span
	escaped []byte
	value   span
}

// objectSpans reads one value into o, validating it; when it is an object
// it records its members and notes a duplicate key as a problem. scratch
// (0, 1 or 2) picks the reused member list and key set.
func (d *decoder) objectSpans(o *objectSpan, scratch int) error {
	s := d.s
	c, err := s.next()
	if err != nil {
		return err
	}
	*o = objectSpan{have: true, members: d.scratch[scratch][:0]}
	o.whole.start = s.offset()
	defer func() { o.whole.end = s.offset(); d.scratch[scratch] = o.members }()
	switch c {
	case 'n':
		o.isNull = true
		return s.skipLiteral("null")
	case '{':
	default:
		if err := s.skipValue(); err != nil {
			return err
		}
		o.problem = "must be an object, found " + describeByte(c)
		return nil
	}
	s.pos++
	if err := s.push(); err != nil {
		return err
	}
	defer func() { s.depth-- }()
	dup := func(key []byte) error {
		if o.problem == "" {
			o.problem = fmt.Sprintf("has a duplicate key %q: JSON with duplicate keys is ambiguous; write the plan JSON again with `terraform show -json PLANFILE`", key)
		}
		return nil
	}
	return d.eachMember(&d.spanSets[scratch], dup, func(key []byte, where span, escaped bool) error {
		m := memberSpan{key: where}
		if escaped {
			m.escaped = key
		}
		if _, err := s.next(); err != nil {
			return err
		}
		m.value.start = s.offset()
		if err := s.skipValue(); err != nil {
			return err
		}
		m.value.end = s.offset()
		o.members = append(o.members, m)
		return nil
	})
}

// check returns the problem of a value as an error.
func (o *objectSpan) check(l loc, field string) error {
	if o.problem == "" {
		return nil
	}
	return fmt.Errorf("%w: %s %s", ErrMalformed, l.field(field), o.problem)
}

func (d *decoder) key(m *memberSpan) []byte {
	if m.escaped != nil {
		return m.escaped
	}
	return d.bytes(m.key)
}

func (d *decoder) lookup(o *objectSpan, key string) ([]byte, bool) {
	for i := range o.members {
		if string(d.key(&o.members[i])) == key {
			return d.bytes(o.members[i].value), true
		}
	}
	return nil, false
}

func (d *decoder) toMap(o *objectSpan) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(o.members))
	for i := range o.members {
		m[string(d.key(&o.members[i]))] = json.RawMessage(d.bytes(o.members[i].value))
	}
	return m
}

// sharedActions returns one shared list per distinct actions, so that a
// plan of many changes holds few.
func (d *decoder) sharedActions(a []string) []string {
	k := a[0]
	if len(a) > 1 {
		k = fmt.Sprint(a)
	}
	if v, ok := d.actions[k]; ok && len(v) == len(a) {
		return v
	}
	v := append(make([]string, 0, len(a)), a...)
	if d.actions == nil {
		d.actions = map[string][]string{}
	}
	d.actions[k] = v
	return v
}

// build validates and classifies a change read by resourceChange.
func (d *decoder) build(rc *change, l loc, approvals bool) (*Change, *Approval, error) {
	l.addr = rc.Address
	d.actionList = rc.Actions[:0]
	kind, managed, err := rc.Check(l.String)
	if err != nil {
		return nil, nil, err
	}
	d.cfg.NoteProvider(rc.ProviderName)
	if approvals && d.cfg.WantsHostWrite(&rc.Header, kind) {
		// resource_changes: a change that may write a file on the
		// machine that applies the plan (hostwrites.go).
		if err := d.noteHostWrite(rc, kind, l); err != nil {
			return nil, nil, err
		}
	}
	if !managed {
		if approvals {
			// resource_changes (the only list read with approvals): a
			// data source read there is read during the apply.
			d.cfg.NoteApplyRead(&rc.Header, kind)
		}
		return nil, nil, nil
	}

	if err := rc.before.check(l, ".change.before"); err != nil {
		return nil, nil, err
	}
	if err := rc.after.check(l, ".change.after"); err != nil {
		return nil, nil, err
	}
	afterNull := !rc.after.have || rc.after.isNull
	// after_unknown is an object of markers, or true when the whole
	// object is unknown.
	allUnknown := rc.afterUnknown.have && string(d.bytes(rc.afterUnknown.whole)) == "true"
	if !allUnknown {
		if err := rc.afterUnknown.check(l, ".change.after_unknown"); err != nil {
			return nil, nil, err
		}
	}

	if approvals && rc.before.have && !rc.before.isNull && kind != KindNoOp {
		// resource_changes: the before value must be the prior
		// state's object (planformat.PriorDigests). A no-op's is not
		// compared: the apply does nothing with it.
		sum, err := d.digester.Sum(d.bytes(rc.before.whole))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %w", ErrMalformed, l.field(".change.before"), err)
		}
		d.befores = append(d.befores, planformat.BeforeDigest{Address: rc.Address, Deposed: rc.Deposed, Sum: sum})
	}
	c := rc.Change(kind)
	c.Actions = d.sharedActions(rc.Actions)
	if err := d.identities(c, rc, l); err != nil {
		return nil, nil, err
	}
	if id, ok := d.lookup(&rc.before, "id"); ok && id[0] == '"' {
		d.sub.reset(id)
		b, err := d.sub.stringBytes()
		if err != nil {
			return nil, nil, err
		}
		c.PriorID = string(b)
	}
	if id, ok := d.lookup(&rc.after, "id"); ok && id[0] == '"' {
		d.sub.reset(id)
		b, err := d.sub.stringBytes()
		if err != nil {
			return nil, nil, err
		}
		c.AfterID = string(b)
	}
	if d.keepAfter != nil && !afterNull && planformat.WantsAfterStrings(kind, c.AfterID, c.AfterIdentity) {
		if c.AfterStrings, err = d.afterStrings(d.bytes(rc.after.whole), func() string { return l.field(".change.after") }); err != nil {
			return nil, nil, err
		}
	}
	if d.keepAfter != nil && approvals && planformat.WantsUnknownAttributes(kind, c.AfterID, c.AfterIdentity) {
		// Narrowed to the attributes the configuration sets by
		// ConfigInfo.Finish.
		if allUnknown {
			c.UnknownAttributes = []string{planformat.WholeObject}
		} else if c.UnknownAttributes, c.UnknownNested, err = planformat.UnknownTopRaw(d.toMap(&rc.afterUnknown)); err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %w", ErrMalformed, l.field(".change.after_unknown"), err)
		} else if len(c.UnknownAttributes) > 0 {
			var sensitive any
			if b := d.bytes(rc.afterSensitive); b != nil {
				if err := json.Unmarshal(b, &sensitive); err != nil {
					return nil, nil, fmt.Errorf("%w: %s: %w", ErrMalformed, l.field(".change.after_sensitive"), err)
				}
			}
			c.UnknownNested = planformat.Structured(c.UnknownAttributes, c.UnknownNested, sensitive)
		}
	}
	needApproval := approvals && planformat.ApprovalPlanned(rc.Type, kind, afterNull, allUnknown)
	if kind != KindUpdate && kind != KindReplace && !needApproval {
		return c, nil, nil
	}
	beforeMap, afterMap, unknownMap := d.toMap(&rc.before), d.toMap(&rc.after), map[string]json.RawMessage{}
	if !allUnknown {
		unknownMap = d.toMap(&rc.afterUnknown)
	}
	if kind == KindUpdate || kind == KindReplace {
		if c.ChangedAttributes, err = planformat.ChangedRaw(beforeMap, afterMap, unknownMap, allUnknown, l.String); err != nil {
			return nil, nil, err
		}
	}
	if !needApproval {
		return c, nil, nil
	}
	after := l.field(".change.after")
	a, err := planformat.BuildApproval(c, &rawApproval{planformat.RawMembers{After: afterMap, AfterUnknown: unknownMap, What: after}}, allUnknown, name(after))
	if err != nil {
		return nil, nil, err
	}
	return c, a, nil
}

// noteHostWrite records a host write (planformat.NoteHostWrite) from the
// change's before, after and after_unknown, which it checks first: their
// problems are errors here, for data sources too.
func (d *decoder) noteHostWrite(rc *change, kind Kind, l loc) error {
	for _, o := range []struct {
		v     *objectSpan
		field string
	}{{&rc.before, ".change.before"}, {&rc.after, ".change.after"}} {
		if err := o.v.check(l, o.field); err != nil {
			return err
		}
	}
	allUnknown := rc.afterUnknown.have && string(d.bytes(rc.afterUnknown.whole)) == "true"
	if !allUnknown {
		if err := rc.afterUnknown.check(l, ".change.after_unknown"); err != nil {
			return err
		}
	}
	lookup := func(o *objectSpan) func(string) ([]byte, bool) {
		return func(attr string) ([]byte, bool) { return d.lookup(o, attr) }
	}
	return d.cfg.NoteHostWrite(&rc.Header, kind, planformat.RawHostWriteValues(lookup(&rc.before), lookup(&rc.after), lookup(&rc.afterUnknown), allUnknown))
}

// rawApproval is the ApprovalValues of the streaming reader: the members
// of change.after, each read with the scanner.
type rawApproval struct{ planformat.RawMembers }

func (r *rawApproval) String(attr string) (string, error) {
	raw, ok := r.After[attr]
	if !ok {
		return "", nil
	}
	d := &decoder{s: memScanner(raw)}
	return d.str(name(r.What+"."+attr), true)
}

func (r *rawApproval) Signatures() ([]Signature, error) {
	raw, ok := r.After["signatures"]
	if !ok {
		return nil, nil
	}
	var out []Signature
	d := &decoder{s: memScanner(raw)}
	err := d.array(name(r.What+".signatures"), true, func(i int) error {
		var sig Signature
		sw := fmt.Sprintf("%s.signatures[%d]", r.What, i)
		_, err := d.object(name(sw), false, func(key []byte) error {
			var err error
			switch string(key) {
			case "principal":
				sig.Principal, err = d.str(name(sw+".principal"), true)
			case "signature":
				sig.Signature, err = d.str(name(sw+".signature"), true)
			default:
				err = d.s.skipValue()
			}
			return err
		})
		out = append(out, sig)
		return err
	})
	return out, err
}

// pathStep is a step of the walk of afterStrings: a member's name (valid
// while the walked bytes are) or an index.
type pathStep struct {
	key   []byte
	index int
}

// afterStrings walks raw, a change's after object, and returns the string
// values at any depth, and the keys below the top level (a map's keys), that
// d.keepAfter keeps, with where they are, sorted
// (planformat.SortAfterStrings). A duplicate member name at any depth is
// an error: the two readers would see different values.
func (d *decoder) afterStrings(raw []byte, what func() string) ([]AfterString, error) {
	sub := &decoder{s: memScanner(raw)}
	var out []AfterString
	var path []pathStep
	render := func() string {
		steps := make([]planformat.PathStep, len(path))
		for i, p := range path {
			if p.key == nil {
				steps[i] = planformat.PathStep{Index: p.index, IsIndex: true}
			} else {
				steps[i] = planformat.PathStep{Key: string(p.key)}
			}
		}
		return planformat.AttributePath(steps)
	}
	where := func() string { return what() + render() }
	var walk func() error
	walk = func() error {
		c, err := sub.s.next()
		if err != nil {
			return err
		}
		switch c {
		case '"':
			b, err := sub.s.stringBytes()
			if err != nil {
				return err
			}
			if v := string(b); len(path) > 0 && d.keepAfter(v) {
				out = append(out, AfterString{Attribute: render(), Value: v})
			}
			return nil
		case '{':
			_, err := sub.object(where, false, func(key []byte) error {
				if key == nil {
					key = []byte{}
				}
				path = append(path, pathStep{key: key})
				if len(path) > 1 && d.keepAfter(string(key)) {
					// A map key is a value too (input = { "PATH" = … }).
					out = append(out, AfterString{Attribute: render(), Value: string(key)})
				}
				err := walk()
				path = path[:len(path)-1]
				return err
			})
			return err
		case '[':
			return sub.array(where, false, func(i int) error {
				path = append(path, pathStep{index: i})
				err := walk()
				path = path[:len(path)-1]
				return err
			})
		}
		return sub.s.skipValue()
	}
	if err := walk(); err != nil {
		return nil, err
	}
	planformat.SortAfterStrings(out)
	return out, nil
}
