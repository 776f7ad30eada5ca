package gate

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

const identityPolicySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "prod-db" {
  addresses        = ["aws_db_instance.prod"]
  require_identity = true
}
`

// The prod database's resource identity in the hand-built fixtures.
const prodIdentity = `{"account_id":"123456789012","identifier":"prod-db","region":"eu-west-1"}`

func readHandbuilt(t *testing.T, name string) *plan.Plan {
	t.Helper()
	p, err := plan.Read(filepath.Join("..", "plan", "testdata", "handbuilt", name), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIdentityBindsApprovals: where the plan has a resource identity
// (Terraform 1.12+), require_identity and an approval's identity name it in
// its canonical form; the prior id no longer binds such an object.
func TestIdentityBindsApprovals(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, identityPolicySrc)
	for _, tc := range []struct {
		name, identity string
		allow          bool
	}{
		{"canonical identity", prodIdentity, true},
		{"no identity under require_identity", "", false},
		{"the prior id instead of the identity", "db-ABC123", false},
		{"another object's identity", `{"account_id":"123456789012","identifier":"reports-db","region":"eu-west-1"}`, false},
		{"the identity not canonical", `{"region":"eu-west-1","account_id":"123456789012","identifier":"prod-db"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := readHandbuilt(t, "identity_1_12.json")
			st := stmt("aws_db_instance.prod", "delete")
			st.Identity = tc.identity
			p.Approvals = []plan.Approval{approve(t, st, f.alice)}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			c, ok := find(r, "aws_db_instance.prod", "delete")
			if !ok || !c.Protected || c.PriorIdentity != prodIdentity || c.PriorID != "db-ABC123" {
				t.Fatalf("change %+v", c)
			}
			// (The decision also blocks on the removed-block provisioners
			// a Terraform 1.9+ delete may run: see TestProvisioners.)
			if c.Approved != tc.allow {
				t.Errorf("approved %v, want %v: %+v %+v", c.Approved, tc.allow, c, r.Approvals)
			}
			if !tc.allow && r.Approvals[0].Status != StatusWrongIdentity {
				t.Errorf("approval status %s, want %s", r.Approvals[0].Status, StatusWrongIdentity)
			}
		})
	}
	// Without an identity in the plan, the prior id stays the binding.
	p := &plan.Plan{Changes: []plan.Change{{Address: "aws_db_instance.prod", Type: "aws_db_instance", Kind: plan.KindDelete, Actions: []string{"delete"},
		ActionReason: "delete_because_no_resource_config", PriorID: "db-ABC123"}}, TerraformVersion: "1.8.5"}
	st := stmt("aws_db_instance.prod", "delete")
	st.Identity = "db-ABC123"
	p.Approvals = []plan.Approval{approve(t, st, f.alice)}
	if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("id fallback: %v %+v", err, r)
	}
}

// TestIdentityFollowsTheObject: the protected object is recognised by its
// identity under another address: imported there by identity (no id), or
// an object there whose identity is its.
func TestIdentityFollowsTheObject(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, identityPolicySrc)
	p := readHandbuilt(t, "identity_import_1_12.json")
	r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := find(r, "aws_db_instance.copy", "replace")
	if !ok || !c.Protected || !slices.Equal(c.Rules, []string{"prod-db"}) || r.Decision != Block {
		t.Fatalf("import by identity of the protected object: %+v, decision %s", c, r.Decision)
	}
	whys := map[string]bool{}
	for _, s := range c.JudgedAs {
		if s.Address == "aws_db_instance.prod" {
			whys[s.Why] = true
		}
	}
	if !whys[SubjectImportIdentity] {
		t.Errorf("JudgedAs = %+v", c.JudgedAs)
	}

	// Identity alone, and id alone, each find the object.
	prior := []plan.PriorObject{{Address: "aws_db_instance.prod", Type: "aws_db_instance", ID: "db-ABC123", Identity: prodIdentity}}
	for name, pc := range map[string]plan.Change{
		"same identity, other id": {PriorIdentity: prodIdentity, PriorID: "other"},
		"import by identity":      {Importing: true, ImportIdentity: prodIdentity},
		"import by id":            {Importing: true, ImportID: "db-ABC123"},
		"same id, no identity":    {PriorID: "db-ABC123"},
	} {
		pc.Address, pc.Type, pc.Kind, pc.Actions, pc.ActionReason = "aws_db_instance.elsewhere", "aws_db_instance", plan.KindDelete, []string{"delete"}, "delete_because_no_resource_config"
		r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{pc}, Prior: plan.NewPrior(prior)}, Policy: pol, Trust: f.trust, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := find(r, pc.Address, "delete"); !c.Protected || r.Decision != Block {
			t.Errorf("%s: %+v", name, c)
		}
	}
	// An unrelated identity is not the object.
	pc := plan.Change{Address: "aws_db_instance.elsewhere", Type: "aws_db_instance", Kind: plan.KindDelete, Actions: []string{"delete"},
		ActionReason: "delete_because_no_resource_config", PriorIdentity: `{"identifier":"x"}`, PriorID: "x"}
	if r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{pc}, Prior: plan.NewPrior(prior)}, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("unrelated identity: %v %+v", err, r)
	}
}
