package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/tfconfig"
)

// blockFilter narrows the selection of a block by its from and issued_at
// (for two approvals of one target, e.g. a move and a delete): "" matches
// any value; issuedAt "none" matches a block without issued_at.
type blockFilter struct{ from, issuedAt string }

func (f blockFilter) match(a plan.Approval) bool {
	if f.from != "" && a.From != f.from {
		return false
	}
	switch f.issuedAt {
	case "":
		return true
	case issuedAtNone:
		return a.IssuedAt == ""
	}
	return a.IssuedAt == f.issuedAt
}

func (f blockFilter) String() string {
	var parts []string
	if f.from != "" {
		parts = append(parts, "from "+f.from)
	}
	if f.issuedAt != "" {
		parts = append(parts, "issued_at "+f.issuedAt)
	}
	return strings.Join(parts, " ")
}

// selectBlock finds one planguard_approval block in file by name or target,
// and filter.
func selectBlock(file, name, target string, filter blockFilter) (tfconfig.Block, []byte, error) {
	if file == "" {
		return tfconfig.Block{}, nil, &usageError{msg: "--file is required", hint: "pass the .tf file that holds the planguard_approval block"}
	}
	if (name == "") == (target == "") {
		return tfconfig.Block{}, nil, &usageError{msg: "pass exactly one of --name and --target", hint: "--name is the block's resource name; --target the address it approves"}
	}
	src, err := safefile.ReadFile(file, maxTFFile)
	if err != nil {
		return tfconfig.Block{}, nil, fmt.Errorf("read %s: %w", file, err)
	}
	bs, err := tfconfig.Parse(src, file)
	if err != nil {
		return tfconfig.Block{}, nil, err
	}
	var found []tfconfig.Block
	for _, b := range bs {
		if ((name != "" && b.Name == name) || (target != "" && b.Approval.Target == target)) && filter.match(b.Approval) {
			found = append(found, b)
		}
	}
	switch len(found) {
	case 0:
		return tfconfig.Block{}, nil, fmt.Errorf("%s has no planguard_approval block with %s", file, strings.Join(strings.Fields("name "+name+" target "+target+" "+filter.String()), " "))
	case 1:
	default:
		return tfconfig.Block{}, nil, withHint(fmt.Errorf("%s has %d approvals for target %s", file, len(found), target), "select one with --name, or with --from / --issued-at")
	}
	b := found[0]
	if b.Problem != "" {
		return b, nil, withHint(errors.New(b.Problem), "write the approval's attributes as literal strings")
	}
	return b, src, nil
}

