package planformat

import (
	"reflect"
	"slices"
	"strconv"
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
	if q := NewPrior(rev); !p.Equal(q) {
		t.Errorf("order matters: %+v vs %+v", p, q)
	}
	var none *Prior
	if none.Len() != 0 || none.ByID("1") != nil || none.Objects() != nil || NewPrior(nil) != nil {
		t.Error("the nil Prior is not empty")
	}
}

// TestPriorAddresses: addresses come back exactly, however they split into
// a shared resource part and an instance key, in any order.
func TestPriorAddresses(t *testing.T) {
	addrs := []string{
		`module.a.terraform_data.x[0]`, `module.a.terraform_data.x[1]`, `module.a.terraform_data.x[10]`,
		`terraform_data.y["a[b]"]`, `terraform_data.y["c"]`, `terraform_data.y`,
		`module.a.terraform_data.x[2]`, `weird]`, `[`, `]`, `x[]`, `module.m["k"].aws_db_instance.db`,
		`module.m["k"].aws_db_instance.db["z"]`, "long." + strings.Repeat("n", 70000) + "[1]",
	}
	var objs []PriorObject
	for i, a := range addrs {
		objs = append(objs, PriorObject{Address: a, Type: "t" + strconv.Itoa(i%3), ID: "id-" + strconv.Itoa(i%4)})
	}
	p := NewPrior(objs)
	got := p.Objects()
	want := slices.Clone(objs)
	sortObjects(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Objects = %q\nwant %q", got, want)
	}
	n := 0
	for i := 0; i < 4; i++ {
		for _, o := range p.ByID("id-" + strconv.Itoa(i)) {
			if o.ID != "id-"+strconv.Itoa(i) || !slices.Contains(addrs, o.Address) {
				t.Errorf("ByID(id-%d) found %+v", i, o)
			}
			n++
		}
	}
	if n != len(addrs) {
		t.Errorf("lookups found %d objects, want %d", n, len(addrs))
	}
	slices.Reverse(objs)
	if !NewPrior(objs).Equal(p) {
		t.Error("the same objects in reverse order make another set")
	}
	objs[0].ID = "other"
	if NewPrior(objs).Equal(p) {
		t.Error("a changed id makes the same set")
	}
}
