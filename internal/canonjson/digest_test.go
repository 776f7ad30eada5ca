package canonjson

import "testing"

func TestDigestEqualValues(t *testing.T) {
	same := [][]string{
		{`{"a":1,"b":[true,null,"x"]}`, "{ \"b\" : [ true , null , \"\\u0078\" ] ,\n \"a\" : 1.0 }"},
		{`1`, `1.0`, `10e-1`, `0.1e1`, `0.00100e3`},
		{`0`, `-0`, `0.0`, `0e5`},
		{`12345678901234567890123`, `1.2345678901234567890123e22`},
		{`"a/b"`, `"a\/b"`, `"\u0061/b"`},
		{`"😀"`, `"\ud83d\ude00"`},
		{`{}`, ` {} `},
	}
	for _, group := range same {
		want, err := Digest([]byte(group[0]))
		if err != nil {
			t.Fatalf("%s: %v", group[0], err)
		}
		for _, s := range group[1:] {
			got, err := Digest([]byte(s))
			if err != nil || got != want {
				t.Errorf("Digest(%s) = %x, %v; want that of %s", s, got, err, group[0])
			}
		}
	}
}

func TestDigestDifferentValues(t *testing.T) {
	vals := []string{
		`null`, `true`, `false`, `0`, `1`, `-1`, `1.5`, `15`, `0.15`, `12345678901234567890123`, `12345678901234567890124`,
		`""`, `"1"`, `"a"`, `"ab"`, `["a","b"]`, `["ab"]`, `["a"]`, `[]`, `{}`, `{"a":"b"}`, `{"ab":""}`, `{"a":null}`,
		`[["a"]]`, `[{}]`, `{"a":{"b":1}}`, `{"a":{"b":"1"}}`, `{"a":1,"b":2}`, `{"a":2,"b":1}`, `[1,2]`, `[2,1]`,
		`"objects/prod-db"`, `"objects//prod-db"`,
	}
	seen := map[[32]byte]string{}
	for _, v := range vals {
		d, err := Digest([]byte(v))
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if o, ok := seen[d]; ok {
			t.Errorf("%s and %s have one digest", v, o)
		}
		seen[d] = v
	}
}

func TestDigestRefuses(t *testing.T) {
	for _, s := range []string{
		``, `{`, `{"a":1,"a":2}`, `[1,]`, `01`, `1.`, `.5`, `1e`, `"\ud800"`, `"\udc00x"`, "\"\xff\"", `tru`, `{"a" 1}`,
		`1 2`, `"a` + "\n" + `"`, `"\x"`, `1e999999999999999999999`, `{"a":1}}`,
	} {
		if _, err := Digest([]byte(s)); err == nil {
			t.Errorf("Digest(%q) accepted", s)
		}
	}
}
