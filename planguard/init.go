package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

func runInit(e *env, args []string) (int, error) {
	fs := newFlags("init", "planguard init [--scope NAME] --signer PRINCIPAL=PUBKEYFILE... [--protect GLOB]... [--provider SOURCE]... [DIR]",
		`Write a first policy, DIR/planguard.hcl (commented), and its trust file, DIR/allowed_signers,
which 'planguard check' accepts as they are (DIR defaults to the current directory). Each
--signer adds an approver: PRINCIPAL and the public key in PUBKEYFILE (an OpenSSH .pub,
e.g. from ssh-keygen -t ed25519-sk), trusted for the planguard-approval namespace only.
Each --protect adds what needs approval: a glob with a dot is a resource address glob
(terraform_data.db, module.data.**), without one a resource type glob (aws_db_*); with
none, every resource is protected. The policy lists the providers a plan may use: Terraform's
built-in provider, planguard's, and each --provider (a source address glob as the plan
prints it, e.g. registry.terraform.io/hashicorp/aws); a plan with another is refused.
Existing files are never overwritten.

Keep both files where the authors of the changes — people and coding agents — cannot
write them: the gate trusts nothing else.`,
		`  planguard init --scope prod --signer alice@example.com=$HOME/.ssh/id_ed25519_sk.pub \
    --protect 'aws_db_instance' --protect 'module.data.**' \
    --provider registry.terraform.io/hashicorp/aws /etc/planguard
`)
	scope := fs.String("scope", "prod", "`NAME` of the scope approvals must name (e.g. prod, staging)")
	var signers, protects, providers listFlag
	fs.Var(&signers, "signer", "an approver: `PRINCIPAL=PUBKEYFILE` (repeat for each)")
	fs.Var(&protects, "protect", "what needs approval: an address `GLOB` (with a dot) or a resource type glob (repeat; default: every resource)")
	fs.Var(&providers, "provider", "a provider `SOURCE` glob plans may use besides terraform.io/builtin/terraform and planguard's (repeat)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() > 1 {
		return exitError, &usageError{msg: "init takes at most one DIR", hint: "run 'planguard init --signer you@example.com=KEY.pub DIR'"}
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if err := approval.ValidScope(*scope); err != nil {
		return exitError, withHint(fmt.Errorf("--scope: %w", err), "use letters, digits, '.', '_' and '-', e.g. --scope prod")
	}
	if len(signers) == 0 {
		return exitError, withHint(errors.New("init needs at least one --signer: no approval can count without a trusted key"),
			"make a key (ssh-keygen -t ed25519-sk -C you@example.com, or without a security key ssh-keygen -t ed25519) and pass --signer you@example.com=$HOME/.ssh/id_ed25519_sk.pub")
	}
	trust, err := trustFile(signers)
	if err != nil {
		return exitError, err
	}
	var types, addrs []string
	for _, g := range protects {
		if strings.Contains(g, ".") {
			addrs = append(addrs, g)
		} else {
			types = append(types, g)
		}
	}
	if len(protects) == 0 {
		addrs = []string{"**"}
	}
	for _, p := range providers {
		if p != strings.ToLower(p) || strings.Count(p, "/") != 2 {
			return exitError, withHint(fmt.Errorf("--provider %q is not a provider source address HOSTNAME/NAMESPACE/TYPE in lower case", p),
				"e.g. --provider registry.terraform.io/hashicorp/aws (as the plan JSON's provider_name prints it)")
		}
	}
	pol := policyFile(*scope, types, addrs, providers, min(2, len(signers)))
	// The result must be a policy the gate loads: checked before anything is written.
	if _, err := policy.Parse([]byte(pol), "planguard.hcl"); err != nil {
		return exitError, withHint(fmt.Errorf("--protect or --provider: %w", err), "see the glob language in docs/guides/policy.md")
	}
	polPath, trustPath := filepath.Join(dir, "planguard.hcl"), filepath.Join(dir, "allowed_signers")
	for _, p := range []string{polPath, trustPath} {
		if _, err := os.Lstat(p); err == nil {
			return exitError, withHint(fmt.Errorf("%s exists; init never overwrites", p), "choose another DIR, or edit the existing files (docs/guides/policy.md)")
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return exitError, err
	}
	if err := writeNew(trustPath, []byte(trust), 0o644); err != nil {
		return exitError, err
	}
	if err := writeNew(polPath, []byte(pol), 0o644); err != nil {
		os.Remove(trustPath)
		return exitError, err
	}
	if _, err := policy.Load(polPath); err != nil {
		return exitError, fmt.Errorf("the files written do not load (a bug): %w", err)
	}
	abs, _ := filepath.Abs(polPath)
	fmt.Fprintf(e.stdout, `Wrote %s and %s: scope %q, %d approver(s), protecting %s.

Keep both files where the authors of your Terraform changes — people and coding agents —
cannot write them: a repository or branch they cannot push to (with CODEOWNERS), a CI
secret, or a root-owned directory such as /etc/planguard. The gate trusts only these files.
Never put them in the repository the change comes from.

Next, where your Terraform configuration is:
  terraform plan -out tfplan
  planguard check --policy %s tfplan
`, polPath, trustPath, *scope, len(signers), strings.Join(append(types, addrs...), ", "), abs)
	return exitAllow, nil
}

// trustFile is an allowed_signers file of the --signer values.
func trustFile(signers []string) (string, error) {
	var b strings.Builder
	b.WriteString(`# Who may approve: one line per trusted key, in OpenSSH allowed_signers format
#   PRINCIPAL namespaces="planguard-approval" KEYTYPE KEY
# (as ssh-keygen -Y verify and git read it). Add valid-before="YYYYMMDDZ" to a line to
# stop trusting the key then; delete the line to stop at once. Written by planguard init.
`)
	for _, s := range signers {
		principal, file, ok := strings.Cut(s, "=")
		if !ok || principal == "" || file == "" || strings.ContainsAny(principal, " \t\"") {
			return "", &usageError{msg: fmt.Sprintf("--signer %q is not PRINCIPAL=PUBKEYFILE", s), hint: "e.g. --signer alice@example.com=$HOME/.ssh/id_ed25519.pub"}
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return "", withHint(fmt.Errorf("--signer %s: %w", principal, err), "pass the public key file (.pub)")
		}
		key, _, _, _, err := ssh.ParseAuthorizedKey(raw)
		if err != nil {
			return "", withHint(fmt.Errorf("--signer %s: %s is not an OpenSSH public key: %w", principal, file, err), "pass the .pub file, not the private key")
		}
		fmt.Fprintf(&b, "%s namespaces=%q %s\n", principal, approval.Namespace, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))))
	}
	return b.String(), nil
}

