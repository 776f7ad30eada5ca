package gate

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

func obj(addr, id string) planfile.StateObject {
	return planfile.StateObject{Managed: true, Address: addr, Type: "terraform_data", ID: id}
}

func states(prev, prior []planfile.StateObject) *States {
	return &States{Prev: &planfile.State{Objects: prev}, Prior: &planfile.State{Lineage: "l", Serial: 3, Objects: prior}}
}

// TestRefreshLost: an object the plan's refresh loses (gone, or found with
// another id) is a forget of the prior object, judged by the rules that
// protect it against a delete, a replace or a forget (address, type, ids,
// the same id elsewhere), approved by an approval for forget; an object
// the refresh adds that no import brings is a forged plan.
func TestRefreshLost(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	db := obj("terraform_data.prod_db", "/srv/other")
	byID := obj("terraform_data.tmp", "/srv/prod/db")
	scratch := obj("terraform_data.scratch", "/srv/scratch")
	data := planfile.StateObject{Address: "data.terraform_data.x", Type: "terraform_data"}
	for _, tc := range []struct {
		name        string
		st          *States
		changes     []plan.Change
		want        []string // "address refresh rules…"
		decision    Decision
		forgedState bool
	}{
		{"nothing lost", states([]planfile.StateObject{db, scratch}, []planfile.StateObject{db, scratch, data}), nil, nil, Allow, false},
		{"protected by address, gone", states([]planfile.StateObject{db, scratch}, []planfile.StateObject{scratch}), nil,
			[]string{"terraform_data.prod_db gone prod-db"}, Block, false},
		{"protected by id, gone", states([]planfile.StateObject{byID}, nil), nil, []string{"terraform_data.tmp gone prod-db-id"}, Block, false},
		{"protected, another id", states([]planfile.StateObject{db}, []planfile.StateObject{obj(db.Address, "x")}), nil,
			[]string{"terraform_data.prod_db changed_id prod-db"}, Block, false},
		{"unprotected, gone: listed, allowed", states([]planfile.StateObject{scratch}, nil), nil, []string{"terraform_data.scratch gone"}, Allow, false},
		{"the id kept under another address", states([]planfile.StateObject{db, obj("terraform_data.a", "/srv/prod/db")}, []planfile.StateObject{db, obj("terraform_data.b", "/srv/prod/db")}), nil,
			nil, Allow, true},
		{"added by an import", states(nil, []planfile.StateObject{obj("terraform_data.adopted", "/srv/x")}),
			[]plan.Change{importing(withID(change("terraform_data.adopted", plan.KindNoOp), "", ""), "/srv/x")}, nil, Allow, false},
		{"added, no import", states(nil, []planfile.StateObject{scratch}), nil, nil, Allow, true},
		{"a deposed object added", states([]planfile.StateObject{db}, []planfile.StateObject{db, {Managed: true, Address: db.Address, Deposed: "abc", Type: "terraform_data"}}),
			[]plan.Change{importing(withID(change(db.Address, plan.KindNoOp), "", ""), "/srv/x")}, nil, Allow, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: &plan.Plan{Changes: tc.changes}, Policy: pol, Trust: f.trust, Now: now, States: tc.st})
			if tc.forgedState {
				if !errors.Is(err, ErrForgedState) {
					t.Fatalf("want ErrForgedState, got %v %+v", err, r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range r.Changes {
				if c.Refresh == "" {
					continue
				}
				if c.Action != "forget" {
					t.Errorf("%s: action %s", c.Address, c.Action)
				}
				got = append(got, strings.TrimSpace(c.Address+" "+c.Refresh+" "+strings.Join(c.Rules, " ")))
				if c.Blocked() && !strings.Contains(strings.Join(c.Problems, "\n"), "refresh-only") {
					t.Errorf("the problem does not say how to proceed: %v", c.Problems)
				}
			}
			if !slices.Equal(got, tc.want) || r.Decision != tc.decision {
				t.Errorf("got %q %s, want %q %s", got, r.Decision, tc.want, tc.decision)
			}
		})
	}

	// An approval for forget of the address lets the state forget it.
	st := states([]planfile.StateObject{db}, nil)
	p := &plan.Plan{Approvals: []plan.Approval{approve(t, stmt(db.Address, "forget"), f.alice)}}
	if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now, States: st}); err != nil || r.Decision != Allow || r.Approvals[0].Status != StatusValid {
		t.Errorf("approved forget: %v %+v", err, r)
	}
	// An approval for delete does not.
	p.Approvals = []plan.Approval{approve(t, stmt(db.Address, "delete"), f.alice)}
	if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now, States: st}); err != nil || r.Decision != Block {
		t.Errorf("delete approval for a forget: %v %+v", err, r)
	}
	// Only one state given: an error, never an allow.
	if _, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: &States{Prev: &planfile.State{}}}); err == nil {
		t.Error("half the states: no error")
	}
}

