//go:build !linux && !darwin

package runner

import (
	"errors"
	"net"
)

// peerOf is not implemented here: the runner trusts no peer it cannot
// identify, so it refuses every connection.
func peerOf(*net.UnixConn) (Peer, error) {
	return Peer{UID: -1, PID: 0}, errors.New("peer credentials are read on Linux and macOS only; the runner refuses every connection on this system")
}
