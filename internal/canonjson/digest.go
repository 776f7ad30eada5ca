package canonjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Digest returns the SHA-256 of a canonical encoding of one JSON value, for
// telling whether two JSON texts hold the same value: objects with their
// members sorted by name (the decoded bytes), strings decoded (escapes
// resolved), numbers by their exact decimal value (1, 1.0, 10e-1 and
// 0.1e1 are one number; nothing is rounded, however long the number), no
// white space. It is not RFC 8785 (Transform): it refuses no number,
// since it never converts one to a double, and what it hashes is not
// JSON. Two values have one digest exactly when they are equal as JSON
// values (barring a SHA-256 collision).
//
// It refuses invalid JSON, trailing data, invalid UTF-8, duplicate member
// names and unpaired surrogate escapes (which have no UTF-8 form), and
// values nested more than 10000 deep.
func Digest(raw []byte) ([32]byte, error) {
	var g Digester
	return g.Sum(raw)
}

// Digester computes Digest reusing its buffers: for many values in a row.
// The zero value is ready to use.
type Digester struct{ d digester }

// Sum returns Digest(raw).
func (g *Digester) Sum(raw []byte) ([32]byte, error) {
	d := &g.d
	d.in, d.pos, d.out, d.marks = raw, 0, d.out[:0], d.marks[:0]
	defer func() { d.in = nil }()
	d.space()
	if err := d.value(0); err != nil {
		return [32]byte{}, err
	}
	d.space()
	if d.pos != len(d.in) {
		return [32]byte{}, fmt.Errorf("trailing data at byte %d", d.pos)
	}
	return sha256.Sum256(d.out), nil
}

const maxDigestDepth = 10000

// digester writes the canonical encoding of in to out: a tag byte per
// value ('n', 't', 'f', 's', 'd', 'a', 'o'), strings and numbers with
// their length before them, array elements and object members (each an
// 'm', the name with its length before it, the value) up to an 'e'.
type digester struct {
	in     []byte
	pos    int
	out    []byte
	marks  []int  // where the members of the open objects start in out
	digits []byte // scratch for number
}

