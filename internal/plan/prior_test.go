package plan

import (
	"strings"
	"testing"
)

// priorOrderPlan has prior objects in a child module listed before the
// root module's (child_modules before resources), so that the streaming
// reader meets them in another order than the reference.
const priorOrderPlan = `{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[` + rcDelete + `],` +
	`"prior_state":{"values":{"root_module":{"child_modules":[{"resources":[` +
	`{"address":"module.m.terraform_data.a","mode":"managed","type":"terraform_data","values":{"id":"x"}},` +
	`{"address":"module.m.aws_db_instance.b","mode":"managed","type":"aws_db_instance","values":{"id":"5e8f2288"},"identity":{"id":"b"}}]}],` +
	`"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}},` +
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
	kept, err := decodeWithOptions(strings.NewReader(priorOrderPlan), Options{KeepPrior: func(_, typ, _, _ string) bool { return typ == "terraform_data" }})
	if err != nil || kept.Prior.Len() != 2 || len(kept.Prior.ByIdentity(`{"id":"b"}`)) != 0 {
		t.Errorf("KeepPrior: %+v, %v", kept.Prior.Objects(), err)
	}
	// The filter is given each object's id and canonical identity.
	kept, err = decodeWithOptions(strings.NewReader(priorOrderPlan), Options{KeepPrior: func(_, _, id, identity string) bool { return id == "x" || identity == `{"id":"b"}` }})
	if err != nil || kept.Prior.Len() != 2 || len(kept.Prior.ByID("x")) != 1 || len(kept.Prior.ByIdentity(`{"id":"b"}`)) != 1 {
		t.Errorf("KeepPrior by id and identity: %+v, %v", kept.Prior.Objects(), err)
	}
}

func TestIdentityValues(t *testing.T) {
	got := IdentityValues(`{"a":["x",{"b":"y"}],"n":1,"t":true,"z":"w"}`)
	if strings.Join(got, ",") != "x,y,w" || IdentityValues("") != nil {
		t.Errorf("IdentityValues = %q", got)
	}
}
