// Package canonjson writes JSON in the canonical form of RFC 8785 (the JSON
// Canonicalization Scheme): object members sorted by the UTF-16 code units of
// their names, no insignificant white space, strings escaped as ECMAScript's
// JSON.stringify does, numbers in ECMAScript's shortest form.
//
// It is strict where RFC 8785 leaves a choice: input that has no single
// canonical form (invalid UTF-8, duplicate member names, integers a double
// does not hold exactly) is an error, not something to round or repair.
// Approval payloads and resource identities are written with it.
package canonjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Transform returns the RFC 8785 form of one JSON value. It is how a
// resource identity object (Terraform 1.12+) is written as an approval's
// identity. It refuses what has no single canonical form: invalid JSON,
// trailing data, invalid UTF-8, unpaired surrogate escapes, duplicate
// member names, and integers (however written: 1e3 and 1000.0 are
// integers) that an IEEE 754 double does not hold exactly (RFC 8785 would
// round them, so two different ids could look the same).
func Transform(raw []byte) ([]byte, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("not valid UTF-8")
	}
	// encoding/json decodes an unpaired surrogate escape (\ud800) as
	// U+FFFD, so two different strings would have one canonical form.
	if err := checkSurrogates(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b strings.Builder
	if err := canonicalTokens(dec, &b); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the value")
	}
	return []byte(b.String()), nil
}

// Value is Transform of a value decoded by encoding/json (with UseNumber,
// or float64 numbers): nil, bool, json.Number, float64, string, []any and
// map[string]any.
func Value(v any) ([]byte, error) {
	var b strings.Builder
	if err := canonicalValue(v, &b); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func canonicalTokens(dec *json.Decoder, b *strings.Builder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			b.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				if err := canonicalTokens(dec, b); err != nil {
					return err
				}
			}
			b.WriteByte(']')
		case '{':
			members := map[string]string{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := k.(string)
				if _, dup := members[key]; dup {
					return fmt.Errorf("duplicate member %q", key)
				}
				var vb strings.Builder
				if err := canonicalTokens(dec, &vb); err != nil {
					return err
				}
				members[key] = vb.String()
			}
			writeMembers(b, members)
		}
		_, err := dec.Token() // the closing delimiter
		return err
	}
	return canonicalValue(tok, b)
}

func canonicalValue(v any, b *strings.Builder) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case string:
		if !utf8.ValidString(t) {
			return errors.New("a string is not valid UTF-8")
		}
		writeString(b, t)
	case json.Number:
		s, err := esNumber(string(t))
		if err != nil {
			return err
		}
		b.WriteString(s)
	case float64:
		s, err := esNumber(strconv.FormatFloat(t, 'g', -1, 64))
		if err != nil {
			return err
		}
		b.WriteString(s)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := canonicalValue(e, b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		members := make(map[string]string, len(t))
		for k, e := range t {
			var vb strings.Builder
			if err := canonicalValue(e, &vb); err != nil {
				return err
			}
			members[k] = vb.String()
		}
		writeMembers(b, members)
	default:
		return fmt.Errorf("%T is not a JSON value", v)
	}
	return nil
}

// writeMembers writes an object of already canonical values, its members
// sorted by the UTF-16 code units of their names.
func writeMembers(b *strings.Builder, members map[string]string) {
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return utf16Less(keys[i], keys[j]) })
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, k)
		b.WriteByte(':')
		b.WriteString(members[k])
	}
	b.WriteByte('}')
}

func utf16Less(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

// esNumber writes a JSON number as ECMAScript's Number.prototype.toString
// does (RFC 8785, section 3.2.2.3), refusing an integer a double does not
// hold exactly.
func esNumber(s string) (string, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("number %s is out of range", s)
	}
	if exact, ok := integerValue(s); ok {
		// An integer: it must survive the double exactly, or two ids
		// (say) could look the same.
		if back, acc := new(big.Float).SetFloat64(f).Int(nil); acc != big.Exact || back.Cmp(exact) != 0 {
			return "", fmt.Errorf("integer %s is not exactly representable as a double; write it as a string", s)
		}
	}
	if f == 0 {
		return "0", nil
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		out := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(out, "e")
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + exp, nil
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// StringObject returns the RFC 8785 form of a flat object whose members are
// all strings. The strings must be valid UTF-8 (the caller checks; invalid
// bytes would be written as they are).
func StringObject(m map[string]string) []byte {
	members := make(map[string]string, len(m))
	for k, v := range m {
		var b strings.Builder
		writeString(&b, v)
		members[k] = b.String()
	}
	var b strings.Builder
	writeMembers(&b, members)
	return []byte(b.String())
}

// writeString writes s as an RFC 8785 string: only '"', '\\' and
// control characters below U+0020 are escaped, using the short forms
// \b \t \n \f \r where they exist and \u00xx (lower-case hex) otherwise.
func writeString(b *strings.Builder, s string) {
	const hexdigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexdigits[c>>4])
			b.WriteByte(hexdigits[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// integerValue returns the value of the JSON number s when it is an
// integer, however written (12, 1.20e1, 1200e-2), and false when it is not
// one. s is a finite number ParseFloat accepted, so an integer has at most
// about 310 digits and the exponent arithmetic stays small.
func integerValue(s string) (*big.Int, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expText, hasExp := strings.Cut(strings.ToLower(s), "e")
	exp := 0
	if hasExp {
		e, err := strconv.Atoi(expText)
		if err != nil {
			return nil, false // beyond int: the value overflowed or is 0 after rounding
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	exp -= len(frac)
	if digits == "" {
		return new(big.Int), true // zero
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	if exp < 0 {
		return nil, false // trimmed has no trailing zero: a fraction remains
	}
	if exp > 400 {
		return nil, false // ParseFloat would have overflowed; unreachable
	}
	v, _ := new(big.Int).SetString(trimmed, 10)
	v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	if neg {
		v.Neg(v)
	}
	return v, true
}

// checkSurrogates refuses a \u escape of a UTF-16 surrogate that is not
// half of a pair (a high one followed by an escaped low one). raw is JSON
// the decoder accepts or refuses anyway; only escapes inside strings are
// read.
func checkSurrogates(raw []byte) error {
	inString := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(raw):
			if raw[i+1] != 'u' {
				i++ // an escaped character, perhaps a quote
				continue
			}
			r, ok := hex4(raw[i+2:])
			if !ok {
				return nil // malformed: the decoder reports it
			}
			i += 5
			switch {
			case r >= 0xdc00 && r <= 0xdfff:
				return fmt.Errorf("string has an unpaired surrogate \\u%04x", r)
			case r >= 0xd800 && r <= 0xdbff:
				lo, ok := rune(0), false
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					lo, ok = hex4(raw[i+3:])
				}
				if !ok || lo < 0xdc00 || lo > 0xdfff {
					return fmt.Errorf("string has an unpaired surrogate \\u%04x", r)
				}
				i += 6
			}
		}
	}
	return nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(v), err == nil
}
