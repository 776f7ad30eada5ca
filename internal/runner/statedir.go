package runner

import (
	"fmt"
	"os"
	"path/filepath"
)

// PrivateDir creates dir (mode 0700) when missing and checks that only
// the runner can use it: no group or other permission, and, where the
// system says, owned by the runner's uid. It returns the absolute path.
func PrivateDir(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s has mode %s: others could read or change the saved plans", dir, fi.Mode().Perm())
	}
	if uid, ok := ownerUID(fi); ok && uid != os.Getuid() {
		return "", fmt.Errorf("%s belongs to uid %d, not the runner's %d", dir, uid, os.Getuid())
	}
	return filepath.Abs(dir)
}
