package main

import (
	"context"
	"fmt"
	"os"
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
report on that plan before signing, and the scope defaults to the policy's;
the policy must set lock_file, since showing a saved plan runs providers:
the plan is shown in a clean room with the lock file's providers only (not
in the current directory, and without SSH_AUTH_SOCK). With
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
	policyPath := fs.String("policy", "", "with --plan: the gate's policy `FILE`, which must set lock_file; its report on the plan is shown before signing (in a clean room with those providers), and --scope defaults to its scope")
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
//
// Showing a saved plan runs provider binaries, here, in the process that
// is about to sign (with the approver's key or ssh-agent). So the plan is
// shown only in the clean room with the providers the policy's lock_file
// pins (check builds it whenever there is a lock_file), with neither the
// current directory's files nor the agent's socket; without lock_file,
// the plan's author would choose which provider builds run, and
// approve-plan refuses to show it.
func approvePlanReport(ctx context.Context, e *env, policyPath, tfBin, shownPath, pinned, sum string) (string, error) {
	pol, signers, err := check.LoadPolicy(policyPath, "")
	if err != nil {
		return "", err
	}
	if pol.LockFilePath == "" {
		return "", withHint(fmt.Errorf("approve-plan --policy %s: the policy has no lock_file, so showing the saved plan %s would run the provider builds the plan's author chose (its lock file, or a 'terraform init' of the change), here, where your signing key is; nothing was run or signed", policyPath, shownPath),
			"add lock_file = \"FILE\" with a reviewed .terraform.lock.hcl to the policy (approve-plan then shows the plan in a clean room with only those providers; docs/guides/policy.md, \"Pinning provider binaries\"); "+
				"or review the plan as CI or the runner rendered it and sign its hash without --policy: planguard approve-plan --plan "+shownPath+" --scope SCOPE ... (nothing runs), or --plan-sha256 HEX --scope SCOPE")
	}
	dir, err := os.MkdirTemp("", "planguard-approve-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	res, err := (&check.Checker{Logger: e.log, Version: buildVersion()}).Check(ctx, check.Request{Policy: pol, Trust: signers, Now: time.Now(),
		Plan: check.PlanSource{Path: pinned, TerraformBin: tfBin, Getenv: e.getenv, Dir: dir, Env: withoutAgent(os.Environ())}})
	if err != nil {
		return "", withHint(fmt.Errorf("the gate could not read the plan %s: %w", shownPath, err),
			"the plan is shown in a clean room with the providers of the policy's lock_file, installed as your CLI configuration (TF_CLI_CONFIG_FILE) says; fix what the error names, or leave out --policy to sign the file's hash after reviewing the plan as CI or the runner rendered it")
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

// withoutAgent is env without the ssh-agent's variables: the providers that
// show the plan do not get to ask the approver's agent for a signature.
func withoutAgent(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == "SSH_AUTH_SOCK" || k == "SSH_AGENT_PID" {
			continue
		}
		out = append(out, kv)
	}
	return out
}
