package runtask

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// Gate is the decision the service runs on a plan: the same as `planguard
// check` (one reader, one policy, one trust model). The check service
// (internal/check) is meant to implement it; PolicyGate is the
// implementation over today's packages.
type Gate interface {
	// Check reads plan JSON from planJSON and decides it under the current
	// policy. author's signatures do not count ("" excludes nobody). The
	// policy returned is the one the decision used (for its hash and state
	// pin); an error means the plan could not be decided, which blocks.
	Check(ctx context.Context, planJSON io.Reader, author string) (*gate.Report, *policy.Policy, error)
	// StatePin is the state block of the policy the decision used, nil when
	// it has none.
	StatePin(p *policy.Policy) *StatePin
}

// loaded is one reading of the policy and its trust file.
type loaded struct {
	policy *policy.Policy
	trust  *trust.AllowedSigners
	at     time.Time
}

// PolicyGate runs the gate over a policy file read at start and again on
// Reload, swapped atomically: a check uses one reading from start to end.
type PolicyGate struct {
	path string
	cur  atomic.Pointer[loaded]
	// Now is the clock (tests pin it); nil means time.Now.
	Now func() time.Time
}

// NewPolicyGate reads the policy at path and the trust file it names.
func NewPolicyGate(path string) (*PolicyGate, error) {
	g := &PolicyGate{path: path}
	if err := g.Reload(); err != nil {
		return nil, err
	}
	return g, nil
}

// Reload reads the policy and trust file again. On an error the policy in
// use stays, and the error says why the new one was refused.
func (g *PolicyGate) Reload() error {
	pol, signers, err := check.LoadPolicy(g.path, "")
	if err != nil {
		return err
	}
	g.cur.Store(&loaded{policy: pol, trust: signers, at: time.Now()})
	return nil
}

// Policy is the policy in use.
func (g *PolicyGate) Policy() *policy.Policy { return g.cur.Load().policy }

// Check implements Gate with the check service `planguard check` runs
// (check.Checker) on plan JSON. The run's organization and workspace stand
// for the state pin (Server checks them); serve writes its own audit line.
func (g *PolicyGate) Check(ctx context.Context, r io.Reader, author string) (*gate.Report, *policy.Policy, error) {
	l := g.cur.Load()
	if l == nil {
		return nil, nil, errors.New("no policy loaded")
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	res, err := (&check.Checker{}).Check(ctx, check.Request{Policy: l.policy, Trust: l.trust, Now: now(), Author: author,
		StatePinnedElsewhere: true, Plan: check.PlanSource{Path: "-", Stdin: ctxReader{ctx, r}}})
	if err != nil {
		return nil, l.policy, err
	}
	return res.Report, l.policy, nil
}

// StatePin returns the policy's state block, nil when it has none.
func (g *PolicyGate) StatePin(p *policy.Policy) *StatePin { return statePinOf(p) }

// ctxReader stops a read once ctx is done, so a cancelled task stops
// decoding.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
