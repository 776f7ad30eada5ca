package runner

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

// encodings are the encoders a configuration or a tool may print a secret
// with, applied to a text that holds the secret among other bytes.
var encodings = map[string]func([]byte) string{
	"base64 std":        base64.StdEncoding.EncodeToString,
	"base64 url":        base64.URLEncoding.EncodeToString,
	"base64 std raw":    base64.RawStdEncoding.EncodeToString,
	"base64 url raw":    base64.RawURLEncoding.EncodeToString,
	"hex":               hex.EncodeToString,
	"hex upper":         func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) },
	"as written":        func(b []byte) string { return string(b) },
	"json escaped-ish:": func(b []byte) string { return strings.ReplaceAll(string(b), `"`, `\"`) },
}

// TestRedactorEncodings: a secret encoded alone or inside a longer text,
// at every offset (base64 has 3 alignments), leaves no run of characters
// that only the secret determines: at most the 2 base64 characters at each
// edge, which mix the secret's bits with the neighbours'.
func TestRedactorEncodings(t *testing.T) {
	secret := `AKIA/se+cr"et~Value_42`
	for name, enc := range encodings {
		for pre := 0; pre < 6; pre++ {
			for post := 0; post < 4; post++ {
				text := []byte(strings.Repeat("p", pre) + secret + strings.Repeat("q", post))
				printed := "key = " + enc(text) + "\n"
				got := redactString(printed, []string{secret})
				if !strings.Contains(got, Redacted) {
					t.Fatalf("%s, %d before, %d after: not redacted: %q", name, pre, post, got)
				}
				// What is left of the encoding, outside the marker.
				rest := strings.TrimSuffix(strings.TrimPrefix(got, "key = "), "\n")
				left, right, _ := strings.Cut(rest, Redacted)
				before, after := enc([]byte(strings.Repeat("p", pre))), enc([]byte(strings.Repeat("q", post)))
				if len(left) > len(before)+2 || len(right) > len(strings.TrimRight(after, "="))+4 {
					t.Errorf("%s, %d before, %d after: %q left of %q", name, pre, post, got, printed)
				}
			}
		}
	}
}

// TestRedactorOverlapping: secrets that contain one another, or overlap,
// are redacted as one stretch, whatever the order they are given in, and
// nothing of either is left.
func TestRedactorOverlapping(t *testing.T) {
	for name, c := range map[string]struct {
		secrets    []string
		text, want string
	}{
		"overlap":        {[]string{"abcdef-123456", "123456-zyxwvu"}, "x abcdef-123456-zyxwvu y", "x " + Redacted + " y"},
		"overlap, other": {[]string{"123456-zyxwvu", "abcdef-123456"}, "x abcdef-123456-zyxwvu y", "x " + Redacted + " y"},
		"inside":         {[]string{"topsecret1", "the-topsecret1-long"}, "a the-topsecret1-long b topsecret1 c", "a " + Redacted + " b " + Redacted + " c"},
		"adjacent":       {[]string{"aaaaaa1", "bbbbbb2"}, "aaaaaa1bbbbbb2", Redacted + Redacted},
		"self overlap":   {[]string{"abab-abab"}, "abab-abab-abab", Redacted},
		"in the marker":  {[]string{"redacted by planguard", "planguard runner]"}, "x redacted by planguard y", "x " + Redacted + " y"},
	} {
		if got := redactString(c.text, c.secrets); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
}

// TestRedactorWrites: however the text is cut into writes, the reply is
// the same as from one write, and holds no secret in any form.
func TestRedactorWrites(t *testing.T) {
	secrets := []string{"s3cr3t-value", "another/secret+longer", "value-another"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		var text strings.Builder
		for j := 0; j < 20; j++ {
			s := secrets[rng.IntN(len(secrets))]
			switch rng.IntN(4) {
			case 0:
				text.WriteString(s)
			case 1:
				text.WriteString(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", rng.IntN(3)) + s)))
			case 2:
				text.WriteString(hex.EncodeToString([]byte(s)))
			default:
				text.WriteString(strings.Repeat("-", rng.IntN(30)))
			}
		}
		whole := redactString(text.String(), secrets)
		var b bytes.Buffer
		r := newRedactor(&b, secrets)
		rest := text.String()
		for rest != "" {
			n := 1 + rng.IntN(min(len(rest), 40))
			_, _ = r.Write([]byte(rest[:n]))
			rest = rest[n:]
		}
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != whole {
			t.Fatalf("cut into writes:\n%q\none write:\n%q", b.String(), whole)
		}
		for _, s := range secrets {
			for _, f := range secretForms(s) {
				if strings.Contains(whole, f) {
					t.Fatalf("%q left in %q", f, whole)
				}
			}
		}
	}
}

// TestRedactorTerraformQuoting: the forms Terraform prints a string in
// (Go's strconv.Quote, JSON without HTML escaping, HCL's "$${") are
// redacted, as is the HTML-escaped JSON form.
func TestRedactorTerraformQuoting(t *testing.T) {
	secret := "pa\"ss<w>rd&1\\x${y}%{z}\tq"
	for _, printed := range []string{
		`pa\"ss<w>rd&1\\x${y}%{z}\tq`,                // strconv.Quote, JSON without HTML escaping
		`pa\"ss\u003cw\u003erd\u00261\\x${y}%{z}\tq`, // json.Marshal
		`pa\"ss<w>rd&1\\x$${y}%%{z}\tq`,              // Terraform's HCL escaping, quoted
		"pa\"ss<w>rd&1\\x$${y}%%{z}\tq",              // HCL escaping alone
		"pa\"ss<w>rd&1\\x${y}%{z}\n        q",        // the tab wrapped into a line break
	} {
		got := redactString("input = \""+printed+"\"\n", []string{secret})
		if !strings.Contains(got, Redacted) || strings.Contains(got, "rd&1") || strings.Contains(got, "u00261") {
			t.Errorf("%s: not redacted: %q", printed, got)
		}
	}
}

// TestRedactorWhitespaceRuns: a secret with spaces is redacted when
// wrapping put line breaks and indentation in place of its spaces, also
// when the reply arrives a byte at a time; a run longer than maxSpaceRun
// is not the secret.
func TestRedactorWhitespaceRuns(t *testing.T) {
	secret := "correct horse battery staple"
	for _, printed := range []string{
		"correct horse\nbattery staple",
		"correct horse\n  battery\r\n\tstaple",
		"correct\u00a0horse battery\u2028staple",
	} {
		text := "Error: " + strings.Repeat("x", 60) + " " + printed + " ok\n"
		var b bytes.Buffer
		r := newRedactor(&b, []string{secret})
		for i := 0; i < len(text); i++ {
			_, _ = r.Write([]byte{text[i]})
		}
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if !strings.Contains(got, Redacted) || strings.Contains(got, "horse") || !strings.HasSuffix(got, " ok\n") {
			t.Errorf("%q: got %q", printed, got)
		}
	}
	far := "correct horse" + strings.Repeat(" ", maxSpaceRun+1) + "battery staple"
	if got := redactString(far, []string{secret}); got != far {
		t.Errorf("a run of %d spaces matched: %q", maxSpaceRun+1, got)
	}
}
