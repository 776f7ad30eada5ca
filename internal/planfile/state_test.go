package planfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseState(t *testing.T) {
	src := `{"version":4,"lineage":"L","serial":7,"resources":[
 {"mode":"managed","type":"aws_db_instance","name":"db","instances":[{"attributes":{"id":"db-1"}}]},
 {"module":"module.a[\"x\"]","mode":"managed","type":"t","name":"n","instances":[
   {"index_key":0,"attributes":{"id":"i0"}},
   {"index_key":"k","deposed":"0a1b2c3d","attributes":{"id":7},"identity":{ "b": "2", "a": "1" }}]},
 {"mode":"data","type":"d","name":"x","instances":[{"attributes":{}}]}]}`
	s, err := ParseState([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &State{Lineage: "L", Serial: 7, Objects: []StateObject{
		{Managed: true, Address: "aws_db_instance.db", Type: "aws_db_instance", ID: "db-1", Attributes: `{"id":"db-1"}`},
		{Managed: true, Address: `module.a["x"].t.n[0]`, Type: "t", ID: "i0", Attributes: `{"id":"i0"}`},
		{Managed: true, Address: `module.a["x"].t.n["k"]`, Type: "t", Deposed: "0a1b2c3d", Identity: `{"b":"2","a":"1"}`, Attributes: `{"id":7}`},
		{Address: "data.d.x", Type: "d", Attributes: `{}`},
	}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
	if k := s.Objects[2].Key(); k != `module.a["x"].t.n["k"] deposed 0a1b2c3d` {
		t.Errorf("key %s", k)
	}
	if s, err := ParseState([]byte(" \n")); err != nil || len(s.Objects) != 0 {
		t.Errorf("empty: %v %+v", err, s)
	}
	for _, bad := range []string{`{"version":3}`, `{"version":4,"resources":[{"mode":"x","type":"t","name":"n"}]}`,
		`{"version":4,"resources":[{"mode":"managed","name":"n"}]}`, `{"version":4`, `[]`} {
		if _, err := ParseState([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// FuzzParseState: any input is a state or an error, never a panic, and a
// state's managed objects all have an address and a type.
func FuzzParseState(f *testing.F) {
	f.Add([]byte(`{"version":4,"lineage":"L","serial":1,"resources":[{"mode":"managed","type":"t","name":"n","instances":[{"index_key":"a","attributes":{"id":"x"},"identity":{"a":1}}]}]}`))
	f.Add([]byte(`{"version":4,"resources":[{"module":"module.m[0]","mode":"data","type":"t","name":"n","instances":[{}]}]}`))
	f.Add([]byte(`{"version":4}`))
	f.Add([]byte(`{"version":4,"resources":[{"mode":"managed","type":"t","name":"n","instances":[{"status":"tainted","schema_version":2,"private":"eA==","dependencies":["a.b"],"attributes":{"id":"x","ID":"y"}}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseState(b)
		if err != nil {
			return
		}
		for _, o := range s.Objects {
			if o.Address == "" || o.Type == "" {
				t.Fatalf("object without address or type: %+v", o)
			}
		}
	})
}

// TestParseStateStrict: encoding/json, which Terraform and OpenTofu read
// states with, matches struct keys without regard to case and takes the
// last of duplicate keys. A state whose second reading could differ from
// planguard's (found by an attacker's review: both "id" and "ID" in an
// object's attributes, each naming another object) is refused.
func TestParseStateStrict(t *testing.T) {
	inst := func(s string) string {
		return `{"version":4,"lineage":"L","serial":1,"resources":[{"mode":"managed","type":"t","name":"n","instances":[` + s + `]}]}`
	}
	for _, bad := range []string{
		inst(`{"attributes":{"id":"prod","ID":"other"}}`),
		inst(`{"attributes":{"ID":"other"}}`),
		inst(`{"attributes":{"id":"prod","id":"other"}}`),
		inst(`{"attributes":{"id":"prod","tags":{"a":"1","a":"2"}}}`),
		inst(`{"status":"","Status":"tainted","attributes":{"id":"x"}}`),
		inst(`{"status":"tainted","status":"","attributes":{"id":"x"}}`),
		inst(`{"attributes":{"id":"x"},"Attributes":{"id":"y"}}`),
		inst(`{"attributes":{"id":"x"},"private":"not base64!"}`),
		inst(`{"attributes":{"id":"x"},"schema_version":"1"}`),
		inst(`{"attributes":{"id":"x"},"identity":{"a":"1","a":"2"}}`),
		inst(`{"attributes":["id"]}`),
		inst(`{"attributes":"x"}`),
		inst(`{"attributes_flat":{"ID":"x"}}`),
		inst(`{"attributes":{"id":"x"},"sensitive_attributes":[[{"type":"get_attr","value":"a"}],[{"type":"get_attr","value":"a","type":"x"}]]}`),
		inst(`{"attributes":{"id":"x"},"identity_schema_version":-1}`),
		`{"version":4,"resources":[{"mode":"managed","type":"t","name":"n","provider":7,"instances":[]}]}`,
		`{"version":4,"resources":[{"mode":"managed","type":"t","name":"n","provider":"a","Provider":"b","instances":[]}]}`,
		`{"version":4,"Resources":[{"mode":"managed","type":"t","name":"n","instances":[{"attributes":{"id":"x"}}]}]}`,
		`{"version":4,"resources":[],"resources":[{"mode":"managed","type":"t","name":"n","instances":[{"attributes":{"id":"x"}}]}]}`,
		`{"version":4,"resources":[{"mode":"managed","type":"t","Type":"u","name":"n","instances":[]}]}`,
		"{\"version\":4,\"re\u017fources\":[]}", // ſ folds to s in encoding/json
		`{"version":4,"Version":3}`,
		`{"version":4} {}`,
		`{"version":"4"}`,
		`{"version":4.0}`,
	} {
		if s, err := ParseState([]byte(bad)); err == nil {
			t.Errorf("%s: accepted as %+v", bad, s)
		}
	}
	s, err := ParseState([]byte(inst(`{"index_key":1,"status":"tainted","schema_version":3,"private":"eyJhIjoxfQ==","dependencies":["a.b"],"create_before_destroy":true,"attributes":{"id":"x","tags":{"Name":"a","name":"b"}}},
		{"index_key":2,"attributes_flat":{"id":"flat"}}`)))
	if err != nil {
		t.Fatal(err)
	}
	want := []StateObject{
		{Managed: true, Address: "t.n[1]", Type: "t", ID: "x", Status: "tainted", SchemaVersion: 3, Private: `{"a":1}`, Dependencies: []string{"a.b"}, CreateBeforeDestroy: true,
			Attributes: `{"id":"x","tags":{"Name":"a","name":"b"}}`},
		{Managed: true, Address: "t.n[2]", Type: "t", ID: "flat", AttributesFlat: `{"id":"flat"}`},
	}
	if !reflect.DeepEqual(s.Objects, want) {
		t.Errorf("got %+v\nwant %+v", s.Objects, want)
	}
}

// TestParseStateValues: the values the gate compares with a pinned state
// are read in a canonical form: the same value written another way (key
// order, white space, a number's spelling, an absent attribute or a null
// one) reads the same; another value reads differently.
func TestParseStateValues(t *testing.T) {
	one := func(res, inst string) StateObject {
		t.Helper()
		s, err := ParseState([]byte(`{"version":4,"resources":[{"mode":"managed","type":"t","name":"n"` + res + `,"instances":[` + inst + `]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return s.Objects[0]
	}
	base := one(`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":2,"attributes":{"id":"x","n":1.5,"tags":{"a":"1","b":null},"flag":false,"opt":null,"list":[1,null]},"sensitive_attributes":[[{"type":"get_attr","value":"n"}]]}`)
	want := StateObject{Managed: true, Address: "t.n", Type: "t", ID: "x", Provider: `provider["example.com/a/t"]`, IdentitySchemaVersion: 2,
		Attributes: `{"flag":false,"id":"x","list":[1,null],"n":15e-1,"tags":{"a":"1"}}`, SensitiveAttributes: `[[{"type":"get_attr","value":"n"}]]`}
	if !reflect.DeepEqual(base, want) {
		t.Fatalf("got %+v\nwant %+v", base, want)
	}
	same := one(`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":2,"attributes":{ "list":[1e0,null], "tags":{"a":"1"},"n":15E-1,"id":"x","flag":false},
		"sensitive_attributes":[ [ {"value":"n","type":"get_attr"} ] ]}`)
	if !reflect.DeepEqual(same, base) {
		t.Errorf("the same values read differently:\n%+v\n%+v", same, base)
	}
	for _, c := range []struct{ res, inst, field string }{
		{`,"provider":"provider[\"example.com/a/t\"].evil"`, `{"identity_schema_version":2,"attributes":{"id":"x","n":1.5,"tags":{"a":"1"},"flag":false,"list":[1,null]},"sensitive_attributes":[[{"type":"get_attr","value":"n"}]]}`, "Provider"},
		{`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":2,"attributes":{"id":"x","n":1.5,"tags":{"a":"1"},"flag":true,"list":[1,null]},"sensitive_attributes":[[{"type":"get_attr","value":"n"}]]}`, "Attributes"},
		{`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":2,"attributes":{"id":"x","n":1.5,"tags":{"a":"1"},"flag":false,"list":[1]},"sensitive_attributes":[[{"type":"get_attr","value":"n"}]]}`, "Attributes"},
		{`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":2,"attributes":{"id":"x","n":1.5,"tags":{"a":"1"},"flag":false,"list":[1,null]},"sensitive_attributes":[]}`, "SensitiveAttributes"},
		{`,"provider":"provider[\"example.com/a/t\"]"`, `{"identity_schema_version":3,"attributes":{"id":"x","n":1.5,"tags":{"a":"1"},"flag":false,"list":[1,null]},"sensitive_attributes":[[{"type":"get_attr","value":"n"}]]}`, "IdentitySchemaVersion"},
	} {
		o := one(c.res, c.inst)
		if reflect.DeepEqual(o, base) || reflect.ValueOf(o).FieldByName(c.field).Interface() == reflect.ValueOf(base).FieldByName(c.field).Interface() {
			t.Errorf("%s: an edited %s reads the same: %+v", c.inst, c.field, o)
		}
	}
	if d := AttributeDiff(base.Attributes, one("", `{"attributes":{"id":"x","n":1.5,"tags":{"a":"2"},"flag":false,"list":[1,null],"new":"v"}}`).Attributes); !reflect.DeepEqual(d, []string{"new", "tags"}) {
		t.Errorf("AttributeDiff: %q", d)
	}
	if d := AttributeDiff(base.Attributes, ""); len(d) != 5 {
		t.Errorf("AttributeDiff with none: %q", d)
	}
	if d := AttributeDiff(base.Attributes, base.Attributes); d != nil {
		t.Errorf("AttributeDiff of equal: %q", d)
	}
}

func TestCanonicalNumber(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "-0": "0", "0.000": "0", "1": "1", "1.0": "1", "10": "1e1", "100e-2": "1", "1.50": "15e-1",
		"15E-1": "15e-1", "-2.5e+3": "-25e2", "0.001": "1e-3", "1e99999999999999999999": "1e99999999999999999999", "123456789012345678901234567890": "12345678901234567890123456789e1"} {
		if got := canonicalNumber(in); got != want {
			t.Errorf("canonicalNumber(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestParseStateDeep: a state nested past encoding/json's limit is an
// error, not a stack overflow (json.Decoder.Token sets no limit).
func TestParseStateDeep(t *testing.T) {
	deep := `{"version":4,"outputs":` + strings.Repeat("[", 1<<20) + strings.Repeat("]", 1<<20) + `}`
	if _, err := ParseState([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("got %v", err)
	}
}
