package approval

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// Problem kinds for a signature that does not count.
const (
	// ProblemBadSignature: the signature does not decode or does not verify
	// over this statement's payload.
	ProblemBadSignature = "bad_signature"
	// ProblemUntrusted: the signature is sound but allowed_signers does not
	// trust its key for the named principal, namespace and time.
	ProblemUntrusted = "untrusted"
	// ProblemRevoked: the signature is sound but the policy's revocation
	// file (trust.revoked_keys) revokes its key, certificate or CA.
	ProblemRevoked = "revoked"
)

// SignatureError says why one signature of an approval does not count.
type SignatureError struct {
	Principal string
	Kind      string // ProblemBadSignature, ProblemUntrusted or ProblemRevoked
	Err       error
}

func (e *SignatureError) Error() string {
	return fmt.Sprintf("signature of %q: %v", e.Principal, e.Err)
}

func (e *SignatureError) Unwrap() error { return e.Err }

// Verified is a signature that counts.
type Verified struct {
	Principal string
	// Fingerprint is the SHA256 fingerprint of the signing key (for a
	// certificate, of the key it certifies); two principals sharing one key
	// are one signer.
	Fingerprint string
	// Certificate is the OpenSSH user certificate the signature was made
	// with, trusted through a cert-authority line; nil for a plain key.
	Certificate *Certificate
}

// Certificate is what a report shows of the user certificate that made a
// signature.
type Certificate struct {
	// KeyID is the certificate's key identity (ssh-keygen -s -I).
	KeyID string
	// Serial is its serial number (ssh-keygen -s -z).
	Serial uint64
	// Principals are the principals it is valid for (ssh-keygen -s -n).
	Principals []string
	// CA is the SHA256 fingerprint of the CA key that signed it.
	CA string
}

// VerifySignature checks that armored is a valid SSHSIG by principal over the
// payload of st, in namespace planguard-approval, with a key allowed_signers
// trusts for that principal at now, or with a user certificate one of its
// cert-authority lines trusts.
func VerifySignature(st Statement, principal, armored string, signers *trust.AllowedSigners, now time.Time) (Verified, error) {
	payload, err := st.Payload()
	if err != nil {
		return Verified{}, &SignatureError{Principal: principal, Kind: ProblemBadSignature, Err: err}
	}
	return verifyPayload(payload, principal, armored, signers, now)
}

// verifyPayload is the signature check over payload bytes already made: the
// one check of resource and plan approvals alike.
func verifyPayload(payload []byte, principal, armored string, signers *trust.AllowedSigners, now time.Time) (Verified, error) {
	fail := func(kind string, err error) (Verified, error) {
		return Verified{}, &SignatureError{Principal: principal, Kind: kind, Err: err}
	}
	if principal == "" {
		return fail(ProblemBadSignature, errors.New("principal is empty"))
	}
	sig, err := sshsig.Parse(armored)
	if err != nil {
		return fail(ProblemBadSignature, err)
	}
	if err := sig.Verify(payload, Namespace); err != nil {
		return fail(ProblemBadSignature, err)
	}
	if _, err := signers.Authorize(principal, sig, Namespace, now); err != nil {
		if errors.Is(err, trust.ErrRevoked) {
			return fail(ProblemRevoked, err)
		}
		return fail(ProblemUntrusted, err)
	}
	v := Verified{Principal: principal, Fingerprint: ssh.FingerprintSHA256(sshsig.PlainKey(sig.PublicKey))}
	if cert, ok := sig.PublicKey.(*ssh.Certificate); ok {
		v.Certificate = &Certificate{KeyID: cert.KeyId, Serial: cert.Serial, Principals: cert.ValidPrincipals, CA: ssh.FingerprintSHA256(cert.SignatureKey)}
	}
	return v, nil
}
