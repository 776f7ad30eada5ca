package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/address"
	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/tfconfig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// statementFlags are the flags that describe an approval statement.
type statementFlags struct {
	policy, scope, plan, target, action, reason, expires, identity, tfBin, now string
	from, issuedAt                                                             string
	noIdentity                                                                 bool

	// Set by statement: the plan read for --plan, and the change to the
	// target found in it (nil for provision, invoke and without --plan).
	read   *plan.Plan
	change *plan.Change
}

// issuedAtNone is the --issued-at value that leaves issued_at out of the
// statement (an approval as signed before issued_at existed).
const issuedAtNone = "none"

func (s *statementFlags) register(fs *flags) {
	fs.StringVar(&s.policy, "policy", defaultPolicy, "policy `FILE`; its scope is used unless --scope is given")
	fs.StringVar(&s.scope, "scope", "", "`SCOPE` the approval is valid in (default: the policy's scope)")
	fs.StringVar(&s.plan, "plan", "", "saved `PLAN` (binary or JSON): action, identity and from are taken from the change to --target")
	fs.StringVar(&s.target, "target", "", "exact resource instance `ADDRESS` to approve (for --action invoke: the action's address, e.g. action.aws_ec2_stop_instance.db)")
	fs.StringVar(&s.action, "action", "", "delete, replace, update, forget, move, provision or invoke (an action address as --target) (default: what the plan does to --target)")
	fs.StringVar(&s.from, "from", "", "previous resource instance `ADDRESS` of a moved object (default with --plan: the change's previous address); required for --action move")
	fs.StringVar(&s.issuedAt, "issued-at", "", "signed issue `TIME`, RFC 3339 in UTC (default: now, to the second); 'none' leaves issued_at out, which rules with max_ttl do not count")
	fs.StringVar(&s.reason, "reason", "", "why, e.g. a change ticket (`TEXT`)")
	fs.StringVar(&s.expires, "expires", "24h", "validity: a `DURATION` from now (24h, 90m, 3d) or an RFC 3339 time")
	fs.StringVar(&s.identity, "identity", "", "bind the approval to the object with this prior `ID`: its canonical resource identity JSON where the plan has one (Terraform 1.12+), else its id (default with --plan: taken from the plan)")
	fs.BoolVar(&s.noIdentity, "no-identity", false, "do not bind the object's identity or id from the plan")
	fs.StringVar(&s.tfBin, "terraform-bin", "", "terraform or tofu `BINARY` to read a binary --plan")
	fs.StringVar(&s.now, "now", "", "compute --expires from this RFC 3339 `TIME` instead of now")
}

