package plan

import (
	"reflect"
	"strings"
	"testing"
)

// Changes whose new object's id is unknown at plan: rcPathUnknown's path,
// which its configuration sets, is unknown too (path = "${X}${substr(o.id,
// 0, 0)}"); rcPathKnown has only its computed id unknown; rcModPathUnknown
// is rcPathUnknown in module.m["a"]; rcWhole's after is wholly unknown;
// rcNoConfig has no configuration resource.
const (
	rcPathUnknown = `{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"content":"pwned"},"after_unknown":{"id":true,"path":true,"tags":{"a":false}},"before_sensitive":false,"after_sensitive":{}}}`
	rcPathKnown = `{"address":"sdkobj_file.y[0]","mode":"managed","type":"sdkobj_file","name":"y","index":0,"provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"path":"/lab/y","content":"c"},"after_unknown":{"id":true,"arn":true},"before_sensitive":false,"after_sensitive":{}}}`
	rcModPathUnknown = `{"address":"module.m[\"a\"].sdkobj_file.x","module_address":"module.m[\"a\"]","mode":"managed","type":"sdkobj_file","name":"x","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"content":"pwned","tags":{"a":"b"}},"after_unknown":{"id":true,"tags":{"n":[false,true]},"content":false},"before_sensitive":false,"after_sensitive":{}}}`
	rcWhole = `{"address":"sdkobj_file.w","mode":"managed","type":"sdkobj_file","name":"w","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":null,"after_unknown":true,"before_sensitive":false,"after_sensitive":false}}`
	// rcDynamic's target block is written by a dynamic block, which the
	// plan JSON leaves out of expressions; arn is computed.
	rcDynamic = `{"address":"sdkblk_file.d","mode":"managed","type":"sdkblk_file","name":"d","provider_name":"example.com/planguard/sdkblk","change":{"actions":["create"],"before":null,` +
		`"after":{"content":"pwned","target":[{}]},"after_unknown":{"id":true,"arn":true,"target":[{"path":true}]},"before_sensitive":false,"after_sensitive":{}}}`
	// rcDynamicUnknown's dynamic block iterates a list unknown at plan:
	// after_unknown has target = true, after_sensitive shows it as a list.
	rcDynamicUnknown = `{"address":"sdkblk_file.e","mode":"managed","type":"sdkblk_file","name":"e","provider_name":"example.com/planguard/sdkblk","change":{"actions":["create"],"before":null,` +
		`"after":{"content":"pwned"},"after_unknown":{"id":true,"arn":true,"target":true},"before_sensitive":false,"after_sensitive":{"target":[],"arn":false}}}`
	rcNoConfig = `{"address":"sdkobj_file.n","mode":"managed","type":"sdkobj_file","name":"n","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"path":"/lab/n"},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}}`
	// A data source of the same type and name sets arn: it must not count.
	unknownConfig = `"configuration":{"root_module":{"resources":[` +
		`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","expressions":{"path":{"references":["sdkobj_file.o.id","sdkobj_file.o"]},"content":{"constant_value":"pwned"}}},` +
		`{"address":"sdkobj_file.y","mode":"managed","type":"sdkobj_file","name":"y","expressions":{"path":{"constant_value":"/lab/y"},"content":{"constant_value":"c"}},"count_expression":{"constant_value":1}},` +
		`{"address":"data.sdkobj_file.y","mode":"data","type":"sdkobj_file","name":"y","expressions":{"arn":{"constant_value":"a"}}},` +
		`{"address":"sdkobj_file.w","mode":"managed","type":"sdkobj_file","name":"w","expressions":{"path":{"references":["var.p"]}}},` +
		`{"address":"sdkblk_file.d","mode":"managed","type":"sdkblk_file","name":"d","expressions":{"content":{"constant_value":"pwned"}}},` +
		`{"address":"sdkblk_file.e","mode":"managed","type":"sdkblk_file","name":"e","expressions":{"content":{"constant_value":"pwned"}}}` +
		`],"module_calls":{"m":{"source":"./m","module":{"resources":[` +
		`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","expressions":{"tags":{"references":["var.t"]},"content":{"constant_value":"pwned"}}}` +
		`]}}}}},`
)

