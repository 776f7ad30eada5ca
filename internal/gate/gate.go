// Package gate decides whether a plan may be applied: every destructive
// change to a protected resource must be covered by approvals that name it
// exactly and are signed by enough distinct trusted principals.
//
// The package does no I/O: the plan, the policy, the trust file and the clock
// are inputs, the report is the output.
package gate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/address"
	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// Status is what became of an approval, as reported.
type Status string

// Approval statuses.
const (
	StatusValid         Status = "valid"          // counted toward a change
	StatusUnused        Status = "unused"         // sound, but names no destructive change in this plan
	StatusUnknown       Status = "unknown"        // values unknown until apply: cannot be checked
	StatusInvalid       Status = "invalid"        // a field is malformed
	StatusWrongScope    Status = "wrong_scope"    // names another scope than the policy's
	StatusExpired       Status = "expired"        // expires_at has passed
	StatusBadSignature  Status = "bad_signature"  // no signature verifies over the payload
	StatusUntrusted     Status = "untrusted"      // signatures verify but allowed_signers trusts none of them
	StatusRevoked       Status = "revoked"        // a signature's key, certificate or CA is revoked (trust.revoked_keys)
	StatusWrongAction   Status = "wrong_action"   // the target changes, but by another action
	StatusWrongIdentity Status = "wrong_identity" // bound to another object than the one the plan changes
	StatusTTLExceeded   Status = "ttl_exceeded"   // signed lifetime longer than the rule's max_ttl, or issued in the future
	StatusNoIssuedAt    Status = "no_issued_at"   // the rule has max_ttl and the approval states no issued_at
	StatusWrongFrom     Status = "wrong_from"     // its from is not the previous address of the change it names
	StatusNoSigners     Status = "no_signers"     // only the author signed, or signatures did not reach quorum alone
)

// IssuedAtSkew is how far an approval's issued_at may lie after the time of
// the check, for clock differences between the signer and the gate. Under a
// rule with max_ttl, an approval issued later than now + IssuedAtSkew does
// not count.
const IssuedAtSkew = 5 * time.Minute

// Input is everything the decision depends on.
type Input struct {
	Plan   *plan.Plan
	Policy *policy.Policy
	Trust  *trust.AllowedSigners
	// Now is the time approvals and trust windows are judged at.
	Now time.Time
	// Author is the principal who proposed the change (CI sets it); their
	// signatures never count, so nobody approves their own destruction.
	Author string
	// Authors are more principals who proposed changes the plan carries
	// (a plan of a branch can hold several merges not yet applied): each
	// is excluded as Author is. Author and Authors may overlap.
	Authors []string
	// States are a saved plan's state records before and after its
	// refresh; nil for plan JSON (then resource_drift's deletes show what
	// the refresh lost).
	States *States
	// RefuseRefresh says the state is pinned and the saved plan's refresh
	// is not known to be a real one (the plan file came from someone
	// else): then an object whose id, identity or attributes the refresh
	// changed (see refreshChanged) is an error, ErrRefreshUnderPin. The
	// apply writes the refreshed state (tfstate) into the pinned state,
	// and an edit of it cannot be told from a refresh.
	RefuseRefresh bool
	// HostDirs are directories of the machine that applies the plan in
	// which no write may be allowed (hostwrites.go), besides SystemDirs.
	HostDirs []HostDir
}

// authors is every author of the input: Author, then Authors, without
// empty names or case-folded duplicates.
func (in Input) authors() []string {
	return AuthorList(in.Author, in.Authors)
}

// AuthorList is author followed by more, without empty names or duplicates
// (ignoring case, as the exclusion does); nil when there are none.
func AuthorList(author string, more []string) []string {
	var out []string
	for _, a := range append([]string{author}, more...) {
		if a != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, a) }) {
			out = append(out, a)
		}
	}
	return out
}

// Report is the outcome of a check; its JSON form is the contract of
// `planguard check --format json`.
type Report struct {
	Version  int      `json:"version"`
	Decision Decision `json:"decision"`
	Scope    string   `json:"scope"`
	Plan     PlanInfo `json:"plan"`
	Author   string   `json:"author,omitempty"`
	// Authors lists every author when the check was given more than one
	// (--author repeated); Author is then the first of them.
	Authors []string  `json:"authors,omitempty"`
	Now     time.Time `json:"checked_at"`

	// PolicySHA256 is the policy hash (policy.Policy.Hash): what
	// --policy-sha256 pins, over the policy and its trust files.
	PolicySHA256 string `json:"policy_sha256,omitempty"`
	// Warnings are findings that do not block, such as an author whom no
	// allowed_signers line names.
	Warnings []string `json:"warnings,omitempty"`

	// Provisioners and Providers: code the apply runs (see provision.go).
	// They come before the two long lists, which the json renderer streams.
	Provisioners []Provision `json:"provisioners"`
	Providers    []Provider  `json:"providers"`
	// ProviderEndpoints are the provider configurations that set where
	// the provider connects (endpoint, endpoints, address, host, *_url):
	// the apply's credentials reach whatever they name. Reported, not
	// judged: whether to block is the policy's to say.
	ProviderEndpoints []plan.ProviderEndpoint `json:"provider_endpoints,omitempty"`
	// ProviderCommands are the settings of provider configurations that
	// run a command (an exec block, credential_process, …), each blocked
	// unless a provider_exec block of the policy allows exactly its
	// command line (see exec.go).
	ProviderCommands []ProviderCommand `json:"provider_commands,omitempty"`
	// ApplyReads are the data sources read during the apply whose
	// provider runs programs, each blocked unless allow_apply_reads lists it.
	ApplyReads []ApplyRead `json:"apply_reads,omitempty"`
	// ConfigCode is what the saved plan's configuration snapshot shows of
	// code the apply runs (see applycode.go): file reads that may happen
	// only during the apply, ephemeral resources of providers that run
	// programs, and provider function calls (listed; those of providers
	// that run programs judged).
	ConfigCode []ConfigCode `json:"configuration_code,omitempty"`
	// RemoteStates are the configuration's terraform_remote_state data
	// sources, each blocked unless a remote_state block of the policy
	// allows it exactly (see remotestate.go).
	RemoteStates []RemoteState `json:"remote_states,omitempty"`
	// HostWrites are the changes of providers that write files on the
	// machine that applies the plan, each blocked unless allow_host_writes
	// allows it (see hostwrites.go).
	HostWrites []HostWrite `json:"host_writes,omitempty"`
	// ApplyTimeProviders are the provider configurations that refer to
	// resources, data sources, module outputs or locals, so that
	// Terraform may configure them only during the apply. Reported, not
	// judged.
	ApplyTimeProviders []plan.ApplyTimeProvider `json:"apply_time_providers,omitempty"`
	// RefreshDrift are the managed objects whose attributes the plan's
	// refresh changed (a saved plan's tfstate-prev to its tfstate), with
	// the names of the changed top-level attributes: what the apply writes
	// into the state besides the plan's changes. Informational without
	// Input.RefuseRefresh (a change outside Terraform and an edit of the
	// plan file's tfstate look alike); under it, any is an error instead
	// (ErrRefreshUnderPin) and no report is made.
	RefreshDrift []RefreshDrift `json:"refresh_drift,omitempty"`
	// Invocations are the actions the plan invokes (see actions.go).
	Invocations []Invocation `json:"action_invocations"`
	Changes     []Change     `json:"changes"`
	Approvals   []Approval   `json:"approvals"`
}

