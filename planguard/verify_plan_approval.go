package main

import (
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// runVerifyPlanApproval checks plan approvals for one saved plan file
// outside the runner (the Atlantis apply wrapper): as many distinct trusted
// principals as the policy's runner block asks (at least one), none of them
// the author, signed over this file's SHA-256 and the policy's scope.
func runVerifyPlanApproval(e *env, args []string) (int, error) {
	fs := newFlags("verify-plan-approval", "planguard verify-plan-approval --plan PLANFILE --policy FILE [--policy-sha256 PIN] --approval FILE... [--author P]...",
		`Check that the saved plan PLANFILE carries enough plan approvals ('planguard
approve-plan'): signatures over its SHA-256 and the policy's scope, unexpired, by
distinct principals that the policy's allowed_signers trusts, none of them the
author (by name, or by a key allowed_signers lists for the author). The number
needed is the policy's runner { plan_approvals } (default 1), and at least 1 here.
It judges no resource change: run the gate (planguard apply) as well.
Exit status: 0 enough approvals, 1 too few, 2 error.`,
		`  planguard verify-plan-approval --plan /srv/plans/tfplan --policy /etc/planguard/planguard.hcl \
    --policy-sha256 "$PIN" --author alice --approval a.json --approval b.json
`)
	planPath := fs.String("plan", "", "the saved plan `PLANFILE` (binary, from terraform plan -out)")
	policyPath := fs.String("policy", defaultPolicy, "policy `FILE` (HCL)")
	pin := fs.String("policy-sha256", "", "refuse unless the policy hash is this hex `SHA256`")
	var files listFlag
	fs.Var(&files, "approval", "a plan approval `FILE` (repeatable)")
	var author authorArg
	author.register(fs, "`PRINCIPAL` who proposed the change; their approvals do not count (repeatable, for every author of the changes the plan carries; default $PLANGUARD_AUTHOR; empty is an error)")
	now := fs.String("now", "", "judge expiry at this RFC 3339 `TIME` instead of now")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "verify-plan-approval takes no arguments", hint: "pass the plan with --plan and each approval with --approval"}
	}
	if *planPath == "" {
		return exitError, &usageError{msg: "--plan is required", hint: "pass the saved plan file that would be applied"}
	}
	who, err := author.resolve(e)
	if err != nil {
		return exitError, err
	}
	if len(who) == 0 {
		fmt.Fprintln(e.stderr, "planguard: warning: no --author (nor $PLANGUARD_AUTHOR): the change's author's own plan approval counts too")
	}
	at, err := parseNow(*now)
	if err != nil {
		return exitError, err
	}
	if *pin != "" && !validPin(*pin) {
		return exitError, &usageError{msg: fmt.Sprintf("--policy-sha256 %q is not a hex SHA-256", *pin), hint: "planguard policy-hash prints it"}
	}
	pol, signers, err := check.LoadPolicy(*policyPath, *pin)
	if err != nil {
		return exitError, err
	}
	sum, err := fileSHA256(*planPath)
	if err != nil {
		return exitError, withHint(fmt.Errorf("read plan %s: %w", *planPath, err), "pass the saved plan file (terraform plan -out FILE)")
	}
	var raw [][]byte
	for _, f := range files {
		b, err := safefile.ReadFile(f, approval.MaxPlanApprovalFile)
		if err != nil {
			return exitError, fmt.Errorf("read plan approval %s: %w", f, err)
		}
		raw = append(raw, b)
	}
	need := max(pol.Runner.PlanApprovals, 1)
	c := approval.CountPlanApprovals(raw, pol.Scope, sum, who, signers, at)
	for _, p := range c.Problems {
		fmt.Fprintf(e.stderr, "planguard: plan approval not counted: %s\n", p)
	}
	if len(c.Principals) < need {
		fmt.Fprintf(e.stdout, "planguard: plan %s (sha256 %s) has %d of the %d plan approval(s) it needs in scope %s; a trusted person other than the author copies the plan file, reviews it and signs that file (approve-plan computes its hash):\n  planguard approve-plan --plan PLANFILE --scope %s --key KEY --principal YOU --expires 1h --out plan-approval.json\nor, with a hash they computed themselves from the file they reviewed:\n  planguard approve-plan --plan-sha256 %s --scope %s --key KEY --principal YOU --expires 1h --out plan-approval.json\n",
			*planPath, sum, len(c.Principals), need, pol.Scope, pol.Scope, sum, pol.Scope)
		return exitBlock, nil
	}
	fmt.Fprintf(e.stdout, "planguard: plan sha256 %s approved by %s\n", sum, strings.Join(c.Principals, ", "))
	return exitAllow, nil
}
