//go:build unix

package main

import (
	"os"
	"syscall"
)

// hardLinked reports whether p is an existing regular file with more than
// one hard link (review hook34 F11): an earlier extraction the hook allows
// (python3 -m tarfile) may have made it another name of a Terraform state
// file or the policy, so a write through it rewrites that file. The hook
// cannot find the other names of an inode cheaply, so every such write is
// refused; removing the name first and writing a new file is allowed.
func hardLinked(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink > 1
}
