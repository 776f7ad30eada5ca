package runner

import (
	"bytes"
	"io"
	"sort"
	"sync"
)

// Redacted replaces a secret in a reply.
const Redacted = "[redacted by planguard runner]"

// redactor writes to w with every secret replaced by Redacted, even when a
// secret is split across writes: it holds back the last len(longest)-1
// bytes until more come or Flush is called. It is the second line of
// defence; the first is that the configuration never receives the values.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte // longest first
	hold    int      // bytes to hold back: longest secret - 1
	buf     []byte
	err     error
}

func newRedactor(w io.Writer, secrets []string) *redactor {
	r := &redactor{w: w}
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, []byte(s))
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	if len(r.secrets) > 0 {
		r.hold = len(r.secrets[0]) - 1
	}
	return r
}

// Write never fails on the caller: a broken reply must not stop a running
// apply. The first error is kept for Flush.
func (r *redactor) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf = append(r.buf, p...)
	r.replace()
	if n := len(r.buf) - r.hold; n > 0 {
		// Do not cut inside a redaction marker already written.
		r.emit(r.buf[:n])
		r.buf = append(r.buf[:0], r.buf[n:]...)
	}
	return len(p), nil
}

// replace redacts every complete secret in the buffer.
func (r *redactor) replace() {
	for _, s := range r.secrets {
		if bytes.Contains(r.buf, s) {
			r.buf = bytes.ReplaceAll(r.buf, s, []byte(Redacted))
		}
	}
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
	r.replace()
	r.emit(r.buf)
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
