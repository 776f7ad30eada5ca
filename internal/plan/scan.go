package plan

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a strict JSON byte scanner over a stream. It validates the
// grammar of everything it passes over (RFC 8259: literals, numbers, string
// escapes, control characters, nesting) without building values, and keeps
// only a window of the input in memory: two buffers of bufSize bytes, more
// only while a single value that a caller captures is larger.
//
// Every byte read is handed, in order, to the sink (if any), which hashes it
// and checks that it is valid UTF-8 on another goroutine; the scanner itself
// treats bytes >= 0x80 inside strings as content.
//
// A scanner without a reader scans one in-memory slice.
type scanner struct {
	r     io.Reader
	buf   []byte
	spare []byte // the other buffer, refilled next
	pos   int    // next byte to scan in buf
	end   int    // buf[:end] holds input
	base  int64  // input offset of buf[0]
	// keep is the input offset of the first byte a caller still needs
	// (the start of a captured value), or -1. fill keeps buf from there.
	keep  int64
	eof   bool
	rerr  error // a read error other than io.EOF
	sink  *sink
	depth int      // open containers, skipped or interpreted
	stack bitStack // of skipValue, reused
}

const (
	bufSize = 256 << 10
	// maxDepth is encoding/json's nesting limit, so that both decoders
	// reject the same documents.
	maxDepth = 10000
)

// buffers recycles the scanners' buffers between decodes (tests and fuzzing
// decode many small plans; a big plan needs only its two).
var buffers sync.Pool

func getBuffer() []byte {
	if b, ok := buffers.Get().(*[]byte); ok {
		return (*b)[:bufSize]
	}
	return make([]byte, bufSize)
}

func newScanner(r io.Reader, sk *sink) *scanner {
	return &scanner{r: r, buf: getBuffer(), spare: getBuffer(), keep: -1, sink: sk}
}

// release returns the buffers for reuse; the scanner must not be used after.
func (s *scanner) release() {
	for _, b := range [][]byte{s.buf, s.spare} {
		if cap(b) == bufSize {
			b = b[:bufSize]
			buffers.Put(&b)
		}
	}
	s.buf, s.spare = nil, nil
}

// memScanner scans b, which must not change while it is scanned.
func memScanner(b []byte) *scanner {
	return &scanner{buf: b, end: len(b), keep: -1, eof: true}
}

// reset points a memory scanner at b.
func (s *scanner) reset(b []byte) {
	*s = scanner{buf: b, end: len(b), keep: -1, eof: true, stack: bitStack{bits: s.stack.bits[:0]}}
}

// offset is the input offset of the next byte.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// fill reads more input, keeping buf[min(pos, keep):end]. It reports
// whether at least one new byte is available.
// minInPlace is the free space at the end of the window below which fill
// moves the window instead of reading into it.
const minInPlace = 16 << 10

func (s *scanner) fill() bool {
	if s.eof || s.rerr != nil || s.r == nil {
		return false
	}
	if len(s.buf)-s.end >= minInPlace {
		// Room left: read in place, without copying the window. (Copying
		// it on every read made tiny reads of a large kept value
		// quadratic.) The bytes read do not overlap any chunk the sink
		// may still be hashing.
		var n int
		var err error
		for n == 0 && err == nil {
			n, err = s.r.Read(s.buf[s.end:])
		}
		if n > 0 && s.sink != nil {
			// Collect the acknowledgements of earlier chunks first: the
			// sink blocks when they pile up.
			s.sink.waitSpare()
			s.sink.send(s.buf[s.end : s.end+n])
		}
		s.end += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.rerr = err
		}
		return n > 0
	}
	from := s.pos
	if s.keep >= 0 && int(s.keep-s.base) < from {
		from = int(s.keep - s.base)
	}
	tail := s.end - from
	if s.sink != nil {
		// The spare buffer may still be being hashed.
		s.sink.waitSpare()
	}
	dst := s.spare
	if cap(dst) < 2*tail || cap(dst) < bufSize {
		dst = make([]byte, max(2*tail, bufSize))
	}
	dst = dst[:cap(dst)]
	copy(dst, s.buf[from:s.end])
	var n int
	var err error
	for n == 0 && err == nil {
		n, err = s.r.Read(dst[tail:])
	}
	s.spare = s.buf
	s.buf = dst
	s.base += int64(from)
	s.pos -= from
	s.end = tail + n
	if n > 0 && s.sink != nil {
		s.sink.send(dst[tail : tail+n])
	}
	if err == io.EOF {
		s.eof = true
	} else if err != nil {
		s.rerr = err
	}
	return n > 0
}

