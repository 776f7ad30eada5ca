package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// The pins of a saved plan, judged from its archive before any tool runs on
// it: the policy's state block (which state the plan was made against and
// the apply writes) and lock_file (which provider builds may run), and an
// environment that cannot run providers past the lock file. The backend
// block, override files, the lock file and provider installation are the
// change author's; these take them back.

// ErrPlanJSONUnderStatePin is the error for plan JSON under a policy state
// block: the JSON does not record the backend.
var ErrPlanJSONUnderStatePin = errors.New("the policy has a state block, which is judged from the saved plan's own records, but the plan given is JSON (which does not record the backend)")

// ErrImportUnderPin is the error for a saved plan, under a policy state
// pin and not made by planguard runner, that imports an object.
var ErrImportUnderPin = errors.New("the plan imports objects into the pinned state")

// importFix says what to do about ErrImportUnderPin.
const importFix = "import through 'planguard runner', which plans and applies in one job; or have a person with the production credentials apply the import " +
	"(a plan with only the import blocks, reviewed and applied as usual), then plan the change again without them"

// refuseImports returns an ErrImportUnderPin error naming the objects the
// changes import, or nil when they import none. An imported object's
// values (every attribute but its id, and its private data) are what the
// provider's import and read returned, which the plan file records and
// planguard cannot derive from anything: neither the pinned state nor the
// import change shows them, and the apply writes them into the pinned
// state, where a later plan acts on them (a delete deletes what an edited
// path or private data names).
func refuseImports(changes []plan.Change) error {
	var addrs []string
	for _, c := range changes {
		if c.Importing {
			addrs = append(addrs, c.Address)
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	return hint.With(fmt.Errorf("%w: %s. The imported object's values (every attribute but its id, and the provider's private data) come only from the plan file, which planguard cannot check against anything, "+
		"and applying the plan writes them into the pinned state, where a later plan acts on them (a delete deletes the object an edited path or private data names)",
		ErrImportUnderPin, strings.Join(addrs, ", ")), importFix)
}

// notPinnedWarning is the report warning for a saved plan checked without
// lock_file.
const notPinnedWarning = "provider binaries were not pinned: the policy has no lock_file, so which provider builds run for this plan (in the check and in the apply) is chosen by the lock file and provider installation of the change's author; add lock_file = \"FILE\" with a reviewed .terraform.lock.hcl (docs/guides/policy.md, \"Pinning provider binaries\")"

// StateNotPinnedWarning is the report warning for a saved plan checked
// without a state block: planguard apply refuses such a policy.
const StateNotPinnedWarning = "the state was not pinned: the policy has no state block, so which state this plan was judged against (and an apply of it writes) is the backend, configuration and workspace the change's author chose; planguard apply refuses this policy: add state { backend = \"...\", config = { ... } } naming the production backend (docs/guides/policy.md, \"Pinning the state\")"

// GitLabStateWarning is the report warning for a policy whose state block
// pins GitLab-managed Terraform state (gitLabManagedState).
const GitLabStateWarning = "the pinned state is GitLab-managed Terraform state (an http backend at .../api/v4/projects/.../terraform/state/...): the CI_JOB_TOKEN of any pipeline a maintainer starts (the default branch's plan job after their merge, Run pipeline on a merge request, a merge train) can write it, so the change's code can remove objects from it or swap their ids around the gate; keep the production state where only the apply job's credential can write it, or protect objects by ids (docs/guides/gitlab.md, \"The production state is writable only by the apply job's credential\")"

// gitLabStateAddress matches the address of GitLab-managed Terraform state.
var gitLabStateAddress = regexp.MustCompile(`/api/v4/projects/[^/]+/terraform/state/`)

// gitLabManagedState says the policy's state block pins an http backend
// whose address is GitLab-managed Terraform state.
func gitLabManagedState(pol *policy.Policy) bool {
	if pol.State == nil || pol.State.Backend != "http" {
		return false
	}
	var addr string
	if err := json.Unmarshal(pol.State.Config["address"], &addr); err != nil {
		return false
	}
	return gitLabStateAddress.MatchString(addr)
}

// pinner judges one request's saved plan (plan.Options.BeforeShow) and
// builds the room its show runs in.
type pinner struct {
	ctx  context.Context
	req  Request
	room *tfexec.Room
	// states are the saved plan's state records; pinned is the state the
	// policy pins (nil without a state block), read before the show.
	states *gate.States
	pinned *pinnedState
}

func (p *pinner) beforeShow(saved *planfile.File, pinnedPath string) (*tfexec.Room, error) {
	req, pol := p.req, p.req.Policy
	lookup := tfexec.Lookup(req.Plan.Env)
	if req.Plan.Env == nil && req.Plan.Getenv != nil {
		lookup = req.Plan.Getenv
	}
	lockPinned := pol.LockFilePath != ""
	if req.Room && !req.Apply {
		// The check holds a secret (the gate's signing key): no provider
		// build the change's author chose may start beside it.
		if err := RequireProviderPinToAttest(pol, pol.Filename); err != nil {
			return nil, err
		}
	}
	if err := tfexec.CheckEnv(lookup, lockPinned); err != nil {
		return nil, hint.With(err, "run planguard (and terraform) with the job's own CLI configuration: an explicit provider_installation, no dev_overrides")
	}
	// The providers the plan's lock file names are the builds the room's
	// init installs and its show starts (and, without lock_file, the
	// change's author chose them): judged against the policy's providers
	// list before anything runs.
	if err := checkLockedProviders(pol, saved); err != nil {
		return nil, err
	}
	if err := checkState(pol, saved, req.StatePinnedElsewhere); err != nil {
		return nil, err
	}
	// The room's init, show and apply evaluate the snapshot's
	// configuration with this job's credentials and files around: its
	// reads of the host's files (and what planguard cannot read for code)
	// are refused before any of them runs, not judged after the show.
	inRoom := lockPinned || req.Apply || req.Room
	if inRoom {
		if err := gate.RefuseSnapshotCode(pol, plan.SnapshotCode(pinnedPath)); err != nil {
			return nil, hint.With(err, "read files of the configuration only (a relative path, or path.module/...), or list the blocks whose reads are intended in the policy's allow_apply_file_reads; then plan again")
		}
	}
	states, err := readStates(pinnedPath)
	if err != nil {
		return nil, err
	}
	p.states = states
	if !req.StatePinnedElsewhere {
		if p.pinned, err = readPinnedState(p.ctx, req, saved); err != nil {
			return nil, err
		}
	}
	lock := saved.LockFile
	if lockPinned {
		if pol.LockFile == nil {
			return nil, fmt.Errorf("internal error: policy %s names lock_file %s but it was not read (policy.Load reads it)", pol.Filename, pol.LockFilePath)
		}
		trusted, err := lockfile.Parse(pol.LockFile, pol.LockFilePath)
		if err != nil {
			return nil, err
		}
		if err := lockfile.Check(trusted, saved.Locks, nil, "the saved plan"); err != nil {
			return nil, hint.With(err, "init with the reviewed lock file ("+pol.LockFilePath+") and plan again; a provider upgrade needs the trusted lock file updated through review first")
		}
		if !req.Apply {
			if err := checkWorkdirLock(trusted, req.Plan.Dir); err != nil {
				return nil, err
			}
		}
	}
	// The room gets the plan's own lock file, now known to lock only
	// trusted versions and hashes: Terraform applies a saved plan only with
	// exactly the lock file it was made with (hashes included), so the
	// trusted file itself, which may list more hashes (other platforms),
	// would be refused.
	if !inRoom {
		return nil, nil // show where the plan was made, as before
	}
	room, err := tfexec.NewRoom(p.ctx, tfexec.RoomOptions{Bin: tfexec.Find(req.Plan.TerraformBin, req.Plan.Getenv), PlanPath: pinnedPath, LockFile: lock, Env: req.Plan.Env, Workspace: saved.Backend.Workspace})
	if err != nil {
		return nil, err
	}
	p.room = room
	return room, nil
}

// ProviderNotAllowed is the error for a saved plan whose lock file (or
// state store) names a provider outside the policy's providers list: it is
// refused before the show, so that the provider does not run in the check
// or the apply at all (gate.Decide judges the providers the plan uses only
// after Terraform has shown it, by which time they have run).
type ProviderNotAllowed struct {
	// Policy is the policy's file name.
	Policy string
	// Sources are the providers at fault, sorted.
	Sources []string
}

func (e *ProviderNotAllowed) Error() string {
	return fmt.Sprintf("the saved plan names provider(s) the policy %s does not allow (not in its providers list): %s; refused before any provider or terraform command ran (nothing was shown or applied)",
		e.Policy, strings.Join(e.Sources, ", "))
}

// checkLockedProviders judges the providers of the saved plan's own lock
// file, and of its state store, against the policy's providers list when
// it has one. The lock file is what `terraform init` wrote where the plan
// was made: every provider the configuration and its state require, each
// of which the show starts. Terraform runs no provider for a saved plan
// that its lock file does not lock (init -lockfile=readonly and show
// refuse an unlocked requirement), except under dev_overrides, which only
// the job's own CLI configuration can set (CheckEnv); those the report
// judges after the show.
func checkLockedProviders(pol *policy.Policy, saved *planfile.File) error {
	if !pol.RestrictsProviders() {
		return nil
	}
	var bad []string
	for src := range saved.Locks {
		if !pol.AllowsProvider(lockfile.Normalize(src)) {
			bad = append(bad, src)
		}
	}
	if sp := saved.Backend.Provider; sp != nil && sp.Source != "" {
		src := lockfile.Normalize(sp.Source)
		if _, locked := saved.Locks[src]; !locked && !pol.AllowsProvider(src) {
			bad = append(bad, src)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return hint.With(&ProviderNotAllowed{Policy: pol.Filename, Sources: bad},
		"remove the provider from the configuration (and its lock entry from .terraform.lock.hcl: init again) and plan again, or, if it is reviewed and wanted, add it to the policy's providers list through review")
}

// checkState judges the saved plan's backend against the policy's state
// block.
func checkState(pol *policy.Policy, saved *planfile.File, elsewhere bool) error {
	if pol.State == nil || elsewhere {
		return nil
	}
	b := saved.Backend
	fix := "plan against the pinned state (the policy's state block, " + pol.State.Range.String() + "): the backend block, backend_override.tf, -backend-config and the workspace decide it"
	if b.StateStore {
		return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf("the plan's state comes from a state_store block of type %q, the policy's state.backend is %q", b.Type, pol.State.Backend)}}, fix)
	}
	if err := pol.State.Check(b.Type, []byte(b.Config), b.Workspace); err != nil {
		return hint.With(err, fix)
	}
	return nil
}

// checkUsedLocked checks, once the plan is read, that every provider it
// uses (its provider configurations and the providers of its changes;
// plan.Plan.Providers) is locked in the saved plan's lock file, which
// beforeShow found to lock only trusted builds: a provider Terraform ran
// for the plan without a lock entry was not pinned. The built-in provider
// is never locked.
func checkUsedLocked(pol *policy.Policy, saved *planfile.File, providers []string) error {
	trusted, err := lockfile.Parse(pol.LockFile, pol.LockFilePath)
	if err != nil {
		return err
	}
	var used []string
	for _, p := range providers {
		if p == "" || strings.HasPrefix(p, "terraform.io/builtin/") {
			continue
		}
		used = append(used, p)
	}
	if err := lockfile.Check(trusted, saved.Locks, used, "the saved plan"); err != nil {
		return hint.With(err, "init with the reviewed lock file ("+pol.LockFilePath+"), which must lock every provider the configuration and its state use, and plan again")
	}
	return nil
}

// checkWorkdirLock checks the lock file of the directory the plan was made
// in (dir, "" = the current one), when there is one: a later `terraform
// apply` there would run what it locks.
func checkWorkdirLock(trusted lockfile.Locks, dir string) error {
	path := filepath.Join(dir, ".terraform.lock.hcl")
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	got, err := lockfile.Parse(src, path)
	if err != nil {
		return err
	}
	if err := lockfile.Check(trusted, got, nil, "the working directory ("+path+")"); err != nil {
		return hint.With(err, "restore the reviewed lock file in the working directory and init again")
	}
	return nil
}
