package planformat

import "github.com/planguard/terraform-provider-planguard/internal/planfile"

import "github.com/planguard/terraform-provider-planguard/internal/approval"

// Kind is the classification of one resource change.
type Kind string

// The kinds of resource change. See Classify for how the actions of a
// resource change map to them.
const (
	// KindCreate is a new object: actions ["create"].
	KindCreate Kind = "create"
	// KindDelete destroys an object: actions ["delete"] (removal from
	// configuration, count/for_each shrink, destroy plans, deposed objects).
	KindDelete Kind = "delete"
	// KindReplace destroys an object and creates a new one: actions
	// ["delete","create"] or ["create","delete"].
	KindReplace Kind = "replace"
	// KindUpdate changes an object in place: actions ["update"].
	KindUpdate Kind = "update"
	// KindForget removes an object from state without destroying it:
	// actions ["forget"] or ["create","forget"].
	KindForget Kind = "forget"
	// KindNoOp leaves an object as it is: actions ["no-op"].
	KindNoOp Kind = "no-op"
	// KindRead reads a data source: actions ["read"].
	KindRead Kind = "read"
)

// Destructive reports whether k is delete, replace or forget (update is
// destructive only per policy attributes).
func (k Kind) Destructive() bool {
	switch k {
	case KindDelete, KindReplace, KindForget:
		return true
	}
	return false
}

// GateRelevant reports whether the gate judges c: a delete, replace, forget
// or update, a change of an object that moved (it may leave a protected
// address), an import, or a create whose object's id or identity the plan
// knows, or one of whose known values names a protected id (AfterStrings:
// it may take over a protected object), or one of whose attributes the
// configuration sets and the plan does not know (UnknownAttributes).
func (c *Change) GateRelevant() bool {
	return c.Kind.Destructive() || c.Kind == KindUpdate || c.PreviousAddress != "" || c.Importing ||
		c.Kind == KindCreate && (c.AfterID != "" || c.AfterIdentity != "" || len(c.AfterStrings) > 0 || len(c.UnknownAttributes) > 0)
}