// statement builds the statement the flags describe.
func (s *statementFlags) statement(e *env) (approval.Statement, error) {
	var st approval.Statement
	if s.target == "" {
		return st, &usageError{msg: "--target is required", hint: "pass the exact address from the plan, e.g. --target 'module.data.aws_db_instance.main'"}
	}
	if s.reason == "" {
		return st, &usageError{msg: "--reason is required", hint: "say why, e.g. --reason 'CHG-1042: retire legacy database'"}
	}
	st.Target, st.Reason, st.Action, st.Identity, st.Scope = s.target, s.reason, s.action, s.identity, s.scope
	if st.Scope == "" {
		pol, err := policy.Load(s.policy)
		if err != nil {
			return st, withHint(err, "pass --scope, or --policy with the policy file")
		}
		st.Scope = pol.Scope
	}
	if s.plan != "" {
		p, err := s.readPlan(e)
		if err != nil {
			return st, err
		}
		s.read = p
		if st.Action == approval.ActionProvision {
			// The provisioners of an instance: no prior object to bind.
			if err := findProvision(p, s.target); err != nil {
				return st, err
			}
			return s.finish(st)
		}
		if _, aerr := address.ParseAction(s.target); st.Action == approval.ActionInvoke || (st.Action == "" && aerr == nil) {
			// An action invocation (Terraform 1.14+): no object to bind.
			if err := findInvocation(p, s.target); err != nil {
				return st, err
			}
			if st.Identity != "" {
				return st, &usageError{msg: "--identity does not apply to --action invoke", hint: "leave out --identity: an approval of an action invocation binds no object"}
			}
			st.Action = approval.ActionInvoke
			return s.finish(st)
		}
		ch, err := findChange(p, s.target)
		if err != nil {
			if st.Action == "" && findProvision(p, s.target) == nil {
				return st, withHint(fmt.Errorf("the plan does not delete, replace, update or forget %s, but runs its provisioners", s.target), "pass --action provision to approve them")
			}
			return st, err
		}
		if st.Action, err = planAction(ch, st.Action); err != nil {
			return st, err
		}
		if st.Action != approval.ActionProvision {
			s.change = &ch
		}
		switch {
		case st.Action == approval.ActionProvision:
			st.From = s.from // Validate refuses any from for provision
		case s.from != "" && s.from != ch.PreviousAddress && ch.PreviousAddress == "":
			return st, withHint(fmt.Errorf("--from %s: the plan does not move %s", s.from, s.target), "leave out --from: it names the previous address of a moved object")
		case s.from != "" && s.from != ch.PreviousAddress:
			return st, withHint(fmt.Errorf("--from %s: the plan moves %s from %s", s.from, s.target, ch.PreviousAddress), "leave out --from to take it from the plan")
		default:
			st.From = ch.PreviousAddress
		}
		if st.Identity == "" && !s.noIdentity {
			// The resource identity where the plan has one (Terraform
			// 1.12+), as the gate compares it; else the prior id. A
			// create that takes over a protected object binds the id
			// (identity) it takes.
			st.Identity = ch.PriorID
			if ch.PriorIdentity != "" {
				st.Identity = ch.PriorIdentity
			}
			if ch.Kind == plan.KindCreate {
				st.Identity = ch.AfterID
				if ch.AfterIdentity != "" {
					st.Identity = ch.AfterIdentity
				}
				if st.Identity == "" && len(ch.AfterStrings) > 0 {
					// Its id is unknown: the protected id an attribute
					// names, the first as the gate takes it.
					st.Identity = ch.AfterStrings[0].Value
				}
			}
		}
	} else {
		st.From = s.from
	}
	if st.Action == "" {
		return st, &usageError{msg: "--action is required without --plan", hint: "pass --action delete|replace|update|forget|move|provision|invoke, or --plan to take it from the plan"}
	}
	if st.Action == approval.ActionMove && st.From == "" {
		return st, &usageError{msg: "--action move needs --from", hint: "pass the object's previous address, e.g. --from terraform_data.prod_db, or --plan to take it from the plan"}
	}
	return s.finish(st)
}

// readPlan reads --plan. Plan JSON is read as it is (nothing runs). A
// saved plan is shown by terraform, which runs provider binaries, here, in
// the process that is about to sign (with the key, or the ssh-agent's
// socket). Under a policy with lock_file it is shown as approve-plan shows
// one: in the clean room with only the providers the trusted lock file
// pins, without the agent's socket (approvePlanReport). Without lock_file
// there is no trusted list of builds: it is shown where planguard runs, as
// before, with a warning that the builds there are whoever installed them.
func (s *statementFlags) readPlan(e *env) (*plan.Plan, error) {
	opts := plan.Options{TerraformBin: s.tfBin, Getenv: e.getenv, Stdin: e.stdin, Logger: e.log}
	if pol, err := policy.Load(s.policy); err == nil {
		// The values of new objects that name a protected id, as the
		// gate reads them (a create judged as a replace of that object).
		opts.KeepAfterString = gate.KeepAfterString(pol)
	}
	if s.plan == "-" || !savedPlanFile(s.plan) {
		return plan.Read(s.plan, opts)
	}
	pol, signers, err := check.LoadPolicy(s.policy, "")
	if err != nil || pol.LockFilePath == "" {
		fmt.Fprintf(e.stderr, "planguard: warning: showing the saved plan %s runs the provider builds this directory's .terraform (or terraform.d/, a plugin cache) holds, here, where your signing key is: in a change's own checkout those are its author's. Sign where only builds you trust are installed, pass the plan's JSON as CI rendered it (nothing runs), or set lock_file in the policy (the plan is then shown in a clean room with only its providers)\n", s.plan)
		return plan.Read(s.plan, opts)
	}
	dir, err := os.MkdirTemp("", "planguard-approve-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	res, err := (&check.Checker{Logger: e.log, Version: buildVersion()}).Check(ctx, check.Request{Policy: pol, Trust: signers, Now: time.Now(),
		Plan: check.PlanSource{Path: s.plan, TerraformBin: s.tfBin, Getenv: e.getenv, Dir: dir, Env: withoutAgent(os.Environ())}})
	if err != nil {
		return nil, withHint(fmt.Errorf("the gate could not read the plan %s in a clean room with the providers of the policy's lock_file: %w", s.plan, err),
			"the plan is shown in a clean room with only the providers the policy's lock_file pins, installed as your CLI configuration (TF_CLI_CONFIG_FILE) says; fix what the error names, or pass the plan's JSON")
	}
	return res.Plan, nil
}