// PlanInfo identifies the plan that was checked.
type PlanInfo struct {
	TerraformVersion string `json:"terraform_version"`
	FormatVersion    string `json:"format_version"`
	SHA256           string `json:"sha256"`
}

// ActionMove is the action of a change that moves a protected object
// (a moved block, previous_address in the plan) to an address that the
// rules it was under do not cover. It needs their approvals, as a delete
// would: after it, nothing would protect the object.
const ActionMove = "move"

// ImportRule is the rule name reported for the protection protect_imports
// gives to a change that imports an object and destroys it.
const ImportRule = "protect_imports"

// DestroyModeRule is the rule name reported for the protection of a delete
// planned in destroy mode (terraform plan -destroy).
const DestroyModeRule = "destroy_mode"

// Subject is another address and type a change is judged under, besides
// its own: where the object was before a move, or the protected object
// whose id it imports or has.
type Subject struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	// Why: SubjectMoved, SubjectImpliedMove, SubjectImport, SubjectSameID,
	// SubjectImportIdentity or SubjectSameIdentity.
	Why string `json:"why"`
	// id is the prior id of the object found by id or identity, for the
	// policy's ids rules; "" for an address.
	id string
}

// Why a change is also judged under a subject.
const (
	SubjectMoved  = "previous_address" // the object's address before a moved block
	SubjectImport = "import_id"        // the change imports the id of this protected object
	SubjectSameID = "same_id"          // the object has the id of this protected object
	// SubjectImportIdentity and SubjectSameIdentity: the same by resource
	// identity (Terraform 1.12+).
	SubjectImportIdentity = "import_identity" // the change imports the identity of this protected object
	SubjectSameIdentity   = "same_identity"   // the object has the identity of this protected object
	// SubjectTakesID and SubjectTakesIdentity: the change creates an
	// object with the id (identity) of this protected object.
	SubjectTakesID       = "takes_id"
	SubjectTakesIdentity = "takes_identity"
	// SubjectNamesID: the change creates an object whose id the plan does
	// not know, and a known value of it (an attribute: a file's path, an
	// object's key) names the id of this protected object.
	SubjectNamesID = "names_id"
	// SubjectUnknownNames: the change creates an object of this protected
	// object's type whose id the plan does not know, and an attribute its
	// configuration sets is unknown at plan too: the apply computes it, and
	// it may name this object's id (UnknownAttribute).
	SubjectUnknownNames = "unknown_names"
)

// Change is one destructive change and its verdict.
type Change struct {
	Address         string    `json:"address"`
	PreviousAddress string    `json:"previous_address,omitempty"`
	Type            string    `json:"type"`
	Action          string    `json:"action"`
	Actions         []string  `json:"actions"`
	ActionReason    string    `json:"action_reason"`
	Deposed         string    `json:"deposed,omitempty"`
	PriorID         string    `json:"prior_id,omitempty"`
	PriorIdentity   string    `json:"prior_identity,omitempty"`
	Importing       bool      `json:"importing,omitempty"`
	ImportID        string    `json:"import_id,omitempty"`
	JudgedAs        []Subject `json:"judged_as,omitempty"`
	Deferred        bool      `json:"deferred,omitempty"`
	// Refresh is set for an object the plan's refresh lost (RefreshGone,
	// RefreshChangedID): the change is a forget of the prior object that
	// no resource change shows.
	Refresh string `json:"refresh,omitempty"`
	// TakesID is set for a change that creates an object with an id (or a
	// value of its resource identity) that an ids rule protects and that
	// its prior object, if any, did not have: the new object takes over
	// (overwrites) that protected object, so the change is judged as a
	// replace of it.
	TakesID string `json:"takes_id,omitempty"`
	// TakesIDAttribute is set when the new object's id is unknown at plan
	// and its attribute of that name (a path in after: path, tags.Name,
	// rule[0].target) has the value TakesID, which names a protected id:
	// the provider may take that object over (a file written at its path,
	// an object put at its key).
	TakesIDAttribute string `json:"takes_id_attribute,omitempty"`
	// UnknownAttribute is set when the new object's id is unknown at plan,
	// its type is that of a protected object (SubjectUnknownNames) or one
	// an ids rule names, and this attribute, which the configuration sets,
	// is unknown at plan too: at apply it may name the protected id.
	UnknownAttribute string `json:"unknown_attribute,omitempty"`
	Protected        bool   `json:"protected"`
	Verdict
}

