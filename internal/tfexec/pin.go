package tfexec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// ZipMagic starts every binary saved plan (a zip archive).
const ZipMagic = "PK\x03\x04"

// ErrNotSavedPlan is wrapped by PinPlan's error for a file that is not a
// binary saved plan (does not start with ZipMagic).
var ErrNotSavedPlan = errors.New("not a saved plan file")

// DefaultMaxPlanBytes is the size bound of a pinned plan when Limits sets
// none. A saved plan is a zip of the plan, the configuration and the prior
// state: large states make it large, but not this large.
const DefaultMaxPlanBytes = 4 << 30

// Limits bound PinPlan (the time bound is the context's).
type Limits struct {
	// MaxBytes is the largest plan copied; 0 means DefaultMaxPlanBytes.
	MaxBytes int64
}

// Pinned is a private copy of a saved plan: what is checked and applied is
// this copy, whatever happens to the original afterwards. On Linux the
// copy is a sealed memfd (pin_linux.go): no process, not even one of the
// same user that finds it under /proc, can change it once it is pinned.
// Elsewhere it is a read-only file in a new directory only the user can
// read (pin_other.go).
type Pinned struct {
	// Path is where this process reads the copy: /proc/self/fd/N of the
	// memfd on Linux, else the file. A child process reads it by the path
	// ForChild returns.
	Path string
	// SHA256 is the hex SHA-256 of the copy's bytes.
	SHA256 string
	dir    string
	file   *os.File
}

// Cleanup closes and removes the copy.
func (p *Pinned) Cleanup() {
	if p == nil {
		return
	}
	if p.file != nil {
		p.file.Close()
		p.file = nil
	}
	if p.dir != "" {
		os.RemoveAll(p.dir)
	}
}

// ForChild returns the path a child process reads the copy by and the
// files to start it with (exec.Cmd.ExtraFiles): extra and, on Linux, the
// memfd, which the child then reads as /dev/fd/K (K = 3 + its index).
// Elsewhere it returns Path and extra unchanged.
func (p *Pinned) ForChild(extra []*os.File) (string, []*os.File) {
	if p.file == nil {
		return p.Path, extra
	}
	extra = append(append([]*os.File{}, extra...), p.file)
	return fmt.Sprintf("/dev/fd/%d", 2+len(extra)), extra
}

// PinPlan copies the saved plan at path into a private copy (see Pinned),
// hashing it. It never waits on the file: path is opened non-blocking and
// must be a regular file once opened (else a *safefile.NotRegularError),
// start with ZipMagic (else an error wrapping ErrNotSavedPlan) and hold at
// most lim.MaxBytes bytes; the copy stops when ctx ends. Errors opening
// the file read "open plan: …".
func PinPlan(ctx context.Context, path string, lim Limits) (*Pinned, error) {
	limit := lim.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxPlanBytes
	}
	f, err := safefile.Open(path)
	var nr *safefile.NotRegularError
	if errors.As(err, &nr) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("open plan: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(ZipMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != ZipMagic {
		return nil, fmt.Errorf("%s is %w", path, ErrNotSavedPlan)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	p, err := pinCopy(ctx, &ctxReader{ctx: ctx, r: io.LimitReader(f, limit+1)}, limit)
	if err != nil {
		return nil, fmt.Errorf("copy plan: %w", err)
	}
	return p, nil
}

// tooLarge is the error for a plan over the limit.
func tooLarge(limit int64) error { return fmt.Errorf("the plan is larger than %d bytes", limit) }

// ctxReader fails its reads once ctx has ended.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
