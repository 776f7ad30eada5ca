package check

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// A saved plan records the backend, not which state file it was planned
// from: `terraform plan -state=FILE` (or TF_CLI_ARGS_plan) plans a copy the
// author edited, and Terraform's own staleness check at apply compares
// only the lineage and serial, which a copy keeps. The plan file is the
// author's too: its state records can be edited after Terraform wrote
// them. So under a state pin the gate reads the pinned state itself (a
// local backend's file; any other backend through `terraform state pull`
// with the pinned backend) and compares it with the plan's: the lineage
// and serial of its tfstate entry (the state the apply starts from), and
// the resource instances and ids of its tfstate-prev entry (the state
// before the refresh). The refresh between the two is the gate's to judge
// (gate.States): together the pinned state is what the apply changes.

// readStates reads the saved plan's two state records.
func readStates(pinnedPlan string) (*gate.States, error) {
	prior, prev, err := planfile.ReadStates(pinnedPlan)
	if err != nil {
		return nil, err
	}
	if prior == nil || prev == nil {
		return nil, fmt.Errorf("%w: the archive lacks its tfstate or tfstate-prev record (Terraform and OpenTofu write both)", planfile.ErrMalformed)
	}
	s := &gate.States{}
	if s.Prior, err = planfile.ParseState(prior); err != nil {
		return nil, fmt.Errorf("%w: tfstate: %w", planfile.ErrMalformed, err)
	}
	if s.Prev, err = planfile.ParseState(prev); err != nil {
		return nil, fmt.Errorf("%w: tfstate-prev: %w", planfile.ErrMalformed, err)
	}
	return s, nil
}

// pinnedState is the state of the policy's pinned backend, read before
// the plan is shown.
type pinnedState struct {
	state *planfile.State
	name  string // where it was read, for messages
}

// readPinnedState reads the state the policy's state block pins (the
// saved plan's backend, already found equal to it): a local backend's file
// directly (relative to dir, "" = the current directory), any other
// backend through `terraform state pull`.
func readPinnedState(ctx context.Context, req Request, saved *planfile.File) (*pinnedState, error) {
	pol := req.Policy
	if pol.State == nil {
		return nil, nil
	}
	var cur []byte
	var name string
	if pol.State.Backend == "local" && saved.Backend.Type == "local" {
		if saved.Backend.Workspace != "default" {
			return nil, hint.With(fmt.Errorf("the plan's workspace is %q: planguard compares a local backend's state only for the default workspace", saved.Backend.Workspace), stateFix)
		}
		// The plan's backend, already found equal to the pin: its path
		// resolved as planguard apply resolves it (tfexec.LocalStateArgs),
		// a relative one against the directory planguard runs in.
		path, err := tfexec.LocalStatePath(saved.Backend, req.Plan.Dir)
		if err != nil {
			return nil, fmt.Errorf("policy %s: the pinned local backend: %w", pol.Filename, err)
		}
		b, err := safefile.ReadFile(path, planfile.MaxPrevState)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, hint.With(fmt.Errorf("read the pinned state %s: %w", path, err), "run the check where the pinned local state is readable")
		}
		cur, name = b, "the pinned state "+path
	} else {
		stateEnv := req.Plan.StateEnv
		if stateEnv == nil {
			stateEnv = req.Plan.Env
		}
		var err error
		cur, err = tfexec.PullState(ctx, tfexec.PullOptions{Bin: tfexec.Find(req.Plan.TerraformBin, req.Plan.Getenv), Backend: saved.Backend, Env: stateEnv, Max: planfile.MaxPrevState})
		if err != nil {
			return nil, hint.With(fmt.Errorf("read the pinned state (backend %q, workspace %q) to compare it with the plan's: %w", saved.Backend.Type, saved.Backend.Workspace, err),
				"run planguard check and apply where the pinned backend's state is readable (the credentials the plan job reads it with)")
		}
		name = fmt.Sprintf("the pinned backend's state (%s, workspace %q)", saved.Backend.Type, saved.Backend.Workspace)
	}
	st, err := planfile.ParseState(cur)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &pinnedState{state: st, name: name}, nil
}

const stateFix = "plan against the pinned state itself: no -state, -state-out or TF_CLI_ARGS_plan, no edited copy of the state, and no edit of the saved plan file"

