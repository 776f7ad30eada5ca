//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNonBlocking opens with O_NONBLOCK (os.OpenFile adds O_CLOEXEC): a
// FIFO opens at once instead of waiting for a writer. O_NONBLOCK changes
// nothing for reads of a regular file.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
