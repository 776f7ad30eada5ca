//go:build linux

package tfexec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// pinSeals are the seals of a pinned plan: its bytes can no longer be
// written, it can neither grow nor shrink, and no seal can be removed.
const pinSeals = unix.F_SEAL_WRITE | unix.F_SEAL_GROW | unix.F_SEAL_SHRINK | unix.F_SEAL_SEAL

// pinCopy copies src into a new memfd, seals it, and hashes what the
// sealed file holds. A file in a directory can be replaced by any process
// of the same user between the check and `terraform apply` (the agent's
// own, which can list /tmp); a sealed memfd cannot be changed by anyone,
// and it has no name in any directory. The hash is of the bytes read back
// after sealing, so a write by another process that opened the memfd
// through /proc before the seal is either in the hash or impossible.
func pinCopy(_ context.Context, src io.Reader, limit int64) (*Pinned, error) {
	fd, err := unix.MemfdCreate("planguard-pin", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("create a sealed memory file for the plan (memfd_create): %w", err)
	}
	f := os.NewFile(uintptr(fd), "planguard-pin")
	p := &Pinned{Path: fmt.Sprintf("/proc/self/fd/%d", fd), file: f}
	if err := p.fill(src, limit); err != nil {
		p.Cleanup()
		return nil, err
	}
	return p, nil
}

func (p *Pinned) fill(src io.Reader, limit int64) error {
	f := p.file
	n, err := io.Copy(f, src)
	if err != nil {
		return err
	}
	if n > limit {
		return tooLarge(limit)
	}
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, pinSeals); err != nil {
		// EBUSY: a writable shared mapping of it exists (another process).
		return fmt.Errorf("seal the pinned plan: %w", err)
	}
	seals, err := unix.FcntlInt(f.Fd(), unix.F_GET_SEALS, 0)
	if err != nil {
		return fmt.Errorf("read the pinned plan's seals: %w", err)
	}
	if seals&pinSeals != pinSeals {
		return fmt.Errorf("the pinned plan is not sealed (seals %#x)", seals)
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > limit {
		return tooLarge(limit)
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fi.Size())); err != nil {
		return err
	}
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}
