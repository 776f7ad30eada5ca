// Package check is the gate as a service: one call that reads a plan,
// decides it against a policy (internal/gate) and records the decision.
// Every front door calls it: the CLI's check and apply, the agent hook, and
// the planned runner (a Unix socket) and serve (an HCP Terraform run task).
// It loads nothing by itself: the policy and trust (LoadPolicy), the clock,
// the author and the plan source are the caller's.
package check

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// PlanSource says where the plan comes from.
type PlanSource struct {
	// Path is the plan JSON (`terraform show -json`), or a binary saved
	// plan (then `terraform show -json` runs on a private copy), or "-"
	// for plan JSON on Stdin.
	Path  string
	Stdin io.Reader
	// TerraformBin, Getenv choose the binary for a saved plan
	// (tfexec.Find: TerraformBin, else $PLANGUARD_TERRAFORM, else
	// terraform). Getenv nil means os.Getenv.
	TerraformBin string
	Getenv       func(string) string
	// Dir is where `terraform show` runs ("" = the current directory).
	Dir string
	// Env is the whole environment of `terraform show`; nil means the
	// process's own.
	Env []string
	// StateEnv is the whole environment of reading the pinned backend's
	// state (`terraform init` and `state pull` in a directory holding
	// only the policy's backend, under a state block of a backend other
	// than local); nil means Env.
	StateEnv []string
	// RefreshTrusted says the caller made the saved plan itself, where
	// nobody else could change the file (planguard runner): its refresh
	// is then a real one, and refresh drift under a state pin is only
	// reported. Without it, under a state pin, a refresh that changed a
	// managed object is an error (gate.Input.RefuseRefresh): the plan
	// file is its author's, and an edit of its refreshed state cannot be
	// told from a refresh. The CLI never sets it.
	RefreshTrusted bool
}

// Request is one check.
type Request struct {
	// Policy and Trust are what LoadPolicy returned.
	Policy *policy.Policy
	Trust  *trust.AllowedSigners
	Plan   PlanSource
	// StatePinnedElsewhere says the front door judged the policy's state
	// block itself (serve: the run's organization and workspace), so plan
	// JSON is not refused for want of the saved plan's backend.
	StatePinnedElsewhere bool
	// Apply says planguard applies the plan after this check: a saved
	// plan is then shown in a room built from the plan alone (tfexec.Room;
	// Result.Room, which the caller cleans up and applies in), and no file
	// of the working directory is read. Without Apply, a saved plan is
	// shown in such a room only when the policy sets lock_file (or Room).
	Apply bool
	// Room says a saved plan is shown in a room built from the plan alone
	// even without lock_file (the plan's own lock file, judged against the
	// policy's providers list), not in the working directory, whose
	// installed provider builds the change's author chose: the check holds
	// a secret (planguard check --attest signs with the gate's key).
	Room bool
	// Now is the time approvals are judged at (required: a zero time is an
	// error, since every approval would be unexpired then).
	Now time.Time
	// Author proposed the change: their signatures do not count ("" = nobody).
	Author string
	// Authors are more principals who proposed changes in the plan (a plan
	// of a branch can carry several merges not yet applied); none of their
	// signatures count either (gate.Input.Authors).
	Authors []string
}

// authors is Author and Authors (gate.AuthorList).
func (r Request) authors() []string { return gate.AuthorList(r.Author, r.Authors) }

// Result is a check's outcome.
type Result struct {
	// Report is the gate's decision; Report.Decision is gate.Allow or gate.Block.
	Report *gate.Report
	// Plan is the plan read (Plan.SHA256 is the hash of its file).
	Plan *plan.Plan
	// PolicySHA256 is the policy hash (policy and trust files) decided under.
	PolicySHA256 string
	// Room is, for Request.Apply, where the saved plan was shown and is
	// to be applied; the caller cleans it up.
	Room *tfexec.Room
	// StatePinned says the decision was made under a pinned state: the
	// policy's state block, judged against the saved plan, or
	// Request.StatePinnedElsewhere. Without it the change's author chose
	// the state the plan was judged against (and an apply would write).
	StatePinned bool
	// ProvidersPinned says the policy decided under pins the providers a
	// saved plan may run (ProvidersPinned: lock_file or providers).
	ProvidersPinned bool
}