// savedPlanFile says whether path is a saved plan (a zip archive) rather
// than plan JSON; a file that cannot be read, or is not a regular file (a
// FIFO would block), is left to the plan reader's error.
func savedPlanFile(path string) bool {
	f, err := safefile.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	return n == 4 && string(head) == "PK\x03\x04"
}

// finish sets the expiry and validates the statement.
func (s *statementFlags) finish(st approval.Statement) (approval.Statement, error) {
	now, err := parseNow(s.now)
	if err != nil {
		return st, err
	}
	st.ExpiresAt, err = expiry(s.expires, now)
	if err != nil {
		return st, err
	}
	switch s.issuedAt {
	case issuedAtNone:
	case "":
		st.IssuedAt = now.UTC().Truncate(time.Second).Format(time.RFC3339)
	default:
		if _, err := approval.ParseIssuedAt(s.issuedAt); err != nil {
			return st, withHint(fmt.Errorf("--issued-at: %w", err), "write it in UTC like 2026-11-24T09:30:00Z, or 'none' to leave it out")
		}
		st.IssuedAt = s.issuedAt
	}
	if err := st.Validate(); err != nil {
		return st, withHint(err, "fix the flag for that field")
	}
	return st, nil
}

// planAction returns the action an approval of ch names: the one asked for,
// which must fit the change, or by default move for an object the plan keeps
// under a new address (a no-op or update with a previous address), else the
// change's own kind.
func planAction(ch plan.Change, asked string) (string, error) {
	keptMoved := ch.PreviousAddress != "" && (ch.Kind == plan.KindNoOp || ch.Kind == plan.KindUpdate)
	switch {
	case asked == "" && keptMoved:
		return approval.ActionMove, nil
	case ch.Kind == plan.KindCreate && (asked == "" || asked == approval.ActionReplace):
		// findChange returns a create only when the plan knows its
		// object's id, or a value of it names a protected id: the gate
		// judges a create over a protected object's id as a replace of
		// that object.
		return approval.ActionReplace, nil
	case asked == "" && ch.Kind == plan.KindNoOp:
		// findChange returns a no-op only when it is moved.
		return "", fmt.Errorf("the plan leaves %s unchanged", ch.Address)
	case asked == "":
		return string(ch.Kind), nil
	case asked == string(ch.Kind) && ch.Kind != plan.KindNoOp:
		return asked, nil
	case asked == approval.ActionMove && ch.PreviousAddress != "":
		return asked, nil
	}
	what := string(ch.Kind)
	if ch.PreviousAddress != "" {
		what = "move (from " + ch.PreviousAddress + ") and " + what
	}
	return "", fmt.Errorf("the plan will %s %s, not %s", what, ch.Address, asked)
}

