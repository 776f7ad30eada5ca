package runtask

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"errors"
)

// SignatureHeader carries the hex HMAC-SHA512 of the request body, keyed
// with the run task's HMAC key.
const SignatureHeader = "X-TFC-Task-Signature"

// Errors of VerifySignature.
var (
	ErrNoSignature  = errors.New("the request has no " + SignatureHeader + " header")
	ErrBadSignature = errors.New("the request's " + SignatureHeader + " does not match its body")
)

// Sign returns the hex HMAC-SHA512 of body under key, as HCP Terraform
// computes it.
func Sign(key, body []byte) string {
	m := hmac.New(sha512.New, key)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks header, the X-TFC-Task-Signature value, against the
// raw body. The comparison is in constant time; a header that is not exactly
// 128 hex digits (either case) is a bad signature.
func VerifySignature(key, body []byte, header string) error {
	if header == "" {
		return ErrNoSignature
	}
	got, err := hex.DecodeString(header)
	if err != nil || len(got) != sha512.Size {
		return ErrBadSignature
	}
	m := hmac.New(sha512.New, key)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return ErrBadSignature
	}
	return nil
}