// Change is one managed resource change, slimmed to what the gate needs. It
// keeps no before/after objects, so that memory stays flat on large plans.
type Change struct {
	// Address is the resource instance address, e.g. module.data.terraform_data.db["a"].
	Address string
	// PreviousAddress is the address before a moved block renamed it, else "".
	PreviousAddress string
	// ModuleAddress is the module instance address, "" for the root module.
	ModuleAddress string
	// Type is the resource type, e.g. terraform_data.
	Type string
	// Name is the resource name in its module.
	Name string
	// ProviderName is the provider source address, e.g. terraform.io/builtin/terraform.
	ProviderName string
	// Deposed is the deposed object key, if this change is for a deposed object.
	Deposed string
	// Actions are the raw actions as in the JSON, e.g. ["delete","create"].
	Actions []string
	// Kind is the classification of Actions.
	Kind Kind
	// ActionReason is Terraform's action_reason (for deferred changes: the
	// deferral reason).
	ActionReason string
	// PriorID is before["id"] when it is a string, else "".
	PriorID string
	// Importing is set when the change also imports an existing object into
	// state (change.importing is present: an import block).
	Importing bool
	// ImportID is change.importing.id, the id the import names, or "".
	ImportID string
	// PriorIdentity is the canonical form (see CanonicalIdentity) of
	// change.before_identity, the prior object's resource identity
	// (Terraform 1.12+), or "" when the plan has none. Where present it is
	// the object's identity; PriorID is the fallback.
	PriorIdentity string
	// ImportIdentity is the canonical form of change.importing.identity,
	// the identity an import names (Terraform 1.12+), or "".
	ImportIdentity string
	// AfterID is after["id"] when it is a known string, else "": the id
	// the object will have, when the plan knows it.
	AfterID string
	// AfterIdentity is the canonical form of change.after_identity, the
	// resource identity the object will have (Terraform 1.12+), or "".
	AfterIdentity string
	// AfterStrings, for a create or a replace whose new object's id and
	// identity are unknown at plan or absent (AfterID and AfterIdentity
	// both ""; see WantsAfterStrings), are the known string values of
	// after, at any depth, and the keys of its maps (any member name
	// below the top level, as the JSON cannot tell a map from an
	// object: the Attribute then ends in that key), that the reader's filter
	// (plan.Options.KeepAfterString) kept, sorted by Attribute, then
	// Value; nil without a filter or when it kept none. The gate matches
	// them against ids rules: a new object whose path, key or name is a
	// protected object's id may take that object over.
	AfterStrings []AfterString
	// UnknownAttributes, for a change of resource_changes whose
	// AfterStrings a reader with a filter collects (WantsUnknownAttributes),
	// are the sorted top-level attributes of after that the configuration
	// sets (configuration…resources[].expressions, following module_calls)
	// and that after_unknown marks wholly or partly unknown: a value the
	// apply computes from the configuration, which may then name any id
	// (a path, a key). Attributes the configuration does not set (id, arn)
	// are not listed. WholeObject stands for a wholly unknown object; a
	// change whose resource the configuration does not show lists every
	// unknown attribute. nil without a filter or when none.
	//
	// An attribute that may be a block (after_unknown marks it unknown
	// inside a list or an object, or after_sensitive shows it as a list or
	// an object) counts as set by the configuration even when its
	// expressions do not show it: the plan JSON leaves dynamic blocks out
	// of expressions, and such a block may set it.
	UnknownAttributes []string
	// UnknownNested is a reader's note for ConfigInfo.Finish, which clears
	// it: the unknown attributes (of UnknownAttributes before it is
	// narrowed) that may be blocks a dynamic block writes (Structured).
	UnknownNested []string
	// ChangedAttributes, for KindUpdate and KindReplace, are the sorted
	// top-level attribute names whose before and after values differ, or
	// whose after value is (wholly or partly) unknown. Changes of
	// sensitivity alone are ignored.
	ChangedAttributes []string
}

// Signature is one signature of a planguard_approval, as planned.
type Signature struct {
	// Principal names the signer, as in an allowed_signers file.
	Principal string
	// Signature is the armored SSHSIG signature.
	Signature string
}

// Approval is the planned value of one planguard_approval resource instance.
type Approval struct {
	// Address is the approval's resource instance address.
	Address string
	// Kind is the approval's own change kind (create, no-op, update, replace).
	Kind Kind
	// Known is false when any of scope, target, action, reason, expires_at,
	// identity, from, issued_at or signatures is (wholly or partly) unknown
	// in the plan. The unknown fields are then left empty.
	Known bool
	// Statement holds the planned values of the signed attributes ("" when
	// null, or absent as from and issued_at are in plans made with a
	// provider version that lacks them), as written: not validated.
	approval.Statement
	// Signatures are the planned signatures, in plan order.
	Signatures []Signature
}

// ApprovalType is the resource type (planguard_approval) whose instances are reported as Approvals.
const ApprovalType = "planguard_approval"

