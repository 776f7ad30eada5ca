//go:build !linux

package tfexec

import (
	"context"
	"io"
	"os"
	"path/filepath"
)

// pinCopy copies src into a read-only file in a new private (0700)
// temporary directory. Without sealed memory files, a process of the same
// user can still replace that file; Linux pins into a memfd instead.
func pinCopy(_ context.Context, src io.Reader, limit int64) (*Pinned, error) {
	dir, err := os.MkdirTemp("", "planguard-pin-")
	if err != nil {
		return nil, err
	}
	p := &Pinned{Path: filepath.Join(dir, "pinned.tfplan"), dir: dir}
	sum, err := copyBounded(p.Path, src, limit)
	if err != nil {
		p.Cleanup()
		return nil, err
	}
	p.SHA256 = sum
	return p, nil
}