// comparePinned refuses a saved plan whose states are not the pinned
// state: the lineage and serial of its tfstate entry, and the managed
// resource instances with their ids and identities of its tfstate-prev
// entry, which has the plan's moves applied (the changes' previous
// addresses, applied here to the pinned state's objects) and the objects
// the plan imports added (each at an import change's address, which the
// pinned state lacks).
//
// Every other value of those objects must be the pinned state's too (see
// sameAsPinned): the apply starts from the plan's state, so a value edited
// in a copy of the state, or in the plan file, would be written into the
// pinned state. The warnings name what could not be compared.
func comparePinned(pin *pinnedState, states *gate.States, changes []plan.Change) ([]string, error) {
	moved := map[string]string{}
	for _, c := range changes {
		if c.PreviousAddress != "" && c.PreviousAddress != c.Address {
			moved[c.PreviousAddress] = c.Address
		}
	}
	want := objectList(pin.state, moved)
	// An import of the plan adds its object to tfstate-prev as well (the
	// state before the refresh holds what the plan imports): such an
	// object is not the pinned state's, and is compared with the import
	// that brings it instead. It must be at an address the pinned state
	// lacks (Terraform imports only there), not deposed, with the id of
	// the object the import change shows, which the gate judges.
	pinnedAt := map[string]bool{}
	for _, o := range pin.state.Objects {
		if o.Managed {
			if to, ok := moved[o.Address]; ok {
				o.Address = to
			}
			pinnedAt[o.Address] = true
		}
	}
	imports := map[string]plan.Change{}
	for _, c := range changes {
		if c.Importing && c.Deposed == "" {
			imports[c.Address] = c
		}
	}
	prev := *states.Prev
	prev.Objects = nil
	for _, o := range states.Prev.Objects {
		if c, ok := imports[o.Address]; ok && o.Managed && o.Deposed == "" && !pinnedAt[o.Address] {
			if c.PriorID != "" && o.ID != c.PriorID {
				return nil, hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
					"the plan imports %s, but its state before the refresh (tfstate-prev) gives that object id %q and the import change id %q: Terraform writes one object for both",
					o.Address, o.ID, c.PriorID)}}, stateFix)
			}
			continue
		}
		prev.Objects = append(prev.Objects, o)
	}
	got := objectList(&prev, nil)
	lin, ser := states.Prior.Lineage, states.Prior.Serial
	if lin != pin.state.Lineage || ser != pin.state.Serial || !slices.Equal(got, want) {
		return nil, hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
			"the plan was made from a state (lineage %q, serial %d, %d objects) that is not %s (lineage %q, serial %d, %d objects)%s",
			lin, ser, len(got), pin.name, pin.state.Lineage, pin.state.Serial, len(want), firstDifference(got, want))}}, stateFix)
	}
	// tfstate-prev holds the objects upgraded to the providers' current
	// schemas: a schema version may rise from the pinned state's, never fall.
	pinned := map[string]uint64{}
	for _, o := range pin.state.Objects {
		if o.Managed {
			if to, ok := moved[o.Address]; ok {
				o.Address = to
			}
			pinned[o.Key()] = o.SchemaVersion
		}
	}
	for _, o := range states.Prev.Objects {
		if v, ok := pinned[o.Key()]; ok && o.Managed && o.SchemaVersion < v {
			return nil, hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
				"the plan's state before its refresh (tfstate-prev) has %s at schema_version %d, lower than %d in %s: no upgrade lowers it",
				o.Key(), o.SchemaVersion, v, pin.name)}}, stateFix)
		}
	}
	return sameAsPinned(pin, &prev, moved, changes)
}