// policyFile is the commented policy init writes: one protect block for
// the type globs and one for the address globs (a block with both would
// protect only what matches a type and an address).
func policyFile(scope string, types, addrs, providers []string, approvals int) string {
	list := func(gs []string) string {
		q := make([]string, len(gs))
		for i, g := range gs {
			q[i] = fmt.Sprintf("%q", g)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	var blocks []string
	block := func(name, attr string) string {
		return fmt.Sprintf(`protect %q {
%s

  # Guarded actions: delete, replace and forget (removed { lifecycle { destroy = false } }).
  # Add "update" with attributes = ["deletion_protection"] to guard some in-place updates.
  actions = ["delete", "replace", "forget"]

  # Distinct trusted people who must sign each change.
  approvals = %d

  # Refuse approvals signed to last longer than this (planguard approve --expires 24h).
  max_ttl = "72h"

  # Approvals must name the object's identity (its id), so an approval for one database
  # cannot delete another one later put at the same address. planguard approve --plan
  # takes it from the plan.
  require_identity = true
}
`, name, attr, approvals)
	}
	if len(types) > 0 {
		blocks = append(blocks, block("by_type", "  # Resource type globs: * matches any run of characters.\n  types = "+list(types)))
	}
	if len(addrs) > 0 {
		blocks = append(blocks, block("by_address", "  # Resource address globs, matched step by step; ** is any module depth.\n  addresses = "+list(addrs)))
	}
	return fmt.Sprintf(`# planguard policy, written by planguard init. Reference: docs/guides/policy.md
#
# The gate (planguard check, planguard apply) reads this file and the trust file it names.
# Keep both where the authors of the changes — people and coding agents — cannot write them.

# Every approval names a scope; the gate counts only approvals of this one, so an approval
# signed for staging cannot be replayed in prod. One policy (and scope) per environment.
scope = %q

trust {
  # Who may approve (OpenSSH allowed_signers). Relative to this file's directory.
  allowed_signers = "allowed_signers"
}

# The state the apply writes. A saved plan records its backend, and whoever writes the change
# writes the backend block: pointed at a fresh state, a plan shows the gate none of the objects
# the apply then changes. planguard apply refuses a policy without this block. As written it
# pins the local backend with no settings (a configuration without a backend block):
# terraform.tfstate in the directory planguard runs in. Name your real backend instead, e.g.
#   state {
#     backend = "s3"
#     config  = { bucket = "acme-tf", key = "prod/terraform.tfstate", region = "eu-west-1" }
#   }
state {
  backend = "local"
}

# The providers a plan may use; a plan with any other is refused before any provider runs.
# A provider is a program that runs with the job's credentials during plan, show and apply,
# and the plan's own lock file (its author's) names the rest. planguard apply refuses a policy
# with neither this list nor lock_file. Better still, add lock_file = "FILE" with a reviewed
# .terraform.lock.hcl: it pins the versions and builds too (docs/guides/policy.md, "Pinning
# provider binaries").
providers = %s

# What needs approval. A resource matched by several rules needs the strictest of them.
%s`, scope, list(append([]string{"terraform.io/builtin/terraform", "registry.terraform.io/planguard/planguard", "registry.opentofu.org/planguard/planguard"}, providers...)), strings.Join(blocks, "\n"))
}
