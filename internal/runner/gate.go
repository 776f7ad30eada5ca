package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// PolicySource loads the policy and the trust it names. The runner loads it
// for every request, so that an edited policy or trust file takes effect
// without a restart and a plan is judged again at apply time.
type PolicySource interface {
	Load() (*policy.Policy, *approval.AllowedSigners, error)
}

// Gate judges a saved plan (a binary plan file, with workDir the directory
// it was planned in) under the policy. The coordinator can put
// internal/check's Checker behind this interface.
type Gate interface {
	Check(ctx context.Context, planFile, workDir string) (*gate.Report, error)
}

// FilePolicy loads a policy file with policy.Load and its trust file with
// approval.ParseAllowedSigners, as `planguard check` does.
type FilePolicy struct{ Path string }

// Load implements PolicySource.
func (f FilePolicy) Load() (*policy.Policy, *approval.AllowedSigners, error) {
	pol, err := policy.Load(f.Path)
	if err != nil {
		return nil, nil, err
	}
	trust, err := approval.ParseAllowedSigners(pol.AllowedSigners, pol.AllowedSignersPath, approval.ParseOptions{Location: time.Local})
	if err != nil {
		return nil, nil, fmt.Errorf("trust file named by %s: %w", f.Path, err)
	}
	return pol, trust, nil
}

// PlanGate is the gate of `planguard check`: plan.Read (which runs
// `terraform show -json` on the plan in workDir) and gate.Decide.
type PlanGate struct {
	Policy       PolicySource
	TerraformBin string
	// Now is the clock approvals are judged by; nil means time.Now.
	Now    func() time.Time
	Logger hclog.Logger
}

// Check implements Gate.
func (g *PlanGate) Check(ctx context.Context, planFile, workDir string) (*gate.Report, error) {
	pol, trust, err := g.Policy.Load()
	if err != nil {
		return nil, err
	}
	p, err := plan.Read(planFile, plan.Options{
		TerraformBin: g.TerraformBin, Dir: workDir, Context: ctx, Logger: g.Logger,
		GateOnly: true, KeepPrior: pol.Protects,
		Getenv: func(string) string { return "" },
	})
	if err != nil {
		return nil, err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	return gate.Decide(gate.Input{Plan: p, Policy: pol, Trust: trust, Now: now()})
}

// PlanApprovalCount is the outcome of counting plan approvals.
type PlanApprovalCount struct {
	// Principals are the distinct trusted principals counted, in order.
	Principals []string
	// Problems say why each other approval did not count.
	Problems []string
}

// CountPlanApprovals counts the plan approval files that name exactly
// scope and planSHA256, have not expired at now, and carry a signature
// trust accepts; each principal counts once, and so does each key (two
// principals sharing a key are one signer).
func CountPlanApprovals(files [][]byte, scope, planSHA256 string, trust *approval.AllowedSigners, now time.Time) PlanApprovalCount {
	var c PlanApprovalCount
	principals, keys := map[string]bool{}, map[string]bool{}
	for i, raw := range files {
		f, err := approval.ParsePlanApprovalFile(raw)
		if err != nil {
			c.Problems = append(c.Problems, fmt.Sprintf("approval %d: %v", i+1, err))
			continue
		}
		who := fmt.Sprintf("approval %d (%s)", i+1, f.Principal)
		switch exp, _ := approval.ParseExpiry(f.ExpiresAt); {
		case f.Scope != scope:
			c.Problems = append(c.Problems, fmt.Sprintf("%s: names scope %q, not %q", who, f.Scope, scope))
			continue
		case f.PlanSHA256 != planSHA256:
			c.Problems = append(c.Problems, fmt.Sprintf("%s: approves plan %s, not this plan %s", who, f.PlanSHA256, planSHA256))
			continue
		case !now.Before(exp):
			c.Problems = append(c.Problems, fmt.Sprintf("%s: expired at %s", who, f.ExpiresAt))
			continue
		}
		v, err := approval.VerifyPlanApproval(f.Statement(), f.Principal, f.Signature, trust, now)
		if err != nil {
			var se *approval.SignatureError
			if errors.As(err, &se) {
				err = se.Err
			}
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %v", who, err))
			continue
		}
		if principals[v.Principal] {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %s is counted already", who, v.Principal))
			continue
		}
		if keys[v.Fingerprint] {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: key %s signed another counted approval already", who, v.Fingerprint))
			continue
		}
		principals[v.Principal], keys[v.Fingerprint] = true, true
		c.Principals = append(c.Principals, v.Principal)
	}
	return c
}
