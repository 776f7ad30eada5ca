package runner

import (
	"fmt"
	"os"
	"path/filepath"
)

// checkSocketDir refuses to serve from a socket directory anyone but the
// runner could change: whoever can write the directory can replace the
// socket with one of their own, and a reviewer's `runner show` would print
// their plan. The directory (the socket's parent, not a symbolic link)
// must belong to the runner's uid and be writable by no one else. With a
// socket group, the group's members must be able to reach the socket: the
// directory is that group's with mode g+x (0750, as the guide makes it), or
// o+x. The client checks the other side (Client.checkRunner): the process
// that serves the socket must own its directory.
func checkSocketDir(socket string, gid int) error {
	dir := filepath.Dir(socket)
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("the socket's directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the socket's directory %s is not a directory (a symbolic link?): give the runner a directory of its own, e.g. install -d -o RUNNER -g GROUP -m 0750 /run/planguard", dir)
	}
	owner, ok := ownerUID(fi)
	if !ok {
		return nil // no owners on this system
	}
	if owner != os.Geteuid() {
		return fmt.Errorf("the socket's directory %s belongs to uid %d, not to the runner (uid %d): whoever owns it can replace the socket, and clients refuse a socket whose directory is not the runner's. Give the runner a directory of its own, e.g. install -d -o RUNNER -g GROUP -m 0750 /run/planguard", dir, owner, os.Geteuid())
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("the socket's directory %s has mode %04o: others than the runner can write it, and so replace the socket; chmod 0750 %s", dir, fi.Mode().Perm(), dir)
	}
	if gid >= 0 {
		g, _ := ownerGID(fi)
		if !(g == gid && fi.Mode().Perm()&0o010 != 0) && fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the socket's directory %s (mode %04o, group %d) does not let group %d reach the socket: chgrp %d %s && chmod 0750 %s", dir, fi.Mode().Perm(), g, gid, gid, dir, dir)
		}
	}
	return nil
}
