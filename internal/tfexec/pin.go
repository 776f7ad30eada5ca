package tfexec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
// this copy, whatever happens to the original afterwards.
type Pinned struct {
	// Path is the copy, read-only, in a new directory only the user can read.
	Path string
	// SHA256 is the hex SHA-256 of the copy's bytes.
	SHA256 string
	dir    string
}

// Cleanup removes the copy and its directory.
func (p *Pinned) Cleanup() {
	if p != nil && p.dir != "" {
		os.RemoveAll(p.dir)
	}
}

// PinPlan copies the saved plan at path into a private (0700) temporary
// directory, hashing it on the way. It never waits on the file: path is
// opened non-blocking and must be a regular file once opened (else a
// *safefile.NotRegularError), start with ZipMagic (else an error wrapping
// ErrNotSavedPlan) and hold at most lim.MaxBytes bytes; the copy stops when
// ctx ends. Errors opening the file read "open plan: …".
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
	dir, err := os.MkdirTemp("", "planguard-pin-")
	if err != nil {
		return nil, err
	}
	p := &Pinned{Path: filepath.Join(dir, "pinned.tfplan"), dir: dir}
	sum, err := copyBounded(ctx, p.Path, f, limit)
	if err != nil {
		p.Cleanup()
		return nil, fmt.Errorf("copy plan: %w", err)
	}
	p.SHA256 = sum
	return p, nil
}

// copyBounded copies at most limit bytes of src into a new read-only file
// at path and returns their SHA-256; more than limit is an error, and so is
// ctx ending.
func copyBounded(ctx context.Context, path string, src io.Reader, limit int64) (string, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), &ctxReader{ctx: ctx, r: io.LimitReader(src, limit+1)})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = fmt.Errorf("the plan is larger than %d bytes", limit)
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

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
