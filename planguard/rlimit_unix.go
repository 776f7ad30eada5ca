//go:build unix

package main

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// fileSizeLimit refuses an apply under a file size limit (ulimit -f,
// prlimit --fsize): terraform would be stopped part way through writing
// a local state, or its backup, and leave it cut short (review hook136:
// a limit set in an earlier call of a shell the agent keeps open).
func fileSizeLimit() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &l); err != nil {
		return fmt.Errorf("read the file size limit: %w", err)
	}
	if l.Cur != unix.RLIM_INFINITY {
		return &usageError{msg: fmt.Sprintf("a file size limit of %d bytes is set (ulimit -f): terraform could be stopped while it writes the state, leaving it cut short; nothing was applied", l.Cur),
			hint: "run planguard apply in a shell without the limit (ulimit -f unlimited)"}
	}
	return nil
}
