package plan

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// rcCreateNoID is a create whose new object's id is unknown at plan (an
// SDKv2 provider's), with the protected path among its values, nested
// too; rcCreateKnownID one whose id the plan knows; rcReplaceNoID a
// replace whose new object's id is unknown; rcUpdateNoID an update.
const (
	rcCreateNoID = `{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"path":"/lab/prod.db","content":"pwned","tags":{"Name":"/lab/prod.db","a b":"/lab/prod.db","n":1},"rules":[{"target":"/LAB//prod.db"},"other",null,true],"esc\u0061ped":"/lab/prod.db"},` +
		`"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}}`
	rcCreateKnownID = `{"address":"sdkobj_file.y","mode":"managed","type":"sdkobj_file","name":"y","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
		`"after":{"id":"/lab/other","path":"/lab/prod.db"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}}`
	rcReplaceNoID = `{"address":"sdkobj_file.z","mode":"managed","type":"sdkobj_file","name":"z","provider_name":"example.com/planguard/sdkobj","change":{"actions":["delete","create"],` +
		`"before":{"id":"/lab/tmp","path":"/lab/tmp"},"after":{"path":"/lab/prod.db"},"after_unknown":{"id":true},"before_sensitive":{},"after_sensitive":{}},"action_reason":"replace_because_cannot_update"}`
	rcUpdateNoID = `{"address":"sdkobj_file.u","mode":"managed","type":"sdkobj_file","name":"u","provider_name":"example.com/planguard/sdkobj","change":{"actions":["update"],` +
		`"before":{"id":"/lab/u","path":"/lab/u","content":"a"},"after":{"id":"/lab/u","path":"/lab/u","content":"/lab/prod.db"},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}`
)

// namesProdDB is the filter the gate would pass for ids = ["/lab/prod.db"]
// (a stand-in: the gate's is policy.NamesProtectedID).
func namesProdDB(v string) bool {
	return strings.EqualFold(strings.ReplaceAll(v, "//", "/"), "/lab/prod.db")
}

// TestAfterStrings: with KeepAfterString, the streaming reader keeps, for
// a create or replace whose new object's id is unknown, the string values
// of after (at any depth) the filter keeps, with their attribute paths,
// and the reference decoder agrees; a create with a known id and an update
// keep none; without the filter nothing is kept; GateOnly keeps such a
// create (the gate judges it).
func TestAfterStrings(t *testing.T) {
	// terraform-json wants the prior state's format_version.
	in := strings.Replace(planJSON(rcCreateNoID, rcCreateKnownID, rcReplaceNoID, rcUpdateNoID), `"prior_state":{"values"`, `"prior_state":{"format_version":"1.0","values"`, 1)
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
	want := []AfterString{
		{Attribute: "escaped", Value: "/lab/prod.db"},
		{Attribute: "path", Value: "/lab/prod.db"},
		{Attribute: "rules[0].target", Value: "/LAB//prod.db"},
		{Attribute: "tags.Name", Value: "/lab/prod.db"},
		{Attribute: `tags["a b"]`, Value: "/lab/prod.db"},
	}
	byAddr := map[string]Change{}
	for _, c := range p.Changes {
		byAddr[c.Address] = c
	}
	if got := byAddr["sdkobj_file.x"].AfterStrings; !reflect.DeepEqual(got, want) {
		t.Errorf("create without an id: AfterStrings = %+v\nwant %+v", got, want)
	}
	if got := byAddr["sdkobj_file.z"].AfterStrings; !reflect.DeepEqual(got, []AfterString{{Attribute: "path", Value: "/lab/prod.db"}}) {
		t.Errorf("replace without an id: AfterStrings = %+v", got)
	}
	for _, a := range []string{"sdkobj_file.y", "sdkobj_file.u"} {
		if got := byAddr[a].AfterStrings; got != nil {
			t.Errorf("%s: AfterStrings = %+v, want none (known id, or an update)", a, got)
		}
	}
	// No filter: nothing kept, and the plan is the reference's.
	plain, err := sameAsFull(t, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plain.Changes {
		if c.AfterStrings != nil {
			t.Errorf("%s: AfterStrings without a filter: %+v", c.Address, c.AfterStrings)
		}
	}
	// GateOnly: the create naming the id is kept; without the filter it is
	// not (the gate would have nothing to judge it by).
	for _, tc := range []struct {
		keep func(string) bool
		want bool
	}{{namesProdDB, true}, {nil, false}} {
		slim, err := decodeWithOptions(strings.NewReader(in), Options{GateOnly: true, KeepAfterString: tc.keep})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range slim.Changes {
			found = found || c.Address == "sdkobj_file.x"
		}
		if found != tc.want {
			t.Errorf("GateOnly (filter %v): create kept %v, want %v", tc.keep != nil, found, tc.want)
		}
	}
	// The filter is called with string values and the member names below
	// the top level (a map's keys), never top-level attribute names.
	var seen []string
	if _, err := decodeWithOptions(strings.NewReader(planJSON(rcCreateNoID)), Options{KeepAfterString: func(v string) bool { seen = append(seen, v); return false }}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "/lab/prod.db,pwned,Name,/lab/prod.db,a b,/lab/prod.db,n,target,/LAB//prod.db,other,/lab/prod.db" {
		t.Errorf("filter saw %q", seen)
	}
}

// TestAfterStringsDuplicateKey: with the filter, a duplicate member name
// nested in such a change's after is an error (the reference decoder would
// see only the last value).
func TestAfterStringsDuplicateKey(t *testing.T) {
	in := strings.Replace(planJSON(rcCreateNoID), `"tags":{"Name":"/lab/prod.db",`, `"tags":{"Name":"/lab/prod.db","Name":"harmless",`, 1)
	if _, err := decodeWithOptions(strings.NewReader(in), Options{KeepAfterString: namesProdDB}); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), `duplicate key "Name"`) || !strings.Contains(err.Error(), "sdkobj_file.x") {
		t.Errorf("duplicate nested key: %v", err)
	}
	// One byte at a time, as a saved plan's show output may arrive.
	p, err := decodeWithOptions(oneByte(planJSON(rcCreateNoID)), Options{KeepAfterString: namesProdDB})
	if err != nil || len(p.Changes) != 1 || len(p.Changes[0].AfterStrings) != 5 {
		t.Errorf("one byte at a time: %+v, %v", p, err)
	}
}

func oneByte(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) }
