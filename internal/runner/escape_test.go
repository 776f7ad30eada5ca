package runner

import (
	"bytes"
	"testing"
)

func TestTerminalSafe(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\n\tindented":     "plain text\n\tindented",
		"\x1b[8mhidden":              `\x1b[8mhidden`,
		"over\rwrite":                `over\rwrite`,
		"\x1b[2A\x1b[J":              `\x1b[2A\x1b[J`,
		"bell\a nul\x00 del\x7f":     `bell\x07 nul\x00 del\x7f`,
		"c1 csi \u009b2J":            `c1 csi \u009b2J`,
		"rtl \u202eevil\u202c":       `rtl \u202eevil\u202c`,
		"isolates \u2066x\u2069":     `isolates \u2066x\u2069`,
		"marks \u200e\u200f":         `marks \u200e\u200f`,
		"zero width \u200b\ufeff":    `zero width \u200b\ufeff`,
		"separators \u2028\u2029":    `separators \u2028\u2029`,
		"invalid \xff\xfe \xe2\x82":  `invalid \xff\xfe \xe2\x82`,
		"utf-8 é € 😀 \ufffd":         "utf-8 é € 😀 \ufffd",
		`a backslash \x1b stays`:     `a backslash \x1b stays`,
		"windows path C:\\dir\\file": "windows path C:\\dir\\file",
	} {
		if got := TerminalSafe(in); got != want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTerminalWriterSplitCharacters: a character split across writes is
// written whole; an incomplete one at the end is escaped on Flush.
func TestTerminalWriterSplitCharacters(t *testing.T) {
	var b bytes.Buffer
	w := NewTerminalWriter(&b)
	for _, p := range []string{"a\xe2", "\x82", "\xac b \xf0\x9f", "\x98\x80\x1b", "[0m \xe2\x80"} {
		if _, err := w.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := `a€ b 😀\x1b[0m \xe2\x80`; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "512MiB": 512 << 20, "512M": 512 << 20, "1g": 1 << 30, "4096": 4096, "3 KiB": 3 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d %v, want %d", in, got, err, want)
		}
		if got, _ := ParseSize(FormatSize(want)); got != want {
			t.Errorf("FormatSize(%d) = %q does not read back", want, FormatSize(want))
		}
	}
	for _, in := range []string{"", "GiB", "-1GiB", "2PB", "1.5GiB", "99999999999TiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): no error", in)
		}
	}
}