// sameAsPinned compares each managed object of prev (the plan's state
// before its refresh, without the objects its imports add, known to have
// the pinned state's objects by address, deposed key, id, identity, status
// and private data) with the pinned state's object (at its address after
// moved) in every other value: provider, attributes, attributes_flat,
// sensitive_attributes, identity_schema_version (which may rise, as
// schema_version may), dependencies and create_before_destroy.
//
// Terraform (1.8, 1.11) and OpenTofu (1.6) write the state before the
// refresh as the backend's state with the moves applied and each object
// upgraded to its provider's current schema (UpgradeResourceState: the
// attributes re-encoded with the schema, an attribute the schema lacks
// dropped, an absent one written null). Checked with real plans (e2e
// TestAttackR16g): the dependencies, create_before_destroy and
// sensitive_attributes stay the backend's even when the configuration
// drops a depends_on, a create_before_destroy or a variable's sensitivity
// (the refresh then rewrites them in tfstate). Two values may differ:
//
//   - the attributes (and attributes_flat) of an object whose schema
//     version the upgrade raised, which the provider rewrote: not
//     compared, and named in a warning;
//   - the provider of an object whose resource is in the configuration:
//     Terraform writes the configuration's provider (a resource given
//     another provider alias in the change), and plans the object's
//     changes with it. An object the plan deletes or forgets (a resource
//     removed from the configuration, whose delete runs with the provider
//     the state names) must keep the pinned state's; another's new
//     provider is named in a warning.
func sameAsPinned(pin *pinnedState, prev *planfile.State, moved map[string]string, changes []plan.Change) ([]string, error) {
	pinned := map[string]planfile.StateObject{}
	for _, o := range pin.state.Objects {
		if o.Managed {
			if to, ok := moved[o.Address]; ok {
				o.Address = to
			}
			pinned[o.Key()] = o
		}
	}
	removes := map[string]bool{}
	for _, c := range changes {
		if c.Kind == plan.KindDelete || c.Kind == plan.KindForget {
			removes[c.Address] = true
		}
	}
	var upgraded, reassigned []string
	for _, o := range prev.Objects {
		p, ok := pinned[o.Key()]
		if !o.Managed || !ok {
			continue
		}
		if o.Provider != p.Provider {
			if removes[o.Address] {
				return nil, mismatch(pin, o, fmt.Sprintf("another provider (%q)", o.Provider), fmt.Sprintf(" (%q); the plan deletes or forgets the object, whose delete runs with the provider the state names", p.Provider))
			}
			reassigned = append(reassigned, fmt.Sprintf("%s (%s, was %s)", o.Key(), o.Provider, p.Provider))
		}
		if o.SchemaVersion > p.SchemaVersion {
			upgraded = append(upgraded, o.Key())
		} else {
			if d := planfile.AttributeDiff(o.Attributes, p.Attributes); d != nil {
				what := "other attributes"
				if d[0] != "" {
					what = fmt.Sprintf("another value of attribute %q", d[0])
					if len(d) > 1 {
						what = fmt.Sprintf("other values of attributes %q", d)
					}
				}
				return nil, mismatch(pin, o, what, "")
			}
			if o.AttributesFlat != p.AttributesFlat {
				return nil, mismatch(pin, o, "other legacy attributes (attributes_flat)", "")
			}
		}
		switch {
		case o.SensitiveAttributes != p.SensitiveAttributes:
			return nil, mismatch(pin, o, "other sensitive_attributes", "")
		case o.IdentitySchemaVersion < p.IdentitySchemaVersion:
			return nil, mismatch(pin, o, fmt.Sprintf("a lower identity_schema_version (%d)", o.IdentitySchemaVersion), fmt.Sprintf(" (%d), and no upgrade lowers it", p.IdentitySchemaVersion))
		case !slices.Equal(o.Dependencies, p.Dependencies):
			return nil, mismatch(pin, o, fmt.Sprintf("other dependencies (%q)", o.Dependencies), fmt.Sprintf(" (%q)", p.Dependencies))
		case o.CreateBeforeDestroy != p.CreateBeforeDestroy:
			return nil, mismatch(pin, o, fmt.Sprintf("another create_before_destroy (%t)", o.CreateBeforeDestroy), fmt.Sprintf(" (%t)", p.CreateBeforeDestroy))
		}
	}
	var warnings []string
	if len(upgraded) > 0 {
		warnings = append(warnings, fmt.Sprintf("the attributes of %s were upgraded by the provider to a new schema version when the plan was made, so planguard did not compare them with %s: review the plan's refresh of them",
			strings.Join(upgraded, ", "), pin.name))
	}
	if len(reassigned) > 0 {
		warnings = append(warnings, fmt.Sprintf("the configuration gives %s another provider configuration than %s: the apply writes the new one into the state",
			strings.Join(reassigned, ", "), pin.name))
	}
	return warnings, nil
}

// mismatch is the StateMismatch of an object o of the plan's state before
// its refresh that has what ("another value of …") than the pinned
// state's, which detail may show.
func mismatch(pin *pinnedState, o planfile.StateObject, what, detail string) error {
	return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
		"the plan's state before its refresh (tfstate-prev) gives %s %s than %s%s: the apply would write that into the state, so the plan was made from an edited copy of the state or the plan file was edited",
		o.Key(), what, pin.name, detail)}}, stateFix)
}

// objectList lists the managed objects of s, each as "address [deposed
// key] id identity status private", sorted, with addresses renamed by
// moved. (A plan's state before its refresh keeps the state's status and
// private data; only its schema versions may be upgraded.)
func objectList(s *planfile.State, moved map[string]string) []string {
	var out []string
	for _, o := range s.Objects {
		if !o.Managed {
			continue
		}
		if to, ok := moved[o.Address]; ok {
			o.Address = to
		}
		status := o.Status
		if status == "" {
			status = "ready"
		}
		out = append(out, fmt.Sprintf("%s id %q identity %s status %s private sha256:%x", o.Key(), o.ID, o.Identity, status, sha256.Sum256([]byte(o.Private))))
	}
	slices.Sort(out)
	return out
}

func firstDifference(got, want []string) string {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return "; the plan's state lacks " + w
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			return "; the plan's state has " + g + ", which the pinned state has not"
		}
	}
	return ""
}
