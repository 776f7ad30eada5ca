//go:build linux

package runner

import (
	"bytes"
	"os"
	"strconv"
)

// MemoryBounded says whether this platform can bound a child's memory
// (watchMemory reads /proc).
const MemoryBounded = true

// groupRSS sums the resident memory of the processes of the process group
// pgid, from /proc/PID/stat (field 24, rss, in pages). A process that
// leaves while it is read is not counted.
func groupRSS(pgid int) (int64, error) {
	d, err := os.Open("/proc")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return 0, err
	}
	page := int64(os.Getpagesize())
	var total int64
	for _, n := range names {
		if n[0] < '0' || n[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp …: comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		// f[0] is field 3 (state): pgrp is field 5, rss field 24.
		if len(f) < 22 {
			continue
		}
		if g, err := strconv.Atoi(string(f[2])); err != nil || g != pgid {
			continue
		}
		if rss, err := strconv.ParseInt(string(f[21]), 10, 64); err == nil {
			total += rss * page
		}
	}
	return total, nil
}