// findProvision checks that the plan runs a provisioner of target.
func findProvision(p *plan.Plan, target string) error {
	addrs := make([]string, 0, len(p.Provisions))
	for _, r := range p.Provisions {
		addrs = append(addrs, r.Address)
	}
	return findAddress(target, addrs, "runs no provisioner of", "the plan runs no provisioner", "instances whose provisioners the plan runs: ")
}

// findInvocation checks that the plan invokes the action at target.
func findInvocation(p *plan.Plan, target string) error {
	addrs := make([]string, 0, len(p.ActionInvocations))
	for _, a := range p.ActionInvocations {
		addrs = append(addrs, a.Address)
	}
	return findAddress(target, addrs, "does not invoke", "the plan invokes no action", "actions the plan invokes: ")
}

// findAddress reports an error, with the addresses there are as a hint,
// when target is not among addrs.
func findAddress(target string, addrs []string, missing, none, listing string) error {
	if slices.Contains(addrs, target) {
		return nil
	}
	hint := none
	if len(addrs) > 0 {
		seen := slices.Clone(addrs)
		sort.Strings(seen)
		hint = listing + strings.Join(slices.Compact(seen), ", ")
	}
	return withHint(fmt.Errorf("the plan %s %s", missing, target), hint)
}

// findChange finds the change to an address that an approval could name:
// a destructive change, an update, or a move.
func findChange(p *plan.Plan, target string) (plan.Change, error) {
	var seen []string
	for _, c := range p.Changes {
		if c.Address == target && (c.Kind.Destructive() || c.Kind == plan.KindUpdate || (c.Kind == plan.KindNoOp && c.PreviousAddress != "") ||
			(c.Kind == plan.KindCreate && (c.AfterID != "" || c.AfterIdentity != "" || len(c.AfterStrings) > 0))) {
			return c, nil
		}
		if c.Kind.Destructive() || c.PreviousAddress != "" {
			seen = append(seen, c.Address)
		}
	}
	sort.Strings(seen)
	hint := "the plan has no destructive changes or moves"
	if len(seen) > 0 {
		hint = "destructive changes and moves in the plan: " + strings.Join(seen, ", ")
	}
	return plan.Change{}, withHint(fmt.Errorf("the plan does not delete, replace, update, forget or move %s", target), hint)
}

// expiry turns --expires into an RFC 3339 time in UTC.
func expiry(v string, now time.Time) (string, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		if !t.After(now) {
			return "", fmt.Errorf("--expires %s is in the past", v)
		}
		return v, nil
	}
	d, err := parseDuration(v)
	if err != nil || d <= 0 {
		return "", withHint(fmt.Errorf("--expires %q is neither a positive duration nor an RFC 3339 time", v), "write e.g. 24h, 3d or 2026-12-01T00:00:00Z")
	}
	return now.Add(d).UTC().Truncate(time.Second).Format(time.RFC3339), nil
}

