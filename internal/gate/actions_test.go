package gate

import (
	"slices"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

const actionsPolicySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  addresses = ["terraform_data.prod_db"]
}
protect_actions "stop" {
  types     = ["aws_ec2_stop_instance"]
  approvals = 2
  max_ttl   = "24h"
}
allow_actions "notify" {
  types = ["aws_lambda_invoke"]
}
`

// invocation returns the report's invocation of address.
func invocation(r *Report, address string) Invocation {
	for _, iv := range r.Invocations {
		if iv.Address == address {
			return iv
		}
	}
	return Invocation{}
}

// TestActionInvocations: every action the plan invokes is judged; the
// hand-built Terraform 1.14 plan invokes one protected action (by
// terraform apply -invoke) and one allowed one (by a lifecycle trigger).
func TestActionInvocations(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, actionsPolicySrc)
	const stop, notify = "action.aws_ec2_stop_instance.prod_db_host", "action.aws_lambda_invoke.notify"
	issued := func(st approval.Statement) approval.Statement {
		st.IssuedAt = "2026-11-25T11:00:00Z"
		return st
	}
	for _, tc := range []struct {
		name      string
		approvals func() []plan.Approval
		allow     bool
		status    Outcome // of the stop invocation
		approval  Status  // status of the first approval, if any
	}{
		{"no approval", func() []plan.Approval { return nil }, false, OutcomeBlocked, ""},
		{"one of two", func() []plan.Approval {
			return []plan.Approval{approve(t, issued(stmt(stop, "invoke")), f.alice)}
		}, false, OutcomeBlocked, StatusValid},
		{"two", func() []plan.Approval {
			return []plan.Approval{approve(t, issued(stmt(stop, "invoke")), f.alice, f.bob)}
		}, true, OutcomeApproved, StatusValid},
		{"two, one key under two names", func() []plan.Approval {
			return []plan.Approval{approve(t, issued(stmt(stop, "invoke")), f.carol, key{"dave@example.com", f.carol.signer})}
		}, false, OutcomeBlocked, StatusValid},
		{"max_ttl needs issued_at", func() []plan.Approval {
			return []plan.Approval{approve(t, stmt(stop, "invoke"), f.alice, f.bob)}
		}, false, OutcomeBlocked, StatusNoIssuedAt},
		{"bound to an identity", func() []plan.Approval {
			st := issued(stmt(stop, "invoke"))
			st.Identity = "i-0123456789abcdef0"
			return []plan.Approval{approve(t, st, f.alice, f.bob)}
		}, false, OutcomeBlocked, StatusWrongIdentity},
		{"untrusted signer", func() []plan.Approval {
			return []plan.Approval{approve(t, issued(stmt(stop, "invoke")), f.mallory, f.alice)}
		}, false, OutcomeBlocked, StatusValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := readHandbuilt(t, "actions_1_14.json")
			p.Approvals = tc.approvals()
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if (r.Decision == Allow) != tc.allow {
				t.Errorf("decision %s, want allow=%v: %+v", r.Decision, tc.allow, r.Invocations)
			}
			iv := invocation(r, stop)
			if iv.Status != tc.status || iv.RequiredApprovals != 2 || !slices.Equal(iv.Rules, []string{"stop"}) || iv.Trigger != plan.TriggerInvoke {
				t.Errorf("stop invocation %+v", iv)
			}
			if n := invocation(r, notify); n.Status != OutcomeAllowed || !slices.Equal(n.AllowedBy, []string{"notify"}) ||
				n.Trigger != plan.TriggerLifecycle || n.TriggeringResource != "terraform_data.deploy" || n.Event != "after_create" {
				t.Errorf("notify invocation %+v", n)
			}
			if tc.approval != "" && r.Approvals[0].Status != tc.approval {
				t.Errorf("approval status %s, want %s: %+v", r.Approvals[0].Status, tc.approval, r.Approvals[0])
			}
		})
	}
}

// TestActionsFailClosed: a policy that says nothing about actions blocks
// every invocation until an approval names it; an approval of another
// action, or of the action by another verb, does not count.
func TestActionsFailClosed(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, movesPolicySrc) // no action blocks
	const stop = "action.aws_ec2_stop_instance.prod_db_host"
	for name, approvals := range map[string][]plan.Approval{
		"none":                    nil,
		"another action":          {approve(t, stmt("action.aws_ec2_stop_instance.other", "invoke"), f.alice)},
		"a resource of that name": {approve(t, stmt("aws_ec2_stop_instance.prod_db_host", "delete"), f.alice)},
	} {
		p := readHandbuilt(t, "actions_1_14.json")
		p.Approvals = approvals
		r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if r.Decision != Block || len(r.Invocations) != 2 || !r.Invocations[0].Blocked() || !r.Invocations[1].Blocked() ||
			r.Invocations[0].RequiredApprovals != 1 {
			t.Errorf("%s: %s %+v", name, r.Decision, r.Invocations)
		}
		for _, a := range r.Approvals {
			if a.Status == StatusValid {
				t.Errorf("%s: approval %+v counted", name, a)
			}
		}
	}
	// One approval each, and the plan may run.
	p := readHandbuilt(t, "actions_1_14.json")
	p.Approvals = []plan.Approval{approve(t, stmt(stop, "invoke"), f.alice), approve(t, stmt("action.aws_lambda_invoke.notify", "invoke"), f.bob)}
	r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
	if err != nil || r.Decision != Allow {
		t.Errorf("approved invocations: %v %+v", err, r)
	}
}
