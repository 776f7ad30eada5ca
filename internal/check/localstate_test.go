package check

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestComparePinned: the plan's states must be the pinned state: tfstate's
// lineage and serial, tfstate-prev's managed objects (address, deposed
// key, id, identity), with the plan's moves applied to the pinned
// state's addresses; data objects do not count.
func TestComparePinned(t *testing.T) {
	o := func(addr, id string) planfile.StateObject {
		return planfile.StateObject{Managed: true, Address: addr, Type: "t", ID: id}
	}
	pinned := &pinnedState{name: "the pinned state x", state: &planfile.State{Lineage: "L", Serial: 4, Objects: []planfile.StateObject{o("t.db", "db-1"), o("t.a", "a-1"), {Address: "data.t.d"}}}}
	v3 := &pinnedState{name: "the pinned state y", state: &planfile.State{Lineage: "L", Serial: 4, Objects: []planfile.StateObject{{Managed: true, Address: "t.a", ID: "a-1", SchemaVersion: 3}}}}
	if _, err := comparePinned(v3, &gate.States{Prior: &planfile.State{Lineage: "L", Serial: 4}, Prev: &planfile.State{Objects: []planfile.StateObject{{Managed: true, Address: "t.a", ID: "a-1", SchemaVersion: 2}}}}, nil); err == nil || !strings.Contains(err.Error(), "schema_version 2, lower than 3") {
		t.Errorf("a lowered schema version: %v", err)
	}
	st := func(lin string, ser uint64, objs ...planfile.StateObject) *gate.States {
		return &gate.States{Prior: &planfile.State{Lineage: lin, Serial: ser}, Prev: &planfile.State{Objects: objs}}
	}
	moveA := []plan.Change{{Address: "t.b", PreviousAddress: "t.a"}}
	importC := []plan.Change{{Address: "t.c", Importing: true, ImportID: "c", PriorID: "c-1"}}
	for _, tc := range []struct {
		name    string
		states  *gate.States
		changes []plan.Change
		want    string // "" = equal
	}{
		{"equal", st("L", 4, o("t.a", "a-1"), o("t.db", "db-1")), nil, ""},
		{"moved", st("L", 4, o("t.b", "a-1"), o("t.db", "db-1")), moveA, ""},
		{"a move the plan does not make", st("L", 4, o("t.b", "a-1"), o("t.db", "db-1")), nil, `lacks t.a id "a-1"`},
		{"lineage", st("M", 4, o("t.a", "a-1"), o("t.db", "db-1")), nil, `lineage "M"`},
		{"serial", st("L", 3, o("t.a", "a-1"), o("t.db", "db-1")), nil, "serial 3"},
		{"id", st("L", 4, o("t.a", "a-1"), o("t.db", "db-2")), nil, `lacks t.db id "db-1"`},
		{"dropped", st("L", 4, o("t.a", "a-1")), nil, `lacks t.db`},
		{"renamed", st("L", 4, o("t.a", "a-1"), o("t.old_tmp", "db-1")), nil, `lacks t.db`},
		{"added", st("L", 4, o("t.a", "a-1"), o("t.db", "db-1"), o("t.c", "c")), nil, `has t.c`},
		{"identity", st("L", 4, o("t.a", "a-1"), planfile.StateObject{Managed: true, Address: "t.db", ID: "db-1", Identity: `{"x":"y"}`}), nil, `lacks t.db`},
		// Both of the plan's states edited alike (the gate compares them
		// with each other): the status and private data are the pinned
		// state's, and a schema version only rises.
		{"tainted", st("L", 4, o("t.a", "a-1"), planfile.StateObject{Managed: true, Address: "t.db", ID: "db-1", Status: "tainted"}), nil, `lacks t.db id "db-1" identity  status ready`},
		{"private", st("L", 4, o("t.a", "a-1"), planfile.StateObject{Managed: true, Address: "t.db", ID: "db-1", Private: "x"}), nil, `lacks t.db`},
		// An import adds its object to tfstate-prev: compared with the
		// import change, at an address the pinned state lacks.
		{"imported", st("L", 4, o("t.a", "a-1"), o("t.db", "db-1"), o("t.c", "c-1")), importC, ""},
		{"imported under another id", st("L", 4, o("t.a", "a-1"), o("t.db", "db-1"), o("t.c", "c-2")), importC, `gives that object id "c-2" and the import change id "c-1"`},
		{"imported over a pinned object", st("L", 4, o("t.a", "a-1"), o("t.db", "db-9")), []plan.Change{{Address: "t.db", Importing: true, PriorID: "db-9"}}, `lacks t.db id "db-1"`},
		{"an import of another address", st("L", 4, o("t.a", "a-1"), o("t.db", "db-1"), o("t.c", "c-1")), []plan.Change{{Address: "t.d", Importing: true, PriorID: "c-1"}}, `has t.c`},
		{"schema version upgraded", st("L", 4, o("t.a", "a-1"), planfile.StateObject{Managed: true, Address: "t.db", ID: "db-1", SchemaVersion: 2}), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := comparePinned(pinned, tc.states, tc.changes)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var mm *policy.StateMismatch
			if !errors.As(err, &mm) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a StateMismatch saying %q", err, tc.want)
			}
		})
	}
}

