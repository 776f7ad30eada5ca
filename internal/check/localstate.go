package check

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"slices"

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
func comparePinned(pin *pinnedState, states *gate.States, changes []plan.Change) error {
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
				return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
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
		return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
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
			return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
				"the plan's state before its refresh (tfstate-prev) has %s at schema_version %d, lower than %d in %s: no upgrade lowers it",
				o.Key(), o.SchemaVersion, v, pin.name)}}, stateFix)
		}
	}
	return nil
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
