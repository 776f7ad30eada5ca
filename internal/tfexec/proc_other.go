//go:build !unix

package tfexec

import "os/exec"

// interrupt ends terraform where a process cannot be sent an interrupt
// (Windows): it is killed.
func interrupt(cmd *exec.Cmd) error { return cmd.Process.Kill() }

// ownProcessGroup does nothing where there are no process groups to choose.
func ownProcessGroup(*exec.Cmd) {}
