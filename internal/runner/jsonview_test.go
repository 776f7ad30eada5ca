package runner

import "testing"

func TestJSONLoss(t *testing.T) {
	for s, want := range map[string]bool{
		`{"a":1,"a":2}`:                    true,
		`{"a":{"b":1,"b":1}}`:              true,
		`[{"a":1},{"a":2}]`:                false,
		`{"a":[1,{"a":1}],"b":"a"}`:        false,
		`{"a":"a","b":"a"}`:                false,
		`[9007199254740993]`:               true,
		`[9007199254740992, 0.1, 1e3, -0]`: false,
		`{"x":123456789012345678901234}`:   true,
		`"just a string"`:                  false,
		`not json {`:                       false,
		` {"k":[],"k":{}} `:                true,
	} {
		if got := jsonLoss(s) != ""; got != want {
			t.Errorf("jsonLoss(%s) = %q, want loss %v", s, jsonLoss(s), want)
		}
	}
}
