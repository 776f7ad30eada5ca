package tfexec

// The provider packages of a room. Terraform checks the installed packages
// against the lock file when it starts, but it starts a provider's plugin
// again each time it configures that provider, and a provider whose
// configuration refers to a resource is configured only after that
// resource is applied: a resource that writes files (hashicorp/local's
// local_file, any provider whose objects are files) can overwrite another
// provider's binary in the room's .terraform/providers first, and
// Terraform then runs whatever was written, with the apply's credentials.
// And with an unpacked filesystem mirror or a plugin cache, init links the
// room's package directories to the mirror's, so that write changes the
// job's own mirror for every later job too.
//
// So the room copies every package it links to (nothing written in the
// room reaches a mirror), makes the packages read-only (0555 directories
// and executables, 0444 other files), and records each package's h1 hash
// (the hash Terraform locks), checked against the lock file; after the
// apply, VerifyProviders compares them again. Read-only modes stop a
// process of another uid, not one of the room's own uid (which may chmod)
// nor root: the line against file-writing resources is the policy's
// host_writers; the check after the apply is the alarm when that line was
// not drawn.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
)

// Bounds of copying a linked provider package into the room.
const (
	maxPackageBytes = 4 << 30 // all packages together
	maxLinkDepth    = 40      // symbolic links followed in one path
)

// providersDir is the room's .terraform/providers.
func (r *Room) providersDir() string {
	return filepath.Join(r.Dir, ".terraform", "providers")
}

// sealProviders copies linked packages into the room, checks each
// package's h1 hash against locks (when the lock file has h1 hashes for
// its provider), records the hashes and makes the packages read-only.
func (r *Room) sealProviders(locks lockfile.Locks) error {
	dir := r.providersDir()
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil // no provider installed (a configuration without providers)
	}
	var copied int64
	if err := materialize(dir, 0, &copied); err != nil {
		return fmt.Errorf("copy the provider packages into the room: %w", err)
	}
	pkgs, err := packageHashes(dir)
	if err != nil {
		return err
	}
	for rel, h := range pkgs {
		segs := strings.Split(rel, "/")
		src := strings.Join(segs[:3], "/")
		lock, ok := locks[lockfile.Normalize(src)]
		if !ok {
			return fmt.Errorf("the room's provider package %s is of provider %s, which the lock file does not lock", rel, src)
		}
		var h1 []string
		for _, x := range lock.Hashes {
			if strings.HasPrefix(x, "h1:") {
				h1 = append(h1, x)
			}
		}
		if len(h1) > 0 && !contains(h1, h) {
			return fmt.Errorf("the room's provider package %s has hash %s, which the lock file does not list for %s (%s): the package changed after terraform init checked it; nothing was applied", rel, h, src, strings.Join(h1, ", "))
		}
	}
	r.packages = pkgs
	return readOnly(dir)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ProvidersChangedError is VerifyProviders' error: a provider package of
// the room is not what it was when the apply started.
type ProvidersChangedError struct {
	// Changes says what changed, one entry per package.
	Changes []string
}

func (e *ProvidersChangedError) Error() string {
	return "THE PROVIDER BINARIES OF THE APPLY CHANGED DURING THE APPLY (" + strings.Join(e.Changes, "; ") +
		"): code that is not a locked provider may have run inside the apply, with its credentials. Treat the apply's credentials as exposed: revoke and rotate them, and review the state, the apply's log and what the credentials could reach. " +
		"A resource of the configuration wrote into the room: list its provider in the policy's host_writers (docs/guides/policy.md)"
}

