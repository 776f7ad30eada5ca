package runner

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces a secret in a reply.
const Redacted = "[redacted by planguard runner]"

// redactor writes to w with every secret replaced by Redacted, even when a
// secret is split across writes: it holds back the last len(longest)-1
// bytes until more come or Flush is called.
//
// A secret is redacted as written and in the encodings a configuration or
// a tool prints it with (secretForms): base64 and hex, URL and JSON
// escaping, and Terraform's own quoting of a string. A form with
// whitespace in it matches any run of whitespace (of up to maxSpaceRun
// characters) in its place: Terraform wraps a diagnostic's text at 78
// columns, replacing a space with a line break (and an indentation).
// Secrets that overlap (one inside another, or the end of one
// the start of the next) are redacted as one stretch: every match of every
// form is found in the original text first, then the union replaced, so
// no replacement hides a match from another and no part of either is
// left.
//
// It is the second line of defence, and a partial one: a hash of a secret,
// or any other transformation of it (upper(), a substring, reverse()), is
// not redacted and cannot be. The first line is that the configuration
// never receives the values: serve refuses TF_VAR_*, and the credentials
// reach the runner's Terraform, not the configuration.
type redactor struct {
	mu       sync.Mutex
	w        io.Writer
	patterns []pattern // every form of every secret
	hold     int       // bytes to hold back: longest match - 1
	buf      []byte
	err      error
}

// pattern is one form of a secret: literal bytes, or, for a form with
// whitespace in it, a regular expression in which each run of whitespace
// matches any run of whitespace.
type pattern struct {
	lit    []byte
	re     *regexp.Regexp
	maxLen int // the longest text it matches
}

// maxSpaceRun is the longest run of whitespace matched in place of one in
// a secret: a line break and the indentation of the next line.
const maxSpaceRun = 64

// spaceRun matches a run of whitespace as Terraform's wrapping (go-wordwrap
// breaks at unicode.IsSpace) may leave it.
var spaceRun = `[\s\p{Z}\x{85}]{1,` + strconv.Itoa(maxSpaceRun) + `}`

func newPattern(f string) pattern {
	if strings.IndexFunc(f, unicode.IsSpace) < 0 {
		return pattern{lit: []byte(f), maxLen: len(f)}
	}
	var expr strings.Builder
	n, inSpace := 0, false
	for _, c := range f {
		if unicode.IsSpace(c) {
			if !inSpace {
				expr.WriteString(spaceRun)
				n += maxSpaceRun * utf8.UTFMax
			}
			inSpace = true
			continue
		}
		inSpace = false
		expr.WriteString(regexp.QuoteMeta(string(c)))
		n += utf8.RuneLen(c)
	}
	return pattern{re: regexp.MustCompile(expr.String()), maxLen: n}
}

// index returns the start and end of the first match in b, or -1.
func (p pattern) index(b []byte) (int, int) {
	if p.re == nil {
		i := bytes.Index(b, p.lit)
		return i, i + len(p.lit)
	}
	loc := p.re.FindIndex(b)
	if loc == nil {
		return -1, -1
	}
	return loc[0], loc[1]
}

func newRedactor(w io.Writer, secrets []string) *redactor {
	r := &redactor{w: w}
	seen := map[string]bool{}
	for _, s := range secrets {
		for _, f := range secretForms(s) {
			if f != "" && !seen[f] {
				seen[f] = true
				r.patterns = append(r.patterns, newPattern(f))
			}
		}
	}
	for _, p := range r.patterns {
		r.hold = max(r.hold, p.maxLen-1)
	}
	return r
}

// minEncoded is the shortest piece of an encoding redacted on its own:
// shorter ones would match too much of unrelated base64 text.
const minEncoded = 6

// secretForms returns s and the forms a reply may carry it in:
//   - JSON string escaping (jsonencode, and terraform show -json), both
//     with '<', '>' and '&' escaped (Go's json.Marshal) and without;
//   - Terraform's quoting of a string in a plan or a diagnostic (Go's
//     strconv.Quote: a backslash before '"' and '\'), also after
//     Terraform escaped "${" and "%{" as "$${" and "%%{";
//   - URL query escaping (urlencode);
//   - hex, lower and upper case (a byte always takes two digits, so s
//     inside a longer hex string is one of these);
//   - base64, standard and URL alphabets, with and without padding, of s
//     alone; and, since s inside a longer text starts at any offset,
//     for each of the 3 alignments the run of characters that s alone
//     determines (base64encode("prefix${s}suffix") holds one of them).
func secretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s)))}
	if q, err := json.Marshal(s); err == nil {
		forms = append(forms, string(q[1:len(q)-1]))
	}
	hclEscaped := strings.ReplaceAll(strings.ReplaceAll(s, "${", "$${"), "%{", "%%{")
	for _, v := range []string{s, hclEscaped} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(v) == nil {
			q := strings.TrimSuffix(b.String(), "\n")
			forms = append(forms, q[1:len(q)-1])
		}
		q := strconv.Quote(v)
		forms = append(forms, q[1:len(q)-1], v)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString([]byte(s)))
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for k := 0; k < 3; k++ {
			// s after k bytes: characters [start, end) of the encoding
			// hold bits of s only.
			e := enc.EncodeToString(append(make([]byte, k), s...))
			start, end := (8*k+5)/6, 8*(k+len(s))/6
			if end-start >= minEncoded {
				forms = append(forms, e[start:end])
			}
		}
	}
	return forms
}

// Write never fails on the caller: a broken reply must not stop a running
// apply. The first error is kept for Flush.
func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf = append(r.buf, p...)
	cut := len(r.buf) - r.hold
	if cut <= 0 {
		return len(p), nil
	}
	// Every match starting before cut ends inside buf: emit up to cut,
	// but not into a stretch to redact, which is held back whole.
	spans := r.find(r.buf)
	for _, sp := range spans {
		if sp[0] < cut && sp[1] > cut {
			cut = sp[0]
		}
	}
	r.emit(replaceSpans(r.buf[:cut], spans))
	r.buf = append(r.buf[:0], r.buf[cut:]...)
	return len(p), nil
}

// find returns the stretches of b that some pattern matches, merged where
// they overlap, in order. (Stretches that only touch stay apart: merged,
// the reply would depend on where a write happened to end.)
func (r *redactor) find(b []byte) [][2]int {
	var spans [][2]int
	for _, p := range r.patterns {
		for off := 0; off < len(b); {
			i, j := p.index(b[off:])
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{off + i, off + j})
			off += i + 1 // matches of one pattern may overlap too
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var merged [][2]int
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp[0] < merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// replaceSpans returns b with each span inside it replaced by Redacted.
func replaceSpans(b []byte, spans [][2]int) []byte {
	var out []byte
	last := 0
	for _, sp := range spans {
		if sp[1] > len(b) {
			break
		}
		out = append(out, b[last:sp[0]]...)
		out = append(out, Redacted...)
		last = sp[1]
	}
	return append(out, b[last:]...)
}

func (r *redactor) emit(b []byte) {
	if r.err != nil || len(b) == 0 {
		return
	}
	_, r.err = r.w.Write(b)
}

// Flush writes what is held back; the reply ends.
func (r *redactor) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.emit(replaceSpans(r.buf, r.find(r.buf)))
	r.buf = r.buf[:0]
	return r.err
}

// redactString applies the same replacement to one string.
func redactString(s string, secrets []string) string {
	var b bytes.Buffer
	r := newRedactor(&b, secrets)
	_, _ = r.Write([]byte(s))
	_ = r.Flush()
	return b.String()
}
