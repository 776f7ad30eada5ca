package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

func runApprovePlan(e *env, args []string) (int, error) {
	fs := newFlags("approve-plan", "planguard approve-plan (--plan FILE [--policy FILE] | --plan-sha256 HEX --scope NAME) --principal YOU [--key KEY] [--expires 1h] --out FILE",
		`Sign a plan approval: that exactly the saved plan whose SHA-256 is HEX may be applied
in scope NAME until the expiry. With --plan, approve-plan computes the SHA-256 of the
saved plan file itself (of a private copy, which is what it summarizes), so you sign
the plan you hold, not a hash someone printed; with --policy too, it shows the gate's
report on that plan before signing, and the scope defaults to the policy's. With
--plan-sha256, 'planguard runner plan' prints the hash; review the plan ('planguard
runner show PLAN_ID') before you sign. It shows what it is about to sign and asks
[y/N] when stdin is a terminal (--yes skips the question). The signed bytes are
documented in docs/guides/signing.md; ssh-keygen -Y sign -n planguard-approval
makes the same signature.`,
		`  planguard approve-plan --plan tfplan --policy planguard.hcl --key ~/.ssh/id_ed25519 \
    --principal alice@example.com --expires 1h --out plan-approval.json
  planguard approve-plan --plan-sha256 9f2c... --scope prod --key ~/.ssh/id_ed25519 \
    --principal alice@example.com --expires 1h --out plan-approval.json
`)
	planPath := fs.String("plan", "", "the saved plan `FILE` to approve (from terraform plan -out): its SHA-256 is computed here; instead of --plan-sha256")
	sum := fs.String("plan-sha256", "", "the saved plan's `HEX` SHA-256 (the runner prints it); instead of --plan")
	policyPath := fs.String("policy", "", "with --plan: the gate's policy `FILE`; its report on the plan is shown before signing, and --scope defaults to its scope")
	tfBin := fs.String("terraform-bin", "", "with --policy: terraform or tofu `BINARY` that shows the saved plan (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	scope := fs.String("scope", "", "the policy's `SCOPE` (default with --policy: the policy's)")
	key := fs.String("key", "", "private key `FILE` (or a public key whose private key is in ssh-agent; default: the agent's only key)")
	principal := fs.String("principal", "", "your identity as listed in allowed_signers (`PRINCIPAL`)")
	expires := fs.String("expires", "1h", "how long the approval is valid: a `DURATION` (1h, 2d) or an RFC 3339 time")
	out := fs.String("out", "", "write the approval to this `FILE` (default: print it)")
	yes := fs.Bool("yes", false, "with --plan: do not ask for confirmation on a terminal")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "approve-plan takes no arguments", hint: "see 'planguard approve-plan --help'"}
	}
	switch {
	case *planPath != "" && *sum != "":
		return exitError, &usageError{msg: "--plan and --plan-sha256 are mutually exclusive", hint: "pass --plan with the saved plan file you reviewed (its hash is computed here), or --plan-sha256 alone"}
	case *planPath == "" && (*policyPath != "" || *tfBin != "" || *yes):
		return exitError, &usageError{msg: "--policy, --terraform-bin and --yes go with --plan", hint: "pass --plan with the saved plan file to show the gate's report on it"}
	case *planPath == "" && *sum == "":
		return exitError, &usageError{msg: "approve-plan needs --plan or --plan-sha256", hint: "pass --plan with the saved plan file you reviewed; its SHA-256 is computed here"}
	}
	if *principal == "" {
		return exitError, &usageError{msg: "approve-plan needs --principal", hint: "pass your identity as listed in allowed_signers, e.g. --principal alice@example.com"}
	}
	var preview string
	if *planPath != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		pin, err := pinPlan(ctx, *planPath)
		if err != nil {
			return exitError, err
		}
		defer pin.Cleanup()
		*sum = pin.SHA256
		if *policyPath != "" {
			pscope, err := approvePlanReport(ctx, e, *policyPath, *tfBin, *planPath, pin.Path, pin.SHA256)
			if err != nil {
				return exitError, err
			}
			switch {
			case *scope == "":
				*scope = pscope
			case *scope != pscope:
				return exitError, withHint(fmt.Errorf("--scope %q: the policy %s has scope %q, and counts only plan approvals of its scope", *scope, *policyPath, pscope), "leave out --scope to use the policy's")
			}
		}
		preview = fmt.Sprintf("  %-7s %s\n  %-7s %s\n", "plan", *planPath, "sha256", pin.SHA256)
	}
	if *scope == "" {
		return exitError, &usageError{msg: "approve-plan needs --scope (or --plan with --policy)", hint: "pass the policy's scope, e.g. --scope prod, or --policy with the policy file"}
	}
	exp, err := expiry(*expires, time.Now())
	if err != nil {
		return exitError, err
	}
	pa := approval.PlanApproval{Scope: *scope, PlanSHA256: strings.ToLower(*sum), ExpiresAt: exp}
	if err := pa.Validate(); err != nil {
		return exitError, err
	}
	signer, err := loadSigner(e, *key)
	if err != nil {
		return exitError, err
	}
	if *planPath != "" {
		head := fmt.Sprintf("planguard: about to sign a plan approval as %s (key %s):\n", *principal, ssh.FingerprintSHA256(signer.PublicKey()))
		preview = head + preview + fmt.Sprintf("  %-7s %s\n  %-7s %s\n", "scope", pa.Scope, "expires", pa.ExpiresAt)
		if ok, err := confirm(e, preview, *yes); err != nil || !ok {
			return exitBlock, err
		}
	}
	sig, err := approval.SignPlanApproval(pa, signer)
	if err != nil {
		return exitError, err
	}
	f := approval.PlanApprovalFile{Scope: pa.Scope, PlanSHA256: pa.PlanSHA256, ExpiresAt: pa.ExpiresAt, Principal: *principal, Signature: sig}
	if *out == "" {
		_, err := e.stdout.Write(f.Marshal())
		return exitAllow, err
	}
	if err := writeFileAtomic(*out, f.Marshal()); err != nil {
		return exitError, err
	}
	fmt.Fprintf(e.stderr, "planguard: wrote %s: plan %s in scope %s approved by %s until %s\n", *out, pa.PlanSHA256, pa.Scope, *principal, pa.ExpiresAt)
	return exitAllow, nil
}

