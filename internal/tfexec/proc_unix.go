//go:build unix

package tfexec

import (
	"os"
	"os/exec"
	"syscall"
)

// interrupt sends SIGINT to terraform alone (not its process group).
func interrupt(cmd *exec.Cmd) error { return cmd.Process.Signal(os.Interrupt) }

// ownProcessGroup starts terraform in a process group of its own: the
// terminal's interrupt reaches planguard, which forwards it once.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
