// Package plan reads the JSON form of a saved Terraform or OpenTofu plan
// (`terraform show -json PLANFILE`) and extracts what the planguard gate
// needs: every managed resource change, classified into a Kind, the planned
// planguard_approval instances, deferred changes and drift.
//
// The reader is strict and fails closed: anything it cannot fully understand
// (malformed JSON, trailing data, duplicate keys, an unknown format version or
// action, an errored plan) is an error, never an empty plan.
//
// It is also streaming: a strict hand-written scanner reads the JSON once
// through a fixed window (hashing it and checking its UTF-8 on a second
// goroutine), builds only what the gate needs, one resource change at a
// time, and validates everything else without building it, so memory use
// does not grow with the size of planned_values, prior_state or
// configuration (and, with GateOnly, not with the number of unchanged
// resources either). The reference it is tested against, planref.DecodeFull
// (the whole plan decoded into terraform-json's tfjson.Plan), is not part of
// the binary: only tests, fuzzers and benchmarks import package planref.
package plan

import "github.com/planguard/terraform-provider-planguard/internal/plan/planformat"

// The plan and its parts (see package planformat).
type (
	// Plan is what the gate needs from one plan.
	Plan = planformat.Plan
	// Change is one managed resource change.
	Change = planformat.Change
	// Kind is the classification of one resource change.
	Kind = planformat.Kind
	// Approval is the planned value of one planguard_approval instance.
	Approval = planformat.Approval
	// Signature is one signature of a planguard_approval.
	Signature = planformat.Signature
	// Prior is the set of prior objects the gate matches changes against.
	Prior = planformat.Prior
	// PriorObject is one object of the prior state.
	PriorObject = planformat.PriorObject
	// AfterString is a known string value of a new object (see
	// Change.AfterStrings).
	AfterString = planformat.AfterString
	// Provisioner is one provisioner block of a resource.
	Provisioner = planformat.Provisioner
	// ProvisionerRun is a provisioner that applying the plan may run.
	ProvisionerRun = planformat.ProvisionerRun
	// ProviderEndpoint is a provider configuration that names where the
	// provider connects.
	ProviderEndpoint = planformat.ProviderEndpoint
	// ProviderCommand is a setting of a provider configuration that runs
	// a command.
	ProviderCommand = planformat.ProviderCommand
	// ApplyRead is a data source read during the apply.
	ApplyRead = planformat.ApplyRead
	// RemoteState is a terraform_remote_state data source of the
	// configuration.
	RemoteState = planformat.RemoteState
	// HostWrite is a change that may write a file on the machine that
	// applies the plan.
	HostWrite = planformat.HostWrite
	// ApplyTimeProvider is a provider configuration that refers to what
	// may be unknown until the apply.
	ApplyTimeProvider = planformat.ApplyTimeProvider
	// ActionInvocation is one action the plan invokes.
	ActionInvocation = planformat.ActionInvocation
	// ConfigCode is code of the configuration snapshot the apply runs.
	ConfigCode = planformat.ConfigCode
)

// The kinds of resource change (see planformat.Classify).
const (
	KindCreate  = planformat.KindCreate
	KindDelete  = planformat.KindDelete
	KindReplace = planformat.KindReplace
	KindUpdate  = planformat.KindUpdate
	KindForget  = planformat.KindForget
	KindNoOp    = planformat.KindNoOp
	KindRead    = planformat.KindRead
)

// Values of ProvisionerRun.When and Type, and of ActionInvocation.Trigger.
const (
	WhenCreate        = planformat.WhenCreate
	WhenDestroy       = planformat.WhenDestroy
	WhenCreateDestroy = planformat.WhenCreateDestroy
	TypeRemovedBlock  = planformat.TypeRemovedBlock
	TriggerInvoke     = planformat.TriggerInvoke
	TriggerLifecycle  = planformat.TriggerLifecycle
)

// Kinds of ConfigCode.
const (
	CodeFileRead         = planformat.CodeFileRead
	CodeEphemeral        = planformat.CodeEphemeral
	CodeProviderFunction = planformat.CodeProviderFunction
	CodeUnreadable       = planformat.CodeUnreadable
)

// Errors that Decode and Read wrap, for errors.Is (see planformat; and
// ErrShow).
var (
	ErrNotAPlan          = planformat.ErrNotAPlan
	ErrMalformed         = planformat.ErrMalformed
	ErrUnsupportedFormat = planformat.ErrUnsupportedFormat
	ErrErrored           = planformat.ErrErrored
	ErrEdited            = planformat.ErrEdited
)

// PriorFilter says whether a reader keeps one managed object of the prior
// state in Plan.Prior, given its address, resource type, id ("" for none)
// and resource identity in canonical form ("" for none; see
// planformat.IdentityValues for its values). It runs once for every such
// object of the state, so it must not retain what it is given.
type PriorFilter func(address, resourceType, id, identity string) bool

// HostWritePathAttributes are the attributes that name the file a change
// writes (see planformat.HostWritePathAttributes).
var HostWritePathAttributes = planformat.HostWritePathAttributes

// IdentityValues returns the leaf string values of a canonical resource
// identity (see planformat.IdentityValues).
func IdentityValues(canonical string) []string { return planformat.IdentityValues(canonical) }

// NewPrior returns the set of objs, for plans built by hand (tests).
func NewPrior(objs []PriorObject) *Prior { return planformat.NewPrior(objs) }

// WantsAfterStrings reports whether a reader with KeepAfterString collects
// a change's AfterStrings (see planformat.WantsAfterStrings).
func WantsAfterStrings(kind Kind, afterID, afterIdentity string) bool {
	return planformat.WantsAfterStrings(kind, afterID, afterIdentity)
}
