package gate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// A plan's refresh rewrites the state the apply starts from: the saved
// plan's tfstate entry (prior_state in its JSON) is the state as it was
// before the plan (tfstate-prev) after the refresh. An object the refresh
// does not find any more, or finds with another id, leaves the state the
// apply writes, and nothing in resource_changes says so: with the object
// dropped from the configuration the plan shows no change of it at all,
// and with the object kept a replace becomes a create. A refresh that
// cannot see an object that still exists is something the change's author
// can cause (a provider configuration that reads another region, account
// or endpoint), and the plan file is the author's too. So every such
// object is judged as a forget of the prior object.

// Refresh values of a Change: why the plan's refresh lost the object.
const (
	RefreshGone      = "gone"       // in the state before the refresh, not after it
	RefreshChangedID = "changed_id" // after the refresh it has another id or identity
)

// States are a saved plan's two state records.
type States struct {
	// Prev is the state before the plan's refresh (tfstate-prev: the
	// backend's state, with the plan's moves applied).
	Prev *planfile.State
	// Prior is the state after it (tfstate), which the apply builds the
	// new state from.
	Prior *planfile.State
}

// ErrForgedState is the error for a saved plan whose refreshed state holds
// a managed object that was not in the state before the refresh and that
// no import of the plan brings: no refresh adds objects, so the plan file
// was edited.
var ErrForgedState = errors.New("the saved plan's prior state (tfstate) holds an object that its state before the refresh (tfstate-prev) lacks and that no import of the plan brings in: a refresh never adds objects, so the plan file was edited after Terraform wrote it")

// ErrForgedRefresh is the error for a saved plan whose refreshed state
// (tfstate) gives an object another status (tainted), schema version,
// private data or provider than its state before the refresh
// (tfstate-prev). A refresh never changes an object's provider: Terraform
// and OpenTofu write it into tfstate-prev already (the configuration's, or
// the state's for a resource the configuration lacks). The apply
// writes tfstate's objects into the state as they are; Terraform's refresh
// keeps the status and schema version (tfstate-prev is already upgraded to
// the provider's schema) and the private data of an object whose provider
// returns it unchanged, which Terraform's own SDKs do. So the plan file was
// edited (or a provider rewrites its private data when it reads, which
// planguard cannot tell from an edit: both are refused).
//
// The dependencies and create_before_destroy of an object are not
// compared: Terraform's refresh sets them from the configuration.
var ErrForgedRefresh = errors.New("the saved plan's prior state (tfstate) changes what a refresh never changes")

// refreshLost returns the objects the plan's refresh lost, as forget
// changes of their prior objects, with why (RefreshGone, RefreshChangedID)
// for each. From a saved plan's states when the input has them, else from
// resource_drift's deletes (plan JSON shows no state before the refresh).
func refreshLost(in Input) ([]plan.Change, []string, error) {
	var lost []plan.Change
	var why []string
	if in.States == nil {
		for _, d := range in.Plan.Drift {
			if d.Kind == plan.KindDelete {
				lost = append(lost, plan.Change{Address: d.Address, Type: d.Type, Deposed: d.Deposed, Kind: plan.KindForget,
					ProviderName: d.ProviderName, PriorID: d.PriorID, PriorIdentity: d.PriorIdentity})
				why = append(why, RefreshGone)
			}
		}
		return lost, why, nil
	}
	if in.States.Prev == nil || in.States.Prior == nil {
		return nil, nil, errors.New("gate: the saved plan's states are not both given")
	}
	after := map[string]planfile.StateObject{}
	for _, o := range in.States.Prior.Objects {
		if o.Managed {
			after[o.Key()] = o
		}
	}
	before := map[string]bool{}
	for _, o := range in.States.Prev.Objects {
		if !o.Managed {
			continue
		}
		before[o.Key()] = true
		a, ok := after[o.Key()]
		reason := ""
		switch {
		case !ok:
			reason = RefreshGone
		case a.ID != o.ID, a.Identity != "" && o.Identity != "" && a.Identity != o.Identity:
			reason = RefreshChangedID
		default:
			if err := sameRefreshed(o, a); err != nil {
				return nil, nil, err
			}
			continue
		}
		lost = append(lost, plan.Change{Address: o.Address, Type: o.Type, Deposed: o.Deposed, Kind: plan.KindForget,
			PriorID: o.ID, PriorIdentity: canonicalIdentity(o.Identity)})
		why = append(why, reason)
	}
	imported := map[string]bool{}
	for _, cs := range [][]plan.Change{in.Plan.Changes, in.Plan.Deferred} {
		for _, c := range cs {
			if c.Importing {
				imported[c.Address] = true
			}
		}
	}
	for _, o := range in.States.Prior.Objects {
		if o.Managed && !before[o.Key()] && (o.Deposed != "" || !imported[o.Address]) {
			return nil, nil, fmt.Errorf("%w: %s", ErrForgedState, o)
		}
	}
	return lost, why, nil
}

