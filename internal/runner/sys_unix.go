//go:build unix

package runner

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// stateLockName is the lock file of a state directory (LockStateDir).
const stateLockName = "runner.lock"

// LockStateDir takes the state directory dir for this process: one
// runner at a time uses a state directory, so that one starting cannot
// remove the plans of another (RemoveLeftovers). The lock is the
// process's until release (or its end, a crash included: the kernel
// drops it).
func LockStateDir(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, stateLockName), os.O_RDWR|os.O_CREATE|syscallNoFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the state directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another runner uses the state directory %s: give each runner its own --state-dir", dir)
		}
		return nil, fmt.Errorf("lock the state directory: %w", err)
	}
	return func() { _ = f.Close() }, nil
}
