package plan

import (
	"io"
)

// The reference decoder lives in package planref, which imports this
// package; so this package's tests reach it through these variables, which
// reference_test.go (package plan_test, which may import planref) sets
// before any test runs.
var (
	// DecodeFull is planref.DecodeFull.
	DecodeFull func(io.Reader) (*Plan, error)
	// tokenDecode is planref.DecodeTokens.
	tokenDecode func(io.Reader) (*Plan, error)
	// errFullOnly is planref.ErrFullOnly.
	errFullOnly error
	// decodeFullKeeping is planref.DecodeFullKeeping.
	decodeFullKeeping func(io.Reader, func(string) bool) (*Plan, error)
)

// SetReference installs the reference decoder for this package's tests.
func SetReference(full, tokens func(io.Reader) (*Plan, error), fullOnly error, keeping func(io.Reader, func(string) bool) (*Plan, error)) {
	DecodeFull, tokenDecode, errFullOnly, decodeFullKeeping = full, tokens, fullOnly, keeping
}
