//go:build !linux

package runner

import "errors"

// MemoryBounded says whether this platform can bound a child's memory: the
// watch reads /proc, which only Linux has.
const MemoryBounded = false

func groupRSS(int) (int64, error) {
	return 0, errors.New("the memory of a process group is read from /proc, which this system lacks")
}
