package planfile

import (
	"math/big"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

// TestConfigJSON: every kind of value cty's msgpack writes (every integer
// width and sign, floats, strings of each length class, nulls, nested
// lists, sets, maps and objects) passes the shape check and reads back as
// canonical JSON.
func TestConfigJSON(t *testing.T) {
	big := new(big.Float).SetPrec(512)
	big.SetString("123456789012345678901234567890.5")
	v := cty.ObjectVal(map[string]cty.Value{
		"ints": cty.ListVal([]cty.Value{
			cty.NumberIntVal(0), cty.NumberIntVal(127), cty.NumberIntVal(128), cty.NumberIntVal(-1), cty.NumberIntVal(-33),
			cty.NumberIntVal(-129), cty.NumberIntVal(70000), cty.NumberIntVal(-70000), cty.NumberIntVal(1 << 40), cty.NumberIntVal(-(1 << 40)),
			cty.NumberUIntVal(1<<64 - 1), cty.NumberFloatVal(1.5), cty.NumberFloatVal(-2.25e300), cty.NumberVal(big),
		}),
		"strings": cty.TupleVal([]cty.Value{cty.StringVal(""), cty.StringVal(strings.Repeat("a", 31)), cty.StringVal(strings.Repeat("b", 200)),
			cty.StringVal(strings.Repeat("c", 300)), cty.StringVal(strings.Repeat("d", 40000))}),
		"null":   cty.NullVal(cty.String),
		"bool":   cty.True,
		"set":    cty.SetVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")}),
		"map":    cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}),
		"nested": cty.ObjectVal(map[string]cty.Value{"role": cty.ObjectVal(map[string]cty.Value{"arn": cty.StringVal("arn:aws:iam::1:role/x"), "tags": cty.ListValEmpty(cty.String)})}),
		"many":   cty.ListVal(manyStrings(20)),
	})
	mp, err := ctymsgpack.Marshal(v, v.Type())
	if err != nil {
		t.Fatal(err)
	}
	if err := checkShape(mp); err != nil {
		t.Fatalf("checkShape: %v", err)
	}
	j, err := configJSON(mp)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"bool":true`, `"null":null`, `"map":{"k":"v"}`, `"set":["x","y"]`, `18446744073709551615`, `123456789012345678901234567890.5`, `"nested":{"role":{"arn":"arn:aws:iam::1:role/x","tags":[]}}`} {
		if !strings.Contains(j, want) {
			t.Errorf("JSON lacks %s:\n%.300s", want, j)
		}
	}
	if !strings.HasPrefix(j, `{"bool":true,"ints":[0,127,128,-1,-33,-129,70000,-70000,`) {
		t.Errorf("JSON not in attribute order: %.100s", j)
	}
}

func manyStrings(n int) []cty.Value {
	out := make([]cty.Value, n)
	for i := range out {
		out[i] = cty.StringVal(strings.Repeat("z", i))
	}
	return out
}
