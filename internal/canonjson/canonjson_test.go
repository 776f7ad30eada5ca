package canonjson

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTransform: RFC 8785 forms, including the examples of its
// section 3.2.2.3 for numbers, and what has no canonical form.
func TestTransform(t *testing.T) {
	for in, want := range map[string]string{
		`{"region": "us-east-1", "account_id":"123", "id":"i-1"}`:              `{"account_id":"123","id":"i-1","region":"us-east-1"}`,
		` {"b":[1, 2.50, -0, 1e21, 1E-7, 0.000001], "a":{"y":null,"x":true}} `: `{"a":{"x":true,"y":null},"b":[1,2.5,0,1e+21,1e-7,0.000001]}`,
		`{"\u20ac":1,"\r":2,"1":3,"\ud83d\ude00":4,"\u00f6":5}`:                `{"\r":2,"1":3,"ö":5,"€":1,"😀":4}`,
		`"a\u0000b\"\\/"`:    `"a\u0000b\"\\/"`,
		`333333333.33333329`: `333333333.3333333`,
		`4.5e-7`:             `4.5e-7`,
		// Integers however written, when a double holds them.
		`[9007199254740992.0, 1.20e1, 1200e-2, -0.0, 1E21, 100e-2]`: `[9007199254740992,12,12,0,1e+21,1]`,
		// A fraction rounds, as RFC 8785 says.
		`[0.1, 1e-400]`: `[0.1,0]`,
		// A pair of surrogate escapes is one character; an escaped
		// backslash before "ud800" is no escape.
		`["\ud83d\ude00", "\\ud800"]`: `["😀","\\ud800"]`,
	} {
		got, err := Transform([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("Transform(%s) = %s, %v; want %s", in, got, err, want)
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if got, err := Value(v); err != nil || string(got) != want {
			t.Errorf("Value(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{``, `{`, `{"a":1,"a":2}`, `{"a":1} x`, `12345678901234567891`, `1e400`, "\"\xff\"",
		// Integers a double does not hold, written with an exponent or a
		// fraction: RFC 8785 would round them.
		`12345678901234567890e0`, `9007199254740993.0`, `-9007199254740993.00e0`, `1e23`, `{"id":90071992547409930e-1}`,
		// Unpaired surrogates, which encoding/json would read as U+FFFD.
		`"\ud800"`, `"\udc00"`, `"a\ud800b"`, `"\ud800\u0041"`, `"\ud800\ud800"`, `{"\udfff":1}`, `["\ud83d"]`,
	} {
		if got, err := Transform([]byte(in)); err == nil {
			t.Errorf("Transform(%q) = %s, want an error", in, got)
		}
	}
}
