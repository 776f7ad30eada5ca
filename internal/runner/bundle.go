package runner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Limits bound a configuration sent to the runner.
type Limits struct {
	MaxFiles     int   // files in the configuration
	MaxFileBytes int64 // one file
	MaxBytes     int64 // all files together
	MaxDepth     int   // directory levels below the root
}

// DefaultLimits are the bounds the client and the runner apply unless told
// otherwise.
var DefaultLimits = Limits{MaxFiles: 2000, MaxFileBytes: 4 << 20, MaxBytes: 32 << 20, MaxDepth: 16}

// lockFileName is the dependency lock file, the one hidden file sent.
const lockFileName = ".terraform.lock.hcl"

// configSuffixes are the file name endings of what a configuration is
// made of and the runner accepts.
var configSuffixes = []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"}

// skipDirs are directories the client never sends and the runner refuses:
// what a previous init installed (.terraform), provider binaries and
// plugin caches (terraform.d), and version-control data.
var skipDirs = map[string]bool{".terraform": true, "terraform.d": true}

// wanted reports whether the slash-separated relative path p names a file
// the runner accepts: a configuration file anywhere below the root (local
// modules live in subdirectories), or the root's lock file.
func wanted(p string) error {
	if p == lockFileName {
		return nil
	}
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || strings.Contains(p, `\`) {
		return fmt.Errorf("%q is not a clean relative path", p)
	}
	// Paths are printed to reviewers (runner show --config): a control or
	// format character (a newline, an ANSI escape, U+202E) could forge a
	// line of the runner's own (review runner34 L1).
	for _, r := range p {
		if r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("%q: a path with a control or format character is not part of a configuration", p)
		}
	}
	if err := reservedPath(p); err != nil {
		return err
	}
	parts := strings.Split(p, "/")
	for _, part := range parts {
		switch {
		case part == "." || part == "..":
			return fmt.Errorf("%q leaves the configuration's directory", p)
		case skipDirs[part]:
			return fmt.Errorf("%q is under %s, which the runner never takes from a client (its own init installs providers)", p, part)
		case strings.HasPrefix(part, "."):
			return fmt.Errorf("%q: hidden files and directories are not part of a configuration", p)
		}
	}
	if len(parts)-1 > DefaultLimits.MaxDepth {
		return fmt.Errorf("%q is more than %d directories deep", p, DefaultLimits.MaxDepth)
	}
	name := parts[len(parts)-1]
	if err := refusedName(p, name); err != nil {
		return err
	}
	for _, s := range configSuffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return nil
		}
	}
	return fmt.Errorf("%q is not a configuration file (*.tf, *.tf.json, *.tfvars, *.tfvars.json, or the root's %s)", p, lockFileName)
}

func isWanted(p string) bool { return wanted(p) == nil }

// refusedName refuses a file that Terraform or OpenTofu would load but
// the runner's checks and the gate would read differently, rather than
// leave it behind (the client) or out (the runner):
//   - OpenTofu's .tofu and .tofu.json files, whatever the runner's binary.
//     Terraform does not load them, so the plan would not be the one the
//     agent wrote. OpenTofu 1.8 and later loads them, and a.tofu in place
//     of a.tf: the runner's checks before init (providers, backend pin,
//     file functions) and its reading of override files would have to
//     follow that choice, by OpenTofu's version. The runner refuses them
//     with either binary: write .tf and .tf.json files.
//   - a name starting with '#': Terraform and OpenTofu load "#a.tf" (they
//     skip only "#…#" names, editor files), but the gate's reader of the
//     saved plan's configuration snapshot does not.
func refusedName(p, name string) error {
	switch {
	case strings.HasSuffix(name, ".tofu") && len(name) > len(".tofu"), strings.HasSuffix(name, ".tofu.json") && len(name) > len(".tofu.json"):
		return fmt.Errorf("%q is an OpenTofu-only file: the runner takes no .tofu or .tofu.json file (Terraform does not load them; OpenTofu 1.8+ loads them instead of the .tf file of the same name, which the runner's checks before init would not follow); rename it to .tf or .tf.json", p)
	case strings.HasPrefix(name, "#") && isConfigName(name):
		return fmt.Errorf("%q: Terraform loads a file whose name starts with '#', but planguard's reader of the plan's configuration snapshot does not; rename it", p)
	}
	return nil
}

func isConfigName(name string) bool {
	for _, s := range configSuffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return true
		}
	}
	return false
}

// Collect reads the configuration in dir as the client sends it: every
// *.tf, *.tf.json, *.tfvars and *.tfvars.json file below dir (local module
// directories included), and dir's .terraform.lock.hcl. It skips .terraform,
// terraform.d and hidden directories, and other files. A symbolic link is
// followed only when it resolves inside dir (a file is sent as its content;
// a directory inside dir is already walked); one that leaves dir is an
// error, as is anything over the limits.
func Collect(dir string, lim Limits) ([]File, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("configuration directory: %w", err)
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	var files []File
	var total int64
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if skipDirs[name] || strings.HasPrefix(name, ".") {
				return fs.SkipDir
			}
			if name == "terraform.tfstate.d" {
				return fs.SkipDir // local workspaces' states: never configuration
			}
			if err := reservedPath(rel); err != nil {
				return err // a directory named like a state file: not left out silently
			}
			if strings.Count(rel, "/")+1 > lim.MaxDepth {
				return fmt.Errorf("%s is more than %d directories deep", rel, lim.MaxDepth)
			}
			return nil
		}
		src := p
		if d.Type()&fs.ModeSymlink != 0 {
			if skipDirs[name] || strings.HasPrefix(name, ".") && name != lockFileName {
				return nil
			}
			// Any link out of the directory is refused, whatever its name:
			// it may be a module directory the configuration needs.
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			if r, err := filepath.Rel(root, target); err != nil || r == ".." || strings.HasPrefix(r, "../") {
				return fmt.Errorf("%s is a symbolic link to %s, outside %s: the runner plans only what is in the directory", rel, target, dir)
			}
			src = target
		}
		if err := refusedName(rel, name); err != nil {
			return err // loaded by OpenTofu or Terraform: not left behind silently
		}
		if !isWanted(rel) {
			return nil // not part of a configuration
		}
		fi, err := os.Stat(src)
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return nil // a link to a directory inside root, walked already
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (%s)", rel, fi.Mode().Type())
		}
		if fi.Size() > lim.MaxFileBytes {
			return fmt.Errorf("%s is %d bytes, more than the %d a file may have", rel, fi.Size(), lim.MaxFileBytes)
		}
		if len(files) >= lim.MaxFiles {
			return fmt.Errorf("more than %d configuration files", lim.MaxFiles)
		}
		data, err := readBounded(src, lim.MaxFileBytes)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		total += int64(len(data))
		if total > lim.MaxBytes {
			return fmt.Errorf("the configuration is more than %d bytes", lim.MaxBytes)
		}
		files = append(files, File{Path: rel, Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no *.tf or *.tf.json file", dir)
	}
	return files, nil
}

// checkNesting refuses a file nested more deeply than nesting.Max before
// anything parses it: the runner's own scans (providers, backend, file
// functions) and the lock file reader parse every file the client sends,
// and a deep enough nesting overflows their parsers' stack, which ends the
// runner's process rather than the request.
func checkNesting(f File) error {
	var err error
	switch {
	case strings.HasSuffix(f.Path, ".tf.json"):
		err = nesting.HCLJSON(f.Data)
	case strings.HasSuffix(f.Path, ".json"):
		err = nesting.JSON(f.Data)
	default: // .tf, .tfvars, the lock file
		err = nesting.HCL(f.Data)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return nil
}

func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("grew beyond %d bytes while read", limit)
	}
	return b, nil
}

// Materialize checks files strictly (every path one Collect would send,
// no duplicates, within the limits, at least one .tf or .tf.json file at
// the root) and writes them into dir, which must exist and be empty. It
// writes regular files only: nothing a client sends becomes a link, a
// device, or a file outside dir.
func Materialize(dir string, files []File, lim Limits) error {
	if len(files) > lim.MaxFiles {
		return fmt.Errorf("%d files; at most %d", len(files), lim.MaxFiles)
	}
	var total int64
	seen := map[string]bool{}
	rootConfig := false
	for _, f := range files {
		if err := wanted(f.Path); err != nil {
			return err
		}
		// Case-insensitive file systems would merge two names.
		key := strings.ToLower(f.Path)
		if seen[key] {
			return fmt.Errorf("%q is sent twice", f.Path)
		}
		seen[key] = true
		if int64(len(f.Data)) > lim.MaxFileBytes {
			return fmt.Errorf("%s is %d bytes, more than the %d a file may have", f.Path, len(f.Data), lim.MaxFileBytes)
		}
		total += int64(len(f.Data))
		if total > lim.MaxBytes {
			return fmt.Errorf("the configuration is more than %d bytes", lim.MaxBytes)
		}
		if err := checkNesting(f); err != nil {
			return err
		}
		if err := checkTfvars(f); err != nil {
			return err
		}
		if !strings.Contains(f.Path, "/") && (strings.HasSuffix(f.Path, ".tf") || strings.HasSuffix(f.Path, ".tf.json")) {
			rootConfig = true
		}
	}
	if !rootConfig {
		return errors.New("the configuration has no *.tf or *.tf.json file at its root")
	}
	// Write in path order, so that a file and a directory of one name
	// collide the same way every time.
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, f := range sorted {
		full := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscallNoFollow, 0o600)
		if err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		_, err = out.Write(f.Data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}
