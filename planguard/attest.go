package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// Libraries (issue 13, measured with v0.11.1 / v1.2.0 in a scratch test):
//   - github.com/secure-systems-lab/go-securesystemslib/dsse is used for the
//     envelope types and PAE: its PAE and envelope JSON are byte for byte
//     ours, and it adds no module but x/crypto, which we have. Its
//     EnvelopeVerifier is not used: it decodes base64 leniently (it falls
//     back to URL-safe base64: "-_-_" is accepted; we accept only strict
//     standard base64), it prints to standard output when two signatures share a key
//     id (our stdout is a report, possibly JSON), and it trusts a fixed list
//     of keys, where we need allowed_signers (principal, namespace,
//     valid-after/valid-before at --now) over the key inside each SSHSIG.
//   - github.com/in-toto/attestation/go/v1 (Statement v1) is not used: its
//     types are protobuf messages serialised with protojson, which sorts the
//     predicate's keys and inserts white space at random by design (so the
//     signed bytes would change, and change between builds), carries the
//     predicate as an untyped structpb.Struct (numbers become float64), and
//     would add google.golang.org/protobuf to a binary that has none. Our
//     statement struct writes the same Statement v1 shape with encoding/json.

// An attestation is an in-toto Statement v1 in a DSSE envelope, signed with
// an SSHSIG (namespace planguard-attestation) over the DSSE pre-auth
// encoding. The subject is the saved plan's SHA-256; the predicate is the
// decision and who approved each destructive change.
const (
	attestNamespace   = "planguard-attestation"
	dssePayloadType   = "application/vnd.in-toto+json"
	statementType     = "https://in-toto.io/Statement/v1"
	predicateType     = "https://github.com/planguard/terraform-provider-planguard/check/v1"
	maxAttestationLen = 16 << 20
)

// envelope is the DSSE envelope; a signature's Sig is the base64 of the
// armored SSHSIG over pae(payloadType, payload), its KeyID the key's SSH
// SHA-256 fingerprint.
type envelope = dsse.Envelope

type envelopeSign = dsse.Signature

type statement struct {
	Type          string         `json:"_type"`
	Subject       []subject      `json:"subject"`
	PredicateType string         `json:"predicateType"`
	Predicate     checkPredicate `json:"predicate"`
}

type subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

type checkPredicate struct {
	Decision         string        `json:"decision"`
	Scope            string        `json:"scope"`
	CheckedAt        time.Time     `json:"checked_at"`
	Author           string        `json:"author,omitempty"`
	PolicySHA256     string        `json:"policy_sha256"`
	TerraformVersion string        `json:"terraform_version"`
	Changes          []auditChange `json:"changes"`
}

// pae is DSSE's pre-authentication encoding: what the SSHSIG signs.
func pae(payloadType string, payload []byte) []byte { return dsse.PAE(payloadType, payload) }

func writeAttestation(e *env, path, keyPath string, res *checked) error {
	r := res.report
	if len(r.Plan.SHA256) != 64 {
		return errors.New("cannot attest: the plan has no SHA-256")
	}
	pred := checkPredicate{Decision: r.Decision, Scope: r.Scope, CheckedAt: r.Now, Author: r.Author, PolicySHA256: res.policy.Hash, TerraformVersion: r.Plan.TerraformVersion, Changes: []auditChange{}}
	for _, ch := range r.Changes {
		pred.Changes = append(pred.Changes, auditChange{Address: ch.Address, Action: ch.Action, Protected: ch.Protected, Approved: ch.Approved, ApprovedBy: ch.ApprovedBy})
	}
	st := statement{Type: statementType, PredicateType: predicateType, Predicate: pred,
		Subject: []subject{{Name: "plan", Digest: map[string]string{"sha256": r.Plan.SHA256}}}}
	payload, err := json.Marshal(st)
	if err != nil {
		return err
	}
	signer, err := loadSigner(e, keyPath)
	if err != nil {
		return fmt.Errorf("attestation key: %w", err)
	}
	sig, err := sshsig.Sign(signer, pae(dssePayloadType, payload), attestNamespace)
	if err != nil {
		return err
	}
	env := envelope{PayloadType: dssePayloadType, Payload: base64.StdEncoding.EncodeToString(payload),
		Signatures: []envelopeSign{{KeyID: ssh.FingerprintSHA256(signer.PublicKey()), Sig: base64.StdEncoding.EncodeToString([]byte(sig))}}}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, append(out, '\n')); err != nil {
		return fmt.Errorf("attestation: %w", err)
	}
	return nil
}

// attestationCheck says what an attestation must show.
type attestationCheck struct {
	path, signers, principal, policySHA256, scope string
	maxAge                                        time.Duration
	now                                           time.Time
}

