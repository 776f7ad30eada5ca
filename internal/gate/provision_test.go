package gate

import (
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

func run(addr, typ, command string, kind plan.Kind) plan.ProvisionerRun {
	when := map[plan.Kind]string{plan.KindCreate: plan.WhenCreate, plan.KindDelete: plan.WhenDestroy, plan.KindReplace: plan.WhenCreateDestroy}[kind]
	return plan.ProvisionerRun{Address: addr, ConfigAddress: addr, ResourceType: "terraform_data", Kind: kind, When: when,
		Provisioner: plan.Provisioner{Type: typ, Command: command}}
}

const provisionPolicy = policySrc + `
providers = ["terraform.io/builtin/*", "registry.terraform.io/hashicorp/aws"]

allow_provisioners "housekeeping" {
  addresses = ["terraform_data.tidy*"]
  types     = ["local-exec"]
}
`

func TestProvisioners(t *testing.T) {
	f := setup(t)
	allowing, err := policy.Parse([]byte(provisionPolicy), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		pol       *policy.Policy
		runs      []plan.ProvisionerRun
		providers []string
		approvals func() []plan.Approval
		decision  Decision
		statuses  []Outcome // per provision
		required  []int
		astatus   []Status // per approval
	}{
		{name: "no provisioner", decision: Allow},
		{name: "the exploit: a create that runs a command",
			runs:     []plan.ProvisionerRun{run("terraform_data.housekeeping", "local-exec", "terraform destroy -target=terraform_data.prod_db -auto-approve", plan.KindCreate)},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}},
		{name: "approved by one",
			runs: []plan.ProvisionerRun{run("terraform_data.housekeeping", "local-exec", "echo", plan.KindCreate), run("terraform_data.housekeeping", "file", "", plan.KindCreate)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.housekeeping", approval.ActionProvision), f.alice)}
			},
			decision: Allow, statuses: []Outcome{OutcomeApproved, OutcomeApproved}, required: []int{1, 1}, astatus: []Status{StatusValid}},
		{name: "an approval for another instance does not count",
			runs: []plan.ProvisionerRun{run("terraform_data.housekeeping[1]", "local-exec", "echo", plan.KindCreate)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.housekeeping[0]", approval.ActionProvision), f.alice)}
			},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}, astatus: []Status{StatusUnused}},
		{name: "a delete approval does not approve provisioners",
			runs: []plan.ProvisionerRun{run("terraform_data.db", "local-exec", "echo", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}, astatus: []Status{StatusUnused}},
		{name: "the strictest protect rule sets the quorum",
			runs: []plan.ProvisionerRun{run("terraform_data.backup", "local-exec", "echo", plan.KindCreate)},
			approvals: func() []plan.Approval {
				// The backups rule has max_ttl: the approval states issued_at.
				st := stmt("terraform_data.backup", approval.ActionProvision)
				st.IssuedAt = "2026-11-25T11:00:00Z"
				return []plan.Approval{approve(t, st, f.alice, f.carol, f.bob)}
			},
			decision: Allow, statuses: []Outcome{OutcomeApproved}, required: []int{2}, astatus: []Status{StatusValid}},
		{name: "quorum not met",
			runs: []plan.ProvisionerRun{run("terraform_data.backup", "local-exec", "echo", plan.KindCreate)},
			approvals: func() []plan.Approval {
				// carol and dave share a key: one signer.
				st := stmt("terraform_data.backup", approval.ActionProvision)
				st.IssuedAt = "2026-11-25T11:00:00Z"
				return []plan.Approval{approve(t, st, f.carol, key{"dave@example.com", f.carol.signer})}
			},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{2}, astatus: []Status{StatusValid}},
		{name: "untrusted signer",
			runs: []plan.ProvisionerRun{run("terraform_data.housekeeping", "local-exec", "echo", plan.KindCreate)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.housekeeping", approval.ActionProvision), f.mallory)}
			},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}, astatus: []Status{StatusUntrusted}},
		{name: "identity on a provision approval",
			runs: []plan.ProvisionerRun{run("terraform_data.housekeeping", "local-exec", "echo", plan.KindCreate)},
			approvals: func() []plan.Approval {
				st := stmt("terraform_data.housekeeping", approval.ActionProvision)
				st.Identity = "x"
				return []plan.Approval{approve(t, st, f.alice)}
			},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}, astatus: []Status{StatusWrongIdentity}},
		{name: "allowed by the policy", pol: allowing,
			runs:      []plan.ProvisionerRun{run("terraform_data.tidy", "local-exec", "echo", plan.KindCreate)},
			providers: []string{"terraform.io/builtin/terraform"},
			decision:  Allow, statuses: []Outcome{OutcomeAllowed}, required: []int{0}},
		{name: "allowed type only", pol: allowing,
			runs:      []plan.ProvisionerRun{run("terraform_data.tidy", "remote-exec", "", plan.KindCreate)},
			providers: []string{"terraform.io/builtin/terraform"},
			decision:  Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}},
		{name: "allowed address only", pol: allowing,
			runs:      []plan.ProvisionerRun{run("module.x.terraform_data.tidy", "local-exec", "echo", plan.KindCreate)},
			providers: []string{"terraform.io/builtin/terraform"},
			decision:  Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}},
		{name: "removed block", runs: []plan.ProvisionerRun{run("terraform_data.old", plan.TypeRemovedBlock, "", plan.KindDelete)},
			decision: Block, statuses: []Outcome{OutcomeBlocked}, required: []int{1}},
		{name: "a listed provider", pol: allowing, providers: []string{"registry.terraform.io/hashicorp/aws", "terraform.io/builtin/terraform"}, decision: Allow},
		{name: "a provider outside the list", pol: allowing, providers: []string{"registry.terraform.io/hashicorp/external", "terraform.io/builtin/terraform"}, decision: Block},
		{name: "a provider without a name", pol: allowing, providers: []string{""}, decision: Block},
		{name: "no providers attribute: any provider", providers: []string{"registry.terraform.io/hashicorp/external"}, decision: Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pol := c.pol
			if pol == nil {
				pol = f.pol
			}
			p := &plan.Plan{Provisions: c.runs, Providers: c.providers}
			if c.approvals != nil {
				p.Approvals = c.approvals()
			}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now, Author: "agent@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Errorf("decision %s, want %s: %+v", r.Decision, c.decision, r)
			}
			if len(r.Provisioners) != len(c.runs) {
				t.Fatalf("%d provisioners reported, want %d", len(r.Provisioners), len(c.runs))
			}
			for i, pv := range r.Provisioners {
				if pv.Status != c.statuses[i] || pv.RequiredApprovals != c.required[i] {
					t.Errorf("provisioner %d: %+v, want %s %d", i, pv, c.statuses[i], c.required[i])
				}
				if pv.Blocked() && len(pv.Problems) == 0 {
					t.Errorf("provisioner %d blocked without a problem", i)
				}
			}
			for i, s := range c.astatus {
				if r.Approvals[i].Status != s {
					t.Errorf("approval %d: %+v, want %s", i, r.Approvals[i], s)
				}
			}
			if len(r.Providers) != len(c.providers) {
				t.Errorf("providers %+v", r.Providers)
			}
		})
	}
}

