package main

import (
	"context"
	"fmt"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/report"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

const defaultPolicy = "planguard.hcl"

// checkFlags are the flags shared by check and apply.
type checkFlags struct {
	policy, policySHA256, format, now, tfBin, author, auditLog, attest, attestKey string

	// authorArg is --author as given; author is what check resolved.
	authorArg authorArg
	// dir is where `terraform show` runs for a binary plan ("" = the
	// current directory); the hook sets it to the agent's directory.
	dir string
	// ctx bounds `terraform show` (nil = no bound); the hook sets it.
	ctx context.Context
}

func (c *checkFlags) register(fs *flags) {
	fs.StringVar(&c.policy, "policy", defaultPolicy, "policy `FILE` (HCL)")
	fs.StringVar(&c.policySHA256, "policy-sha256", "", "refuse unless the policy hash (policy and trust files; 'planguard policy-hash' prints it) is this hex `SHA256`")
	fs.StringVar(&c.format, "format", "text", "report format: text, json, markdown, sarif, junit, github")
	fs.StringVar(&c.now, "now", "", "judge approvals at this RFC 3339 `TIME` instead of now")
	fs.StringVar(&c.tfBin, "terraform-bin", "", "terraform or tofu `BINARY` for binary plans (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	c.authorArg.register(fs, "`PRINCIPAL` who proposed the change; their signatures do not count (default $PLANGUARD_AUTHOR; empty is an error)")
	fs.StringVar(&c.auditLog, "audit-log", "", "append a JSON line recording this check (time, plan hash, decision, changes, approvers) to `FILE`")
	fs.StringVar(&c.attest, "attest", "", "write a signed in-toto attestation of the decision to `FILE` (needs --attest-key)")
	fs.StringVar(&c.attestKey, "attest-key", "", "the gate's private key `FILE` that signs --attest (or a public key held by ssh-agent)")
}

// checked is the outcome of one check.
type checked struct {
	report *gate.Report
	policy *policy.Policy
	plan   *plan.Plan
}

// check runs the gate on planPath; an error means exit 2.
func (c *checkFlags) check(e *env, planPath string) (*checked, error) {
	author, err := c.authorArg.resolve(e)
	if err != nil {
		return nil, err
	}
	c.author = author
	if c.attest != "" && c.attestKey == "" {
		return nil, &usageError{msg: "--attest needs --attest-key", hint: "pass the gate's signing key, e.g. --attest-key /run/secrets/planguard_gate_key"}
	}
	t, err := parseNow(c.now)
	if err != nil {
		return nil, err
	}
	pol, trust, err := loadPolicy(c.policy)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyPin(c.policy, pol, c.policySHA256); err != nil {
		return nil, err
	}
	e.log.Debug("policy loaded", "path", c.policy, "scope", pol.Scope, "rules", len(pol.Rules), "signers", len(trust.Entries))
	// GateOnly: the gate judges deletes, replaces, forgets, updates, moves
	// and imports; not keeping other creates and no-ops, nor unprotected
	// prior objects, keeps memory flat on huge plans.
	p, err := plan.Read(planPath, plan.Options{TerraformBin: c.tfBin, Getenv: e.getenv, Stdin: e.stdin, Logger: e.log, GateOnly: true, KeepPrior: pol.Protects, Dir: c.dir, Context: c.ctx})
	if err != nil {
		return nil, withHint(err, "pass the file written by 'terraform plan -out FILE', or the output of 'terraform show -json FILE'")
	}
	e.log.Debug("plan read", "changes", len(p.Changes), "approvals", len(p.Approvals), "sha256", p.SHA256)
	rep, err := gate.Decide(gate.Input{Plan: p, Policy: pol, Trust: trust, Now: t, Author: c.author})
	if err != nil {
		return nil, err
	}
	return &checked{report: rep, policy: pol, plan: p}, nil
}

func runCheck(e *env, args []string) (int, error) {
	fs := newFlags("check", "planguard check [flags] PLAN",
		`Check a plan against the policy. PLAN is the output of 'terraform show -json', '-' for
that JSON on stdin, or a binary saved plan (then planguard runs 'terraform show -json'
itself). Exit status: 0 allowed, 1 blocked, 2 error (an error also blocks).`,
		`  terraform plan -out tfplan
  planguard check tfplan && terraform apply tfplan
  terraform show -json tfplan | planguard check --format markdown - > comment.md
  planguard check --policy /etc/planguard/prod.hcl --author "$GIT_AUTHOR_EMAIL" plan.json
  planguard check --attest check.att --attest-key gate_key --audit-log audit.jsonl tfplan
`)
	var cf checkFlags
	cf.register(fs)
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "check needs exactly one PLAN argument", hint: "run 'planguard check tfplan' or 'planguard check plan.json'"}
	}
	renderer, err := cf.renderer(e, fs.Arg(0))
	if err != nil {
		return exitError, err
	}
	res, err := cf.check(e, fs.Arg(0))
	if err != nil {
		_ = cf.audit(e, nil, err) // the check's error is the one to report
		return exitError, err
	}
	if err := cf.finish(e, res, renderer); err != nil {
		return exitError, err
	}
	if res.report.Decision != gate.Allow {
		return exitBlock, nil
	}
	return exitAllow, nil
}

func (c *checkFlags) renderer(e *env, planPath string) (report.Renderer, error) {
	r, err := report.New(c.format, report.Options{
		Color:      c.format == "text" && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout),
		PlanPath:   planPath,
		PolicyPath: c.policy,
	})
	if err != nil {
		return nil, withHint(err, "pass --format text, json, markdown, sarif, junit or github")
	}
	return r, nil
}

// finish renders the report and writes the audit record and attestation.
func (c *checkFlags) finish(e *env, res *checked, r report.Renderer) error {
	for _, w := range res.report.Warnings {
		fmt.Fprintf(e.stderr, "planguard: warning: %s\n", w)
	}
	if err := r.Render(e.stdout, res.report); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := c.audit(e, res, nil); err != nil {
		return err
	}
	if c.attest != "" {
		if err := writeAttestation(e, c.attest, c.attestKey, res); err != nil {
			return err
		}
	}
	return nil
}

// loadPolicy reads the policy and the trust file it names.
func loadPolicy(path string) (*policy.Policy, *trust.AllowedSigners, error) {
	pol, err := policy.Load(path)
	if err != nil {
		return nil, nil, withHint(err, "fix the policy file; see docs/guides/policy.md")
	}
	signers, err := trust.ParseAllowedSigners(pol.AllowedSigners, pol.AllowedSignersPath, trust.ParseOptions{Location: time.Local, RevokedKeysName: pol.RevokedKeysPath, RevokedKeys: pol.RevokedKeys})
	if err != nil {
		return nil, nil, withHint(fmt.Errorf("trust file named by %s: %w", path, err), "allowed_signers: each line is `PRINCIPAL [OPTIONS] KEYTYPE KEY`, as for ssh-keygen -Y verify; revoked_keys: a KRL made with ssh-keygen -k, or one public key per line")
	}
	return pol, signers, nil
}
