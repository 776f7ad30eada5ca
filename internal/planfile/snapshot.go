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
// planPath into dir (an empty directory the caller owns): each module's
// files into the directory the manifest records for it (relative to dir),
// and the manifest as .terraform/modules/modules.json, so that `terraform
// init -get=false` finds every module without fetching any. It writes
// regular files only, never over another, and refuses a module directory
// or file path that leaves dir, an absolute one, and one that would land in
// .terraform (other than a module installed under .terraform/modules) or
// terraform.d (an implied provider mirror): the snapshot comes from the
// change's author.
func ExtractConfig(planPath, dir string) error {
	zr, err := zip.OpenReader(planPath)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotSavedPlan, err)
	}
	defer func() { _ = zr.Close() }()
	if _, err := checkEntries(&zr.Reader); err != nil {
		return err
	}
	var manifest []ManifestModule
	for _, e := range zr.File {
		if e.Name != configPrefix+"modules.json" {
			continue
		}
		b, err := readEntry(e, maxSubRecord)
		if err != nil {
			return fmt.Errorf("%w: tfconfig/modules.json: %w", ErrMalformed, err)
		}
		if err := json.Unmarshal(b, &manifest); err != nil {
			return fmt.Errorf("%w: tfconfig/modules.json: %w", ErrMalformed, err)
		}
	}
	dirs := map[string]string{} // module key -> its directory, slash-separated
	for _, m := range manifest {
		if _, dup := dirs[m.Key]; dup {
			return fmt.Errorf("%w: tfconfig/modules.json lists module %q twice", ErrMalformed, m.Key)
		}
		d := path.Clean(m.Dir)
		if m.Key == "" && d != "." {
			return fmt.Errorf("%w: tfconfig/modules.json: the root module's directory is %q, not \".\"", ErrMalformed, m.Dir)
		}
		if err := safeRel(d, true); err != nil {
			return fmt.Errorf("%w: tfconfig/modules.json: module %q directory %q: %w", ErrMalformed, m.Key, m.Dir, err)
		}
		dirs[m.Key] = d
	}
	if _, ok := dirs[""]; !ok {
		return fmt.Errorf("%w: tfconfig/modules.json does not list the root module", ErrMalformed)
	}
	var total uint64
	for _, e := range zr.File {
		rest, ok := strings.CutPrefix(e.Name, configPrefix+"m-")
		if !ok {
			continue
		}
		key, name, ok := strings.Cut(rest, "/")
		d, known := dirs[key]
		if !ok || !known {
			return fmt.Errorf("%w: %s belongs to no module tfconfig/modules.json lists", ErrMalformed, e.Name)
		}
		if e.Mode()&^0o777 != 0 {
			return fmt.Errorf("%w: %s is not a regular file", ErrMalformed, e.Name)
		}
		target := path.Join(d, name)
		if err := safeRel(target, false); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
		}
		if !ConfigFileName(name) {
			return fmt.Errorf("%w: %s is not a configuration file (Terraform and OpenTofu snapshot only %s files of a module's own directory, so the plan was not written by them); a file beside the configuration could be read at apply as a credential or kubeconfig file: plan again with `terraform plan -out`",
				ErrMalformed, e.Name, strings.Join(configSuffixes, ", "))
		}
		if total += e.UncompressedSize64; total > maxSnapshotTotal {
			return fmt.Errorf("%w: the configuration snapshot holds more than %d bytes", ErrMalformed, maxSnapshotTotal)
		}
		if err := writeEntry(e, filepath.Join(dir, filepath.FromSlash(target))); err != nil {
			return fmt.Errorf("write %s: %w", e.Name, err)
		}
	}
	b, err := json.Marshal(struct {
		Modules []ManifestModule `json:"Modules"`
	}{manifest})
	if err != nil {
		return err
	}
	mdir := filepath.Join(dir, ".terraform", "modules")
	if err := os.MkdirAll(mdir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(mdir, "modules.json"), b, 0o600)
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

// safeRel refuses a slash-separated path that is not local (absolute,
// "..", empty), or that reaches into .terraform or terraform.d; moduleDir
// allows a module directory under .terraform/modules/.
func safeRel(p string, moduleDir bool) error {
	if p == "" || !filepath.IsLocal(filepath.FromSlash(p)) || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p {
		return errors.New("not a relative path inside the configuration")
	}
	segs := strings.Split(p, "/")
	if segs[0] == ".terraform" && len(segs) > 2 && segs[1] == "modules" && (moduleDir || len(segs) > 3) && segs[2] != "modules.json" {
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
