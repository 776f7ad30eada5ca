package runner

import (
	"errors"
	"net"

	"golang.org/x/sys/unix"
)

// peerOf reads the peer's credentials from the kernel (LOCAL_PEERCRED and
// LOCAL_PEERPID), macOS's counterpart of SO_PEERCRED. Not exercised by the
// tests, which run on Linux.
func peerOf(c *net.UnixConn) (Peer, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return Peer{}, err
	}
	var cred *unix.Xucred
	var pid int
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		if credErr == nil {
			pid, _ = unix.GetsockoptInt(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
		}
	}); err != nil {
		return Peer{}, err
	}
	if credErr != nil {
		return Peer{}, credErr
	}
	if cred == nil || cred.Ngroups < 1 {
		return Peer{}, errors.New("no peer credentials")
	}
	return Peer{UID: int(cred.Uid), GID: int(cred.Groups[0]), PID: pid}, nil
}