func runSign(e *env, args []string) (int, error) {
	fs := newFlags("sign", "planguard sign --file FILE (--name NAME | --target ADDRESS) --principal YOU [--key KEY | --signature SIGFILE]",
		`Add your signature to an existing planguard_approval block, for a quorum. Sign with your
key, or add a signature made elsewhere with plain ssh-keygen over 'planguard payload'.
You co-sign the block's statement exactly as written, its from and issued_at included;
--from and --issued-at only select the block. The file is rewritten in place; everything
else in it is kept.

Before it signs, sign checks the block and your key against the policy as approve does
(scope, your allowed_signers line, max_ttl, require_identity, a rule protecting the
target); a failure is exit 2 unless --force. Without --policy and no planguard.hcl here,
it warns that nothing was checked and signs. It shows the preview and asks [y/N] on a
terminal (--yes skips the question).`,
		`  planguard sign --file approvals.tf --target terraform_data.prod_db --principal bob@example.com --key ~/.ssh/id_ed25519
  planguard payload --file approvals.tf --name delete_terraform_data_prod_db > payload
  ssh-keygen -Y sign -n planguard-approval -f ~/.ssh/id_ed25519 payload   # writes payload.sig
  planguard sign --file approvals.tf --name delete_terraform_data_prod_db --principal bob@example.com --signature payload.sig
`)
	file := fs.String("file", "", ".tf `FILE` holding the approval")
	name := fs.String("name", "", "resource `NAME` of the planguard_approval block")
	target := fs.String("target", "", "select the block by its target `ADDRESS`")
	principal := fs.String("principal", "", "your identity as listed in allowed_signers (`PRINCIPAL`)")
	key := fs.String("key", "", "private key `FILE`, public key with ssh-agent, or user certificate KEY-cert.pub")
	sigFile := fs.String("signature", "", "add this armored SSH signature `FILE` (from ssh-keygen -Y sign) instead of signing")
	var filter blockFilter
	fs.StringVar(&filter.from, "from", "", "select only a block whose from is `ADDRESS` (the block's values are signed as written)")
	fs.StringVar(&filter.issuedAt, "issued-at", "", "select only a block whose issued_at is `TIME` ('none': without issued_at)")
	policyPath := fs.String("policy", defaultPolicy, "policy `FILE` to check the signature against before signing (a missing default is a warning)")
	force := fs.Bool("force", false, "sign even when the checks against the policy fail (they become warnings)")
	yes := fs.Bool("yes", false, "do not ask for confirmation on a terminal")
	now := fs.String("now", "", "check trust at this RFC 3339 `TIME` instead of now")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if *principal == "" {
		return exitError, &usageError{msg: "--principal is required", hint: "pass your identity as listed in allowed_signers"}
	}
	t, err := parseNow(*now)
	if err != nil {
		return exitError, err
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "policy" })
	pf, err := loadPreflight(e, *policyPath, *force, !explicit)
	if err != nil {
		return exitError, err
	}
	b, src, err := selectBlock(*file, *name, *target, filter)
	if err != nil {
		return exitError, err
	}
	for _, s := range b.Approval.Signatures {
		if s.Principal == *principal {
			return exitError, fmt.Errorf("%s already signed %s.%s", *principal, tfconfig.ResourceType, b.Name)
		}
	}
	st := b.Approval.Statement
	payload, err := st.Payload()
	if err != nil {
		return exitError, withHint(fmt.Errorf("%s.%s: %w", tfconfig.ResourceType, b.Name, err), "fix the block before signing it")
	}
	var sig string
	var signer ssh.Signer
	var pub ssh.PublicKey
	if *sigFile != "" {
		raw, err := safefile.ReadFile(*sigFile, maxKeyFile)
		if err != nil {
			return exitError, fmt.Errorf("read signature: %w", err)
		}
		parsed, err := sshsig.Parse(string(raw))
		if err == nil {
			err = parsed.Verify(payload, approval.Namespace)
		}
		if err != nil {
			return exitError, withHint(fmt.Errorf("signature %s: %w", *sigFile, err), "sign the exact output of 'planguard payload' with ssh-keygen -Y sign -n planguard-approval")
		}
		sig, pub = string(raw), parsed.PublicKey
	} else {
		if signer, err = loadSigner(e, *key); err != nil {
			return exitError, err
		}
		pub = signer.PublicKey()
	}
	req, protected := pf.requirement(st, nil, nil, t)
	if err := pf.judge(e, st, *principal, pub, req, protected, t, false); err != nil {
		return exitError, err
	}
	if ok, err := confirm(e, describe(st, *principal, pub, req, t, nil), *yes); err != nil || !ok {
		return exitBlock, err
	}
	if signer != nil {
		if sig, err = sshsig.Sign(signer, payload, approval.Namespace); err != nil {
			return exitError, err
		}
	}
	out, err := tfconfig.AddSignature(src, *file, b.Name, plan.Signature{Principal: *principal, Signature: sig})
	if err != nil {
		return exitError, err
	}
	if err := writeFileAtomic(*file, out); err != nil {
		return exitError, err
	}
	fmt.Fprintf(e.stderr, "planguard: %s signed %s.%s in %s (%d signature(s))\n", *principal, tfconfig.ResourceType, b.Name, *file, len(b.Approval.Signatures)+1)
	return exitAllow, nil
}

