package plan

import (
	"reflect"
	"strings"
	"testing"
)

// TestPrior: lookups by id and identity find every object that has it,
// sorted by address, and nothing for "" or an unknown key; the same
// objects in any order make an identical set.
func TestPrior(t *testing.T) {
	objs := []PriorObject{
		{Address: "b.x", Type: "b", ID: "1"},
		{Address: "a.x", Type: "a", ID: "1", Identity: `{"id":"1"}`},
		{Address: "c.x", Type: "c", Identity: `{"id":"1"}`},
		{Address: "d.x", Type: "d", ID: "2"},
		{Address: "e.x", Type: "e"}, // neither: left out
	}
	p := NewPrior(objs)
	if p.Len() != 4 {
		t.Fatalf("Len = %d, want 4", p.Len())
	}
	addrs := func(os []PriorObject) []string {
		var out []string
		for _, o := range os {
			out = append(out, o.Address+"/"+o.Type+"/"+o.ID)
		}
		return out
	}
	for _, tt := range []struct {
		got  []PriorObject
		want []string
	}{
		{p.ByID("1"), []string{"a.x/a/1", "b.x/b/1"}},
		{p.ByID("2"), []string{"d.x/d/2"}},
		{p.ByID(""), nil},
		{p.ByID("3"), nil},
		{p.ByIdentity(`{"id":"1"}`), []string{"a.x/a/1", "c.x/c/"}},
		{p.ByIdentity(""), nil},
		{p.ByIdentity(`{"id":"2"}`), nil},
		{p.Objects(), []string{"a.x/a/1", "b.x/b/1", "c.x/c/", "d.x/d/2"}},
	} {
		if got := addrs(tt.got); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("got %v, want %v", got, tt.want)
		}
	}
	rev := make([]PriorObject, len(objs))
	for i, o := range objs {
		rev[len(objs)-1-i] = o
	}
	if q := NewPrior(rev); !p.equal(q) {
		t.Errorf("order matters: %+v vs %+v", p, q)
	}
	var none *Prior
	if none.Len() != 0 || none.ByID("1") != nil || none.Objects() != nil || NewPrior(nil) != nil {
		t.Error("the nil Prior is not empty")
	}
}

// priorOrderPlan has prior objects in a child module listed before the
// root module's (child_modules before resources), so that the streaming
// reader meets them in another order than the reference.
const priorOrderPlan = `{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[` + rcDelete + `],` +
	`"prior_state":{"values":{"root_module":{"child_modules":[{"resources":[` +
	`{"address":"module.m.terraform_data.a","mode":"managed","type":"terraform_data","values":{"id":"x"}},` +
	`{"address":"module.m.aws_db_instance.b","mode":"managed","type":"aws_db_instance","values":{"id":"5e8f2288"},"identity":{"id":"b"}}]}],` +
	`"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":{"id":"5e8f2288"}},` +
	`{"address":"data.x.y","mode":"data","type":"x","values":{"id":"5e8f2288"}}]}}}}`

// TestPriorOrder: both readers find the same prior objects whatever the
// order of the state's modules, and the lookups find them.
func TestPriorOrder(t *testing.T) {
	p, err := sameAsFull(t, []byte(priorOrderPlan))
	if err != nil {
		t.Fatal(err)
	}
	got := p.Prior.ByID("5e8f2288")
	if len(got) != 2 || got[0].Address != "module.m.aws_db_instance.b" || got[1].Address != "terraform_data.db" || got[1].Type != "terraform_data" {
		t.Errorf("ByID = %+v", got)
	}
	if got := p.Prior.ByIdentity(`{"id":"b"}`); len(got) != 1 || got[0].Type != "aws_db_instance" {
		t.Errorf("ByIdentity = %+v", got)
	}
	kept, err := DecodeWithOptions(strings.NewReader(priorOrderPlan), DecodeOptions{KeepPrior: func(a, typ string) bool { return typ == "terraform_data" }})
	if err != nil || kept.Prior.Len() != 2 || len(kept.Prior.ByIdentity(`{"id":"b"}`)) != 0 {
		t.Errorf("KeepPrior: %+v, %v", kept.Prior.Objects(), err)
	}
}