// more makes at least one byte available at pos.
func (s *scanner) more() bool {
	return s.pos < s.end || s.fill()
}

// endError is the error for input that ends (or fails to read) where a
// value or token must continue.
func (s *scanner) endError() error {
	if s.rerr != nil {
		return fmt.Errorf("reading the plan JSON after byte %d: %w", s.offset(), s.rerr)
	}
	return fmt.Errorf("%w: unexpected end of input after byte %d: the JSON is truncated; write it again with `terraform show -json PLANFILE`", ErrMalformed, s.offset())
}

// syntaxError reports an invalid byte at pos.
func (s *scanner) syntaxError(context string) error {
	return fmt.Errorf("%w: invalid JSON at byte %d: invalid character %s %s", ErrMalformed, s.offset(), quoteChar(s.buf[s.pos]), context)
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("%q", []byte{c})
}

// peek skips white space and returns the next byte without consuming it;
// at the end of input it returns false.
func (s *scanner) peek() (byte, bool) {
	if s.pos < s.end && s.buf[s.pos] > ' ' {
		return s.buf[s.pos], true
	}
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			s.pos++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// next is peek where the end of input is an error.
func (s *scanner) next() (byte, error) {
	if s.pos < s.end && s.buf[s.pos] > ' ' {
		return s.buf[s.pos], nil
	}
	return s.nextSlow()
}

func (s *scanner) nextSlow() (byte, error) {
	c, ok := s.peek()
	if !ok {
		return 0, s.endError()
	}
	return c, nil
}

// expect consumes byte want after white space.
func (s *scanner) expect(want byte, context string) error {
	c, err := s.next()
	if err != nil {
		return err
	}
	if c != want {
		return s.syntaxError(context)
	}
	s.pos++
	return nil
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// specialMask has the high bit set in the first byte of x (in memory
// order) that is '"', '\\' or a control character, and possibly in later
// bytes; it is 0 when there is none.
func specialMask(x uint64) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	return ((q-lsb)&^q | (b-lsb)&^b | (x-lsb*0x20)&^x) & msb
}

func specialByte(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }

// skipString consumes a string whose '"' is at pos, validating escapes and
// rejecting control characters. It reports whether it held an escape.
func (s *scanner) skipString() (escaped bool, err error) {
	s.pos++
	for {
		buf := s.buf[:s.end]
		i := s.pos
		for {
			for i+8 <= len(buf) {
				if m := specialMask(binary.LittleEndian.Uint64(buf[i:])); m != 0 {
					i += bits.TrailingZeros64(m) >> 3
					break
				}
				i += 8
			}
			for i < len(buf) && !specialByte(buf[i]) {
				i++
			}
			if i >= len(buf) {
				break
			}
			switch buf[i] {
			case '"':
				s.pos = i + 1
				return escaped, nil
			case '\\':
				s.pos = i
				escaped = true
				if err := s.skipEscape(); err != nil {
					return escaped, err
				}
				buf = s.buf[:s.end]
				i = s.pos
				continue
			}
			s.pos = i
			return escaped, s.syntaxError("in string literal")
		}
		s.pos = len(buf)
		if !s.fill() {
			return escaped, s.endError()
		}
	}
}

// skipEscape consumes an escape sequence whose '\\' is at pos.
func (s *scanner) skipEscape() error {
	s.pos++
	if !s.more() {
		return s.endError()
	}
	switch s.buf[s.pos] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos++
		return nil
	case 'u':
		s.pos++
		for range 4 {
			if !s.more() {
				return s.endError()
			}
			if unhex(s.buf[s.pos]) < 0 {
				return s.syntaxError("in \\u hexadecimal character escape")
			}
			s.pos++
		}
		return nil
	}
	return s.syntaxError("in string escape code")
}