// RefreshDrift is a managed object whose attributes the plan's refresh
// changed.
type RefreshDrift struct {
	Address string `json:"address"`
	Deposed string `json:"deposed,omitempty"`
	// Attributes are the sorted names of the top-level attributes whose
	// values differ ("" when the attributes could not be told apart).
	Attributes []string `json:"attributes"`
}

// refreshDrift lists the managed objects of s.Prev whose attributes differ
// in s.Prior (nil for plan JSON, whose resource_drift shows the same).
func refreshDrift(s *States) []RefreshDrift {
	if s == nil || s.Prev == nil || s.Prior == nil {
		return nil
	}
	after := map[string]string{}
	for _, o := range s.Prior.Objects {
		if o.Managed {
			after[o.Key()] = o.Attributes
		}
	}
	var out []RefreshDrift
	for _, o := range s.Prev.Objects {
		a, ok := after[o.Key()]
		if !o.Managed || !ok {
			continue
		}
		if d := planfile.AttributeDiff(o.Attributes, a); d != nil {
			out = append(out, RefreshDrift{Address: o.Address, Deposed: o.Deposed, Attributes: d})
		}
	}
	return out
}

// ErrRefreshUnderPin is the error for a saved plan, under a state pin,
// whose refresh changed a managed object (Input.RefuseRefresh).
var ErrRefreshUnderPin = errors.New("the plan's refresh changed objects of the pinned state")

// refreshFix says what to do about ErrRefreshUnderPin.
const refreshFix = "if the objects really changed outside Terraform, have a person with the production credentials review and accept the drift " +
	"('terraform plan -refresh-only', then 'terraform apply -refresh-only' against the pinned state), then plan again; " +
	"or plan with -refresh=false, so that the plan starts from the pinned state as it is"

