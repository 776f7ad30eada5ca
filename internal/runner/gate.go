package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// PolicySource loads the policy and the trust it names. The runner loads it
// for every request, so that an edited policy or trust file takes effect
// without a restart and a plan is judged again at apply time.
type PolicySource interface {
	Load() (*policy.Policy, *trust.AllowedSigners, error)
}

// Gate judges a saved plan (a binary plan file, with workDir the directory
// it was planned in) under the policy. The coordinator can put
// internal/check's Checker behind this interface.
type Gate interface {
	Check(ctx context.Context, planFile, workDir string) (*gate.Report, error)
}

// FilePolicy loads a policy file and its trust files with check.LoadPolicy,
// as every front door does.
type FilePolicy struct{ Path string }

// Load implements PolicySource.
func (f FilePolicy) Load() (*policy.Policy, *trust.AllowedSigners, error) {
	return check.LoadPolicy(f.Path, "")
}

// PlanGate is the gate of `planguard check` (check.Checker): the saved
// plan is read (`terraform show -json` in workDir, with Env) and judged.
type PlanGate struct {
	Policy       PolicySource
	TerraformBin string
	// Env is the environment of `terraform show` (the runner's children's).
	Env []string
	// Now is the clock approvals are judged by; nil means time.Now.
	Now    func() time.Time
	Logger hclog.Logger
}

// Check implements Gate.
func (g *PlanGate) Check(ctx context.Context, planFile, workDir string) (*gate.Report, error) {
	pol, signers, err := g.Policy.Load()
	if err != nil {
		return nil, err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	checker := &check.Checker{Logger: g.Logger}
	res, err := checker.Check(ctx, check.Request{Policy: pol, Trust: signers, Now: now(),
		Plan: check.PlanSource{Path: planFile, Dir: workDir, TerraformBin: g.TerraformBin, Env: g.Env,
			Getenv: func(string) string { return "" }}})
	if err != nil {
		return nil, err
	}
	return res.Report, nil
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
func CountPlanApprovals(files [][]byte, scope, planSHA256 string, signers *trust.AllowedSigners, now time.Time) PlanApprovalCount {
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
		v, err := approval.VerifyPlanApproval(f.Statement(), f.Principal, f.Signature, signers, now)
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
