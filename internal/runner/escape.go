package runner

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What the runner replies holds text the agent wrote: Terraform prints a
// configuration's strings byte for byte (a multi-line string as a
// heredoc), and error messages quote file names and values. A terminal
// obeys the control sequences in it: ESC[8m hides what follows, ESC[nA
// and ESC[J move up and erase lines already printed, CR overwrites a line,
// a right-to-left override reorders what is shown. The person who reviews
// a plan with `runner show` before signing its approval must see every
// byte of it, so every piece of runner output a client prints goes through
// TerminalSafe (Client.Do does it), and the runner's audit log gets the
// same escaping for the strings it records.
//
// Escaped, visibly: every C0 control but LF and TAB (ESC is \x1b, CR is
// \r), DEL (\x7f), the C1 controls U+0080–U+009F (\u009b), Unicode format
// characters (category Cf: the bidi embeddings and overrides U+202A–U+202E,
// the isolates U+2066–U+2069, the marks U+200E/U+200F, zero-width
// characters), the line and paragraph separators U+2028/U+2029, and each
// byte of invalid UTF-8 (\xff). A backslash is left as it is.

// escapeRune writes the visible form of r to b and reports whether r needs
// one.
func escapeRune(b *strings.Builder, r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r == '\r':
		b.WriteString(`\r`)
	case r < 0x20 || r == 0x7f:
		fmt.Fprintf(b, `\x%02x`, r)
	case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, unicode.Is(unicode.Cf, r):
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		return false
	}
	return true
}

// TerminalSafe returns s with every byte a terminal would obey, and every
// byte of invalid UTF-8, written visibly as an escape.
func TerminalSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !escapeRune(&b, r):
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safeWriter writes to w what TerminalSafe makes of the bytes written to
// it, holding back an incomplete UTF-8 sequence at the end of a write until
// the next (a character split across writes is not invalid) or Flush.
type safeWriter struct {
	w    io.Writer
	hold []byte
}

// NewTerminalWriter returns a writer that escapes what it is given as
// TerminalSafe does; Flush writes what it holds back.
func NewTerminalWriter(w io.Writer) interface {
	io.Writer
	Flush() error
} {
	return &safeWriter{w: w}
}

func (s *safeWriter) Write(p []byte) (int, error) {
	buf := append(s.hold, p...)
	cut := len(buf)
	// Hold back a tail that may be the start of a character.
	for k := 1; k <= utf8.UTFMax-1 && k <= len(buf); k++ {
		c := buf[len(buf)-k]
		if c < 0x80 {
			break // ASCII: nothing pending
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	out := TerminalSafe(string(buf[:cut]))
	s.hold = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(s.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held back, escaped.
func (s *safeWriter) Flush() error {
	if len(s.hold) == 0 {
		return nil
	}
	out := TerminalSafe(string(s.hold))
	s.hold = nil
	_, err := io.WriteString(s.w, out)
	return err
}