// Approval is one planguard_approval found in the plan and what became of it.
type Approval struct {
	Address    string   `json:"address"`
	Scope      string   `json:"scope"`
	Target     string   `json:"target"`
	Action     string   `json:"action"`
	ExpiresAt  string   `json:"expires_at"`
	Identity   string   `json:"identity,omitempty"`
	From       string   `json:"from,omitempty"`
	IssuedAt   string   `json:"issued_at,omitempty"`
	Status     Status   `json:"status"`
	Principals []string `json:"principals"`
	// Certificates names the user certificates among the signatures that
	// verified (none for plain keys): which of an approver's certificates
	// signed, for revoking it by key id or serial.
	Certificates []CertificateSigner `json:"certificates,omitempty"`
	Problems     []string            `json:"problems"`
}

// CertificateSigner is a signature of an approval made with an OpenSSH user
// certificate that a cert-authority line trusts.
type CertificateSigner struct {
	Principal string `json:"principal"`
	KeyID     string `json:"key_id"`
	Serial    uint64 `json:"serial"`
	// CA is the SHA256 fingerprint of the certificate authority's key.
	CA string `json:"ca"`
}

// signer is one verified signature that may count toward a quorum.
type signer struct{ principal, fingerprint string }

// candidate is an approval whose own checks passed; matching decides the rest.
type candidate struct {
	index   int
	stmt    approval.Statement
	expires time.Time
	issued  time.Time // zero when the statement has no issued_at
	signers []signer
}

// Decide checks a plan against a policy. It fails closed: missing inputs are
// an error, and the caller must treat an error as a block.
func Decide(in Input) (*Report, error) {
	if in.Plan == nil || in.Policy == nil || in.Trust == nil {
		return nil, errors.New("gate: plan, policy and trust are all required")
	}
	if in.Now.IsZero() {
		return nil, errors.New("gate: the time of the check is not set")
	}
	r := &Report{
		Version:   1,
		Scope:     in.Policy.Scope,
		Now:       in.Now.UTC(),
		Plan:      PlanInfo{TerraformVersion: in.Plan.TerraformVersion, FormatVersion: in.Plan.FormatVersion, SHA256: in.Plan.SHA256},
		Changes:   []Change{},
		Approvals: make([]Approval, 0, len(in.Plan.Approvals)),
	}
	if all := in.authors(); len(all) > 0 {
		r.Author = all[0]
		if len(all) > 1 {
			r.Authors = all
		}
	}
	r.PolicySHA256, r.Warnings = in.Policy.Hash, warnings(in)
	r.ProviderEndpoints = in.Plan.ProviderEndpoints

	// Each approval is verified once, whatever the number of changes.
	byTarget := map[string][]*candidate{}
	for i, pa := range in.Plan.Approvals {
		a, c := checkApproval(in, pa)
		a.Principals, a.Problems = emptyIfNil(a.Principals), emptyIfNil(a.Problems)
		r.Approvals = append(r.Approvals, a)
		if c != nil {
			c.index = i
			byTarget[c.stmt.Target] = append(byTarget[c.stmt.Target], c)
		}
	}
	used := make([]bool, len(r.Approvals))
	prior := in.Plan.Prior
	byType := idsProtectedByType(in.Policy, prior, in.Plan.Changes)

	for _, pc := range in.Plan.Changes {
		for _, ch := range gateChanges(in.Policy, prior, byType, pc) {
			judge(in, &ch, pc, byTarget[pc.Address], r.Approvals, used)
			if ch.Blocked() && (ch.TakesID != "" || ch.UnknownAttribute != "") {
				ch.Problems = append(ch.Problems, takeoverProblem(ch))
			}
			r.Changes = append(r.Changes, ch)
		}
	}
	for _, pc := range in.Plan.Deferred {
		for _, ch := range gateChanges(in.Policy, prior, byType, pc) {
			ch.Deferred = true
			if ch.Protected {
				ch.block("the change is deferred: its final form is unknown, so it cannot be approved yet; apply the prerequisites first, then plan again")
			}
			r.Changes = append(r.Changes, ch)
		}
	}

	lost, why, err := refreshLost(in)
	if err != nil {
		return nil, err
	}
	r.RefreshDrift = refreshDrift(in.States)
	if in.RefuseRefresh {
		if err := refreshChanged(in.States, r.RefreshDrift); err != nil {
			return nil, err
		}
	}
	for i, pc := range lost {
		ch := refreshChange(in.Policy, prior, pc, why[i])
		judge(in, &ch, pc, byTarget[pc.Address], r.Approvals, used)
		if ch.Blocked() {
			ch.Problems = append(ch.Problems, refreshProblem(ch))
		}
		r.Changes = append(r.Changes, ch)
	}

	if err := judgeProvisioning(in, r, byTarget, used); err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	judgeActions(in, r, byTarget, used)
	judgeProviderCode(in, r)
	judgeConfigCode(in, r)
	if err := judgeRemoteStates(in, r); err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	judgeHostWrites(in, r)

	// Approvals that passed their own checks but covered nothing.
	for _, cs := range byTarget {
		for _, c := range cs {
			if !used[c.index] && r.Approvals[c.index].Status == "" {
				r.Approvals[c.index].Status = StatusUnused
				r.Approvals[c.index].Problems = append(r.Approvals[c.index].Problems, "names no destructive change in this plan")
			}
		}
	}

	r.Decision = Allow
	for _, c := range r.Changes {
		if c.Blocked() {
			r.Decision = Block
		}
	}
	if r.BlockedByCode() || r.BlockedByActions() {
		r.Decision = Block
	}
	return r, nil
}