// parseDuration is time.ParseDuration plus a whole-days suffix "d".
func parseDuration(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err != nil || fmt.Sprint(days) != n || days > 3650 {
			return 0, fmt.Errorf("bad days %q", v)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

func runApprove(e *env, args []string) (int, error) {
	fs := newFlags("approve", "planguard approve --target ADDRESS --reason TEXT --principal YOU [flags]",
		`Write a planguard_approval block for one change, signed with your key. With --plan, the
action, the object's prior id and, for a moved object, its previous address (from) come
from the plan: an object the plan keeps under a new address is approved as action move,
one it moves and destroys as the destruction with from. issued_at is set to now unless
--issued-at says otherwise. The block is appended to --out (or printed); commit it, plan
again, and the gate counts it. Others add signatures with 'planguard sign'.

Before it signs, approve checks against the policy (--policy, default planguard.hcl) that
the gate would count the signature: your principal and key are on an allowed_signers line
that allows the planguard-approval namespace now; --expires is within every matching
rule's max_ttl; the identity is bound where a rule has require_identity; the target is
protected by some rule (with --plan, by the gate's verdict on that plan). Any failure is
exit 2 and nothing is written; --force signs anyway (the failures become warnings), and is
needed to sign without a policy file. A --plan that does not change --target is always an
error: leave out --plan to approve a change ahead of its plan. It then shows what you are about to sign (action, address,
object id, expiry, what else the plan destroys) and asks [y/N] when stdin is a terminal;
--yes skips the question; without a terminal the preview goes to stderr and it signs.`,
		`  planguard approve --plan tfplan --target terraform_data.prod_db --reason 'CHG-1042: retire' \
    --key ~/.ssh/id_ed25519 --principal alice@example.com --out approvals.tf
  planguard approve --scope prod --target 'module.data.aws_db_instance.main' --action replace \
    --reason 'engine upgrade' --expires 24h --principal alice@example.com
  planguard approve --scope prod --action move --from terraform_data.prod_db \
    --target module.archive.terraform_data.prod_db --reason 'CHG-2001: archive' --expires 72h \
    --principal alice@example.com
`)
	var sf statementFlags
	sf.register(fs)
	principal := fs.String("principal", "", "your identity as listed in allowed_signers (`PRINCIPAL`)")
	key := fs.String("key", "", "private key `FILE`, a public key whose private key is in ssh-agent, or a user certificate KEY-cert.pub (signs with KEY beside it or the agent's key; default: the agent's only key)")
	out := fs.String("out", "", "append the block to this .tf `FILE` (default: print it)")
	name := fs.String("name", "", "resource `NAME` of the block (default: derived from action and target)")
	force := fs.Bool("force", false, "sign even when the checks against the policy fail, or without a policy file (they become warnings)")
	yes := fs.Bool("yes", false, "do not ask for confirmation on a terminal")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "approve takes no arguments", hint: "pass everything as flags; see 'planguard approve --help'"}
	}
	if *principal == "" {
		return exitError, &usageError{msg: "--principal is required", hint: "pass your identity as listed in allowed_signers, e.g. --principal alice@example.com"}
	}
	now, err := parseNow(sf.now)
	if err != nil {
		return exitError, err
	}
	pf, err := loadPreflight(e, sf.policy, *force, false)
	if err != nil {
		return exitError, err
	}
	if pf.pol != nil && sf.scope == "" {
		sf.scope = pf.pol.Scope
	}
	st, err := sf.statement(e)
	if err != nil {
		return exitError, err
	}
	signer, err := loadSigner(e, *key)
	if err != nil {
		return exitError, err
	}
	req, protected := pf.requirement(st, sf.read, sf.change, now)
	if err := pf.judge(e, st, *principal, signer.PublicKey(), req, protected, now, sf.read != nil); err != nil {
		return exitError, err
	}
	preview := describe(st, *principal, signer.PublicKey(), req, now, sf.read)
	if ok, err := confirm(e, preview, *yes); err != nil || !ok {
		return exitBlock, err
	}
	payload, err := st.Payload()
	if err != nil {
		return exitError, err
	}
	sig, err := sshsig.Sign(signer, payload, approval.Namespace)
	if err != nil {
		return exitError, err
	}
	if *name == "" {
		*name = tfconfig.ResourceName(st.Target, st.Action)
	}
	block := tfconfig.Render(*name, st, []plan.Signature{{Principal: *principal, Signature: sig}})
	if *out == "" {
		_, err := e.stdout.Write(block)
		return exitAllow, err
	}
	if err := appendBlock(*out, *name, block); err != nil {
		return exitError, err
	}
	id, _ := st.ID()
	fmt.Fprintf(e.stderr, "planguard: wrote %s.%s to %s: %s %s, signed by %s (payload sha256 %s)\n", tfconfig.ResourceType, *name, *out, st.Action, st.Target, *principal, id)
	return exitAllow, nil
}

// maxTFFile bounds a .tf file approve and sign read.
const maxTFFile = 64 << 20