func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// stringBytes consumes a string whose '"' is at pos and returns its
// decoded content. Without escapes the result aliases the buffer and is
// valid only until the scanner reads on; with escapes it is a new slice.
func (s *scanner) stringBytes() ([]byte, error) {
	start := s.offset()
	prev := s.keep
	if prev < 0 || prev > start {
		s.keep = start
	}
	escaped, err := s.skipString()
	s.keep = prev
	if err != nil {
		return nil, err
	}
	raw := s.buf[int(start-s.base)+1 : s.pos-1]
	if !escaped {
		return raw, nil
	}
	return unescape(raw), nil
}

// unescape decodes the content of a valid JSON string as encoding/json
// does: a lone or invalid UTF-16 surrogate becomes U+FFFD.
func unescape(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, hex4(raw[i+2:])); dec != unicode.ReplacementChar {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				r = unicode.ReplacementChar
			}
			out = utf8.AppendRune(out, r)
			continue
		}
		i += 2
	}
	return out
}

func hex4(b []byte) rune {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}

// skipLiteral consumes true, false or null, whose first byte is at pos.
func (s *scanner) skipLiteral(lit string) error {
	for i := 0; i < len(lit); i++ {
		if !s.more() {
			return s.endError()
		}
		if s.buf[s.pos] != lit[i] {
			return s.syntaxError("in literal " + lit + " (expecting " + quoteChar(lit[i]) + ")")
		}
		s.pos++
	}
	return nil
}

// skipNumber consumes a number whose first byte ('-' or a digit) is at pos.
func (s *scanner) skipNumber() error {
	digits := func(context string) error {
		if !s.more() {
			return s.endError()
		}
		if c := s.buf[s.pos]; c < '0' || c > '9' {
			return s.syntaxError(context)
		}
		for s.more() {
			if c := s.buf[s.pos]; c < '0' || c > '9' {
				return nil
			}
			s.pos++
		}
		return s.tailError()
	}
	if s.buf[s.pos] == '-' {
		s.pos++
		if !s.more() {
			return s.endError()
		}
	}
	if s.buf[s.pos] == '0' {
		s.pos++
	} else if err := digits("in numeric literal"); err != nil {
		return err
	}
	if !s.more() {
		return s.tailError()
	}
	if s.buf[s.pos] == '.' {
		s.pos++
		if err := digits("after decimal point in numeric literal"); err != nil {
			return err
		}
		if !s.more() {
			return s.tailError()
		}
	}
	if c := s.buf[s.pos]; c == 'e' || c == 'E' {
		s.pos++
		if !s.more() {
			return s.endError()
		}
		if c := s.buf[s.pos]; c == '+' || c == '-' {
			s.pos++
		}
		return digits("in exponent of numeric literal")
	}
	return nil
}

// tailError is the result of reaching the end of input right after a
// complete number: fine unless the input failed to read.
func (s *scanner) tailError() error {
	if s.rerr != nil {
		return s.endError()
	}
	return nil
}

// push enters a container.
func (s *scanner) push() error {
	s.depth++
	if s.depth > maxDepth {
		return fmt.Errorf("%w: invalid JSON at byte %d: exceeded max depth", ErrMalformed, s.offset())
	}
	return nil
}