// Checker runs checks. The zero value checks and records nothing.
type Checker struct {
	// Audit receives one record per check, allowed, blocked or failed
	// (nil = no audit).
	Audit AuditWriter
	// Logger receives debug logs (nil = none).
	Logger hclog.Logger
	// Clock stamps audit records (nil = time.Now). The judging time is
	// Request.Now.
	Clock func() time.Time
	// Version is the planguard build that decides, recorded in every audit
	// record ("" = not recorded).
	Version string
}

// Check reads the plan, decides it and writes the audit record. An error
// means the check failed (which blocks: exit 2); it is recorded in the
// audit too. A failure to write the audit record is an error, and then the
// result is not returned: a decision that is not recorded does not count.
// The context bounds `terraform show` for a saved plan.
func (c *Checker) Check(ctx context.Context, req Request) (*Result, error) {
	res, err := c.check(ctx, req)
	if err != nil {
		_ = c.AuditErrorAuthors(req.authors(), err) // the check's error is the one to report
		return nil, err
	}
	if c.Audit != nil {
		if err := c.Audit.WriteAudit(c.stamp(NewRecordAuthors(c.now(), req.authors(), res))); err != nil {
			return nil, err
		}
		c.log().Debug("audit record written")
	}
	return res, nil
}

// AuditError records a check that failed before or inside Check (a bad
// flag, an unreadable policy), with decision "error".
func (c *Checker) AuditError(author string, checkErr error) error {
	return c.AuditErrorAuthors(gate.AuthorList(author, nil), checkErr)
}

// AuditErrorAuthors is AuditError for a check with several authors.
func (c *Checker) AuditErrorAuthors(authors []string, checkErr error) error {
	if c.Audit == nil {
		return nil
	}
	rec := Record{Time: c.now().UTC(), Decision: DecisionError, Error: checkErr.Error(), Changes: []Change{}}
	rec.setAuthors(authors)
	return c.Audit.WriteAudit(c.stamp(rec))
}

