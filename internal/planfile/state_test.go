package planfile

import (
	"reflect"
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
