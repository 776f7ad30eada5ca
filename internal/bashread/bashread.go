// Package bashread asks bash itself how it reads a command line.
//
// `bash --pretty-print FILE` (bash 5.2 and later) parses a script and prints
// each command back in bash's own canonical form, running nothing: no
// command, no expansion, no startup file (the environment is emptied, so
// there is no BASH_ENV). The hook judges that text too, so that a line the
// hook's parser reads otherwise than bash (a here-document bash ends at
// another line, an escape it decodes otherwise) is judged on bash's reading
// as well (review rounds hook36–hook48 found such lines every round).
package bashread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Candidates are the places a bash is looked for, in order. The agent's
// PATH is not searched: the agent can put a program of its own there.
var Candidates = []string{"/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash", "/opt/homebrew/bin/bash"}

// Reader runs one bash.
type Reader struct {
	Bash    string        // absolute path of a bash that has --pretty-print
	Timeout time.Duration // bound on one reading (default 5 s)
	// Env holds the locale variables passed on (LANG, LC_ALL, LC_CTYPE):
	// bash decodes $'\u…' and reads multibyte text by the locale.
	Env []string
	// MaxOutput bounds what bash prints back (default 4 MiB).
	MaxOutput int
	// Deadline, when set, bounds all the readings of one hook call
	// together (Find sets it Total from now): a line holds up to 64
	// scripts, and an agent lets a call through when its hook times out.
	Deadline time.Time
}

// Total is the time all of one call's readings may take together.
const Total = 20 * time.Second

// Find returns a Reader for the first candidate bash that has
// --pretty-print, or ok=false when none does (no bash, or bash older than
// 5.2: macOS's /bin/bash is 3.2).
func Find(getenv func(string) string) (Reader, bool) {
	var env []string
	for _, k := range []string{"LANG", "LC_ALL", "LC_CTYPE"} {
		if v := getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	for _, c := range Candidates {
		if st, err := os.Stat(c); err != nil || st.IsDir() {
			continue
		}
		r := Reader{Bash: c, Env: env, Deadline: time.Now().Add(Total)}
		if out, err := r.Read("true"); err == nil && strings.TrimSpace(out) == "true" {
			return r, true
		}
	}
	return Reader{}, false
}

// ErrSyntax is wrapped by Read's error when bash does not parse the line.
var ErrSyntax = errors.New("bash does not parse it")

// Read returns bash's own printing of line: every command bash would run,
// with here-documents, escapes and continuation lines as bash reads them.
func (r Reader) Read(line string) (string, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if !r.Deadline.IsZero() {
		left := time.Until(r.Deadline)
		if left <= 0 {
			return "", fmt.Errorf("bash's readings of this line took longer than %s in all", Total)
		}
		timeout = min(timeout, left)
	}
	limit := r.MaxOutput
	if limit <= 0 {
		limit = 4 << 20
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// The script comes on standard input, read as a file by name: without
	// a file operand bash would read an interactive-looking stdin. extglob
	// is on, as in an interactive bash with Debian's bash-completion and
	// in the hook's own parser: a shell without it refuses such a line.
	cmd := exec.CommandContext(ctx, r.Bash, "--norc", "--noprofile", "--pretty-print", "-O", "extglob", "/dev/stdin")
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, r.Env...)
	cmd.Dir = "/"
	// A line whose last line has no newline is still a line; bash reads
	// the same either way.
	cmd.Stdin = strings.NewReader(line + "\n")
	var out, errb limited
	out.max, errb.max = limit, 64<<10
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", fmt.Errorf("bash took longer than %s to read it", timeout)
	}
	if out.over {
		return "", fmt.Errorf("bash printed more than %d bytes for it", limit)
	}
	if msg := strings.TrimSpace(errb.String()); msg != "" || err != nil {
		if msg == "" {
			msg = err.Error()
		}
		// bash: /dev/stdin: line 2: syntax error near unexpected token `)'
		msg = strings.TrimPrefix(msg, r.Bash+": ")
		msg = strings.TrimPrefix(msg, "/dev/stdin: ")
		return "", fmt.Errorf("%w: %s", ErrSyntax, firstLine(msg))
	}
	return out.String(), nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// limited is a buffer that stops growing at max bytes. (Not an embedded
// bytes.Buffer: io.Copy would use its ReadFrom, past the bound.)
type limited struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (l *limited) Write(p []byte) (int, error) {
	if l.buf.Len()+len(p) > l.max {
		l.over = true
		return len(p), nil
	}
	return l.buf.Write(p)
}

func (l *limited) String() string { return l.buf.String() }