// skipValue consumes one value of any size, validating it, after white
// space. It holds nothing but the kinds of the open containers (one bit
// each). It is the reader's hot loop: it works on a local view of the
// buffer and calls out only for escapes, literals, numbers and refills.
func (s *scanner) skipValue() error {
	stack := &s.stack
	stack.n, stack.bits = 0, stack.bits[:0]
	start := s.depth
	var (
		buf = s.buf[:s.end]
		i   = s.pos
		c   byte
		err error
		ok  bool
	)
value:
	for i < len(buf) && isSpace(buf[i]) {
		i++
	}
	if i == len(buf) {
		if buf, i, ok = s.reload(i); !ok {
			return s.fail(start, s.endError())
		}
		goto value
	}
	switch c = buf[i]; c {
	case '"':
		if i, err = s.scanString(buf, i); err != nil {
			return s.fail(start, err)
		}
		buf = s.buf[:s.end]
		goto after
	case '{', '[':
		i++
		s.depth++
		if s.depth > maxDepth {
			s.pos = i
			return s.fail(start, fmt.Errorf("%w: invalid JSON at byte %d: exceeded max depth", ErrMalformed, s.offset()))
		}
	open:
		for i < len(buf) && isSpace(buf[i]) {
			i++
		}
		if i == len(buf) {
			if buf, i, ok = s.reload(i); !ok {
				return s.fail(start, s.endError())
			}
			goto open
		}
		if (c == '{' && buf[i] == '}') || (c == '[' && buf[i] == ']') {
			i++
			s.depth--
			goto after
		}
		stack.push(c == '{')
		if c == '{' {
			goto key
		}
		goto value
	default:
		s.pos = i
		switch {
		case c == 't':
			err = s.skipLiteral("true")
		case c == 'f':
			err = s.skipLiteral("false")
		case c == 'n':
			err = s.skipLiteral("null")
		case c == '-' || ('0' <= c && c <= '9'):
			err = s.skipNumber()
		default:
			err = s.syntaxError("looking for beginning of value")
		}
		if err != nil {
			return s.fail(start, err)
		}
		buf, i = s.buf[:s.end], s.pos
		goto after
	}

key:
	for i < len(buf) && isSpace(buf[i]) {
		i++
	}
	if i == len(buf) {
		if buf, i, ok = s.reload(i); !ok {
			return s.fail(start, s.endError())
		}
		goto key
	}
	if buf[i] != '"' {
		s.pos = i
		return s.fail(start, s.syntaxError("looking for beginning of object key string"))
	}
	if i, err = s.scanString(buf, i); err != nil {
		return s.fail(start, err)
	}
	buf = s.buf[:s.end]
colon:
	for i < len(buf) && isSpace(buf[i]) {
		i++
	}
	if i == len(buf) {
		if buf, i, ok = s.reload(i); !ok {
			return s.fail(start, s.endError())
		}
		goto colon
	}
	if buf[i] != ':' {
		s.pos = i
		return s.fail(start, s.syntaxError("after object key"))
	}
	i++
	goto value

after:
	if stack.n == 0 {
		s.pos = i
		return nil
	}
	for i < len(buf) && isSpace(buf[i]) {
		i++
	}
	if i == len(buf) {
		if buf, i, ok = s.reload(i); !ok {
			return s.fail(start, s.endError())
		}
		goto after
	}
	c = buf[i]
	if stack.top() {
		switch c {
		case ',':
			i++
			goto key
		case '}':
			i++
			s.depth--
			stack.pop()
			goto after
		}
		s.pos = i
		return s.fail(start, s.syntaxError("after object key:value pair"))
	}
	switch c {
	case ',':
		i++
		goto value
	case ']':
		i++
		s.depth--
		stack.pop()
		goto after
	}
	s.pos = i
	return s.fail(start, s.syntaxError("after array element"))
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// reload reads on from i, for skipValue.
func (s *scanner) reload(i int) ([]byte, int, bool) {
	s.pos = i
	ok := s.fill()
	return s.buf[:s.end], s.pos, ok
}

// fail restores the depth after an error in skipValue.
func (s *scanner) fail(depth int, err error) error {
	s.depth = depth
	return err
}

// scanString consumes a string whose '"' is at buf[i] (buf is the
// buffer's current view) and returns the index after it in the buffer's
// view after the call, which may have been refilled.
func (s *scanner) scanString(buf []byte, i int) (int, error) {
	j := i + 1
	for j+8 <= len(buf) {
		if m := specialMask(binary.LittleEndian.Uint64(buf[j:])); m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			if buf[j] == '"' {
				return j + 1, nil
			}
			break
		}
		j += 8
	}
	// An escape, a control character or the end of the buffer is near.
	s.pos = i
	if _, err := s.skipString(); err != nil {
		return 0, err
	}
	return s.pos, nil
}

// bitStack is a stack of booleans.
type bitStack struct {
	bits []uint64
	n    int
}

func (b *bitStack) push(v bool) {
	if b.n%64 == 0 {
		b.bits = append(b.bits, 0)
	}
	w := &b.bits[b.n/64]
	if v {
		*w |= 1 << (b.n % 64)
	} else {
		*w &^= 1 << (b.n % 64)
	}
	b.n++
}

func (b *bitStack) top() bool { return b.bits[(b.n-1)/64]&(1<<((b.n-1)%64)) != 0 }

func (b *bitStack) pop() {
	b.n--
	if b.n%64 == 0 {
		b.bits = b.bits[:len(b.bits)-1]
	}
}
