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
	Options []string `json:"options,omitempty"`
	// Verdict: OutcomeAllowed by an allow_provisioners block, or
	// OutcomeApproved by approvals with action provision naming its
	// instance, else OutcomeBlocked.
	Verdict
}

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
// provisioner, a provider, a provider command, a data source read during
// the apply or a write on the machine that applies the plan.
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
	return r.BlockedByProviderCode() || r.BlockedByHostWrites()
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
			Verdict: Verdict{AllowedBy: in.Policy.AllowingProvisioner(run.Address, run.Provisioner.Type), Rules: []string{}, ApprovedBy: []string{}, Problems: []string{}},
		}
		if run.Provisioner.Type == plan.TypeRemovedBlock {
			pv.Problems = append(pv.Problems, "the resource is no longer in the configuration; a `removed` block may declare destroy-time provisioners, which the plan JSON does not show and Terraform 1.9+ runs")
		}
		if len(pv.AllowedBy) > 0 {
			pv.Status = OutcomeAllowed
		} else {
			if _, seen := pending[run.Address]; !seen {
				order = append(order, run.Address)
			}
			pending[run.Address] = append(pending[run.Address], len(r.Provisioners))
		}
		r.Provisioners = append(r.Provisioners, pv)
	}
	// The provisioners of one instance are approved together.
	for _, addr := range order {
		idx := pending[addr]
		var v Verdict
		v.require(in.Policy.ProvisionRequirement(addr, r.Provisioners[idx[0]].ResourceType))
		quorum(&v, withAction(byTarget[addr], approval.ActionProvision), r.Approvals, used, wanting{
			"no approval with action provision names this instance, and no allow_provisioners block of the policy allows this provisioner",
			"no valid approval with action provision names this instance",
		}, noIdentityTTL(&v, in.Now, "provisioners"))
		for _, i := range idx {
			pv := &r.Provisioners[i]
			own := pv.Verdict // its allowed_by (none) and its own problems
			pv.Verdict = v
			pv.AllowedBy, pv.Problems = own.AllowedBy, append(own.Problems, v.Problems...)
			pv.Rules, pv.ApprovedBy = slices.Clone(v.Rules), slices.Clone(v.ApprovedBy)
		}
	}
	return nil
}