// TestRefreshLostFromDrift: plan JSON shows no state before the refresh;
// resource_drift's deletes stand for what the refresh lost.
func TestRefreshLostFromDrift(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	drift := withID(change("terraform_data.prod_db", plan.KindDelete), "/srv/other", "")
	upd := withID(change("terraform_data.scratch", plan.KindUpdate), "/srv/scratch", "")
	r, err := Decide(Input{Plan: &plan.Plan{Drift: []plan.Change{drift, upd}}, Policy: pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) != 1 || r.Changes[0].Refresh != RefreshGone || r.Changes[0].Action != "forget" || r.Decision != Block {
		t.Errorf("drift delete: %+v", r.Changes)
	}
}

// TestRefreshForged: an object in both of a saved plan's states whose
// status, schema version, private data or provider differ (an edited tfstate that
// taints an object or forges its provider's private data, found by an
// attacker's review: the apply writes them into the state) is a forged
// plan, named by address and field; dependencies and
// create_before_destroy, which Terraform's refresh sets from the
// configuration, may differ.
func TestRefreshForged(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	base := obj("terraform_data.scratch", "/srv/scratch")
	base.SchemaVersion, base.Private, base.Provider = 1, `{"k":1}`, `provider["terraform.io/builtin/terraform"]`
	for _, tc := range []struct {
		name string
		edit func(o *planfile.StateObject)
		want string // "" = allowed
	}{
		{"unchanged", func(*planfile.StateObject) {}, ""},
		{"dependencies and create_before_destroy", func(o *planfile.StateObject) {
			o.Dependencies, o.CreateBeforeDestroy = []string{"terraform_data.x"}, true
		}, ""},
		{"tainted", func(o *planfile.StateObject) { o.Status = "tainted" }, `status "ready" in tfstate-prev, "tainted" in tfstate`},
		{"schema version", func(o *planfile.StateObject) { o.SchemaVersion = 0 }, "schema_version 1 in tfstate-prev, 0 in tfstate"},
		{"private", func(o *planfile.StateObject) { o.Private = `{"k":2}` }, "private data of 7 bytes in tfstate-prev"},
		{"provider", func(o *planfile.StateObject) { o.Provider = `provider["terraform.io/builtin/terraform"].other` },
			`provider "provider[\"terraform.io/builtin/terraform\"]" in tfstate-prev, "provider[\"terraform.io/builtin/terraform\"].other" in tfstate`},
		{"attributes (the refresh's to change)", func(o *planfile.StateObject) { o.Attributes = `{"id":"/srv/scratch","x":1}` }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := base
			tc.edit(&after)
			r, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: states([]planfile.StateObject{base}, []planfile.StateObject{after})})
			if tc.want == "" {
				if err != nil || r.Decision != Allow {
					t.Fatalf("%v %+v", err, r)
				}
				return
			}
			if !errors.Is(err, ErrForgedRefresh) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "terraform_data.scratch") {
				t.Fatalf("want ErrForgedRefresh naming %q, got %v", tc.want, err)
			}
		})
	}
}

// TestRefreshDriftReported: the report lists the objects whose attributes
// the refresh changed, with the changed attribute names; none for plan
// JSON or an unchanged refresh.
func TestRefreshDriftReported(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	before := obj("terraform_data.scratch", "/srv/scratch")
	before.Attributes = `{"id":"/srv/scratch","input":"a","keep":true}`
	after := before
	after.Attributes = `{"id":"/srv/scratch","input":"b","keep":true,"new":1}`
	r, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: states([]planfile.StateObject{before}, []planfile.StateObject{after})})
	if err != nil {
		t.Fatal(err)
	}
	want := []RefreshDrift{{Address: "terraform_data.scratch", Attributes: []string{"input", "new"}}}
	if !reflect.DeepEqual(r.RefreshDrift, want) || r.Decision != Allow {
		t.Errorf("got %+v %s", r.RefreshDrift, r.Decision)
	}
	r, err = Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: states([]planfile.StateObject{before}, []planfile.StateObject{before})})
	if err != nil || r.RefreshDrift != nil {
		t.Errorf("unchanged: %v %+v", err, r.RefreshDrift)
	}
}