func (d *digester) space() {
	for d.pos < len(d.in) {
		switch d.in[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *digester) errorf(format string, args ...any) error {
	return fmt.Errorf("byte %d: %s", d.pos, fmt.Sprintf(format, args...))
}

func (d *digester) lengthOf(n int) {
	d.out = binary.AppendUvarint(d.out, uint64(n))
}

func (d *digester) value(depth int) error {
	if depth > maxDigestDepth {
		return d.errorf("nested too deep")
	}
	if d.pos >= len(d.in) {
		return errors.New("unexpected end of the value")
	}
	switch c := d.in[d.pos]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		d.out = append(d.out, 's')
		d.lengthOf(len(s))
		d.out = append(d.out, s...)
		return nil
	case c == 't':
		return d.literal("true", 't')
	case c == 'f':
		return d.literal("false", 'f')
	case c == 'n':
		return d.literal("null", 'n')
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	default:
		return d.errorf("unexpected %q", c)
	}
}

func (d *digester) literal(word string, tag byte) error {
	if !bytes.HasPrefix(d.in[d.pos:], []byte(word)) {
		return d.errorf("invalid literal")
	}
	d.pos += len(word)
	d.out = append(d.out, tag)
	return nil
}

func (d *digester) array(depth int) error {
	d.pos++ // [
	d.out = append(d.out, 'a')
	d.space()
	if d.pos < len(d.in) && d.in[d.pos] == ']' {
		d.pos++
		d.out = append(d.out, 'e')
		return nil
	}
	for {
		d.space()
		if err := d.value(depth + 1); err != nil {
			return err
		}
		d.space()
		if d.pos >= len(d.in) {
			return errors.New("unexpected end of an array")
		}
		c := d.in[d.pos]
		d.pos++
		if c == ']' {
			break
		}
		if c != ',' {
			return d.errorf("expected , or ] in an array, found %q", c)
		}
	}
	d.out = append(d.out, 'e')
	return nil
}

// object writes the members as they come, and sorts them afterwards only
// when they did not come sorted (Terraform writes them sorted).
func (d *digester) object(depth int) error {
	d.pos++ // {
	d.out = append(d.out, 'o')
	base := len(d.marks)
	defer func() { d.marks = d.marks[:base] }()
	sorted := true
	var prev []byte
	d.space()
	if d.pos < len(d.in) && d.in[d.pos] == '}' {
		d.pos++
	} else {
		for {
			d.space()
			if d.pos >= len(d.in) || d.in[d.pos] != '"' {
				return d.errorf("expected a member name")
			}
			k, err := d.str()
			if err != nil {
				return err
			}
			if len(d.marks) > base && bytes.Compare(prev, k) >= 0 {
				sorted = false
			}
			prev = k
			d.space()
			if d.pos >= len(d.in) || d.in[d.pos] != ':' {
				return d.errorf("expected : after a member name")
			}
			d.pos++
			d.space()
			d.marks = append(d.marks, len(d.out))
			d.out = append(d.out, 'm')
			d.lengthOf(len(k))
			d.out = append(d.out, k...)
			if err := d.value(depth + 1); err != nil {
				return err
			}
			d.space()
			if d.pos >= len(d.in) {
				return errors.New("unexpected end of an object")
			}
			c := d.in[d.pos]
			d.pos++
			if c == '}' {
				break
			}
			if c != ',' {
				return d.errorf("expected , or } in an object, found %q", c)
			}
		}
	}
	if !sorted {
		if err := d.sortMembers(d.marks[base:]); err != nil {
			return err
		}
	}
	d.out = append(d.out, 'e')
	return nil
}

// sortMembers sorts the members written at marks (up to the end of out)
// by name, refusing a name that is there twice.
func (d *digester) sortMembers(marks []int) error {
	type member struct{ key, enc []byte }
	members := make([]member, len(marks))
	region := bytes.Clone(d.out[marks[0]:])
	for i, m := range marks {
		end := len(d.out)
		if i+1 < len(marks) {
			end = marks[i+1]
		}
		enc := region[m-marks[0] : end-marks[0]]
		n, k := binary.Uvarint(enc[1:])
		members[i] = member{enc[1+k : 1+k+int(n)], enc}
	}
	slices.SortFunc(members, func(a, b member) int { return bytes.Compare(a.key, b.key) })
	d.out = d.out[:marks[0]]
	for i, m := range members {
		if i > 0 && bytes.Equal(members[i-1].key, m.key) {
			return fmt.Errorf("duplicate member name %q", m.key)
		}
		d.out = append(d.out, m.enc...)
	}
	return nil
}

// str reads a string at d.pos and returns its decoded bytes.
func (d *digester) str() ([]byte, error) {
	d.pos++ // "
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.in) {
		c := d.in[d.pos]
		if c == '"' {
			s := d.in[start:d.pos]
			d.pos++
			if !utf8.Valid(s) {
				return nil, errors.New("a string is not valid UTF-8")
			}
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, d.errorf("control character in a string")
		}
		d.pos++
	}
	out := append([]byte(nil), d.in[start:d.pos]...)
	for d.pos < len(d.in) {
		c := d.in[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(out) {
				return nil, errors.New("a string is not valid UTF-8")
			}
			return out, nil
		case c < 0x20:
			return nil, d.errorf("control character in a string")
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.in) {
			break
		}
		e := d.in[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex()
			if !ok {
				return nil, d.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xdc00 || d.pos+1 >= len(d.in) || d.in[d.pos] != '\\' || d.in[d.pos+1] != 'u' {
					return nil, d.errorf("unpaired surrogate escape")
				}
				d.pos += 2
				r2, ok := d.hex()
				if !ok || r2 < 0xdc00 || r2 > 0xdfff {
					return nil, d.errorf("unpaired surrogate escape")
				}
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, d.errorf("invalid escape \\%c", e)
		}
	}
	return nil, errors.New("unexpected end of a string")
}

func (d *digester) hex() (rune, bool) {
	if d.pos+4 > len(d.in) {
		return 0, false
	}
	r, ok := hex4(d.in[d.pos : d.pos+4])
	if ok {
		d.pos += 4
	}
	return r, ok
}

// number reads a number at d.pos and writes its exact decimal value as
// sign, significant digits (no leading or trailing zeros) and the
// exponent of the decimal point after the first digit; zero as "0".
func (d *digester) number() error {
	neg := false
	if d.in[d.pos] == '-' {
		neg = true
		d.pos++
	}
	digits := d.digits[:0]
	defer func() { d.digits = digits[:0] }()
	exp := int64(0) // value = 0.digits × 10^exp, before normalising
	intStart := d.pos
	for d.pos < len(d.in) && d.in[d.pos] >= '0' && d.in[d.pos] <= '9' {
		d.pos++
	}
	intPart := d.in[intStart:d.pos]
	if len(intPart) == 0 || len(intPart) > 1 && intPart[0] == '0' {
		return d.errorf("invalid number")
	}
	digits = append(digits, intPart...)
	exp = int64(len(intPart))
	if d.pos < len(d.in) && d.in[d.pos] == '.' {
		d.pos++
		fracStart := d.pos
		for d.pos < len(d.in) && d.in[d.pos] >= '0' && d.in[d.pos] <= '9' {
			d.pos++
		}
		if d.pos == fracStart {
			return d.errorf("invalid number")
		}
		digits = append(digits, d.in[fracStart:d.pos]...)
	}
	if d.pos < len(d.in) && (d.in[d.pos] == 'e' || d.in[d.pos] == 'E') {
		d.pos++
		expStart := d.pos
		if d.pos < len(d.in) && (d.in[d.pos] == '+' || d.in[d.pos] == '-') {
			d.pos++
		}
		digStart := d.pos
		for d.pos < len(d.in) && d.in[d.pos] >= '0' && d.in[d.pos] <= '9' {
			d.pos++
		}
		if d.pos == digStart {
			return d.errorf("invalid number")
		}
		e, err := strconv.ParseInt(string(d.in[expStart:d.pos]), 10, 64)
		if err != nil || e > 1<<53 || e < -(1<<53) {
			return d.errorf("number exponent out of range")
		}
		exp += e
	}
	// Normalise: drop leading zeros (each lowers the exponent) and
	// trailing zeros.
	lead := 0
	for lead < len(digits) && digits[lead] == '0' {
		lead++
	}
	digits = digits[lead:]
	exp -= int64(lead)
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	d.out = append(d.out, 'd')
	if len(digits) == 0 {
		d.lengthOf(1)
		d.out = append(d.out, '0')
		return nil
	}
	text := make([]byte, 0, len(digits)+24)
	if neg {
		text = append(text, '-')
	}
	text = append(text, digits...)
	text = append(text, 'e')
	text = strconv.AppendInt(text, exp, 10)
	d.lengthOf(len(text))
	d.out = append(d.out, text...)
	return nil
}