// Plan is what the gate needs from one plan.
type Plan struct {
	// FormatVersion is the JSON format_version, e.g. "1.2".
	FormatVersion string
	// TerraformVersion is the version of Terraform or OpenTofu that wrote the JSON.
	TerraformVersion string
	// SHA256 is the hex SHA-256 of the JSON bytes read, or of the binary
	// saved plan file when plan.Read was given one.
	SHA256 string
	// Errored is never true in a returned plan: an errored plan is an error.
	Errored bool
	// Changes are all managed resource changes (approvals included), in
	// file order. Data sources are never listed.
	Changes []Change
	// Approvals are the managed planguard_approval instances whose change
	// has an after object (create, no-op, update, replace). An approval
	// that is only being deleted or forgotten is not listed.
	Approvals []Approval
	// Deferred are the managed changes from deferred_changes (Terraform
	// 1.9+), with the deferral reason in ActionReason.
	Deferred []Change
	// Drift are the managed changes from resource_drift (changes made
	// outside Terraform), for context only.
	Drift []Change
	// Prior are the managed objects in prior_state (the state the plan was
	// made from) that have a string id or a resource identity; with
	// plan.Options.KeepPrior only those it keeps; nil when none. The gate
	// uses them to recognise a protected object under another address (an
	// import of its id or identity, or a change of an object with the same
	// id or identity).
	Prior *Prior
	// NoConfiguration is true when the plan JSON has no configuration (or
	// no configuration.root_module): then its provisioners are unknown and
	// the gate refuses the plan.
	NoConfiguration bool
	// Provisioned are the configuration's resources that have
	// provisioners, sorted by address (see config.go).
	Provisioned []ConfigResource
	// Provisions are the provisioners that applying the plan may run, in
	// resource_changes order.
	Provisions []ProvisionerRun
	// ActionInvocations are the plan's action_invocations (Terraform
	// 1.14+): provider-defined actions the apply runs, in plan order.
	ActionInvocations []ActionInvocation
	// Saved is what a binary saved plan records beside its JSON: the
	// backend (or state store) and its configuration, the workspace, the
	// planning mode and the dependency lock file. nil when the plan was
	// read as JSON.
	Saved *planfile.File
	// ProviderEndpoints are the provider configurations that set an
	// endpoint-like argument (see EndpointArgument), sorted by name; nil
	// when none.
	ProviderEndpoints []ProviderEndpoint
	// ProviderCommands are the settings of provider configurations that
	// run a command (see ProviderCommands), sorted by configuration and
	// setting; nil when none.
	ProviderCommands []ProviderCommand
	// ApplyReads are the data sources read during the apply
	// (resource_changes of mode data with action read), in plan order;
	// nil when none.
	ApplyReads []ApplyRead
	// ConfigCode is what the saved plan's configuration snapshot shows of
	// code the apply runs that the JSON does not (see ConfigCode), sorted
	// by file and line; nil for plan JSON and when there is none.
	ConfigCode []ConfigCode
	// RemoteStates are the configuration's terraform_remote_state data
	// sources (see RemoteState), sorted by address; nil when none.
	RemoteStates []RemoteState
	// HostWrites are the resource changes and apply-time data source
	// reads of providers that may write files on the machine that applies
	// the plan (see hostwrites.go), in plan order; with
	// plan.Options.HostWriter only those of the providers it selects; nil
	// when none.
	HostWrites []HostWrite
	// ApplyTimeProviders are the provider configurations whose arguments
	// refer to resources, data sources, module outputs or locals (so that
	// Terraform may configure them only during the apply), sorted by
	// name; nil when none.
	ApplyTimeProviders []ApplyTimeProvider
	// Providers are the provider source addresses the plan uses, sorted
	// and distinct: every provider_config full_name and every
	// provider_name of resource_changes, resource_drift,
	// deferred_changes and action_invocations. "" stands for a provider configuration without a
	// full_name.
	Providers []string
}

// Trigger values of an ActionInvocation.
const (
	// TriggerInvoke: `terraform apply -invoke` (invoke_action_trigger).
	TriggerInvoke = "invoke"
	// TriggerLifecycle: a resource's lifecycle action_trigger
	// (lifecycle_action_trigger).
	TriggerLifecycle = "lifecycle"
)

// ActionInvocation is one action the plan invokes (Terraform 1.14+): a
// provider-defined operation with side effects outside any resource change.
type ActionInvocation struct {
	// Address is the action's address, e.g. action.aws_lambda_invoke.notify
	// or module.ops.action.aws_ec2_stop_instance.db[0].
	Address string
	// Type is the action type, e.g. aws_ec2_stop_instance.
	Type string
	// Name is the action's name.
	Name string
	// ProviderName is the provider source address.
	ProviderName string
	// Trigger is TriggerInvoke or TriggerLifecycle.
	Trigger string
	// TriggeringResource and Event are, for TriggerLifecycle, the address
	// of the resource whose change triggers the action and the event
	// (e.g. after_create).
	TriggeringResource, Event string
}
