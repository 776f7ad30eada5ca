package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The runner trusts some files and directories as its own: the policy and
// the trust files it names, the env file, the CLI configuration and the
// provider directories that configuration names (a plugin cache, a
// filesystem mirror). Whoever can change one of them holds the runner's
// credentials: an agent that can write the plugin cache puts its own build
// of an allowed provider there, and the runner's Terraform starts it with
// the credentials in its environment.
//
// trustedPath checks that no one but the runner (its effective uid) and
// root can change what a path holds: the path and every directory on the
// way to it belong to the runner or root, and none is writable by group
// or others. A sticky directory writable by all (like /tmp) is accepted on
// the way, not as the path itself: in it others can create entries but
// not rename or remove the runner's (the entry below it must belong to the
// runner or root, as every entry must). A symbolic link is followed and
// its target checked the same way. A read-only mount is no exception:
// whoever owns its files may write them elsewhere (the agent's own mount
// of the same volume). With tree, every entry below a
// directory is checked too.

// maxTrustedEntries bounds the entries checked below one directory.
const maxTrustedEntries = 200000

// trustedPathOptions say what trustedPath checks besides the path.
type trustedPathOptions struct {
	// tree checks every entry below a directory as well.
	tree bool
	// private refuses a file group or others can read (the env file).
	private bool
	// missingOK accepts a path that does not exist when the directory
	// that would hold it is trusted (no one else can create it).
	missingOK bool
}

// trustedPath returns nil when only the runner and root can change path
// (see above), else an error naming path, the entry at fault and the fix;
// what says what the path is ("the policy", "--cli-config").
func trustedPath(path, what string, opts trustedPathOptions) error {
	c := &pathChecker{uid: os.Geteuid(), what: what, seen: map[string]bool{}}
	if err := c.check(path, opts); err != nil {
		return fmt.Errorf("%s %s: %w", what, path, err)
	}
	return nil
}

type pathChecker struct {
	uid     int
	what    string
	seen    map[string]bool // resolved directories walked
	entries int
}

func (c *pathChecker) check(path string, opts trustedPathOptions) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// Each entry on the way, symbolic links followed (a link's target
	// checked as the path), as the kernel resolves it.
	if err := c.chain(abs, opts); err != nil {
		return err
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) && opts.missingOK {
		return nil // chain checked the directory that would hold it
	}
	if err != nil {
		return err
	}
	fi, err := os.Lstat(resolved)
	if err != nil {
		return err
	}
	if opts.private && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("has mode %04o: others than the runner can read it; chmod 0600 %s", fi.Mode().Perm(), resolved)
	}
	if opts.tree && fi.IsDir() {
		return c.walk(resolved)
	}
	return nil
}

// maxLinks bounds the symbolic links followed on one path (Linux's
// MAXSYMLINKS).
const maxLinks = 40

// chain checks the entries on the way to abs, from the root down, as the
// kernel resolves the path: a symbolic link's owner is checked (its
// directory already was), then its target's components take its place.
// Every entry is checked as one on the way, then the one reached as the
// path itself. With missingOK, at the first missing entry the directory
// that would hold it is checked as the path.
func (c *pathChecker) chain(abs string, opts trustedPathOptions) error {
	sep := string(filepath.Separator)
	split := func(p string) []string {
		var out []string
		for _, s := range strings.Split(p, sep) {
			if s != "" && s != "." {
				out = append(out, s)
			}
		}
		return out
	}
	cur := sep
	if err := c.entry(cur, false); err != nil {
		return err
	}
	todo := split(abs)
	links := 0
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		if name == ".." {
			cur = filepath.Dir(cur) // cur has no link in it
			continue
		}
		p := filepath.Join(cur, name)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) && opts.missingOK {
			// Not even sticky: others could create it there.
			return c.entry(cur, true)
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if err := c.owner(p, fi); err != nil {
				return err
			}
			if links++; links > maxLinks {
				return fmt.Errorf("more than %d symbolic links on the way", maxLinks)
			}
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if filepath.IsAbs(target) {
				cur = sep
			}
			todo = append(split(target), todo...)
			continue
		}
		if err := c.entry(p, false); err != nil {
			return err
		}
		cur = p
	}
	return c.entry(cur, true)
}

// entry checks one entry: its owner, and that group and others cannot
// write it (a sticky directory on the way excepted).
func (c *pathChecker) entry(p string, last bool) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if err := c.owner(p, fi); err != nil {
		return err
	}
	if fi.Mode().Perm()&0o022 == 0 || fi.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	if !last && fi.IsDir() && fi.Mode()&fs.ModeSticky != 0 {
		return nil
	}
	how := "others than the runner can write it"
	if fi.IsDir() {
		how = "others than the runner can create, replace or remove what it holds"
		if fi.Mode()&fs.ModeSticky != 0 {
			how = "it is sticky but writable by others (like /tmp): others than the runner can create what the runner would read there"
		}
	}
	mode := uint32(fi.Mode().Perm())
	if fi.Mode()&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	return fmt.Errorf("%s has mode %04o: %s; make it the runner's alone: chmod go-w %s (and a directory of the runner's, not a shared one)", p, mode, how, p)
}

func (c *pathChecker) owner(p string, fi fs.FileInfo) error {
	uid, ok := ownerUID(fi)
	if !ok || uid == c.uid || uid == 0 {
		return nil
	}
	return fmt.Errorf("%s belongs to uid %d, neither the runner (uid %d) nor root: its owner can change it; chown it to the runner or root", p, uid, c.uid)
}

// walk checks every entry below the directory dir (resolved).
func (c *pathChecker) walk(dir string) error {
	if c.seen[dir] {
		return nil
	}
	c.seen[dir] = true
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if c.entries++; c.entries > maxTrustedEntries {
			return fmt.Errorf("more than %d entries below %s: the runner checks every one; give it a smaller directory", maxTrustedEntries, dir)
		}
		if err := c.entry(p, true); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		// A link inside: its target must be trusted too, and walked
		// when it is a directory.
		resolved, err := filepath.EvalSymlinks(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if err := c.chain(resolved, trustedPathOptions{}); err != nil {
			return fmt.Errorf("(%s is a symbolic link to %s) %w", p, resolved, err)
		}
		if fi, err := os.Stat(resolved); err == nil && fi.IsDir() {
			return c.walk(resolved)
		}
		return nil
	})
}
