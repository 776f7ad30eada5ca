package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"

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

// Load implements PolicySource. The policy and each file it names (its
// trust files, lock_file) must be the runner's or root's alone
// (CheckPolicyFiles), checked on every load: whoever could change them
// decides what the runner applies.
func (f FilePolicy) Load() (*policy.Policy, *trust.AllowedSigners, error) {
	if err := trustedPath(f.Path, "the policy", trustedPathOptions{}); err != nil {
		return nil, nil, err
	}
	pol, signers, err := check.LoadPolicy(f.Path, "")
	if err != nil {
		return nil, nil, err
	}
	if err := CheckPolicyFiles(pol); err != nil {
		return nil, nil, err
	}
	return pol, signers, nil
}

// CheckPolicyFiles refuses a policy whose trust files (allowed_signers,
// revoked_keys) or lock_file someone other than the runner or root can
// change (trustedPath).
func CheckPolicyFiles(pol *policy.Policy) error {
	for _, f := range []struct{ what, path string }{
		{"the policy's trust file (allowed_signers)", pol.AllowedSignersPath},
		{"the policy's trust file (revoked_keys)", pol.RevokedKeysPath},
		{"the policy's lock_file", pol.LockFilePath},
	} {
		if f.path == "" {
			continue
		}
		if err := trustedPath(f.path, f.what, trustedPathOptions{}); err != nil {
			return fmt.Errorf("policy %s: %w", pol.Filename, err)
		}
	}
	return nil
}

// CheckEnvFile refuses an env file someone other than the runner or root
// can change, or group or others can read: it holds the credentials.
// /dev/null (no credentials in the file) is accepted.
func CheckEnvFile(path string) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil && resolved == os.DevNull {
		return nil
	}
	return trustedPath(path, "the env file", trustedPathOptions{private: true})
}

// PlanGate is the gate of `planguard check` (check.Checker): the saved
// plan is read (`terraform show -json` in workDir, with Env) and judged.
type PlanGate struct {
	Policy       PolicySource
	TerraformBin string
	// Env is the environment of `terraform show` (the runner's children's).
	Env []string
	// StateEnv returns the environment planguard reads the pinned
	// backend's state with (check.PlanSource.StateEnv): the runner's,
	// with its credentials (nil, or a nil result, = Env).
	StateEnv func() []string
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
	var stateEnv []string
	if g.StateEnv != nil {
		stateEnv = g.StateEnv()
	}
	checker := &check.Checker{Logger: g.Logger}
	res, err := checker.Check(ctx, check.Request{Policy: pol, Trust: signers, Now: now(),
		Plan: check.PlanSource{Path: planFile, Dir: workDir, TerraformBin: g.TerraformBin, Env: g.Env, StateEnv: stateEnv,
			Getenv: func(string) string { return "" },
			// The runner made the plan in its own directory, which the
			// agent cannot write: its refresh is a real one.
			RefreshTrusted: true}})
	if err != nil {
		return nil, err
	}
	return res.Report, nil
}