// appendBlock appends a block to a .tf file, refusing a second block of the same name.
func appendBlock(path, name string, block []byte) error {
	old, err := safefile.ReadFile(path, maxTFFile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if len(old) > 0 {
		bs, err := tfconfig.Parse(old, path)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if b.Name == name {
				return withHint(fmt.Errorf("%s already has %s.%s", path, tfconfig.ResourceType, name),
					"to co-sign it run 'planguard sign --file "+path+" --name "+name+"'; for a new approval pass another --name")
			}
		}
		if old[len(old)-1] != '\n' {
			old = append(old, '\n')
		}
		old = append(old, '\n')
	}
	return writeFileAtomic(path, append(old, block...))
}

// writeFileAtomic replaces path's content in one rename.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".planguard-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.Chmod(f.Name(), mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// preflight is what approve and sign check a signature against before they
// make it, so that an approver cannot sign a dud: the policy the gate uses
// and its trust file (both nil when signing without a policy).
type preflight struct {
	pol   *policy.Policy
	trust *trust.AllowedSigners
	force bool
}

// loadPreflight loads the policy at path. A missing policy is refused
// unless force (or missingOK, for a default path sign did not insist on):
// then the checks are skipped, with a warning.
func loadPreflight(e *env, path string, force, missingOK bool) (*preflight, error) {
	pf := &preflight{force: force}
	pol, trust, err := loadPolicy(path)
	switch {
	case err == nil:
		pf.pol, pf.trust = pol, trust
		return pf, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case !force && !missingOK:
		return nil, withHint(fmt.Errorf("no policy at %s: planguard checks your key, the rules and the plan against the gate's policy before it signs", path),
			"pass --policy with the policy file the gate uses, or --force (and --scope) to sign without these checks")
	}
	fmt.Fprintf(e.stderr, "planguard: warning: no policy at %s: not checked whether the gate would count this signature (pass --policy to check)\n", path)
	return pf, nil
}

// requirement is what the policy requires of approvals of st, and false
// when nothing requires one. With a plan it is the gate's own verdict on
// the change (every address the object is judged under); without, the
// rules that match the target (and from), or for a move the rules the
// object leaves.
func (pf *preflight) requirement(st approval.Statement, p *plan.Plan, ch *plan.Change, now time.Time) (policy.Requirement, bool) {
	if pf.pol == nil {
		return policy.Requirement{}, false
	}
	switch st.Action {
	case approval.ActionProvision:
		return pf.pol.ProvisionRequirement(st.Target, ""), true
	case approval.ActionInvoke:
		a, err := address.ParseAction(st.Target)
		if err != nil {
			return policy.Requirement{}, false
		}
		req, allowedBy := pf.pol.ActionRequirement(a.Type)
		return req, len(allowedBy) == 0
	}
	if p != nil && ch != nil {
		if rep, err := gate.Decide(gate.Input{Plan: p, Policy: pf.pol, Trust: pf.trust, Now: now}); err == nil {
			for _, c := range rep.Changes {
				if c.Address == st.Target && c.Action == st.Action && c.Protected {
					return policy.Requirement{Rules: c.Rules, Approvals: c.RequiredApprovals, MaxTTL: c.MaxTTL, RequireIdentity: c.RequireIdentity}, true
				}
			}
			return policy.Requirement{}, false
		}
	}
	var rules []*policy.Rule
	if st.Action == approval.ActionMove {
		stays := pf.pol.RulesFor(st.Target, "")
		for _, r := range pf.pol.RulesFor(st.From, "") {
			if !slices.Contains(stays, r) {
				rules = append(rules, r)
			}
		}
	} else {
		rules = pf.pol.Match(st.Target, "", st.Action)
		if st.From != "" {
			rules = append(rules, pf.pol.Match(st.From, "", st.Action)...)
		}
		if st.Identity != "" {
			// ids rules, by the object's id or its identity's values.
			for _, r := range pf.pol.MatchID(append([]string{st.Identity}, plan.IdentityValues(st.Identity)...), st.Action) {
				if !slices.Contains(rules, r) {
					rules = append(rules, r)
				}
			}
			slices.SortStableFunc(rules, func(x, y *policy.Rule) int { return slices.Index(pf.pol.Rules, x) - slices.Index(pf.pol.Rules, y) })
		}
	}
	return policy.RequirementOf(rules), len(rules) > 0
}

