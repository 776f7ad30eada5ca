package main

import (
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/tfconfig"
)

func runVerify(e *env, args []string) (int, error) {
	fs := newFlags("verify", "planguard verify [--policy FILE] [--now TIME] [--author PRINCIPAL] [PATH...]",
		`Check the planguard_approval blocks in .tf files (PATH: files or directories, default .)
against the policy and its trust file, without a plan: fields, scope, expiry, signatures.
Exit status: 0 all approvals sound, 1 some would not count, 2 error. Whether an approval
covers a change only 'planguard check' on a plan can tell (a rule's max_ttl and the move
an approval's from names included). --from and --issued-at check only the approvals
with that from or issued_at.`,
		`  planguard verify --policy ../policy/planguard.hcl .
`)
	policyPath := fs.String("policy", defaultPolicy, "policy `FILE` (HCL)")
	now := fs.String("now", "", "judge at this RFC 3339 `TIME` instead of now")
	var authorFlag authorArg
	authorFlag.register(fs, "`PRINCIPAL` whose signatures do not count (repeatable; default $PLANGUARD_AUTHOR; empty is an error)")
	var filter blockFilter
	fs.StringVar(&filter.from, "from", "", "check only approvals whose from is `ADDRESS`")
	fs.StringVar(&filter.issuedAt, "issued-at", "", "check only approvals whose issued_at is `TIME` ('none': those without issued_at)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	authors, err := authorFlag.resolve(e)
	if err != nil {
		return exitError, err
	}
	t, err := parseNow(*now)
	if err != nil {
		return exitError, err
	}
	pol, trust, err := loadPolicy(*policyPath)
	if err != nil {
		return exitError, err
	}
	for _, author := range authors {
		if w := gate.AuthorWarning(trust, author); w != "" {
			fmt.Fprintf(e.stderr, "planguard: warning: %s\n", w)
		}
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	blocks, err := tfconfig.Load(paths)
	if err != nil {
		return exitError, err
	}
	if filter != (blockFilter{}) {
		kept := blocks[:0]
		for _, b := range blocks {
			if filter.match(b.Approval) {
				kept = append(kept, b)
			}
		}
		if len(kept) == 0 && len(blocks) > 0 {
			return exitError, withHint(fmt.Errorf("no planguard_approval block in %s has %s", strings.Join(paths, ", "), filter), "drop --from / --issued-at to check every approval")
		}
		blocks = kept
	}
	if len(blocks) == 0 {
		return exitError, withHint(fmt.Errorf("no planguard_approval blocks in %s", strings.Join(paths, ", ")), "pass the directory or .tf files that hold the approvals")
	}
	approvals := make([]plan.Approval, len(blocks))
	for i, b := range blocks {
		approvals[i] = b.Approval
	}
	results, err := gate.CheckApprovals(pol, trust, t, authors, approvals)
	if err != nil {
		return exitError, err
	}
	code := exitAllow
	for i, r := range results {
		b := blocks[i]
		fmt.Fprintf(e.stdout, "%s:%d: %s: %s %s", b.File, b.Range.Start.Line, r.Address, r.Action, r.Target)
		if r.From != "" {
			fmt.Fprintf(e.stdout, " (from %s)", r.From)
		}
		fmt.Fprintf(e.stdout, ": %s", r.Status)
		if len(r.Principals) > 0 {
			fmt.Fprintf(e.stdout, " (signed by %s)", strings.Join(r.Principals, ", "))
		}
		if r.IssuedAt != "" {
			fmt.Fprintf(e.stdout, " (issued %s)", r.IssuedAt)
		}
		fmt.Fprintln(e.stdout)
		if b.Problem != "" {
			fmt.Fprintf(e.stdout, "  %s\n", b.Problem)
		}
		for _, p := range r.Problems {
			fmt.Fprintf(e.stdout, "  %s\n", p)
		}
		if r.Status != gate.StatusValid {
			code = exitBlock
		}
	}
	return code, nil
}
