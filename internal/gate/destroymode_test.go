package gate

import (
	"slices"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestDestroyMode: a destroy plan (terraform plan -destroy) applies moved
// blocks in its pre-destroy refresh and lists its deletes under the new
// addresses without previous_address or action_reason. Such a delete may
// be any protected object: it needs the strictest requirement of the
// policy, even at an unprotected address, and at a protected address too
// (the object may come from a stricter rule).
func TestDestroyMode(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, movesPolicySrc)
	destroy := func(addr string) plan.Change {
		c := change(addr, plan.KindDelete)
		c.ActionReason = ""
		return c
	}
	deposed := destroy("terraform_data.scratch")
	deposed.Deposed = "00000001"
	cases := []struct {
		name      string
		change    plan.Change
		protected bool
		approvals int
		rules     []string
	}{
		{"unprotected address in destroy mode", destroy("terraform_data.junk"), true, 3, []string{DestroyModeRule}},
		{"protected address in destroy mode: the strictest, not its own rule's", destroy("terraform_data.prod_db"), true, 3, []string{"db", DestroyModeRule}},
		{"normal-mode delete of an unprotected address", change("terraform_data.junk", plan.KindDelete), false, 0, []string{}},
		{"deposed object (no reason in either mode)", deposed, false, 0, []string{}},
		{"moved and deleted (normal mode says where it came from)", moved(destroy("terraform_data.junk"), "terraform_data.scratch"), false, 0, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{tc.change}}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			c, ok := find(r, tc.change.Address, "delete")
			if !ok {
				t.Fatalf("no delete of %s: %+v", tc.change.Address, r.Changes)
			}
			if c.Protected != tc.protected || c.RequiredApprovals != tc.approvals || !slices.Equal(c.Rules, tc.rules) {
				t.Errorf("protected %v, %d approvals, rules %q; want %v, %d, %q", c.Protected, c.RequiredApprovals, c.Rules, tc.protected, tc.approvals, tc.rules)
			}
			if want := map[bool]Decision{true: Block, false: Allow}[tc.protected]; r.Decision != want {
				t.Errorf("decision %s, want %s", r.Decision, want)
			}
		})
	}
}