// verifyAttestation checks an attestation for a plan with the given SHA-256
// and returns its predicate. Any problem is an error.
func verifyAttestation(a attestationCheck, planSHA256 string) (*checkPredicate, error) {
	raw, err := readLimited(a.path, maxAttestationLen)
	if err != nil {
		return nil, fmt.Errorf("read attestation: %w", err)
	}
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("attestation %s is not a DSSE envelope: %w", a.path, err)
	}
	if env.PayloadType != dssePayloadType {
		return nil, fmt.Errorf("attestation %s has payloadType %q, want %q", a.path, env.PayloadType, dssePayloadType)
	}
	payload, err := base64.StdEncoding.Strict().DecodeString(env.Payload)
	if err != nil {
		return nil, fmt.Errorf("attestation %s: payload is not base64: %w", a.path, err)
	}
	signersData, err := os.ReadFile(a.signers)
	if err != nil {
		return nil, fmt.Errorf("read attestation signers: %w", err)
	}
	allowed, err := trust.ParseAllowedSigners(signersData, a.signers, trust.ParseOptions{Location: time.Local})
	if err != nil {
		return nil, err
	}
	var problems []string
	verified := false
	for _, s := range env.Signatures {
		armored, err := base64.StdEncoding.Strict().DecodeString(s.Sig)
		if err != nil {
			problems = append(problems, "a signature is not base64")
			continue
		}
		sig, err := sshsig.Parse(string(armored))
		if err == nil {
			err = sig.Verify(pae(env.PayloadType, payload), attestNamespace)
		}
		if err == nil {
			_, err = allowed.Authorize(a.principal, sig, attestNamespace, a.now)
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		verified = true
		break
	}
	if !verified {
		return nil, withHint(fmt.Errorf("attestation %s is not signed by a trusted key of %q: %v", a.path, a.principal, problems),
			"check --attestation-signers and --attestation-principal; they must name the gate's key")
	}
	var st statement
	dec = json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("attestation %s: statement: %w", a.path, err)
	}
	if st.Type != statementType || st.PredicateType != predicateType {
		return nil, fmt.Errorf("attestation %s is a %s / %s, not a planguard check", a.path, st.Type, st.PredicateType)
	}
	if len(st.Subject) != 1 || st.Subject[0].Digest["sha256"] != planSHA256 {
		return nil, withHint(fmt.Errorf("attestation %s is for another plan file than the one given (sha256 %s)", a.path, planSHA256),
			"the plan file changed after it was checked: plan and check again")
	}
	p := &st.Predicate
	// The pin is required: an "allow" is only as good as the policy and
	// trust it was decided under. Without it, an attestation from a check
	// under a lenient policy (another scope, no rules, other signers)
	// signed by the same gate key would pass.
	if err := requireAttestationPin(a); err != nil {
		return nil, err
	}
	if !strings.EqualFold(p.PolicySHA256, a.policySHA256) {
		return nil, withHint(fmt.Errorf("attestation %s was checked under policy hash %q, not the pinned %s: a decision made under another policy or trust file does not count here", a.path, p.PolicySHA256, strings.ToLower(a.policySHA256)),
			"check the plan again with the pinned policy (planguard check --policy-sha256 ... --attest ...)")
	}
	if a.scope != "" && p.Scope != a.scope {
		return nil, fmt.Errorf("attestation %s was checked in scope %q, not the expected %q (--scope)", a.path, p.Scope, a.scope)
	}
	if age := a.now.Sub(p.CheckedAt); age > a.maxAge || age < -5*time.Minute {
		return nil, withHint(fmt.Errorf("attestation %s was made at %s, %s ago, beyond --max-age %s", a.path, p.CheckedAt.Format(time.RFC3339), age.Round(time.Second), a.maxAge),
			"check the plan again")
	}
	return p, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}

func (a *attestationCheck) register(fs *flags) {
	fs.StringVar(&a.signers, "attestation-signers", "", "allowed_signers `FILE` that lists the gate's key")
	fs.StringVar(&a.principal, "attestation-principal", "planguard-gate", "`PRINCIPAL` of the gate's key in --attestation-signers")
	fs.DurationVar(&a.maxAge, "max-age", time.Hour, "refuse attestations older than this `DURATION`")
	fs.StringVar(&a.scope, "scope", "", "also require the attested check's scope to be `NAME` (the pinned policy's scope)")
}

// requireAttestationPin refuses to accept an attestation without a policy
// hash to compare it with.
func requireAttestationPin(a attestationCheck) error {
	if a.policySHA256 == "" {
		return withHint(errors.New("an attestation is accepted only with --policy-sha256: without the pin, an allow decided under any policy (a lenient scope, no rules, other signers) would count"),
			"pass the policy hash CI pins, as printed by 'planguard policy-hash --policy FILE' where the policy is trusted")
	}
	if !validPin(a.policySHA256) {
		return &usageError{msg: fmt.Sprintf("--policy-sha256 %q is not a hex SHA-256", a.policySHA256), hint: "pin what 'planguard policy-hash --policy FILE' prints"}
	}
	return nil
}

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
	fmt.Fprintf(e.stdout, "attestation valid: plan %s %s at %s (scope %q, %d destructive change(s))\n", filepath.Base(fs.Arg(0)), p.Decision, p.CheckedAt.Format(time.RFC3339), p.Scope, len(p.Changes))
	if p.Decision != "allow" {
		return exitBlock, nil
	}
	return exitAllow, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
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
