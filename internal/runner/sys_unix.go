//go:build unix

package runner

import (
	"os"
	"os/exec"
	"syscall"
)

// syscallNoFollow makes an open fail on a symbolic link.
const syscallNoFollow = syscall.O_NOFOLLOW

// detach puts a child in its own process group, so that a Ctrl-C at the
// runner's terminal reaches the runner (which drains) and not Terraform.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// withUmask runs fn with the process umask set to mask, so that a socket is
// never created with wider permissions than wanted, even for an instant.
func withUmask(mask int, fn func() error) error {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	return fn()
}

// ownerUID is the uid owning fi's file.
func ownerUID(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// killGroup kills every process of the process group pgid (terraform and
// the providers it started).
func killGroup(pgid int) {
	if pgid > 1 {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// interruptProcess sends terraform its graceful-stop signal.
func interruptProcess(pid int) {
	if pid > 1 {
		_ = syscall.Kill(pid, syscall.SIGINT)
	}
}

// ownerGID is the gid owning fi's file.
func ownerGID(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Gid), true
}
