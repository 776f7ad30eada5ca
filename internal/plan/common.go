package plan

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// utf8Check is a writer that checks that what is written to it is valid
// UTF-8 (encoding/json would silently replace invalid bytes with U+FFFD).
// It copes with runes split across writes.
type utf8Check struct {
	pending []byte // the start of a rune split across writes
	offset  int64  // bytes checked so far
	bad     bool
}

func (u *utf8Check) Write(p []byte) (int, error) {
	n := len(p)
	if u.bad {
		return n, nil
	}
	for len(u.pending) > 0 && len(p) > 0 && !utf8.FullRune(u.pending) {
		u.pending = append(u.pending, p[0])
		p = p[1:]
	}
	if len(u.pending) > 0 {
		if !utf8.FullRune(u.pending) {
			return n, nil
		}
		if !utf8.Valid(u.pending) {
			u.bad = true
			return n, nil
		}
		u.offset += int64(len(u.pending))
		u.pending = u.pending[:0]
	}
	cut := len(p)
	for k := 1; k < utf8.UTFMax && k <= len(p); k++ {
		if c := p[len(p)-k]; utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(p[len(p)-k:]) {
				cut = len(p) - k
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		u.bad = true
		return n, nil
	}
	u.offset += int64(cut)
	u.pending = append(u.pending, p[cut:]...)
	return n, nil
}

func (u *utf8Check) finish() error {
	if u.bad || len(u.pending) > 0 {
		return fmt.Errorf("%w: the JSON is not valid UTF-8 (after byte %d); write it again with `terraform show -json PLANFILE`", ErrMalformed, u.offset)
	}
	return nil
}

// Errors of reading a binary saved plan, besides those of planformat and
// planfile.
var (
	// ErrShow: running `terraform show -json` on a saved plan failed.
	ErrShow = errors.New("terraform show failed")
	// ErrRefreshOnly: the saved plan was made with -refresh-only, which
	// the gate does not judge.
	ErrRefreshOnly = errors.New("refresh-only plan")
)
