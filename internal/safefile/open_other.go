//go:build !unix

package safefile

import "os"

// openNonBlocking opens path for reading; where there are no FIFOs, a
// plain open does not wait.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