// approvePlanReport runs the gate (check.Checker, as planguard check does)
// on the pinned copy of a saved plan and writes its text report to stderr,
// for the approver to read before signing; it returns the policy's scope.
// The report's plan hash is checked against the hash that is signed.
func approvePlanReport(ctx context.Context, e *env, policyPath, tfBin, shownPath, pinned, sum string) (string, error) {
	pol, signers, err := check.LoadPolicy(policyPath, "")
	if err != nil {
		return "", err
	}
	res, err := (&check.Checker{Logger: e.log, Version: buildVersion()}).Check(ctx, check.Request{Policy: pol, Trust: signers, Now: time.Now(),
		Plan: check.PlanSource{Path: pinned, TerraformBin: tfBin, Getenv: e.getenv}})
	if err != nil {
		return "", withHint(fmt.Errorf("the gate could not read the plan %s: %w", shownPath, err),
			"run approve-plan in the configuration's directory after 'terraform init' (terraform show needs its providers), or leave out --policy to sign the hash without the gate's report")
	}
	if res.Report.Plan.SHA256 != sum {
		return "", fmt.Errorf("the plan the gate read has SHA-256 %s, not the %s to be signed", res.Report.Plan.SHA256, sum)
	}
	r, err := report.New("text", report.Options{PlanPath: shownPath, PolicyPath: policyPath, Version: buildVersion()})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(e.stderr, "planguard: the gate's report on %s (sha256 %s), for your review:\n", shownPath, sum)
	if err := r.Render(e.stderr, res.Report); err != nil {
		return "", err
	}
	fmt.Fprintf(e.stderr, "planguard: a plan approval is on top of the gate: the apply still needs the gate to allow this plan (now: %s)\n", res.Report.Decision)
	return pol.Scope, nil
}
