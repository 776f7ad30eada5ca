//go:build !unix

package policy

import "errors"

// mkfifo fails where there are no FIFOs; the tests that need one skip.
func mkfifo(string) error { return errors.New("no FIFOs on this system") }