// judge checks that the gate would count a signature by principal with key
// on st: the scope, the principal's allowed_signers line, and the
// requirement (protected, max_ttl, require_identity). Each failure is an
// error, or with force a warning.
func (pf *preflight) judge(e *env, st approval.Statement, principal string, key ssh.PublicKey, req policy.Requirement, protected bool, now time.Time, withPlan bool) error {
	var problems []*hint.Error
	add := func(advice, format string, a ...any) {
		problems = append(problems, &hint.Error{Err: fmt.Errorf(format, a...), Hint: advice})
	}
	// A signature carries no trusted time: the gate checks the certificate
	// at the time of the check, so an approval outliving its certificate
	// stops counting when the certificate expires, whatever expires_at says.
	if cert, ok := key.(*ssh.Certificate); ok && cert.ValidBefore != ssh.CertTimeInfinity {
		until := time.Unix(int64(min(cert.ValidBefore, 1<<62)), 0).UTC()
		if exp, err := approval.ParseExpiry(st.ExpiresAt); err == nil && exp.After(until) {
			add(fmt.Sprintf("pass --expires %s or earlier, or sign with a certificate valid until the approval expires", until.Format(time.RFC3339)),
				"certificate %q (serial %d) is valid only until %s, before this approval expires (%s): a signature carries no trusted time, "+
					"so the gate counts it only while the certificate is valid at the time of the check", cert.KeyId, cert.Serial, until.Format(time.RFC3339), st.ExpiresAt)
		}
	}
	if pf.pol == nil {
		return pf.verdict(e, problems)
	}
	if st.Scope != pf.pol.Scope {
		add("leave out --scope to use the policy's", "scope %q: the policy %s counts only approvals of scope %q", st.Scope, pf.pol.Filename, pf.pol.Scope)
	}
	if line, err := pf.trust.AuthorizeKey(principal, key, approval.Namespace, now); err != nil {
		advice := fmt.Sprintf("check --principal and --key; to be trusted, the maintainers of %s add the line: %s namespaces=%q %s",
			pf.pol.AllowedSignersPath, principal, approval.Namespace, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))))
		if cert, ok := key.(*ssh.Certificate); ok {
			advice = fmt.Sprintf("check --principal and --key; the certificate must name %s among its principals and be valid now, and %s must trust its CA with: %s cert-authority,namespaces=%q %s",
				principal, pf.pol.AllowedSignersPath, principal, approval.Namespace, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(cert.SignatureKey))))
		}
		add(advice, "the gate would not count this signature: %s", err)
	} else if exp, err := approval.ParseExpiry(st.ExpiresAt); err == nil && !line.ValidBefore.IsZero() && exp.After(line.ValidBefore) {
		fmt.Fprintf(e.stderr, "planguard: warning: allowed_signers line %d trusts your key only until %s, before this approval expires (%s): it stops counting then\n",
			line.Line, line.ValidBefore.UTC().Format(time.RFC3339), st.ExpiresAt)
	}
	where := "the policy " + pf.pol.Filename
	if withPlan {
		where += " in this plan"
	}
	switch {
	case !protected:
		add("check --target and --action ('planguard protected --policy "+pf.pol.Filename+" STATE' lists what the policy protects)",
			"no rule of %s requires an approval to %s %s: the gate would never use this one", where, st.Action, st.Target)
	case req.MaxTTL > 0 && st.IssuedAt == "":
		add("leave out --issued-at none", "rule(s) %s have max_ttl %s, which counts only approvals with issued_at", strings.Join(req.Rules, ", "), req.MaxTTL)
	case req.MaxTTL > 0:
		exp, _ := approval.ParseExpiry(st.ExpiresAt)
		issued, _ := approval.ParseIssuedAt(st.IssuedAt)
		if life := exp.Sub(issued); life > req.MaxTTL {
			add(fmt.Sprintf("pass --expires %s or less", req.MaxTTL), "valid for %s, longer than the max_ttl %s of rule(s) %s", life, req.MaxTTL, strings.Join(req.Rules, ", "))
		}
	}
	if protected && req.RequireIdentity && st.Identity == "" {
		add("pass --plan (the identity comes from the plan) or --identity ID, and leave out --no-identity",
			"rule(s) %s have require_identity, and this approval binds no object identity", strings.Join(req.Rules, ", "))
	}
	return pf.verdict(e, problems)
}

