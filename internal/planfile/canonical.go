package planfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// CanonicalJSON returns the JSON value raw in a canonical form, so that two
// texts of the same value compare equal: object keys sorted, no white
// space, numbers in one spelling (1, 1.0 and 10e-1 are all 1), and members
// whose value is null left out, since a reader takes an absent attribute
// as null (a provider may add an optional attribute without raising its
// schema version). "" for null.
func CanonicalJSON(raw []byte) (string, error) {
	v, err := decodeNumbers(raw)
	if err != nil || v == nil {
		return "", err
	}
	b, err := json.Marshal(canonicalValue(v))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// decodeNumbers decodes one JSON value, numbers as json.Number.
func decodeNumbers(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after a JSON value")
	}
	return v, nil
}

// canonicalValue drops the null members of v's objects and respells its
// numbers (see canonicalNumber); json.Marshal sorts the keys.
func canonicalValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			t[k] = canonicalValue(e)
		}
	case []any:
		for i, e := range t {
			t[i] = canonicalValue(e)
		}
	case json.Number:
		return json.Number(canonicalNumber(string(t)))
	}
	return v
}

// canonicalNumber spells the JSON number n as its significant digits
// without trailing zeros and a decimal exponent: 1.50 and 15e-1 are both
// 15e-1, 100 is 1e2, -0 is 0. It works on the text, so that no exponent
// costs memory; an exponent too long for an int64 is left as written.
func canonicalNumber(n string) string {
	neg := strings.HasPrefix(n, "-")
	s := strings.TrimPrefix(n, "-")
	exp := int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(strings.TrimPrefix(s[i+1:], "+"), 10, 64)
		if err != nil || e > 1<<40 || e < -(1<<40) {
			return n
		}
		exp, s = e, s[:i]
	}
	digits := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		digits = s[:i] + s[i+1:]
		exp -= int64(len(s) - i - 1)
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0"
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	out := trimmed
	if exp != 0 {
		out += "e" + strconv.FormatInt(exp, 10)
	}
	if neg {
		out = "-" + out
	}
	return out
}

// AttributeDiff returns the sorted top-level names whose values differ
// between two canonical attribute objects a and b (as StateObject.Attributes
// gives them; "" is no attributes). nil when they are equal; when either
// is not an object, []string{""}.
func AttributeDiff(a, b string) []string {
	if a == b {
		return nil
	}
	ma, oka := attributeMap(a)
	mb, okb := attributeMap(b)
	if !oka || !okb {
		return []string{""}
	}
	var out []string
	for k, va := range ma {
		if vb, ok := mb[k]; !ok || !bytes.Equal(va, vb) {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	if out == nil {
		// Equal members, different texts: not canonical input.
		return []string{""}
	}
	return out
}

func attributeMap(s string) (map[string]json.RawMessage, bool) {
	m := map[string]json.RawMessage{}
	if s == "" {
		return m, true
	}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, false
	}
	return m, true
}
