//go:build !linux

package tfexec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// copyBounded copies src (at most limit bytes, else an error) into a new
// read-only file at path and returns their SHA-256.
func copyBounded(path string, src io.Reader, limit int64) (string, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), src)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = tooLarge(limit)
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