// TestComparePinnedValues: every value of an object of the plan's state
// before its refresh must be the pinned state's (r16f: an attribute the
// provider's Read does not refresh, or the provider, edited in a copy of
// the state planned with -state, or in the plan file), but for the
// attributes the provider upgraded to a new schema version and the
// provider of an object the configuration keeps, which are warned about.
func TestComparePinnedValues(t *testing.T) {
	const prov = `provider["example.com/a/t"]`
	db := planfile.StateObject{Managed: true, Address: "t.db", Type: "t", ID: "db-1", Provider: prov, SchemaVersion: 1,
		Attributes: `{"deletion_protection":true,"id":"db-1","size":10}`, SensitiveAttributes: `[[{"type":"get_attr","value":"size"}]]`,
		Dependencies: []string{"t.net"}, CreateBeforeDestroy: true, IdentitySchemaVersion: 1}
	pinned := &pinnedState{name: "the pinned state x", state: &planfile.State{Lineage: "L", Serial: 4, Objects: []planfile.StateObject{db}}}
	edit := func(f func(o *planfile.StateObject)) *gate.States {
		o := db
		o.Dependencies = slices.Clone(db.Dependencies)
		f(&o)
		return &gate.States{Prior: &planfile.State{Lineage: "L", Serial: 4}, Prev: &planfile.State{Objects: []planfile.StateObject{o}}}
	}
	deleteDB := []plan.Change{{Address: "t.db", Kind: plan.KindDelete}}
	for _, tc := range []struct {
		name    string
		states  *gate.States
		changes []plan.Change
		want    string // "" = equal
		warn    string
	}{
		{"equal", edit(func(o *planfile.StateObject) {}), nil, "", ""},
		{"equal, deleted", edit(func(o *planfile.StateObject) {}), deleteDB, "", ""},
		{"attribute", edit(func(o *planfile.StateObject) { o.Attributes = `{"deletion_protection":false,"id":"db-1","size":10}` }), nil, `t.db another value of attribute "deletion_protection"`, ""},
		{"attributes", edit(func(o *planfile.StateObject) { o.Attributes = `{"id":"db-1","size":11}` }), nil, `attributes ["deletion_protection" "size"]`, ""},
		{"attributes dropped", edit(func(o *planfile.StateObject) { o.Attributes = "" }), nil, `t.db other values of attributes`, ""},
		{"attributes not an object", edit(func(o *planfile.StateObject) { o.Attributes = "[]" }), nil, `t.db other attributes`, ""},
		{"attributes_flat", edit(func(o *planfile.StateObject) { o.AttributesFlat = `{"id":"db-1"}` }), nil, "attributes_flat", ""},
		{"sensitive_attributes", edit(func(o *planfile.StateObject) { o.SensitiveAttributes = "" }), nil, "other sensitive_attributes", ""},
		{"dependencies", edit(func(o *planfile.StateObject) { o.Dependencies = nil }), nil, `other dependencies ([]) than the pinned state x (["t.net"])`, ""},
		{"create_before_destroy", edit(func(o *planfile.StateObject) { o.CreateBeforeDestroy = false }), nil, "another create_before_destroy (false) than the pinned state x (true)", ""},
		{"identity_schema_version lowered", edit(func(o *planfile.StateObject) { o.IdentitySchemaVersion = 0 }), nil, "a lower identity_schema_version (0) than the pinned state x (1)", ""},
		{"identity_schema_version raised", edit(func(o *planfile.StateObject) { o.IdentitySchemaVersion = 2 }), nil, "", ""},
		{"provider of a deleted object", edit(func(o *planfile.StateObject) { o.Provider = prov + ".evil" }), deleteDB, `gives t.db another provider ("provider[\"example.com/a/t\"].evil") than the pinned state x ("provider[\"example.com/a/t\"]")`, ""},
		{"provider of a forgotten object", edit(func(o *planfile.StateObject) { o.Provider = prov + ".evil" }), []plan.Change{{Address: "t.db", Kind: plan.KindForget}}, "the plan deletes or forgets", ""},
		{"provider of a kept object", edit(func(o *planfile.StateObject) { o.Provider = prov + ".west" }), nil, "", `gives t.db (provider["example.com/a/t"].west, was provider["example.com/a/t"]) another provider configuration`},
		{"schema upgraded", edit(func(o *planfile.StateObject) { o.SchemaVersion, o.Attributes = 2, `{"id":"db-1","size_gb":10}` }), nil, "", "the attributes of t.db were upgraded"},
		{"schema upgraded, sensitive_attributes edited", edit(func(o *planfile.StateObject) { o.SchemaVersion, o.SensitiveAttributes = 2, "" }), nil, "other sensitive_attributes", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warnings, err := comparePinned(pinned, tc.states, tc.changes)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				var mm *policy.StateMismatch
				if !errors.As(err, &mm) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "the pinned state x") {
					t.Errorf("got %v, want a StateMismatch saying %q", err, tc.want)
				}
				if err != nil && strings.Contains(err.Error(), "true") && tc.name == "attribute" {
					t.Errorf("the message shows an attribute's value: %v", err)
				}
			}
			if got := strings.Join(warnings, "\n"); tc.warn == "" && got != "" || !strings.Contains(got, tc.warn) {
				t.Errorf("warnings %q, want %q", got, tc.warn)
			}
		})
	}
}
