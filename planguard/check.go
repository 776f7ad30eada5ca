package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/report"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

const defaultPolicy = "planguard.hcl"

// checkFlags are the flags shared by check and apply.
type checkFlags struct {
	policy, policySHA256, format, now, tfBin, auditLog, attest, attestKey string

	// outs are the --out FORMAT=FILE reports, besides stdout's --format.
	outs []reportOut

	// authorArg is --author as given.
	authorArg authorArg
}

func (c *checkFlags) register(fs *flags) {
	fs.StringVar(&c.policy, "policy", defaultPolicy, "policy `FILE` (HCL)")
	fs.StringVar(&c.policySHA256, "policy-sha256", "", "refuse unless the policy hash (policy and trust files; 'planguard policy-hash' prints it) is this hex `SHA256`")
	fs.StringVar(&c.format, "format", "text", "report format: text, json, markdown, sarif, junit, github")
	fs.Func("out", "also write the report in `FORMAT=FILE` (repeatable), e.g. --out sarif=planguard.sarif --out junit=planguard.xml", func(s string) error {
		format, path, ok := strings.Cut(s, "=")
		if !ok || format == "" || path == "" {
			return fmt.Errorf("--out takes FORMAT=FILE, e.g. sarif=planguard.sarif; got %q", s)
		}
		c.outs = append(c.outs, reportOut{format: format, path: path})
		return nil
	})
	fs.StringVar(&c.now, "now", "", "judge approvals at this RFC 3339 `TIME` instead of now")
	fs.StringVar(&c.tfBin, "terraform-bin", "", "terraform or tofu `BINARY` for binary plans (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	c.authorArg.register(fs, "`PRINCIPAL` who proposed the change; their signatures do not count; repeat it for every author of the changes the plan carries, e.g. each merge not yet applied (default $PLANGUARD_AUTHOR; empty is an error)")
	fs.StringVar(&c.auditLog, "audit-log", "", "append a JSON line recording this check (time, plan hash, decision, changes, approvers) to `FILE`")
	fs.StringVar(&c.attest, "attest", "", "write a signed in-toto attestation of the decision to `FILE` (needs --attest-key)")
	fs.StringVar(&c.attestKey, "attest-key", "", "the gate's private key `FILE` that signs --attest (or a public key held by ssh-agent)")
}

// check runs the gate (check.Checker) on planPath with the flags' policy,
// time, author and audit log; an error means exit 2, and is audited. apply
// says planguard applies the plan next (check.Request.Apply: the result
// holds the room to apply in).
func (c *checkFlags) check(ctx context.Context, e *env, planPath string, apply bool) (*check.Result, error) {
	checker := &check.Checker{Logger: e.log, Version: buildVersion()}
	if c.auditLog != "" {
		checker.Audit = check.FileAudit{Path: c.auditLog}
	}
	authors, err := c.authorArg.resolve(e)
	if err == nil && c.attest != "" && c.attestKey == "" {
		err = &usageError{msg: "--attest needs --attest-key", hint: "pass the gate's signing key, e.g. --attest-key /run/secrets/planguard_gate_key"}
	}
	var t time.Time
	if err == nil {
		t, err = parseNow(c.now)
	}
	var pol *policy.Policy
	var trust *trust.AllowedSigners
	if err == nil {
		pol, trust, err = check.LoadPolicy(c.policy, c.policySHA256)
	}
	if err == nil && apply {
		// Before any tool runs: an apply writes the state the plan's
		// author chose unless the policy pins it.
		err = check.RequireStatePin(pol, c.policy)
		if err == nil {
			// and the providers it installs and starts with its credentials.
			err = check.RequireProviderPin(pol, c.policy)
		}
	}
	if err != nil {
		_ = checker.AuditErrorAuthors(authors, err) // the check's error is the one to report
		return nil, err
	}
	e.log.Debug("policy loaded", "path", c.policy)
	return checker.Check(ctx, check.Request{Policy: pol, Trust: trust, Now: t, Authors: authors, Apply: apply, Room: c.attest != "",
		Plan: check.PlanSource{Path: planPath, Stdin: e.stdin, TerraformBin: c.tfBin, Getenv: e.getenv}})
}

func runCheck(e *env, args []string) (int, error) {
	fs := newFlags("check", "planguard check [flags] PLAN",
		`Check a plan against the policy. PLAN is the output of 'terraform show -json', '-' for
that JSON on stdin, or a binary saved plan (then planguard runs 'terraform show -json'
itself). Under a policy state block PLAN must be the saved plan; under lock_file the
saved plan is shown in a private directory built from the plan alone (see apply).
Exit status: 0 allowed, 1 blocked, 2 error (an error also blocks).`,
		`  terraform plan -out tfplan
  planguard check --author "$CHANGE_AUTHOR" tfplan   # to apply, use 'planguard apply tfplan', not terraform apply
  # CHANGE_AUTHOR: the change's author as the platform's API reports it (docs/guides/ci.md), never commit metadata
  terraform show -json tfplan | planguard check --format markdown - > comment.md
  planguard check --policy /etc/planguard/prod.hcl --author "$CHANGE_AUTHOR" plan.json
  planguard check --author alice@example.com --author bob@example.com tfplan
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
	res, err := cf.check(context.Background(), e, fs.Arg(0), false)
	if err != nil {
		renderer.failed(e, err)
		return exitError, err
	}
	if !cf.authorArg.set && e.getenv("PLANGUARD_AUTHOR") == "" {
		fmt.Fprintln(e.stderr, "planguard: warning: no --author (nor $PLANGUARD_AUTHOR): every trusted signature counts, the change's author's own too; pass --author with the principal who proposed the change, as allowed_signers names them")
	}
	if err := cf.finish(e, res, renderer); err != nil {
		return exitError, err
	}
	if res.Report.Decision != gate.Allow {
		return exitBlock, nil
	}
	return exitAllow, nil
}

// renderer returns the reports the flags ask for.
func (c *checkFlags) renderer(e *env, planPath string) (reports, error) {
	outs := append(reports{{format: c.format}}, c.outs...)
	locate := locator(planPath) // one reading of the configuration for every report
	for i := range outs {
		r, err := report.New(outs[i].format, report.Options{
			Color:      outs[i].path == "" && c.format == "text" && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout),
			PlanPath:   planPath,
			PolicyPath: c.policy,
			Version:    buildVersion(),
			Locate:     locate,
		})
		if err != nil {
			return nil, withHint(err, "pass --format or --out FORMAT=FILE with a FORMAT of text, json, markdown, sarif, junit or github")
		}
		outs[i].renderer = r
	}
	return outs, nil
}

// finish renders the reports and writes the attestation (the audit record
// is the Checker's).
func (c *checkFlags) finish(e *env, res *check.Result, rs reports) error {
	if len(res.Report.Warnings) > 0 {
		// Warnings can quote the plan: on GitHub Actions, with workflow
		// commands off (ghcommands.go).
		resume, err := stopCommands(e, e.stderr)
		if err != nil {
			return err
		}
		for _, w := range res.Report.Warnings {
			fmt.Fprintf(e.stderr, "planguard: warning: %s\n", report.PrintableLines(w))
		}
		resume()
	}
	if err := rs.write(e, func(r report.Renderer, w io.Writer) error { return r.Render(w, res.Report) }); err != nil {
		return err
	}
	if c.attest != "" {
		if err := writeAttestation(e, c.attest, c.attestKey, res); err != nil {
			return err
		}
	}
	return nil
}

// loadPolicy reads the policy and the trust file it names (no pin).
func loadPolicy(path string) (*policy.Policy, *trust.AllowedSigners, error) {
	return check.LoadPolicy(path, "")
}
