package gate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// Provisioner verdicts, as reported in Provision.Status.
const (
	ProvisionAllowed  = "allowed"  // an allow_provisioners block of the policy allows it
	ProvisionApproved = "approved" // enough valid approvals with action provision name its instance
	ProvisionBlocked  = "blocked"  // neither: it stops the apply
)

// Provision is one provisioner that applying the plan may run, and its
// verdict. The plan JSON does not say whether a provisioner runs at
// creation or at destruction, so every provisioner of a resource is listed
// for each of its instances that the plan creates, replaces or destroys.
type Provision struct {
	Address      string `json:"address"`
	ResourceType string `json:"resource_type"`
	// Type is local-exec, remote-exec, file, or removed-block (the unseen
	// destroy-time provisioners a `removed` block may declare).
	Type string `json:"type"`
	// When is the event of the change at which it may run: create,
	// destroy, or create,destroy (a replace).
	When string `json:"when"`
	// Action is the change of the instance: create, replace, delete or forget.
	Action  string `json:"action"`
	Deposed string `json:"deposed,omitempty"`
	// Command is a local-exec command as written, when it is a constant.
	Command string `json:"command,omitempty"`
	// CommandReferences are what a non-constant local-exec command refers
	// to (its value is known only at apply time).
	CommandReferences []string `json:"command_references,omitempty"`
	// Options are the local-exec arguments besides the command that change
	// what runs (interpreter, environment, working_dir), as
	// "NAME = VALUE": the interpreter runs before the command.
	Options           []string `json:"options,omitempty"`
	Status            string   `json:"status"`
	AllowedBy         []string `json:"allowed_by"`
	Rules             []string `json:"rules"`
	RequiredApprovals int      `json:"required_approvals"`
	ApprovedBy        []string `json:"approved_by"`
	Problems          []string `json:"problems"`
}

// Blocked reports whether this provisioner stops the apply.
func (p Provision) Blocked() bool { return p.Status == ProvisionBlocked }

// Provider is one provider source the plan uses and whether the policy
// allows it.
type Provider struct {
	Source  string `json:"source"`
	Allowed bool   `json:"allowed"`
}

// knownProvisioner reports whether t is a provisioner type the gate knows.
func knownProvisioner(t string) bool {
	return slices.Contains(policy.ProvisionerTypes, t)
}

// BlockedByCode reports whether the report blocks because of a
// provisioner or a provider.
func (r *Report) BlockedByCode() bool {
	for _, p := range r.Provisioners {
		if p.Blocked() {
			return true
		}
	}
	for _, p := range r.Providers {
		if !p.Allowed {
			return true
		}
	}
	return false
}

// judgeProvisioning fills r.Provisioners and r.Providers: every
// provisioner the plan will run must be allowed by the policy or approved
// (action provision, target its instance address), and every provider the
// plan uses must be one the policy lists, when it lists any. It returns an
// error, which blocks, when the plan has no configuration or names a
// provisioner type the gate does not know.
func judgeProvisioning(in Input, r *Report, byTarget map[string][]*candidate, used []bool) error {
	p := in.Plan
	if p.NoConfiguration {
		return errors.New("the plan JSON has no configuration, so the provisioners it would run are unknown; give the complete output of `terraform show -json PLANFILE`")
	}
	r.Providers = make([]Provider, 0, len(p.Providers))
	for _, src := range p.Providers {
		r.Providers = append(r.Providers, Provider{Source: src, Allowed: in.Policy.AllowsProvider(src)})
	}
	r.Provisioners = make([]Provision, 0, len(p.Provisions))
	pending := map[string][]int{} // instance address → indexes of provisions needing approval
	var order []string
	for _, run := range p.Provisions {
		if !knownProvisioner(run.Provisioner.Type) {
			return fmt.Errorf("resource %s has a provisioner of type %q, which planguard does not know (it knows %s); it cannot judge what it runs: remove it or upgrade planguard",
				run.Address, run.Provisioner.Type, strings.Join(policy.ProvisionerTypes, ", "))
		}
		pv := Provision{
			Address: run.Address, ResourceType: run.ResourceType, Type: run.Provisioner.Type,
			When: run.When, Action: string(run.Kind), Deposed: run.Deposed,
			Command: run.Provisioner.Command, CommandReferences: run.Provisioner.CommandRefs, Options: run.Provisioner.Options,
			AllowedBy: in.Policy.AllowingProvisioner(run.Address, run.Provisioner.Type),
			Rules:     []string{}, ApprovedBy: []string{}, Problems: []string{},
		}
		if run.Provisioner.Type == plan.TypeRemovedBlock {
			pv.Problems = append(pv.Problems, "the resource is no longer in the configuration; a `removed` block may declare destroy-time provisioners, which the plan JSON does not show and Terraform 1.9+ runs")
		}
		if len(pv.AllowedBy) > 0 {
			pv.Status = ProvisionAllowed
		} else {
			if _, seen := pending[run.Address]; !seen {
				order = append(order, run.Address)
			}
			pending[run.Address] = append(pending[run.Address], len(r.Provisioners))
		}
		r.Provisioners = append(r.Provisioners, pv)
	}
	for _, addr := range order {
		idx := pending[addr]
		first := r.Provisioners[idx[0]]
		req := in.Policy.ProvisionRequirement(addr, first.ResourceType)
		approvers, problem := countProvisionApprovals(in, req, byTarget[addr], r.Approvals, used)
		for _, i := range idx {
			pv := &r.Provisioners[i]
			pv.Rules = emptyIfNil(slices.Clone(req.Rules))
			pv.RequiredApprovals = req.Approvals
			pv.ApprovedBy = emptyIfNil(slices.Clone(approvers))
			if len(approvers) >= req.Approvals {
				pv.Status = ProvisionApproved
			} else {
				pv.Status = ProvisionBlocked
				pv.Problems = append(pv.Problems, problem)
			}
		}
	}
	return nil
}

// countProvisionApprovals counts the distinct trusted principals of the
// approvals with action provision among cands, and says what is missing.
func countProvisionApprovals(in Input, req policy.Requirement, cands []*candidate, reports []Approval, used []bool) ([]string, string) {
	approvers, named := countSigned(cands, approval.ActionProvision, reports, used, func(c *candidate) (string, string) {
		if c.stmt.Identity != "" {
			return StatusWrongIdentity, "an approval of provisioners binds no object identity; leave identity empty"
		}
		if req.MaxTTL > 0 {
			// The same rule as for destructive changes: a signed issued_at,
			// a signed lifetime within max_ttl, not issued in the future.
			if status, problem := ttlProblem(c, req.MaxTTL, in.Now); status != "" {
				return status, problem
			}
		}
		return "", ""
	})
	switch {
	case len(approvers) >= req.Approvals:
		return approvers, ""
	case named == 0:
		return approvers, "no approval with action provision names this instance, and no allow_provisioners block of the policy allows this provisioner"
	case len(approvers) == 0:
		return approvers, "no valid approval with action provision names this instance"
	}
	return approvers, fmt.Sprintf("%d of %d required approvals", len(approvers), req.Approvals)
}