func TestProvisionersFailClosed(t *testing.T) {
	f := setup(t)
	for name, p := range map[string]*plan.Plan{
		"no configuration": {NoConfiguration: true},
		"unknown type":     {Provisions: []plan.ProvisionerRun{run("terraform_data.x", "chef", "", plan.KindCreate)}},
		"empty type":       {Provisions: []plan.ProvisionerRun{run("terraform_data.x", "", "", plan.KindCreate)}},
	} {
		r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now})
		if err == nil || r != nil {
			t.Errorf("%s: %+v, %v; want an error", name, r, err)
		} else if !strings.Contains(err.Error(), "provisioner") && !strings.Contains(err.Error(), "configuration") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestProvisioningPolicy(t *testing.T) {
	for _, bad := range []string{
		`allow_provisioners "x" { addresses = ["terraform_data.x"] }`,
		`allow_provisioners "x" { types = ["chef"] }`,
		"allow_provisioners \"x\" {\n types = [\"local-exec\"]\n commands = [\"echo\"]\n}",
		`allow_provisioners "x" { types = [] }`,
		"allow_provisioners \"x\" {\n types = [\"local-exec\"]\n addresses = [\"not an address [\"]\n}",
		"allow_provisioners \"x\" { types = [\"file\"] }\nallow_provisioners \"x\" { types = [\"file\"] }",
		`allow_provisioners { types = ["file"] }`,
		`providers = []`,
		`providers = "registry.terraform.io/hashicorp/aws"`,
		`providers = ["aws"]`,
		`providers = ["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]`,
	} {
		if _, err := policy.Parse([]byte(policySrc+bad), "planguard.hcl"); err == nil {
			t.Errorf("policy accepted: %s", bad)
		}
	}
	p, err := policy.Parse([]byte(policySrc+`providers = ["registry.terraform.io/hashicorp/*"]`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if !p.AllowsProvider("registry.terraform.io/hashicorp/aws") || p.AllowsProvider("registry.terraform.io/evil/aws") || p.AllowsProvider("") || !p.RestrictsProviders() {
		t.Error("provider globs")
	}
	if f := setup(t); f.pol.RestrictsProviders() || !f.pol.AllowsProvider("anything/at/all") {
		t.Error("no providers attribute must not restrict")
	}
}
