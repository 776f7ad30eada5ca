// Package hint attaches advice to an error: what the user should do about
// it. The CLI prints the advice on its own line after the error
// ("planguard: hint: …"); a service can return it beside the error.
package hint

import "errors"

// Error is an error with a hint.
type Error struct {
	Err  error
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// With returns err with the hint attached.
func With(err error, hint string) error { return &Error{Err: err, Hint: hint} }

// Of returns the hint of the first *Error in err's chain, if any.
func Of(err error) (string, bool) {
	var h *Error
	if errors.As(err, &h) {
		return h.Hint, true
	}
	return "", false
}
