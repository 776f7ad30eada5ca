// Package attest writes and verifies planguard's check attestations: an
// in-toto Statement v1 in a DSSE envelope, signed with an SSHSIG (namespace
// planguard-attestation) over the DSSE pre-authentication encoding. The
// subject is the saved plan's SHA-256; the predicate is the decision and
// who approved each destructive change. An attestation lets a later
// pipeline stage apply on an earlier check's decision
// (`planguard apply --attestation`).
package attest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
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

// The names an attestation is made of.
const (
	// Namespace is the SSHSIG namespace of the gate's signature.
	Namespace = "planguard-attestation"
	// PayloadType is the DSSE payload type.
	PayloadType = "application/vnd.in-toto+json"
	// StatementType is the in-toto statement type.
	StatementType = "https://in-toto.io/Statement/v1"
	// PredicateType names planguard's check predicate.
	PredicateType = "https://github.com/planguard/terraform-provider-planguard/check/v1"
	// MaxSize bounds an attestation file and its signers file.
	MaxSize = 16 << 20
)

// Envelope is the DSSE envelope; a signature's Sig is the base64 of the
// armored SSHSIG over PAE(payloadType, payload), its KeyID the key's SSH
// SHA-256 fingerprint.
type Envelope = dsse.Envelope

// Signature is one signature of an Envelope.
type Signature = dsse.Signature

// Statement is the in-toto Statement v1 an Envelope carries.
type Statement struct {
	Type          string    `json:"_type"`
	Subject       []Subject `json:"subject"`
	PredicateType string    `json:"predicateType"`
	Predicate     Predicate `json:"predicate"`
}

// Subject is what a Statement is about: the saved plan, by its SHA-256.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// Predicate is the check's decision.
type Predicate struct {
	Decision  string    `json:"decision"`
	Scope     string    `json:"scope"`
	CheckedAt time.Time `json:"checked_at"`
	Author    string    `json:"author,omitempty"`
	// Authors lists every author when the check had several.
	Authors          []string       `json:"authors,omitempty"`
	PolicySHA256     string         `json:"policy_sha256"`
	TerraformVersion string         `json:"terraform_version"`
	Changes          []check.Change `json:"changes"`
	// Certificates names the user certificates that signed the valid
	// approvals (absent when only plain keys signed).
	Certificates []Certificate `json:"certificates,omitempty"`
	// StatePinned says the check judged the saved plan under the policy's
	// state block (check.Result.StatePinned). Absent means not: the
	// change's author chose the state, and so does every attestation
	// written before the field existed (their bytes are unchanged).
	// planguard apply --attestation refuses such an attestation.
	StatePinned bool `json:"state_pinned,omitempty"`
	// ProvidersPinned says the policy of the check pinned the providers a
	// saved plan may run: lock_file or providers
	// (check.Result.ProvidersPinned). Absent means not, as in every
	// attestation written before the field existed; planguard apply
	// --attestation refuses such an attestation.
	ProvidersPinned bool `json:"providers_pinned,omitempty"`
}

// Certificate is a user certificate that signed an approval the check found
// valid.
type Certificate struct {
	Approval string `json:"approval"`
	gate.CertificateSigner
}

// certificates lists the certificates that signed r's valid approvals.
func certificates(r *gate.Report) []Certificate {
	var out []Certificate
	for _, a := range r.Approvals {
		if a.Status != gate.StatusValid {
			continue
		}
		for _, c := range a.Certificates {
			out = append(out, Certificate{Approval: a.Address, CertificateSigner: c})
		}
	}
	return out
}

// PAE is DSSE's pre-authentication encoding: what the SSHSIG signs.
func PAE(payloadType string, payload []byte) []byte { return dsse.PAE(payloadType, payload) }

