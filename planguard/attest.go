package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/attest"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// writeAttestation signs the check's attestation (internal/attest) with the
// key at keyPath and writes it to path.
func writeAttestation(e *env, path, keyPath string, res *check.Result) error {
	if len(res.Report.Plan.SHA256) != 64 {
		return fmt.Errorf("cannot attest: the plan has no SHA-256")
	}
	signer, err := loadSigner(e, keyPath)
	if err != nil {
		return fmt.Errorf("attestation key: %w", err)
	}
	out, err := attest.Sign(signer, res)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, out); err != nil {
		return fmt.Errorf("attestation: %w", err)
	}
	return nil
}

// attestationCheck is what the attestation flags say an attestation must show.
type attestationCheck struct {
	path, signers, principal, policySHA256, scope string
	maxAge                                        time.Duration
	now                                           time.Time
}

// verifyAttestation checks an attestation for a plan with the given SHA-256
// (attest.Verify) and returns its predicate. Any problem is an error.
func verifyAttestation(a attestationCheck, planSHA256 string) (*attest.Predicate, error) {
	return attest.Verify(attest.Check{Path: a.path, Signers: a.signers, Principal: a.principal, PolicySHA256: a.policySHA256, Scope: a.scope, MaxAge: a.maxAge, Now: a.now}, planSHA256)
}

func (a *attestationCheck) register(fs *flags) {
	fs.StringVar(&a.signers, "attestation-signers", "", "allowed_signers `FILE` that lists the gate's key")
	fs.StringVar(&a.principal, "attestation-principal", "planguard-gate", "`PRINCIPAL` of the gate's key in --attestation-signers")
	fs.DurationVar(&a.maxAge, "max-age", time.Hour, "refuse attestations older than this `DURATION`")
	fs.StringVar(&a.scope, "scope", "", "also require the attested check's scope to be `NAME` (the pinned policy's scope)")
}

// requireAttestationPin refuses to accept an attestation without a policy
// hash to compare it with (attest.RequirePin).
func requireAttestationPin(a attestationCheck) error { return attest.RequirePin(a.policySHA256) }

func runVerifyAttestation(e *env, args []string) (int, error) {
	fs := newFlags("verify-attestation", "planguard verify-attestation --attestation FILE --attestation-signers FILE --policy-sha256 SHA256 [flags] PLANFILE",
		`Verify an attestation written by 'planguard check --attest' for a saved plan, in a later
pipeline stage: the gate's signature (trusted by --attestation-signers for
--attestation-principal), the plan file's SHA-256, the policy hash the check used
(--policy-sha256, required), the scope (--scope, optional), its age, and the decision.
Exit status: 0 valid and allowed, 1 valid but blocked, 2 anything else. Prefer
'planguard apply --attestation', which also applies exactly the verified file.`,
		`  planguard verify-attestation --attestation check.att --attestation-signers gate_signers --policy-sha256 "$PIN" tfplan
`)
	var a attestationCheck
	fs.StringVar(&a.path, "attestation", "", "attestation `FILE` from check --attest")
	a.register(fs)
	fs.StringVar(&a.policySHA256, "policy-sha256", "", "require the check to have used the policy with this policy hash `SHA256` ('planguard policy-hash'; required)")
	now := fs.String("now", "", "judge the age at this RFC 3339 `TIME` instead of now")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 || a.path == "" || a.signers == "" {
		return exitError, &usageError{msg: "verify-attestation needs --attestation, --attestation-signers, --policy-sha256 and one PLANFILE", hint: "run 'planguard verify-attestation --help'"}
	}
	if err := requireAttestationPin(a); err != nil {
		return exitError, err
	}
	var err error
	if a.now, err = parseNow(*now); err != nil {
		return exitError, err
	}
	sum, err := fileSHA256(fs.Arg(0))
	if err != nil {
		return exitError, err
	}
	p, err := verifyAttestation(a, sum)
	if err != nil {
		return exitError, err
	}
	for _, req := range []func(*attest.Predicate, string) error{attest.RequireStatePinned, attest.RequireProvidersPinned} {
		if err := req(p, a.path); err != nil {
			fmt.Fprintf(e.stderr, "planguard: warning: %s; planguard apply --attestation refuses it\n", strings.TrimSuffix(err.Error(), "; nothing applied"))
		}
	}
	fmt.Fprintf(e.stdout, "attestation valid: plan %s %s at %s (scope %q, %d destructive change(s))\n", filepath.Base(fs.Arg(0)), p.Decision, p.CheckedAt.Format(time.RFC3339), p.Scope, len(p.Changes))
	if p.Decision != string(gate.Allow) {
		return exitBlock, nil
	}
	return exitAllow, nil
}

func fileSHA256(path string) (string, error) {
	f, err := safefile.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