// objectIdentity is what an approval's identity must name for pc: the
// canonical resource identity of its prior object where the plan has one
// (Terraform 1.12+), else its prior id.
func objectIdentity(pc plan.Change) string {
	if pc.Kind == plan.KindCreate {
		// A create judged as a takeover: the object it takes over.
		if pc.AfterIdentity != "" {
			return pc.AfterIdentity
		}
		return pc.AfterID
	}
	if pc.PriorIdentity != "" {
		return pc.PriorIdentity
	}
	return pc.PriorID
}

// typeOf returns the resource type written in a resource instance address,
// or fallback when the address does not parse (the policy then fails
// closed on the address).
func typeOf(addr, fallback string) string {
	if a, err := address.Parse(addr); err == nil {
		return a.Type
	}
	return fallback
}

// objectIDs returns what a policy's ids globs are matched against for an
// object: its id ("" for none) and the leaf string values of its resource
// identity in canonical form ("" for none).
func objectIDs(id, identity string) []string {
	ids := plan.IdentityValues(identity)
	if id != "" {
		ids = append(ids, id)
	}
	return ids
}

// KeepAfterString returns the filter of the values of new objects the
// gate judges (plan.Options.KeepAfterString): those that name an id an ids
// rule of p protects against a delete or a replace
// (policy.NamesProtectedID); nil when p has no ids rules. A plan read with
// it is judged as one read with every value kept.
func KeepAfterString(p *policy.Policy) func(string) bool {
	if !p.HasIDRules() {
		return nil
	}
	return p.NamesProtectedID
}

// namedIDs returns the values of pc's new object that name an id an ids
// rule protects against a delete or a replace, with their attributes: for
// a create or replace whose new object's id and identity are unknown at
// plan (plan.WantsAfterStrings); a known id is matched as such (takenIDs).
func namedIDs(p *policy.Policy, pc plan.Change) []plan.AfterString {
	if !plan.WantsAfterStrings(pc.Kind, pc.AfterID, pc.AfterIdentity) {
		return nil
	}
	var out []plan.AfterString
	for _, s := range pc.AfterStrings {
		if p.NamesProtectedID(s.Value) {
			out = append(out, s)
		}
	}
	return out
}

// KeepPrior returns the filter of the prior objects the gate looks up
// (plan.Options.KeepPrior): those a rule of p protects by address and type,
// or by id or identity (ids). A plan read with it is judged as one read
// without.
func KeepPrior(p *policy.Policy) plan.PriorFilter {
	byID := p.HasIDRules()
	return func(address, resourceType, id, identity string) bool {
		return p.Protects(address, resourceType) || byID && p.ProtectsID(objectIDs(id, identity))
	}
}

// subjects lists the other addresses a change is judged under: its
// previous address when a moved block renamed it, and every protected
// object of the prior state, under another address, whose id or identity
// the change imports or whose id or identity its object has. A prior
// object counts as protected when a rule matches its address and type or
// an ids rule its id (its identity's values are the change's own, which
// destructive matches directly).
func subjects(p *policy.Policy, pc plan.Change, prior *plan.Prior, byType map[string][]plan.PriorObject) []Subject {
	var out []Subject
	seen := map[string]bool{pc.Address: true}
	if pc.PreviousAddress != "" && pc.PreviousAddress != pc.Address {
		out = append(out, Subject{Address: pc.PreviousAddress, Type: typeOf(pc.PreviousAddress, pc.Type), Why: SubjectMoved})
		seen[pc.PreviousAddress] = true
	}
	byID := func(objs []plan.PriorObject, why string) {
		for _, o := range objs {
			if !seen[o.Address] && (p.Protects(o.Address, o.Type) || p.ProtectsID([]string{o.ID})) {
				seen[o.Address] = true
				out = append(out, Subject{Address: o.Address, Type: o.Type, Why: why, id: o.ID})
			}
		}
	}
	if pc.Importing {
		byID(prior.ByID(pc.ImportID), SubjectImport)
		byID(prior.ByIdentity(pc.ImportIdentity), SubjectImportIdentity)
	}
	byID(prior.ByID(pc.PriorID), SubjectSameID)
	byID(prior.ByIdentity(pc.PriorIdentity), SubjectSameIdentity)
	if pc.AfterID != "" && pc.AfterID != pc.PriorID {
		byID(prior.ByID(pc.AfterID), SubjectTakesID)
	}
	if pc.AfterIdentity != "" && pc.AfterIdentity != pc.PriorIdentity {
		byID(prior.ByIdentity(pc.AfterIdentity), SubjectTakesIdentity)
	}
	for _, s := range namedIDs(p, pc) {
		byID(prior.ByID(s.Value), SubjectNamesID)
	}
	if unknownNames(p, pc) != "" {
		for _, o := range byType[pc.Type] {
			if !seen[o.Address] {
				seen[o.Address] = true
				out = append(out, Subject{Address: o.Address, Type: o.Type, Why: SubjectUnknownNames, id: o.ID})
			}
		}
	}
	return out
}

// unknownNames returns the first attribute of pc's new object that its
// configuration sets and that is unknown at plan (plan.Change's
// UnknownAttributes), for a create or replace whose new object's id and
// identity are unknown at plan, when p has ids rules; "" else. Such an
// object may be any object of its type at apply: a path or key computed
// then can name a protected object's id, which namedIDs cannot see.
func unknownNames(p *policy.Policy, pc plan.Change) string {
	if len(pc.UnknownAttributes) == 0 || !p.HasIDRules() || !plan.WantsAfterStrings(pc.Kind, pc.AfterID, pc.AfterIdentity) {
		return ""
	}
	return pc.UnknownAttributes[0]
}