// TestRefreshRefusedUnderPin: with RefuseRefresh (a state pin, a plan file
// from someone else), an object whose id, identity or attributes the
// refresh changed is an error naming the object and what changed, with
// the remedies; an object the refresh lost is still judged as a forget,
// and an identity the refresh adds is not counted. Without RefuseRefresh
// the drift is only reported.
func TestRefreshRefusedUnderPin(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	base := obj("terraform_data.scratch", "/srv/scratch")
	base.Attributes = `{"id":"/srv/scratch","note":"a"}`
	other := obj("terraform_data.other", "/srv/other-obj")
	for _, tc := range []struct {
		name string
		edit func(o *planfile.StateObject)
		want []string // nil = allowed
	}{
		{"unchanged", func(*planfile.StateObject) {}, nil},
		{"dependencies", func(o *planfile.StateObject) { o.Dependencies = []string{"terraform_data.x"} }, nil},
		{"an identity added", func(o *planfile.StateObject) { o.Identity = `{"id":"x"}` }, nil},
		{"an attribute", func(o *planfile.StateObject) { o.Attributes = `{"id":"/srv/scratch","note":"EDITED"}` },
			[]string{"terraform_data.scratch (attribute note)"}},
		{"two attributes", func(o *planfile.StateObject) { o.Attributes = `{"id":"/srv/scratch","note":"b","path":"x"}` },
			[]string{"terraform_data.scratch (attributes note, path)"}},
		{"the id", func(o *planfile.StateObject) {
			o.ID, o.Attributes = "/srv//prod/db", `{"id":"/srv//prod/db","note":"a"}`
		}, []string{`terraform_data.scratch (id "/srv//prod/db", was "/srv/scratch"; attribute id)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := base
			tc.edit(&after)
			st := states([]planfile.StateObject{base, other}, []planfile.StateObject{after, other})
			r, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: st, RefuseRefresh: true})
			if tc.want == nil {
				if err != nil || r.Decision != Allow {
					t.Fatalf("%v %+v", err, r)
				}
				return
			}
			if !errors.Is(err, ErrRefreshUnderPin) {
				t.Fatalf("want ErrRefreshUnderPin, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "terraform_data.other") {
				t.Errorf("error names an unchanged object: %v", err)
			}
			if h, _ := hint.Of(err); !strings.Contains(h, "terraform apply -refresh-only") || !strings.Contains(h, "-refresh=false") {
				t.Errorf("hint %q lacks the remedies", h)
			}
			// Without RefuseRefresh (no pin, or the runner's own plan):
			// reported, not refused.
			r, err = Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, States: st})
			if err != nil || len(r.Changes)+len(r.RefreshDrift) == 0 {
				t.Errorf("not refused: %v %+v", err, r)
			}
		})
	}
	// An identity the refresh drops is a changed identity.
	withIdentity := base
	withIdentity.Identity = `{"id":"/srv/scratch"}`
	dropped := withIdentity
	dropped.Identity = ""
	if _, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, RefuseRefresh: true,
		States: states([]planfile.StateObject{withIdentity}, []planfile.StateObject{dropped})}); !errors.Is(err, ErrRefreshUnderPin) || !strings.Contains(err.Error(), "identity none") {
		t.Errorf("identity dropped: %v", err)
	}
	// An object the refresh lost stays a forget, judged (protected: blocked).
	db := obj("terraform_data.prod_db", "/srv/other")
	r, err := Decide(Input{Plan: &plan.Plan{}, Policy: pol, Trust: f.trust, Now: now, RefuseRefresh: true, States: states([]planfile.StateObject{db, base}, []planfile.StateObject{base})})
	if err != nil || r.Decision != Block || len(r.Changes) != 1 || r.Changes[0].Refresh != RefreshGone {
		t.Errorf("gone: %v %+v", err, r)
	}
}

// TestSameIDSpelling: a delete of an unprotected object whose prior id is
// another spelling of a protected object's id ("objects//prod-db" for
// "objects/prod-db", another case, a trailing slash) is judged under the
// protected object (same_id), as ids rules compare ids; an unrelated id is
// not (attack gate16 F1b).
func TestSameIDSpelling(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	prior := plan.NewPrior([]plan.PriorObject{{Address: "terraform_data.prod_db", Type: "terraform_data", ID: "/work/objects/prod-db"}})
	for id, blocked := range map[string]bool{
		"/work/objects/prod-db":      true,
		"/work/objects//prod-db":     true,
		"/work/Objects/prod-db/":     true,
		"/work/objects/./prod-db":    true,
		"/work/objects/prod-db2":     false,
		"/work/objects/tmp-obj1":     false,
		"/work/objects/x/../prod-db": true,
	} {
		c := withID(change("terraform_data.tmp", plan.KindDelete), id, "")
		r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{c}, Prior: prior}, Policy: pol, Trust: f.trust, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Decision == Block; got != blocked {
			t.Errorf("delete of tmp with prior id %q: decision %s, want blocked %t (%+v)", id, r.Decision, blocked, r.Changes)
		}
		if blocked && (len(r.Changes[0].JudgedAs) != 1 || r.Changes[0].JudgedAs[0].Why != SubjectSameID) {
			t.Errorf("%q: subjects %+v", id, r.Changes[0].JudgedAs)
		}
	}
}
