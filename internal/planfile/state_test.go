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
		{Managed: true, Address: "aws_db_instance.db", Type: "aws_db_instance", ID: "db-1"},
		{Managed: true, Address: `module.a["x"].t.n[0]`, Type: "t", ID: "i0"},
		{Managed: true, Address: `module.a["x"].t.n["k"]`, Type: "t", Deposed: "0a1b2c3d", Identity: `{"b":"2","a":"1"}`},
		{Address: "data.d.x", Type: "d"},
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
		{Managed: true, Address: "t.n[1]", Type: "t", ID: "x", Status: "tainted", SchemaVersion: 3, Private: `{"a":1}`, Dependencies: []string{"a.b"}, CreateBeforeDestroy: true},
		{Managed: true, Address: "t.n[2]", Type: "t", ID: "flat"},
	}
	if !reflect.DeepEqual(s.Objects, want) {
		t.Errorf("got %+v\nwant %+v", s.Objects, want)
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
