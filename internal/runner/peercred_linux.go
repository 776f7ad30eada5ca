package runner

import (
	"errors"
	"net"

	"golang.org/x/sys/unix"
)

// peerOf reads the peer's credentials from the kernel (SO_PEERCRED): what
// the client process was when it connected, which it cannot forge.
func peerOf(c *net.UnixConn) (Peer, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return Peer{}, err
	}
	var cred *unix.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return Peer{}, err
	}
	if credErr != nil {
		return Peer{}, credErr
	}
	if cred == nil {
		return Peer{}, errors.New("no peer credentials")
	}
	return Peer{UID: int(cred.Uid), GID: int(cred.Gid), PID: int(cred.Pid)}, nil
}