// idsProtectedByType returns, for each type of the changes that
// unknownNames flags, the objects of the prior state whose id an ids rule
// of p protects against a delete or a replace and that a create of that
// type may write: the objects of that type, and those whose rule lists the
// type in written_by (another type writing the same objects, as
// aws_s3_bucket_object does aws_s3_object's); nil when no change is
// flagged. A create of such a type whose configuration leaves an attribute
// unknown at plan may take any of them over.
func idsProtectedByType(p *policy.Policy, prior *plan.Prior, changes []plan.Change) map[string][]plan.PriorObject {
	types := map[string]bool{}
	for _, pc := range changes {
		if unknownNames(p, pc) != "" {
			types[pc.Type] = true
		}
	}
	if len(types) == 0 {
		return nil
	}
	out := map[string][]plan.PriorObject{}
	for _, o := range prior.Objects() {
		if o.ID == "" {
			continue
		}
		ids := []string{o.ID}
		rules := append(p.MatchID(ids, policy.ActionDelete), p.MatchID(ids, policy.ActionReplace)...)
		if len(rules) == 0 {
			continue
		}
		for t := range types {
			if policy.WrittenByType(rules, o.Type, t) {
				out[t] = append(out[t], o)
			}
		}
	}
	return out
}

// takenIDs returns the values a policy's ids globs are matched against
// for the object a create, replace or update leaves (its known after id
// and after identity) that its prior object did not have: a create over
// a protected object's id overwrites that object, which a rule by id
// matching only prior objects would miss.
func takenIDs(pc plan.Change) []string {
	switch pc.Kind {
	case plan.KindCreate, plan.KindReplace, plan.KindUpdate:
	default:
		return nil
	}
	prior := objectIDs(pc.PriorID, pc.PriorIdentity)
	var out []string
	for _, v := range objectIDs(pc.AfterID, pc.AfterIdentity) {
		if !slices.Contains(prior, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// gateChanges returns the changes the report lists for one resource
// change, with their protection requirement filled in: the destructive
// change itself (delete, replace, forget, or an update a rule guards),
// judged under its own address and every subject; and, for an object that
// a moved block carries out of the rules that protected it and that stays
// in state, a move.
func gateChanges(p *policy.Policy, prior *plan.Prior, byType map[string][]plan.PriorObject, pc plan.Change) []Change {
	var out []Change
	subs := subjects(p, pc, prior, byType)
	if s, ok := impliedMove(pc); ok && !slices.ContainsFunc(subs, func(o Subject) bool { return o.Address == s.Address }) {
		subs = append(subs, s)
	}
	if ch, ok := destructive(p, pc, subs); ok {
		out = append(out, ch)
	}
	if ch, ok := move(p, pc, subs); ok {
		out = append(out, ch)
	}
	return out
}

// newChange is the report entry of pc under action, not yet judged.
func newChange(pc plan.Change, action string, subs []Subject) Change {
	return Change{
		Address:         pc.Address,
		PreviousAddress: pc.PreviousAddress,
		Type:            pc.Type,
		Action:          action,
		Actions:         emptyIfNil(pc.Actions),
		ActionReason:    pc.ActionReason,
		Deposed:         pc.Deposed,
		PriorID:         pc.PriorID,
		PriorIdentity:   pc.PriorIdentity,
		Importing:       pc.Importing,
		ImportID:        pc.ImportID,
		JudgedAs:        subs,
		Verdict:         Verdict{Rules: []string{}, ApprovedBy: []string{}, Problems: []string{}},
	}
}

// require marks ch protected by req.
func (ch *Change) require(req policy.Requirement) {
	ch.Protected = true
	ch.Verdict.require(req)
}

// destructive reports whether pc is a destructive change the report lists
// (delete, replace, forget, or an update of attributes a rule guards).
func destructive(p *policy.Policy, pc plan.Change, subs []Subject) (Change, bool) {
	action := string(pc.Kind)
	if pc.Kind == plan.KindCreate {
		// A create is listed only when it takes over a protected object.
		return takeover(p, pc, subs)
	}
	if !pc.Kind.Destructive() && pc.Kind != plan.KindUpdate {
		return Change{}, false
	}
	attrs := pc.ChangedAttributes
	req, protected := p.Require(pc.Address, pc.Type, action, attrs)
	under := func(r policy.Requirement, ok bool) bool {
		if ok {
			req.Merge(r)
			protected = true
		}
		return ok
	}
	// The object the change leaves may take over a protected one.
	var taken taking
	if t, ok := takenBy(p, pc, subs); ok {
		req.Merge(t.req)
		protected, taken = true, t
	}
	// ids rules follow the object: its prior id and identity, and what an
	// import in this plan brings under this address.
	under(p.RequireID(objectIDs(pc.PriorID, pc.PriorIdentity), action, attrs))
	identified := false
	if pc.Importing {
		identified = under(p.RequireID(objectIDs(pc.ImportID, pc.ImportIdentity), action, attrs))
	}
	for _, s := range subs {
		under(p.Require(s.Address, s.Type, action, attrs))
		if s.id != "" {
			under(p.RequireID([]string{s.id}, action, attrs))
		}
		identified = identified || (s.Why != SubjectMoved && s.Why != SubjectImpliedMove)
	}
	if pc.Importing && pc.Kind.Destructive() && !identified && p.ProtectImports {
		// An imported object destroyed in the same plan: the gate cannot
		// tell which real object that is, so the strictest rule applies.
		strict := p.Strictest()
		strict.Rules = []string{ImportRule}
		req.Merge(strict)
		protected = true
	}
	if destroyMode(pc) {
		// Terraform and OpenTofu apply moved blocks in the refresh before a
		// destroy plan and then list its deletes under the new addresses,
		// with no previous_address: the object may have been any protected
		// one, so the strictest rule applies. Nothing in the plan can rule
		// that out: the configuration snapshot in a saved plan can be
		// edited without changing what the apply destroys.
		strict := p.Strictest()
		strict.Rules = []string{DestroyModeRule}
		req.Merge(strict)
		protected = true
	}
	if pc.Kind == plan.KindUpdate && !protected {
		// An update is destructive only when a rule says which attributes matter.
		return Change{}, false
	}
	ch := newChange(pc, action, subs)
	ch.TakesID, ch.TakesIDAttribute, ch.UnknownAttribute = taken.id, taken.attr, taken.unknown
	if protected {
		inPolicyOrder(p, req.Rules)
		ch.require(req)
	}
	return ch, true
}

// taking is what a change's new object takes over: the requirement of the
// rules that protect the id, the id, and the attribute of the new object
// that names it when its own id is unknown ("" else).
type taking struct {
	req  policy.Requirement
	id   string
	attr string
	// unknown is the attribute of the new object that its configuration
	// sets and the plan does not know, when the change is judged as a
	// takeover for it (SubjectUnknownNames, or an ids rule naming its type).
	unknown string
}

// takenBy returns what pc's new object takes over, when it takes over a
// protected object: an id or identity value of it (takenIDs) that an ids
// rule protects against a delete or a replace, a value of its attributes
// that names such an id while its own id is unknown (namedIDs), or a
// protected prior object with its id or identity, or named so
// (SubjectTakesID, SubjectTakesIdentity, SubjectNamesID), whose rules
// count as for a replace of that object.
func takenBy(p *policy.Policy, pc plan.Change, subs []Subject) (taking, bool) {
	var t taking
	found := false
	for _, s := range namedIDs(p, pc) {
		for _, action := range []string{policy.ActionDelete, policy.ActionReplace} {
			if r, ok := p.RequireNamedID(s.Value, action); ok {
				t.req.Merge(r)
				found = true
				if t.id == "" {
					t.id, t.attr = s.Value, s.Attribute
				}
			}
		}
	}
	for _, v := range takenIDs(pc) {
		for _, action := range []string{policy.ActionDelete, policy.ActionReplace} {
			if r, ok := p.RequireID([]string{v}, action, nil); ok {
				t.req.Merge(r)
				found = true
				if t.id == "" {
					t.id = v
				}
			}
		}
	}
	// Which protected objects an unknown attribute may name: an id
	// approval can bind only when there is exactly one.
	unknownIDs := 0
	if attr := unknownNames(p, pc); attr != "" {
		for _, action := range []string{policy.ActionDelete, policy.ActionReplace} {
			for _, r := range p.MatchIDType(pc.Type, action) {
				t.req.Merge(policy.RequirementOf([]*policy.Rule{r}))
				found, t.unknown = true, attr
				unknownIDs = 2 // a rule by type: any id
			}
		}
		for _, s := range subs {
			if s.Why == SubjectUnknownNames {
				t.unknown = attr
				unknownIDs++
			}
		}
	}
	for _, s := range subs {
		if s.Why != SubjectTakesID && s.Why != SubjectTakesIdentity && s.Why != SubjectNamesID && s.Why != SubjectUnknownNames {
			continue
		}
		if s.Why == SubjectUnknownNames && unknownIDs != 1 {
			// Judged under its rules, but an approval cannot bind the one
			// object the apply may take over.
			for _, action := range []string{policy.ActionDelete, policy.ActionReplace} {
				if r, ok := p.Require(s.Address, s.Type, action, nil); ok {
					t.req.Merge(r)
					found = true
				}
				if r, ok := p.RequireID([]string{s.id}, action, nil); ok {
					t.req.Merge(r)
					found = true
				}
			}
			continue
		}
		for _, action := range []string{policy.ActionDelete, policy.ActionReplace} {
			if r, ok := p.Require(s.Address, s.Type, action, nil); ok {
				t.req.Merge(r)
				found = true
			}
			if s.id != "" {
				if r, ok := p.RequireID([]string{s.id}, action, nil); ok {
					t.req.Merge(r)
					found = true
				}
			}
		}
		if found && t.id == "" {
			t.id = s.id
			if t.id == "" {
				t.id = pc.AfterIdentity
			}
		}
	}
	return t, found
}

// takeover is the report entry of a create that takes over a protected
// object (see takenBy): a replace of it, under its rules.
func takeover(p *policy.Policy, pc plan.Change, subs []Subject) (Change, bool) {
	t, ok := takenBy(p, pc, subs)
	if !ok {
		return Change{}, false
	}
	ch := newChange(pc, policy.ActionReplace, subs)
	ch.TakesID, ch.TakesIDAttribute, ch.UnknownAttribute = t.id, t.attr, t.unknown
	inPolicyOrder(p, t.req.Rules)
	ch.require(t.req)
	return ch, true
}

// takeoverProblem says what a blocked takeover is.
func takeoverProblem(c Change) string {
	if c.UnknownAttribute != "" && c.TakesIDAttribute == "" {
		verb := "creates"
		if len(c.Actions) > 1 {
			verb = "replaces"
		}
		var ids []string
		for _, s := range c.JudgedAs {
			if s.Why == SubjectUnknownNames {
				ids = append(ids, fmt.Sprintf("%q (%s)", s.id, s.Address))
			}
		}
		what := "the id of any protected object of type " + c.Type
		if len(ids) > 0 {
			what = "the protected object's id " + strings.Join(ids, " or ")
		}
		return fmt.Sprintf("the plan %s %s, whose new object's id is unknown until the apply; attribute %s of the new object is unknown at plan and the configuration sets it: "+
			"at apply it could name %s, and the provider would take over (overwrite) that object, so the change counts as a replace of it; "+
			"make %s known at plan (no reference to values computed at apply, such as another new object's id), or have this change approved as action replace of %s",
			verb, c.Address, c.UnknownAttribute, what, c.UnknownAttribute, c.Address)
	}
	if c.TakesIDAttribute != "" {
		verb := "creates"
		if len(c.Actions) > 1 {
			verb = "replaces"
		}
		return fmt.Sprintf("the plan %s %s, whose new object's id is unknown until the apply, and its attribute %s = %q names the protected id: "+
			"the provider may take over (overwrite) that object, so the change counts as a replace of it; "+
			"if the attribute only refers to the protected object (the gate cannot tell a reference from a name), have this change approved as action replace of %s; "+
			"otherwise give the new object another %s", verb, c.Address, c.TakesIDAttribute, c.TakesID, c.Address, c.TakesIDAttribute)
	}
	return fmt.Sprintf("the plan creates %s with the id %q of a protected object: creating it takes over (overwrites) that object, so it counts as a replace of it; "+
		"give the new object another id, or have it approved as action replace of %s", c.Address, c.TakesID, c.Address)
}

// inPolicyOrder sorts rule names as the policy lists the rules, the names
// that are no rule of it (protect_imports, destroy_mode) after them.
func inPolicyOrder(p *policy.Policy, names []string) {
	pos := func(n string) int {
		if i := slices.IndexFunc(p.Rules, func(r *policy.Rule) bool { return r.Name == n }); i >= 0 {
			return i
		}
		return len(p.Rules)
	}
	slices.SortStableFunc(names, func(a, b string) int { return pos(a) - pos(b) })
}

// destroyMode reports whether pc is a delete planned in destroy mode: the
// only delete of a current object that Terraform and OpenTofu plan without
// an action_reason (a normal plan says why it deletes: no configuration,
// count or each key, no module, no move target).
func destroyMode(pc plan.Change) bool {
	return pc.Kind == plan.KindDelete && pc.ActionReason == "" && pc.Deposed == "" && pc.PreviousAddress == ""
}

// move reports whether pc carries an object out of rules that protected it
// at its previous address: a moved block, with the object kept in state
// (no-op or update) at an address those rules do not cover.
func move(p *policy.Policy, pc plan.Change, subs []Subject) (Change, bool) {
	// subjects puts the previous address first, with its type, when the
	// object moved.
	if len(subs) == 0 || subs[0].Why != SubjectMoved || (pc.Kind != plan.KindNoOp && pc.Kind != plan.KindUpdate) {
		return Change{}, false
	}
	var left []*policy.Rule
	// ids rules stay with the object wherever it moves.
	now := append(p.RulesFor(pc.Address, pc.Type), p.RulesForID(objectIDs(pc.PriorID, pc.PriorIdentity))...)
	for _, r := range p.RulesFor(subs[0].Address, subs[0].Type) {
		if !slices.Contains(now, r) {
			left = append(left, r)
		}
	}
	if len(left) == 0 {
		return Change{}, false
	}
	ch := newChange(pc, ActionMove, subs)
	ch.require(policy.RequirementOf(left))
	return ch, true
}

// judge counts the approvals naming a protected change.
func judge(in Input, ch *Change, pc plan.Change, cands []*candidate, reports []Approval, used []bool) {
	if !ch.Protected {
		// Approving an unprotected change is harmless; it is not "unused".
		for _, c := range withAction(cands, ch.Action) {
			used[c.index] = true
			setStatus(&reports[c.index], StatusValid, "")
		}
		return
	}
	id := objectIdentity(pc)
	if id == "" && pc.Kind == plan.KindCreate {
		// A create whose id is unknown, judged by the protected id an
		// attribute names: an approval binds that id.
		id = ch.TakesID
	}
	quorum(&ch.Verdict, cands, reports, used, wanting{"no approval names this change", "no valid approval names this change"}, func(c *candidate) (Status, string) {
		switch {
		case c.stmt.Action != ch.Action:
			return StatusWrongAction, fmt.Sprintf("approves %s, but the plan will %s %s", c.stmt.Action, ch.Action, ch.Address)
		case c.stmt.Identity != "" && c.stmt.Identity != id:
			return StatusWrongIdentity, fmt.Sprintf("bound to object %q, but the plan changes object %q", c.stmt.Identity, id)
		case ch.RequireIdentity && (c.stmt.Identity == "" || id == ""):
			return StatusWrongIdentity, "the policy requires the approval to bind the object's prior identity (its resource identity where the plan has one, else its id), and it does not"
		case c.stmt.From != pc.PreviousAddress:
			return StatusWrongFrom, fromProblem(c.stmt.From, pc.PreviousAddress, ch.Address)
		case ch.MaxTTL > 0:
			return ttlProblem(c, ch.MaxTTL, in.Now)
		}
		return "", ""
	})
}

// fromProblem says why an approval's from does not match the change's
// previous address.
func fromProblem(from, previous, address string) string {
	switch {
	case previous == "":
		return fmt.Sprintf("approves the object moved from %s, but the plan does not move %s", from, address)
	case from == "":
		return fmt.Sprintf("the plan moves %s from %s, and the approval does not name that previous address (from)", address, previous)
	}
	return fmt.Sprintf("approves the object moved from %s, but the plan moves %s from %s", from, address, previous)
}

// ttlProblem applies a rule's max_ttl to a candidate: it counts only with an
// issued_at, a signed lifetime (expires_at - issued_at) of at most maxTTL,
// and an issued_at no later than now + IssuedAtSkew. It returns the status
// and problem when the candidate does not count, else "".
func ttlProblem(c *candidate, maxTTL time.Duration, now time.Time) (Status, string) {
	if c.issued.IsZero() {
		return StatusNoIssuedAt, fmt.Sprintf("the policy's max_ttl of %s counts only approvals that state when they were issued, and this one has no issued_at: "+
			"sign a new approval with issued_at and an expires_at at most %s later ('planguard approve' sets issued_at)", maxTTL, maxTTL)
	}
	if life := c.expires.Sub(c.issued); life > maxTTL {
		return StatusTTLExceeded, fmt.Sprintf("issued at %s and valid until %s, %s, longer than the policy's max_ttl of %s: sign a new approval with --expires %s or less",
			c.stmt.IssuedAt, c.stmt.ExpiresAt, life, maxTTL, maxTTL)
	}
	if c.issued.After(now.Add(IssuedAtSkew)) {
		return StatusTTLExceeded, fmt.Sprintf("issued_at %s lies after the time of the check %s by more than the %s allowed for clock skew: "+
			"check the signer's clock and sign a new approval", c.stmt.IssuedAt, now.UTC().Format(time.RFC3339), IssuedAtSkew)
	}
	return "", ""
}

func setStatus(a *Approval, status Status, problem string) {
	// The first failing change decides the status; a use elsewhere makes it valid.
	if a.Status == StatusValid {
		return
	}
	if status == StatusValid {
		a.Status = StatusValid
		return
	}
	if a.Status == "" {
		a.Status = status
	}
	if problem != "" {
		a.Problems = append(a.Problems, problem)
	}
}

// checkApproval verifies what can be verified about an approval alone:
// fields, scope, expiry and signatures.
func checkApproval(in Input, pa plan.Approval) (Approval, *candidate) {
	a := Approval{Address: pa.Address, Scope: pa.Scope, Target: pa.Target, Action: pa.Action, ExpiresAt: pa.ExpiresAt, Identity: pa.Identity,
		From: pa.From, IssuedAt: pa.IssuedAt}
	fail := func(status Status, problem string) (Approval, *candidate) {
		a.Status = status
		a.Problems = append(a.Problems, problem)
		return a, nil
	}
	if !pa.Known {
		return fail(StatusUnknown, "its values are unknown until apply, so its signatures cannot be checked: use literal values")
	}
	st := pa.Statement
	if err := st.Validate(); err != nil {
		return fail(StatusInvalid, err.Error())
	}
	if st.Scope != in.Policy.Scope {
		return fail(StatusWrongScope, fmt.Sprintf("names scope %q; this policy's scope is %q", st.Scope, in.Policy.Scope))
	}
	expires, _ := approval.ParseExpiry(st.ExpiresAt)
	if !in.Now.Before(expires) {
		return fail(StatusExpired, fmt.Sprintf("expired at %s", st.ExpiresAt))
	}
	c := &candidate{stmt: st, expires: expires}
	if st.IssuedAt != "" {
		c.issued, _ = approval.ParseIssuedAt(st.IssuedAt) // Validate checked it
	}
	var badKind Status
	authors := in.authors()
	authorKeys := map[string]string{} // fingerprint → the author allowed_signers lists it for
	for _, au := range authors {
		for fp := range in.Trust.KeysOf(au) {
			if _, ok := authorKeys[fp]; !ok {
				authorKeys[fp] = au
			}
		}
	}
	isAuthor := func(p string) (string, bool) {
		for _, au := range authors {
			if strings.EqualFold(p, au) {
				return au, true
			}
		}
		return "", false
	}
	for _, s := range pa.Signatures {
		// Case folded: excluding a near-match of the author is the safe side.
		if _, ok := isAuthor(s.Principal); ok {
			a.Problems = append(a.Problems, fmt.Sprintf("%s is the change's author and cannot approve it", s.Principal))
			if badKind == "" {
				badKind = StatusNoSigners
			}
			continue
		}
		v, err := approval.VerifySignature(st, s.Principal, s.Signature, in.Trust, in.Now)
		if err != nil {
			a.Problems = append(a.Problems, err.Error())
			var se *approval.SignatureError
			if errors.As(err, &se) && (badKind == "" || badKind == StatusNoSigners) {
				badKind = Status(se.Kind)
			}
			continue
		}
		if v.Certificate != nil {
			// A certificate that also names an author is the author's,
			// whichever of its principals the signature claims.
			author := ""
			for _, p := range v.Certificate.Principals {
				if au, ok := isAuthor(p); ok {
					author = au
					break
				}
			}
			if author != "" {
				a.Problems = append(a.Problems, fmt.Sprintf("%s signed with certificate %q (serial %d), which also names the change's author %s, who cannot approve it", s.Principal, v.Certificate.KeyID, v.Certificate.Serial, author))
				if badKind == "" {
					badKind = StatusNoSigners
				}
				continue
			}
		}
		if author, ok := authorKeys[v.Fingerprint]; ok {
			// An author's own key, trusted under another name too (a
			// wildcard line, or the key listed twice): still the author.
			a.Problems = append(a.Problems, fmt.Sprintf("%s signed with key %s, which allowed_signers lists for the change's author %s, who cannot approve it", s.Principal, v.Fingerprint, author))
			if badKind == "" {
				badKind = StatusNoSigners
			}
			continue
		}
		c.signers = append(c.signers, signer{principal: v.Principal, fingerprint: v.Fingerprint})
		a.Principals = append(a.Principals, v.Principal)
		if v.Certificate != nil {
			a.Certificates = append(a.Certificates, CertificateSigner{Principal: v.Principal, KeyID: v.Certificate.KeyID, Serial: v.Certificate.Serial, CA: v.Certificate.CA})
		}
	}
	if len(c.signers) == 0 {
		if badKind == "" {
			badKind = StatusNoSigners
			a.Problems = append(a.Problems, "has no signatures")
		}
		a.Status = badKind
		return a, nil
	}
	return a, c
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// CheckApprovals verifies approvals on their own, without a plan: fields,
// scope, expiry and signatures against the trust file. Sound approvals get
// StatusValid; whether they cover a change only a plan can tell.
func CheckApprovals(pol *policy.Policy, trust *trust.AllowedSigners, now time.Time, authors []string, approvals []plan.Approval) ([]Approval, error) {
	if pol == nil || trust == nil || now.IsZero() {
		return nil, errors.New("gate: policy, trust and time are all required")
	}
	in := Input{Plan: &plan.Plan{}, Policy: pol, Trust: trust, Now: now, Authors: authors}
	out := make([]Approval, 0, len(approvals))
	for _, pa := range approvals {
		a, c := checkApproval(in, pa)
		if c != nil {
			a.Status = StatusValid
		}
		a.Principals, a.Problems = emptyIfNil(a.Principals), emptyIfNil(a.Problems)
		out = append(out, a)
	}
	return out, nil
}
