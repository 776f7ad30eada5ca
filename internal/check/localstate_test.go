package check

import (
	"errors"
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
	if err := comparePinned(v3, &gate.States{Prior: &planfile.State{Lineage: "L", Serial: 4}, Prev: &planfile.State{Objects: []planfile.StateObject{{Managed: true, Address: "t.a", ID: "a-1", SchemaVersion: 2}}}}, nil); err == nil || !strings.Contains(err.Error(), "schema_version 2, lower than 3") {
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
			err := comparePinned(pinned, tc.states, tc.changes)
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