func runPayload(e *env, args []string) (int, error) {
	fs := newFlags("payload", "planguard payload (--file FILE (--name NAME | --target ADDRESS) | statement flags)",
		`Print the exact bytes an approver signs (canonical JSON, no trailing newline), for signing
with plain 'ssh-keygen -Y sign -n planguard-approval'. Take the statement from an existing
block (--file; then --target, --from and --issued-at only select the block), or describe it
with the same flags as 'planguard approve' (issued_at defaults to now: pass --issued-at and
an RFC 3339 --expires to print the same bytes again later).`,
		`  planguard payload --file approvals.tf --name delete_terraform_data_prod_db > payload
  ssh-keygen -Y sign -n planguard-approval -f ~/.ssh/id_ed25519 payload
`)
	file := fs.String("file", "", ".tf `FILE` holding the approval")
	name := fs.String("name", "", "resource `NAME` of the planguard_approval block")
	var sf statementFlags
	sf.register(fs)
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	var st approval.Statement
	if *file != "" {
		b, _, err := selectBlock(*file, *name, sf.target, blockFilter{from: sf.from, issuedAt: sf.issuedAt})
		if err != nil {
			return exitError, err
		}
		st = b.Approval.Statement
	} else {
		var err error
		if st, err = sf.statement(e); err != nil {
			return exitError, err
		}
	}
	p, err := st.Payload()
	if err != nil {
		return exitError, err
	}
	_, err = e.stdout.Write(p)
	return exitAllow, err
}

func runKeygen(e *env, args []string) (int, error) {
	fs := newFlags("keygen", "planguard keygen --out FILE --principal YOU",
		`Make an ed25519 signing key: FILE (private, mode 0600) and FILE.pub. Prints the line to add
to the trust file (allowed_signers), limited to the planguard-approval namespace. The key
is NOT encrypted: anyone who reads FILE can approve as you. Prefer a key on a FIDO
security key, which needs a touch to sign and never leaves the hardware
(ssh-keygen -t ed25519-sk), or at least a passphrase (ssh-keygen -t ed25519, then
ssh-add). Any ssh-keygen key works with planguard.`,
		`  planguard keygen --out ~/.ssh/planguard_ed25519 --principal alice@example.com >> allowed_signers.proposed
`)
	out := fs.String("out", "", "private key `FILE` to create")
	principal := fs.String("principal", "", "identity for the allowed_signers line (`PRINCIPAL`)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if *out == "" || *principal == "" {
		return exitError, &usageError{msg: "--out and --principal are required", hint: "run 'planguard keygen --out ~/.ssh/planguard_ed25519 --principal you@example.com'"}
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return exitError, err
	}
	block, err := ssh.MarshalPrivateKey(priv, *principal)
	if err != nil {
		return exitError, err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return exitError, err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " " + *principal
	if err := writeNew(*out, pem.EncodeToMemory(block), 0o600); err != nil {
		return exitError, err
	}
	if err := writeNew(*out+".pub", []byte(line+"\n"), 0o644); err != nil {
		return exitError, err
	}
	fmt.Fprintf(e.stderr, "planguard: wrote %s and %s (%s)\n", *out, *out+".pub", ssh.FingerprintSHA256(sshPub))
	fmt.Fprintf(e.stderr, "planguard: warning: %s is not encrypted: anyone who can read it can approve as %s\n", *out, *principal)
	fmt.Fprintln(e.stderr, "planguard: hint: for real approvals use a FIDO security key (ssh-keygen -t ed25519-sk -C "+*principal+"), or a passphrase and ssh-agent")
	fmt.Fprintf(e.stdout, "%s namespaces=%q %s\n", *principal, approval.Namespace, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))))
	return exitAllow, nil
}

// writeNew creates a file that must not exist yet.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return withHint(fmt.Errorf("create %s: %w", path, err), "planguard never overwrites a key; choose another --out")
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
