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

// Review runner36: JSON inside a JSON string (M1), lone surrogates (L3).
func TestJSONLossNested(t *testing.T) {
	for s, want := range map[string]bool{
		`{"doc":"{\"E\":1,\"E\":2}"}`: true,
		`{"doc":"{\"E\":1,\"F\":2}"}`: false,
		`["[9007199254740993]"]`:      true,
		`{"k":"\ud800x"}`:             true,
		`{"k":"\ud83d\ude00"}`:        false,
		`{"k":"\\ud800"}`:             false,
		`{"k":"\udc00"}`:              true,
	} {
		if got := jsonLoss(s) != ""; got != want {
			t.Errorf("jsonLoss(%s) = %q, want loss %v", s, jsonLoss(s), want)
		}
	}
}

// Review runner37 L1: a multi-line string's outer whitespace.
func TestSpaceLoss(t *testing.T) {
	for s, want := range map[string]bool{
		"line1\nline2":         false,
		"line1\nline2\n":       true,
		"  line1\nline2":       true,
		"line1   \nline2":      true,
		"line1\t\nline2":       true,
		"one line with space ": false,
		"a\r\nb":               true,
	} {
		if got := spaceLoss(s) != ""; got != want {
			t.Errorf("spaceLoss(%q) = %q, want loss %v", s, spaceLoss(s), want)
		}
	}
}