// verdict is nil without problems, their warnings with force, else an
// error naming them all.
func (pf *preflight) verdict(e *env, problems []*hint.Error) error {
	if len(problems) == 0 {
		return nil
	}
	if pf.force {
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "planguard: warning: %s (signing anyway: --force)\n", p.Err)
		}
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Err.Error()
	}
	return withHint(fmt.Errorf("not signed: %s", strings.Join(msgs, "; ")), problems[0].Hint+"; --force signs anyway")
}

// describe is the preview of what is about to be signed.
func describe(st approval.Statement, principal string, key ssh.PublicKey, req policy.Requirement, now time.Time, p *plan.Plan) string {
	var b strings.Builder
	if cert, ok := key.(*ssh.Certificate); ok {
		fmt.Fprintf(&b, "planguard: about to sign as %s (certificate %q, serial %d, key %s):\n", principal, cert.KeyId, cert.Serial, ssh.FingerprintSHA256(cert.Key))
	} else {
		fmt.Fprintf(&b, "planguard: about to sign as %s (key %s):\n", principal, ssh.FingerprintSHA256(key))
	}
	fmt.Fprintf(&b, "  %-9s %s %s (scope %s)\n", "change", st.Action, st.Target, st.Scope)
	if st.From != "" {
		fmt.Fprintf(&b, "  %-9s %s\n", "from", st.From)
	}
	object := st.Identity
	if object == "" {
		object = "(none bound: any object at this address)"
	}
	fmt.Fprintf(&b, "  %-9s %s\n", "object", object)
	if exp, err := approval.ParseExpiry(st.ExpiresAt); err == nil {
		fmt.Fprintf(&b, "  %-9s %s (in %s)\n", "expires", st.ExpiresAt, exp.Sub(now).Round(time.Minute))
	}
	fmt.Fprintf(&b, "  %-9s %s\n", "reason", st.Reason)
	if len(req.Rules) > 0 {
		fmt.Fprintf(&b, "  %-9s %d approval(s) under rule(s) %s\n", "needs", req.Approvals, strings.Join(req.Rules, ", "))
	}
	if p != nil {
		var others []string
		for _, c := range p.Changes {
			if c.Kind.Destructive() && c.Address != st.Target {
				others = append(others, string(c.Kind)+" "+c.Address)
			}
		}
		sort.Strings(others)
		switch {
		case len(others) == 0:
			fmt.Fprintf(&b, "  %-9s nothing else\n", "the plan also destroys")
		case len(others) > 10:
			others = append(others[:10], fmt.Sprintf("and %d more", len(others)-10))
			fallthrough
		default:
			fmt.Fprintf(&b, "  the plan also destroys: %s\n", strings.Join(others, ", "))
		}
	}
	return b.String()
}

// confirm prints the preview on stderr and, when stdin is a terminal and
// not yes, asks [y/N]; anything but y or yes declines.
func confirm(e *env, preview string, yes bool) (bool, error) {
	fmt.Fprint(e.stderr, preview)
	if yes || !stdinTerminal(e) {
		return true, nil
	}
	fmt.Fprint(e.stderr, "Sign? [y/N] ")
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	fmt.Fprintln(e.stderr, "planguard: not signed; nothing written")
	return false, nil
}

// stdinTerminal reports whether stdin is a terminal (an *os.File is also a
// writer, which is what isTerminal takes).
func stdinTerminal(e *env) bool {
	w, ok := e.stdin.(io.Writer)
	return ok && e.isTerminal != nil && e.isTerminal(w)
}