func (c *Checker) check(ctx context.Context, req Request) (*Result, error) {
	if req.Policy == nil || req.Trust == nil {
		return nil, errNoPolicy
	}
	if req.Now.IsZero() {
		// A zero time would find every approval unexpired.
		return nil, errNoTime
	}
	log := c.log()
	pol := req.Policy
	log.Debug("policy", "scope", pol.Scope, "rules", len(pol.Rules), "signers", len(req.Trust.Entries))
	// GateOnly: the gate judges deletes, replaces, forgets, updates, moves
	// and imports; not keeping other creates and no-ops, nor unprotected
	// prior objects, keeps memory flat on huge plans.
	src := req.Plan
	pins := &pinner{ctx: ctx, req: req}
	p, err := plan.Read(src.Path, plan.Options{TerraformBin: src.TerraformBin, Getenv: src.Getenv, Stdin: src.Stdin, Logger: log, GateOnly: true, KeepPrior: gate.KeepPrior(pol), KeepAfterString: gate.KeepAfterString(pol), HostWriter: pol.WritesHost, Dir: src.Dir, Env: src.Env, Context: ctx,
		BeforeShow: pins.beforeShow})
	keepRoom := false
	defer func() {
		if !keepRoom {
			pins.room.Cleanup()
		}
	}()
	var mismatch *policy.StateMismatch
	var untrusted *lockfile.Untrusted
	var envErr *tfexec.EnvError
	var notAllowed *ProviderNotAllowed
	var codeRefused *gate.SnapshotCodeRefused
	var unlocked *tfexec.UnlockedProviderError
	switch {
	case errors.As(err, &mismatch), errors.As(err, &untrusted), errors.As(err, &envErr), errors.As(err, &notAllowed), errors.As(err, &codeRefused), errors.Is(err, ErrProvidersNotPinned):
		return nil, err // their hints say what to do
	case errors.Is(err, planfile.ErrLoadTime):
		return nil, err // its hint says what to do
	case errors.As(err, &unlocked):
		return nil, hint.With(err, "plan again with 'terraform init' and 'terraform plan -out', and check and apply only the plan file the plan job wrote, unedited")
	case errors.Is(err, plan.ErrEdited):
		return nil, hint.With(err, "plan again, and check and apply only the plan file the plan job wrote, unedited")
	case errors.Is(err, plan.ErrShow) && pins.room == nil:
		// Without lock_file (and without --attest) a saved plan is shown
		// where planguard runs: Terraform needs the providers installed there.
		return nil, hint.With(err, "without lock_file in the policy planguard runs 'terraform show' in the working directory, which must be the initialized directory the plan was made in; "+
			"in a job that holds only the plan file, add lock_file = \"FILE\" (a reviewed .terraform.lock.hcl) to the policy: planguard then shows the plan in its own directory built from the plan (docs/guides/policy.md, \"Pinning provider binaries\")")
	case errors.Is(err, plan.ErrShow):
		return nil, hint.With(err, "terraform show failed in the directory planguard built from the saved plan (its configuration snapshot and lock file, installed with the job's provider installation): read Terraform's message above; the job's CLI configuration must be able to install the providers the plan's lock file names")
	case err != nil:
		return nil, hint.With(err, "pass the file written by 'terraform plan -out FILE', or the output of 'terraform show -json FILE'")
	}
	if p.Saved == nil && pol.State != nil && !req.StatePinnedElsewhere {
		return nil, hint.With(ErrPlanJSONUnderStatePin, "pass the saved plan ('terraform plan -out FILE'), not its JSON")
	}
	log.Debug("plan read", "changes", len(p.Changes), "approvals", len(p.Approvals), "sha256", p.SHA256)
	if p.Saved != nil && pol.LockFilePath != "" {
		if err := checkUsedLocked(pol, p.Saved, p.Providers); err != nil {
			return nil, err
		}
	}
	var pinWarnings []string
	if p.Saved != nil {
		if pins.states == nil {
			return nil, errors.New("internal error: the saved plan's states were not read")
		}
		if pins.pinned != nil {
			if pinWarnings, err = comparePinned(pins.pinned, pins.states, p.Changes); err != nil {
				return nil, err
			}
		}
	}
	refuseRefresh := pol.State != nil && p.Saved != nil && !req.StatePinnedElsewhere && !src.RefreshTrusted
	if p.Saved != nil {
		if pins.states == nil {
			return nil, errors.New("internal error: the saved plan's state records were not read before its show")
		}
		if err := gate.CheckDeletePrivate(p.Saved.Deletes, pins.states.Prior, refuseRefresh); err != nil {
			return nil, err
		}
	}
	if refuseRefresh {
		if err := refuseImports(p.Changes); err != nil {
			return nil, err
		}
	}
	// The directories no write on this machine may be allowed in, read
	// only for a plan that writes here (its HostWrites are the policy's
	// host writers').
	var dirs []gate.HostDir
	if len(p.HostWrites) > 0 {
		if dirs, err = hostDirs(src.Getenv, pol, src, pins.room); err != nil {
			return nil, err
		}
	}
	rep, err := gate.Decide(gate.Input{Plan: p, Policy: pol, Trust: req.Trust, Now: req.Now, Author: req.Author, Authors: req.Authors, States: pins.states, HostDirs: dirs,
		RefuseRefresh: refuseRefresh})
	if err != nil {
		return nil, err
	}
	rep.Warnings = append(rep.Warnings, pinWarnings...)
	if !req.StatePinnedElsewhere {
		if w := pol.State.LocalPathWarning(); w != "" {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	statePinned := req.StatePinnedElsewhere || (pol.State != nil && p.Saved != nil)
	if p.Saved != nil && !statePinned {
		rep.Warnings = append(rep.Warnings, StateNotPinnedWarning)
	}
	if p.Saved != nil && pol.LockFilePath == "" {
		rep.Warnings = append(rep.Warnings, notPinnedWarning)
	}
	if gitLabManagedState(pol) {
		rep.Warnings = append(rep.Warnings, GitLabStateWarning)
	}
	res := &Result{Report: rep, Plan: p, PolicySHA256: pol.Hash, StatePinned: statePinned, ProvidersPinned: ProvidersPinned(pol)}
	if req.Apply {
		res.Room, keepRoom = pins.room, true
	}
	return res, nil
}

func (c *Checker) now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

func (c *Checker) log() hclog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return hclog.NewNullLogger()
}

// stamp records the deciding build in rec.
func (c *Checker) stamp(rec Record) Record {
	rec.Version = c.Version
	return rec
}
