package planfile

// The configuration snapshot a saved plan holds under tfconfig/: the files
// of every module as they were planned, tfconfig/m-KEY/NAME for the module
// with key KEY ("" for the root), and tfconfig/modules.json, the module
// manifest (key, source, version and directory of each).

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// ManifestModule is one module of a snapshot's modules.json, in the form
// Terraform's and OpenTofu's module manifest (.terraform/modules/modules.json)
// uses too.
type ManifestModule struct {
	Key     string `json:"Key"`
	Source  string `json:"Source,omitempty"`
	Version string `json:"Version,omitempty"`
	Dir     string `json:"Dir"`
}

// Bounds of what ExtractConfig writes: one configuration file, and all of
// them (a configuration is kilobytes to a few megabytes; a compressed
// archive could otherwise fill the disk).
const (
	maxSnapshotFile  = 16 << 20
	maxSnapshotTotal = 256 << 20
)

// ExtractConfig writes the configuration snapshot of the saved plan at
// planPath into top (an empty directory the caller owns) and returns the
// root module's directory, where Terraform is to run: each module's files
// into the directory the manifest records for it, and the manifest as the
// root's .terraform/modules/modules.json, so that `terraform init
// -get=false` finds every module without fetching any. The root lies
// Layout.Depth directories below top, so that a local module above it
// ("../shared") is written inside top. It writes regular files only,
// never over another (a directory that several modules share is written
// once: ReadLayout has checked that they hold the same files), and refuses
// what ReadLayout refuses: the snapshot comes from the change's author.
func ExtractConfig(planPath, top string) (string, error) {
	zr, err := zip.OpenReader(planPath)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotSavedPlan, err)
	}
	defer func() { _ = zr.Close() }()
	l, err := layoutOf(zr)
	if err != nil {
		return "", err
	}
	var total uint64
	written := map[string]bool{}
	for _, m := range l.Manifest {
		d := l.dirs[m.Key]
		if written[d] {
			continue
		}
		written[d] = true
		if err := os.MkdirAll(filepath.Join(top, filepath.FromSlash(d)), 0o700); err != nil {
			return "", err
		}
		for _, name := range l.Files(m.Key) {
			e := l.files[m.Key][name]
			if total += e.UncompressedSize64; total > maxSnapshotTotal {
				return "", fmt.Errorf("%w: the configuration snapshot holds more than %d bytes", ErrMalformed, maxSnapshotTotal)
			}
			dst := filepath.Join(top, filepath.FromSlash(path.Join(d, name)))
			if err := writeEntry(e, dst); err != nil {
				return "", fmt.Errorf("write %s: %w", e.Name, err)
			}
			// `terraform init` in the room reads the terraform blocks:
			// none may hold what runs code there (an OpenTofu encryption
			// block's external key provider).
			if err := checkTerraformBlocks(dst, path.Join(d, name)); err != nil {
				return "", fmt.Errorf("the saved plan's configuration snapshot, %s: %w", e.Name, err)
			}
		}
	}
	b, err := json.Marshal(struct {
		Modules []ManifestModule `json:"Modules"`
	}{l.Manifest})
	if err != nil {
		return "", err
	}
	root := filepath.Join(top, filepath.FromSlash(l.Root))
	mdir := filepath.Join(root, ".terraform", "modules")
	if err := os.MkdirAll(mdir, 0o700); err != nil {
		return "", err
	}
	return root, os.WriteFile(filepath.Join(mdir, "modules.json"), b, 0o600)
}

// configSuffixes are the endings of the files a configuration snapshot
// holds: Terraform's .tf and .tf.json (override files included), and
// OpenTofu's .tofu and .tofu.json (1.8+). Terraform 1.8.5 and 1.11.4 and
// OpenTofu 1.6.2 write nothing else: no .tfvars, .tftest.hcl, README or
// other file of the module directory, and no subdirectory.
var configSuffixes = []string{".tf", ".tf.json", ".tofu", ".tofu.json"}

// ConfigFileName reports whether name, a file name of a module's snapshot,
// is one Terraform or OpenTofu would load as configuration: no directory,
// a configSuffixes ending, and none of the names their loaders ignore
// (leading '.' or '#', trailing '~').
func ConfigFileName(name string) bool {
	if name == "" || strings.ContainsAny(name, "/\\\x00") || name[0] == '.' || name[0] == '#' || strings.HasSuffix(name, "~") {
		return false
	}
	for _, s := range configSuffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return true
		}
	}
	return false
}

// safeRel refuses a slash-separated path relative to the top of the
// room that is not local (absolute, "..", empty, not clean), or that
// reaches into .terraform, terraform.d or a lock file, except a module
// installed under the root module's .terraform/modules/ (root is the root
// module's directory).
func safeRel(p, root string) error {
	if p == "" || !filepath.IsLocal(filepath.FromSlash(p)) || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p {
		return errors.New("not a relative path inside the configuration")
	}
	switch {
	case root == ".":
	case p == root:
		p = "."
	case strings.HasPrefix(p, root+"/"):
		p = p[len(root)+1:]
	}
	segs := strings.Split(p, "/")
	if segs[0] == ".terraform" && len(segs) > 2 && segs[1] == "modules" && segs[2] != "modules.json" {
		segs = segs[3:]
	}
	for _, s := range segs {
		if strings.EqualFold(s, ".terraform") || strings.EqualFold(s, "terraform.d") || strings.EqualFold(s, ".terraform.lock.hcl") {
			return fmt.Errorf("reaches into %s, which holds providers or their locks", s)
		}
	}
	return nil
}

// writeEntry writes a snapshot file as a new regular file (0600).
func writeEntry(e *zip.File, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(rc, maxSnapshotFile+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxSnapshotFile {
		err = fmt.Errorf("more than %d bytes", maxSnapshotFile)
	}
	return err
}

// checkTerraformBlocks parses the configuration file written at dst (named
// name in messages) and refuses a terraform block holding more than the
// settings that run no code (tfsource.CheckTerraformBlocks).
func checkTerraformBlocks(dst, name string) error {
	src, err := os.ReadFile(dst)
	if err != nil {
		return err
	}
	f, err := tfsource.Parse(name, src)
	if err != nil {
		return err
	}
	return tfsource.CheckTerraformBlocks(f)
}