// VerifyProviders compares the room's provider packages with the hashes
// recorded when the room was built: after an apply, a difference means a
// write during the apply replaced a provider that Terraform may then have
// started. It returns a *ProvidersChangedError then.
func (r *Room) VerifyProviders() error {
	if r == nil || r.packages == nil {
		return nil
	}
	now, err := packageHashes(r.providersDir())
	e := &ProvidersChangedError{}
	if err != nil {
		e.Changes = append(e.Changes, "the packages can no longer be read: "+err.Error())
	}
	keys := make([]string, 0, len(r.packages)+len(now))
	for k := range r.packages {
		keys = append(keys, k)
	}
	for k := range now {
		if _, ok := r.packages[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		was, had := r.packages[k]
		is, has := now[k]
		switch {
		case !had:
			e.Changes = append(e.Changes, fmt.Sprintf("%s appeared (%s)", k, is))
		case !has && err == nil:
			e.Changes = append(e.Changes, fmt.Sprintf("%s disappeared (was %s)", k, was))
		case has && was != is:
			e.Changes = append(e.Changes, fmt.Sprintf("%s was %s, now %s", k, was, is))
		}
	}
	if len(e.Changes) > 0 {
		return e
	}
	return nil
}

// packageHashes returns the h1 hash of every package directory under dir
// (HOST/NAMESPACE/TYPE/VERSION/OS_ARCH), by that relative path. OpenTofu
// (from 1.10) writes a lock file OS_ARCH.lock beside each package directory
// while it installs: a regular file of that name is no package and is
// passed over (it is made read-only with the rest).
func packageHashes(dir string) (map[string]string, error) {
	out := map[string]string{}
	var walk func(p, rel string, depth int) error
	walk = func(p, rel string, depth int) error {
		if depth == 5 {
			if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && strings.HasSuffix(fi.Name(), ".lock") {
				return nil
			}
			h, err := dirhash.HashDir(p, "", dirhash.Hash1)
			if err != nil {
				return fmt.Errorf("hash provider package %s: %w", rel, err)
			}
			out[rel] = h
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("the room's provider directory %s is not a directory", filepath.Join(dir, rel))
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		for _, e := range entries {
			r := e.Name()
			if rel != "" {
				r = rel + "/" + r
			}
			if err := walk(filepath.Join(p, e.Name()), r, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(dir, "", 0)
}

// materialize replaces every symbolic link under p (p included) by a copy
// of what it points to.
func materialize(p string, depth int, copied *int64) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		if depth > maxLinkDepth {
			return fmt.Errorf("%s: too many levels of symbolic links", p)
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return err
		}
		tmp := p + ".planguard-copy"
		if err := copyTree(target, tmp, depth+1, copied); err != nil {
			_ = os.RemoveAll(tmp)
			return err
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.Rename(tmp, p)
	case fi.IsDir():
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := materialize(filepath.Join(p, e.Name()), depth, copied); err != nil {
				return err
			}
		}
		return nil
	case fi.Mode().IsRegular():
		return nil
	}
	return fmt.Errorf("%s is neither a file nor a directory", p)
}

// copyTree copies the file or directory src (following symbolic links)
// to dst, which must not exist.
func copyTree(src, dst string, depth int, copied *int64) error {
	if depth > maxLinkDepth {
		return fmt.Errorf("%s: too deep", src)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.IsDir():
		if err := os.Mkdir(dst, 0o700); err != nil {
			return err
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := copyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), depth+1, copied); err != nil {
				return err
			}
		}
		return nil
	case fi.Mode().IsRegular():
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer func() { _ = in.Close() }()
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm()|0o200)
		if err != nil {
			return err
		}
		n, err := io.Copy(out, io.LimitReader(in, maxPackageBytes-*copied+1))
		*copied += n
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err == nil && *copied > maxPackageBytes {
			err = fmt.Errorf("the provider packages hold more than %d bytes", int64(maxPackageBytes))
		}
		return err
	}
	return fmt.Errorf("%s is neither a file nor a directory", src)
}

// readOnly makes the tree at dir read-only: directories and executable
// files 0555, other files 0444.
func readOnly(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o444)
		if d.IsDir() || fi.Mode()&0o111 != 0 {
			mode = 0o555
		}
		return os.Chmod(p, mode)
	})
}

// writable gives the owner write access to every directory under dir
// again, so that the room can be removed.
func writable(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o700)
		}
		return nil
	})
}
