//go:build !unix

package runner

import (
	"os"
	"os/exec"
)

const syscallNoFollow = 0

func detach(*exec.Cmd) {}

func withUmask(_ int, fn func() error) error { return fn() }

func ownerUID(os.FileInfo) (int, bool) { return 0, false }

func killGroup(int) {}

func interruptProcess(int) {}

func ownerGID(os.FileInfo) (int, bool) { return 0, false }

// LockStateDir locks nothing here: the runner serves on Linux and macOS.
func LockStateDir(string) (func(), error) { return func() {}, nil }