// Sign returns the attestation of a check's result, signed by signer: the
// DSSE envelope as indented JSON and a final newline.
func Sign(signer ssh.Signer, res *check.Result) ([]byte, error) {
	r := res.Report
	if len(r.Plan.SHA256) != 64 {
		return nil, errors.New("cannot attest: the plan has no SHA-256")
	}
	pred := Predicate{Decision: string(r.Decision), Scope: r.Scope, CheckedAt: r.Now, Author: r.Author, Authors: r.Authors, PolicySHA256: res.PolicySHA256, TerraformVersion: r.Plan.TerraformVersion, Changes: check.Changes(r),
		Certificates: certificates(r), StatePinned: res.StatePinned, ProvidersPinned: res.ProvidersPinned}
	st := Statement{Type: StatementType, PredicateType: PredicateType, Predicate: pred,
		Subject: []Subject{{Name: "plan", Digest: map[string]string{"sha256": r.Plan.SHA256}}}}
	payload, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	sig, err := sshsig.Sign(signer, PAE(PayloadType, payload), Namespace)
	if err != nil {
		return nil, err
	}
	env := Envelope{PayloadType: PayloadType, Payload: base64.StdEncoding.EncodeToString(payload),
		Signatures: []Signature{{KeyID: ssh.FingerprintSHA256(signer.PublicKey()), Sig: base64.StdEncoding.EncodeToString([]byte(sig))}}}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// ErrStateNotPinned is the error (wrapped) for applying on an attestation
// whose check pinned no state.
var ErrStateNotPinned = errors.New("the attested check pinned no state")

// RequireStatePinned refuses, for an apply, the predicate of a check that
// was not made under a state block (Predicate.StatePinned false or absent,
// as in every attestation older than the field): the state the apply
// writes would be the one the plan's author chose.
func RequireStatePinned(p *Predicate, path string) error {
	if p.StatePinned {
		return nil
	}
	return hint.With(fmt.Errorf("attestation %s: %w (no state_pinned in its predicate): the policy it was checked under has no state block, or it was written by a planguard from before state pins were attested, so the state the apply writes is whatever backend the saved plan records, which the plan's author chooses; nothing applied", path, ErrStateNotPinned),
		"add a state block naming the production state to the policy (docs/guides/policy.md, \"Pinning the state\"), update the pinned policy hash, and check the plan again with 'planguard check --attest'")
}

// ErrProvidersNotPinned is the error (wrapped) for applying on an
// attestation whose check's policy pinned no providers.
var ErrProvidersNotPinned = errors.New("the attested check's policy pinned no providers")

// RequireProvidersPinned refuses, for an apply, the predicate of a check
// whose policy had neither lock_file nor providers
// (Predicate.ProvidersPinned false or absent): the apply would install and
// start whatever providers the plan's own lock file, its author's, names.
func RequireProvidersPinned(p *Predicate, path string) error {
	if p.ProvidersPinned {
		return nil
	}
	return hint.With(fmt.Errorf("attestation %s: %w (no providers_pinned in its predicate): the policy it was checked under has neither lock_file nor providers, or it was written by a planguard from before provider pins were attested, so the apply would install and start whatever providers the saved plan's own lock file names, which the plan's author wrote; nothing applied", path, ErrProvidersNotPinned),
		"add lock_file = \"FILE\" with a reviewed .terraform.lock.hcl (or at least a providers list) to the policy (docs/guides/policy.md, \"Pinning provider binaries\"), update the pinned policy hash, and check the plan again with 'planguard check --attest'")
}

// Check says what an attestation must show to be accepted.
type Check struct {
	// Path is the attestation file; Signers the allowed_signers file that
	// lists the gate's key for Principal.
	Path, Signers, Principal string
	// PolicySHA256 is the pinned policy hash (required); Scope, when set,
	// the scope the check must have used.
	PolicySHA256, Scope string
	// MaxAge bounds the attestation's age at Now.
	MaxAge time.Duration
	Now    time.Time
}

// RequirePin refuses to accept an attestation without a policy hash to
// compare it with, or with one that is not a hex SHA-256.
func RequirePin(pin string) error {
	if pin == "" {
		return hint.With(errors.New("an attestation is accepted only with --policy-sha256: without the pin, an allow decided under any policy (a lenient scope, no rules, other signers) would count"),
			"pass the policy hash CI pins, as printed by 'planguard policy-hash --policy FILE' where the policy is trusted")
	}
	if !check.ValidPin(pin) {
		return hint.With(fmt.Errorf("--policy-sha256 %q is not a hex SHA-256", pin), "pin what 'planguard policy-hash --policy FILE' prints")
	}
	return nil
}

// Verify checks the attestation at a.Path for a plan with the given SHA-256
// and returns its predicate: the gate's signature (a.Signers, a.Principal),
// the plan, the policy hash, the scope and the age. Any problem is an
// error; the decision (allow or block) is the caller's to act on.
func Verify(a Check, planSHA256 string) (*Predicate, error) {
	raw, err := safefile.ReadFile(a.Path, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("read attestation: %w", err)
	}
	var env Envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("attestation %s is not a DSSE envelope: %w", a.Path, err)
	}
	if env.PayloadType != PayloadType {
		return nil, fmt.Errorf("attestation %s has payloadType %q, want %q", a.Path, env.PayloadType, PayloadType)
	}
	payload, err := base64.StdEncoding.Strict().DecodeString(env.Payload)
	if err != nil {
		return nil, fmt.Errorf("attestation %s: payload is not base64: %w", a.Path, err)
	}
	signersData, err := safefile.ReadFile(a.Signers, MaxSize)
	if err != nil {
		return nil, fmt.Errorf("read attestation signers: %w", err)
	}
	allowed, err := trust.ParseAllowedSigners(signersData, a.Signers, trust.ParseOptions{Location: time.Local})
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
			err = sig.Verify(PAE(env.PayloadType, payload), Namespace)
		}
		if err == nil {
			_, err = allowed.Authorize(a.Principal, sig, Namespace, a.Now)
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		verified = true
		break
	}
	if !verified {
		return nil, hint.With(fmt.Errorf("attestation %s is not signed by a trusted key of %q: %v", a.Path, a.Principal, problems),
			"check --attestation-signers and --attestation-principal; they must name the gate's key")
	}
	var st Statement
	dec = json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("attestation %s: statement: %w", a.Path, err)
	}
	if st.Type != StatementType || st.PredicateType != PredicateType {
		return nil, fmt.Errorf("attestation %s is a %s / %s, not a planguard check", a.Path, st.Type, st.PredicateType)
	}
	if len(st.Subject) != 1 || st.Subject[0].Digest["sha256"] != planSHA256 {
		return nil, hint.With(fmt.Errorf("attestation %s is for another plan file than the one given (sha256 %s)", a.Path, planSHA256),
			"the plan file changed after it was checked: plan and check again")
	}
	p := &st.Predicate
	// The pin is required: an "allow" is only as good as the policy and
	// trust it was decided under. Without it, an attestation from a check
	// under a lenient policy (another scope, no rules, other signers)
	// signed by the same gate key would pass.
	if err := RequirePin(a.PolicySHA256); err != nil {
		return nil, err
	}
	if !strings.EqualFold(p.PolicySHA256, a.PolicySHA256) {
		return nil, hint.With(fmt.Errorf("attestation %s was checked under policy hash %q, not the pinned %s: a decision made under another policy or trust file does not count here", a.Path, p.PolicySHA256, strings.ToLower(a.PolicySHA256)),
			"check the plan again with the pinned policy (planguard check --policy-sha256 ... --attest ...)")
	}
	if a.Scope != "" && p.Scope != a.Scope {
		return nil, fmt.Errorf("attestation %s was checked in scope %q, not the expected %q (--scope)", a.Path, p.Scope, a.Scope)
	}
	if age := a.Now.Sub(p.CheckedAt); age > a.MaxAge || age < -5*time.Minute {
		return nil, hint.With(fmt.Errorf("attestation %s was made at %s, %s ago, beyond --max-age %s", a.Path, p.CheckedAt.Format(time.RFC3339), age.Round(time.Second), a.MaxAge),
			"check the plan again")
	}
	return p, nil
}