// refreshChanged returns an ErrRefreshUnderPin error naming each managed
// object of s.Prev that the refresh (s.Prior) gives another id, drops or
// changes the identity of, or gives other attributes (drift, from
// refreshDrift), or nil when there is none. Objects the refresh lost
// (gone) are judged as forgets (refreshLost); an identity the refresh adds
// to an object that had none (Terraform 1.12+ providers) is not counted.
//
// planguard cannot tell such a refresh from an edit of the plan file's
// refreshed state (tfstate), which is the author's, and the apply writes
// that state into the pinned state: an edited id or path there is what a
// later, honest plan deletes, and an edited setting (a deletion safeguard
// kept only in the state) changes what a later approved delete does.
func refreshChanged(s *States, drift []RefreshDrift) error {
	if s == nil || s.Prev == nil || s.Prior == nil {
		return nil
	}
	after := map[string]planfile.StateObject{}
	for _, o := range s.Prior.Objects {
		if o.Managed {
			after[o.Key()] = o
		}
	}
	attrs := map[string][]string{}
	for _, d := range drift {
		attrs[planfile.StateObject{Address: d.Address, Deposed: d.Deposed}.Key()] = d.Attributes
	}
	var problems []string
	for _, o := range s.Prev.Objects {
		a, ok := after[o.Key()]
		if !o.Managed || !ok {
			continue
		}
		var what []string
		if a.ID != o.ID {
			what = append(what, fmt.Sprintf("id %q, was %q", a.ID, o.ID))
		}
		if o.Identity != "" && a.Identity != o.Identity {
			what = append(what, fmt.Sprintf("identity %s, was %s", orNone(a.Identity), o.Identity))
		}
		if d, ok := attrs[o.Key()]; ok {
			switch {
			case len(d) == 0 || d[0] == "":
				what = append(what, "other attributes")
			case len(d) == 1:
				what = append(what, fmt.Sprintf("attribute %s", d[0]))
			default:
				what = append(what, fmt.Sprintf("attributes %s", strings.Join(d, ", ")))
			}
		}
		if len(what) > 0 {
			problems = append(problems, fmt.Sprintf("%s (%s)", o.Key(), strings.Join(what, "; ")))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return hint.With(fmt.Errorf("%w: %s. planguard cannot tell a refresh from an edit of the plan file's refreshed state (tfstate), and applying the plan writes that state into the pinned state, "+
		"where a later plan acts on it (a delete deletes the object an edited id or path names)",
		ErrRefreshUnderPin, strings.Join(problems, "; ")), refreshFix)
}

func orNone(identity string) string {
	if identity == "" {
		return "none"
	}
	return identity
}

// sameRefreshed returns an ErrForgedRefresh error, naming the object and
// the field, when the refreshed object a differs from its object before
// the refresh o in what a refresh keeps.
func sameRefreshed(o, a planfile.StateObject) error {
	var diffs []string
	if a.Status != o.Status {
		diffs = append(diffs, fmt.Sprintf("status %q in tfstate-prev, %q in tfstate", statusText(o.Status), statusText(a.Status)))
	}
	if a.SchemaVersion != o.SchemaVersion {
		diffs = append(diffs, fmt.Sprintf("schema_version %d in tfstate-prev, %d in tfstate", o.SchemaVersion, a.SchemaVersion))
	}
	if a.Private != o.Private {
		diffs = append(diffs, fmt.Sprintf("private data of %d bytes in tfstate-prev, another of %d bytes in tfstate", len(o.Private), len(a.Private)))
	}
	if a.Provider != o.Provider {
		diffs = append(diffs, fmt.Sprintf("provider %q in tfstate-prev, %q in tfstate", o.Provider, a.Provider))
	}
	if len(diffs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s has %s; the apply would write that into the state, so the plan file was edited after Terraform wrote it (or the object's provider rewrites its private data when it reads it, which planguard cannot tell apart). Plan again, and apply only the plan file the plan job wrote",
		ErrForgedRefresh, o, strings.Join(diffs, "; "))
}

func statusText(s string) string {
	if s == "" {
		return "ready"
	}
	return s
}

// canonicalIdentity is a state's identity JSON in the canonical form the
// plan reader gives resource identities, or "" when it does not parse.
func canonicalIdentity(raw string) string {
	if raw == "" {
		return ""
	}
	c, err := planformat.CanonicalIdentity([]byte(raw), func() string { return "a state's identity" })
	if err != nil {
		return raw
	}
	return c
}

// refreshChange is the report entry of an object the refresh lost: a
// forget of the prior object, protected when a rule protects it (by
// address, type, id or identity, or as the object of another address with
// its id) against a delete, a replace or a forget, since the apply may
// then create a new object over it or leave it unmanaged.
func refreshChange(p *policy.Policy, prior *plan.Prior, pc plan.Change, why string) Change {
	subs := subjects(p, pc, prior, nil)
	var req policy.Requirement
	protected := false
	under := func(r policy.Requirement, ok bool) {
		if ok {
			req.Merge(r)
			protected = true
		}
	}
	for _, action := range []string{policy.ActionDelete, policy.ActionReplace, policy.ActionForget} {
		under(p.Require(pc.Address, pc.Type, action, nil))
		under(p.RequireID(objectIDs(pc.PriorID, pc.PriorIdentity), action, nil))
		for _, s := range subs {
			under(p.Require(s.Address, s.Type, action, nil))
			if s.id != "" {
				under(p.RequireID([]string{s.id}, action, nil))
			}
		}
	}
	ch := newChange(pc, string(plan.KindForget), subs)
	ch.Refresh = why
	if protected {
		inPolicyOrder(p, req.Rules)
		ch.require(req)
	}
	return ch
}

// refreshProblem says what to do about a blocked object the refresh lost.
func refreshProblem(c Change) string {
	what := "no longer finds it"
	if c.Refresh == RefreshChangedID {
		what = "finds it with another id or identity"
	}
	return fmt.Sprintf("the plan's refresh %s, so applying the plan removes %s (id %q) from the state and may create another object over it: "+
		"a provider configuration of the change that reads another region, account or endpoint does this, as does an edited plan file. "+
		"If the object is really gone, have a person review a refresh-only plan ('terraform plan -refresh-only') and apply it through the usual review, then plan again; "+
		"if the change is meant to let the state forget it, an approval for action forget of %s", what, c.Address, c.PriorID, c.Address)
}
