package main

import (
	"fmt"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

const defaultPolicy = "planguard.hcl"

func runCheck(e *env, args []string) (int, error) {
	fs := newFlags("check", "planguard check [flags] PLAN",
		`Check a plan against the policy. PLAN is the output of 'terraform show -json', '-' for
that JSON on stdin, or a binary saved plan (then planguard runs 'terraform show -json'
itself). Exit status: 0 allowed, 1 blocked, 2 error (an error also blocks).`,
		`  terraform plan -out tfplan
  planguard check tfplan && terraform apply tfplan
  terraform show -json tfplan | planguard check --format markdown - > comment.md
  planguard check --policy /etc/planguard/prod.hcl --author "$GIT_AUTHOR_EMAIL" plan.json
`)
	policyPath := fs.String("policy", defaultPolicy, "policy `FILE` (HCL)")
	format := fs.String("format", "text", "report format: text, json, markdown, sarif, junit, github")
	now := fs.String("now", "", "judge approvals at this RFC 3339 `TIME` instead of now")
	tfBin := fs.String("terraform-bin", "", "terraform or tofu `BINARY` for binary plans (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	author := fs.String("author", "", "`PRINCIPAL` who proposed the change; their signatures do not count (default $PLANGUARD_AUTHOR)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "check needs exactly one PLAN argument", hint: "run 'planguard check tfplan' or 'planguard check plan.json'"}
	}
	if *author == "" {
		*author = e.getenv("PLANGUARD_AUTHOR")
	}
	t, err := parseNow(*now)
	if err != nil {
		return exitError, err
	}
	renderer, err := report.New(*format, report.Options{
		Color:      *format == "text" && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout),
		PlanPath:   fs.Arg(0),
		PolicyPath: *policyPath,
	})
	if err != nil {
		return exitError, withHint(err, "pass --format text, json, markdown, sarif, junit or github")
	}
	pol, trust, err := loadPolicy(*policyPath)
	if err != nil {
		return exitError, err
	}
	e.log.Debug("policy loaded", "path", *policyPath, "scope", pol.Scope, "rules", len(pol.Rules), "signers", len(trust.Entries))
	p, err := plan.Read(fs.Arg(0), plan.Options{TerraformBin: *tfBin, Getenv: e.getenv, Stdin: e.stdin, Logger: e.log})
	if err != nil {
		return exitError, withHint(err, "pass the file written by 'terraform plan -out FILE', or the output of 'terraform show -json FILE'")
	}
	e.log.Debug("plan read", "changes", len(p.Changes), "approvals", len(p.Approvals), "sha256", p.SHA256)
	rep, err := gate.Decide(gate.Input{Plan: p, Policy: pol, Trust: trust, Now: t, Author: *author})
	if err != nil {
		return exitError, err
	}
	if err := renderer.Render(e.stdout, rep); err != nil {
		return exitError, fmt.Errorf("write report: %w", err)
	}
	if rep.Decision != gate.Allow {
		return exitBlock, nil
	}
	return exitAllow, nil
}

// loadPolicy reads the policy and the trust file it names.
func loadPolicy(path string) (*policy.Policy, *approval.AllowedSigners, error) {
	pol, err := policy.Load(path)
	if err != nil {
		return nil, nil, withHint(err, "fix the policy file; see docs/guides/policy.md")
	}
	trust, err := approval.ParseAllowedSigners(pol.AllowedSigners, pol.AllowedSignersPath, approval.ParseOptions{Location: time.Local})
	if err != nil {
		return nil, nil, withHint(fmt.Errorf("trust file named by %s: %w", path, err), "each line is `PRINCIPAL [OPTIONS] KEYTYPE KEY`, as for ssh-keygen -Y verify")
	}
	return pol, trust, nil
}