// TestUnknownAttributes: with KeepAfterString, a create whose new object's
// id is unknown lists the attributes its configuration sets that the plan
// does not know (at any depth), following module_calls; its computed-only
// attributes (id, arn) are not listed; a wholly unknown object lists every
// attribute its configuration sets; a resource the configuration does not
// show lists every unknown attribute; a block partly unknown that the
// expressions do not show (a dynamic block) is listed, and so is one
// wholly unknown that after_sensitive shows as a list (a dynamic block over
// a list unknown at plan). Both readers agree; without the
// filter nothing is listed; GateOnly keeps only the creates that list one.
func TestUnknownAttributes(t *testing.T) {
	in := planJSON(rcPathUnknown, rcPathKnown, rcModPathUnknown, rcWhole, rcNoConfig, rcDynamic, rcDynamicUnknown)
	in = strings.Replace(in, `"applyable"`, unknownConfig+`"applyable"`, 1)
	p, err := decodeWithOptions(strings.NewReader(in), Options{KeepAfterString: namesProdDB})
	if err != nil {
		t.Fatal(err)
	}
	full, err := decodeFullKeeping(strings.NewReader(in), namesProdDB)
	if err != nil {
		t.Fatal(err)
	}
	if !samePlan(p, full) {
		t.Fatalf("Decode and DecodeFullKeeping differ:\n%+v\n%+v", p, full)
	}
	want := map[string][]string{
		"sdkobj_file.x":               {"path"},
		"sdkobj_file.y[0]":            nil,
		`module.m["a"].sdkobj_file.x`: {"tags"},
		"sdkobj_file.w":               {"path"},
		"sdkobj_file.n":               {"id"},
		"sdkblk_file.d":               {"target"},
		"sdkblk_file.e":               {"target"},
	}
	for _, c := range p.Changes {
		if got := c.UnknownAttributes; !reflect.DeepEqual(got, want[c.Address]) {
			t.Errorf("%s: UnknownAttributes = %q, want %q", c.Address, got, want[c.Address])
		}
	}
	plain, err := sameAsFull(t, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plain.Changes {
		if c.UnknownAttributes != nil {
			t.Errorf("%s: UnknownAttributes without a filter: %q", c.Address, c.UnknownAttributes)
		}
	}
	slim, err := decodeWithOptions(strings.NewReader(in), Options{GateOnly: true, KeepAfterString: namesProdDB})
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, c := range slim.Changes {
		kept = append(kept, c.Address)
	}
	if strings.Join(kept, " ") != `sdkobj_file.x module.m["a"].sdkobj_file.x sdkobj_file.w sdkobj_file.n sdkblk_file.d sdkblk_file.e` {
		t.Errorf("GateOnly kept %q", kept)
	}
	if !samePlan(slim, gateOnly(p)) {
		t.Errorf("GateOnly differs from the full plan filtered")
	}
}

// TestAfterStringsMapKey: a map key that names a protected id is kept as
// a value (input = { "/lab/prod.db" = "v" }), by both readers; a
// top-level attribute name never is.
func TestAfterStringsMapKey(t *testing.T) {
	rc := `{"address":"terraform_data.c","mode":"managed","type":"terraform_data","name":"c","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,` +
		`"after":{"input":{"/lab/prod.db":"v","k":{"/LAB//prod.db":1}},"triggers_replace":null},"after_unknown":{"id":true,"output":true},"before_sensitive":false,"after_sensitive":{}}}`
	in := planJSON(rc)
	keepAll := func(v string) bool { return namesProdDB(v) || v == "input" }
	p, err := decodeWithOptions(strings.NewReader(in), Options{KeepAfterString: keepAll})
	if err != nil {
		t.Fatal(err)
	}
	full, err := decodeFullKeeping(strings.NewReader(in), keepAll)
	if err != nil {
		t.Fatal(err)
	}
	if !samePlan(p, full) {
		t.Fatalf("Decode and DecodeFullKeeping differ:\n%+v\n%+v", p, full)
	}
	want := []AfterString{
		{Attribute: `input.k["/LAB//prod.db"]`, Value: "/LAB//prod.db"},
		{Attribute: `input["/lab/prod.db"]`, Value: "/lab/prod.db"},
	}
	if len(p.Changes) != 1 || !reflect.DeepEqual(p.Changes[0].AfterStrings, want) {
		t.Errorf("AfterStrings = %+v\nwant %+v", p.Changes, want)
	}
}
