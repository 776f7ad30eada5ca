// Package planfile reads what a binary saved plan (`terraform plan -out`,
// `tofu plan -out`) records that its JSON (`terraform show -json`) does not
// show: the backend or state store the plan was made against (type,
// configuration, workspace), the planning mode (normal, destroy,
// refresh-only), and the dependency lock file (which provider versions and
// packages the apply may run).
//
// A saved plan is a zip archive. Read opens it strictly: bounded sizes and
// number of entries, no duplicate, encrypted, directory or unknown entry,
// no path that leaves the archive; then it reads two entries — the
// "tfplan" record (a protocol buffers message, Terraform's planproto.Plan,
// the same in OpenTofu) through a small reader of the few fields needed,
// and ".terraform.lock.hcl" with internal/lockfile. Anything it cannot read is an
// error wrapping ErrNotSavedPlan or ErrMalformed: the gate fails closed.
package planfile

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Errors Read wraps, for errors.Is.
var (
	// ErrNotSavedPlan: the file is not a zip archive holding a tfplan
	// record (perhaps an encrypted OpenTofu plan, or not a plan at all).
	ErrNotSavedPlan = errors.New("not a saved plan")
	// ErrMalformed: the archive or one of the records planguard reads is
	// corrupt, truncated, ambiguous or of a form this reader does not know.
	ErrMalformed = errors.New("malformed saved plan")
)

// Mode is the planning mode a saved plan was made in.
type Mode string

// The planning modes (planproto.Mode).
const (
	// ModeNormal: `terraform plan`.
	ModeNormal Mode = "normal"
	// ModeDestroy: `terraform plan -destroy`.
	ModeDestroy Mode = "destroy"
	// ModeRefreshOnly: `terraform plan -refresh-only`.
	ModeRefreshOnly Mode = "refresh-only"
)

// File is what planguard reads from a saved plan.
type File struct {
	// FormatVersion is the tfplan record's format version (3).
	FormatVersion uint64
	// TerraformVersion is the version of Terraform or OpenTofu that wrote
	// the plan (which must also apply it).
	TerraformVersion string
	// Mode is the planning mode.
	Mode Mode
	// Backend is the backend, or (Terraform 1.14+ state_store blocks) the
	// state store, that the plan's state came from and the apply writes.
	Backend Backend
	// Locks are the providers of the plan's dependency lock file (as
	// `terraform init` wrote it in the working directory: which version of
	// each provider the apply may run, and the package hashes it accepts).
	Locks lockfile.Locks
	// LockFile is that lock file's text.
	LockFile []byte
	// Deletes are the plan's resource changes that delete an object
	// (deletes and replaces), with the private data the apply sends the
	// provider for the delete.
	Deletes []PlannedDelete
}

// Backend is a saved plan's backend or state store.
type Backend struct {
	// StateStore is set for a state_store block (Terraform 1.14+) rather
	// than a backend (or cloud) block.
	StateStore bool
	// Type is the backend type (local, s3, remote, cloud, …) or the state
	// store type.
	Type string
	// Config is the backend's configuration as the plan records it, every
	// attribute of the backend's schema (null when unset), as canonical
	// JSON: attributes sorted, no white space, numbers in decimal.
	Config string
	// Workspace is the workspace the plan was made in ("default" unless
	// one was selected).
	Workspace string
	// Provider is, for a state store, the provider that implements it.
	Provider *StoreProvider
}

// ConfigValues returns Config decoded: strings, booleans, json.Number,
// nil, []any and map[string]any.
func (b Backend) ConfigValues() (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(b.Config))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("backend configuration: %w", err)
	}
	return m, nil
}

// StoreProvider is the provider of a state store.
type StoreProvider struct {
	// Source is the provider's source address.
	Source string
	// Version is its version.
	Version string
	// Config is its configuration, as canonical JSON (see Backend.Config).
	Config string
}

// Bounds of what Read accepts.
const (
	maxEntries   = 1 << 16  // entries in the archive
	maxTFPlan    = 16 << 30 // bytes of the tfplan record, read as a stream
	maxLockFile  = 1 << 20  // bytes of the lock file
	maxSubRecord = 4 << 20  // bytes of a record read whole (the backend)
)

// The entries a saved plan holds (Terraform 1.x and OpenTofu 1.x): the
// plan record, the prior and previous-run states, the lock file, and the
// configuration snapshot under tfconfig/.
const (
	entryPlan      = "tfplan"
	entryState     = "tfstate"
	entryPrevState = "tfstate-prev"
	entryLocks     = ".terraform.lock.hcl"
	configPrefix   = "tfconfig/"
)

// Read reads the saved plan at path. Errors read "read saved plan PATH: …".
func Read(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read saved plan %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read saved plan %s: %w", path, err)
	}
	p, err := ReadFrom(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("read saved plan %s: %w", path, err)
	}
	return p, nil
}

// ReadFrom reads a saved plan of size bytes from r.
func ReadFrom(r io.ReaderAt, size int64) (*File, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip archive (%w); give the file `terraform plan -out=PLANFILE` wrote", ErrNotSavedPlan, err)
	}
	entries, err := checkEntries(zr)
	if err != nil {
		return nil, err
	}
	tf := entries[entryPlan]
	if tf == nil {
		return nil, fmt.Errorf("%w: the archive has no tfplan record", ErrNotSavedPlan)
	}
	rc, err := tf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: tfplan: %w", ErrMalformed, err)
	}
	p, err := readPlanRecord(rc)
	_ = rc.Close() // a reader of memory or of a file opened for reading
	if err != nil {
		return nil, fmt.Errorf("%w: tfplan: %w", ErrMalformed, err)
	}
	lf := entries[entryLocks]
	if lf == nil {
		// Terraform and OpenTofu always write one (empty without
		// providers); without it the apply would refuse the plan.
		return nil, fmt.Errorf("%w: the archive has no %s", ErrMalformed, entryLocks)
	}
	src, err := readEntry(lf, maxLockFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, entryLocks, err)
	}
	if p.Locks, err = lockfile.Parse(src, entryLocks); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	p.LockFile = src
	if err := checkSnapshotNesting(zr.File); err != nil {
		return nil, err
	}
	// The configuration snapshot's layout: which files each module has,
	// and where (readLayout), judged before any tool reads it; and what
	// Terraform and OpenTofu would evaluate when they load it
	// (checkLoadTime).
	l, err := readLayout(zr.File)
	if err != nil {
		return nil, err
	}
	if l != nil {
		if err := checkLoadTime(l); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkSnapshotNesting refuses a configuration snapshot file nested more
// deeply than nesting.Max, before any reader of the snapshot (planguard's
// own, which parse the files by recursion and would overflow the stack,
// or the terraform show that reads the plan) sees it. Files larger than
// the snapshot readers read are left to the readers, which skip them.
func checkSnapshotNesting(entries []*zip.File) error {
	var total uint64
	for _, e := range entries {
		name := e.Name
		rest, ok := strings.CutPrefix(name, configPrefix)
		if !ok || e.UncompressedSize64 > maxSnapshotFile {
			continue
		}
		base := path.Base(rest)
		var check func([]byte) error
		switch {
		case rest == "modules.json":
			check = nesting.JSON
		case strings.HasSuffix(base, ".tf.json"), strings.HasSuffix(base, ".tofu.json"):
			check = nesting.HCLJSON
		case strings.HasSuffix(base, ".tf"), strings.HasSuffix(base, ".tofu"):
			// Every name the snapshot readers parse, including those
			// ExtractConfig refuses (a leading '#').
			check = nesting.HCL
		default:
			continue // no reader parses it
		}
		if total += e.UncompressedSize64; total > maxSnapshotTotal {
			return fmt.Errorf("%w: the configuration snapshot holds more than %d bytes", ErrMalformed, maxSnapshotTotal)
		}
		src, err := readEntry(e, maxSnapshotFile)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
		}
		if err := check(src); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
		}
	}
	return nil
}

// checkEntries refuses an archive whose entries are not those of a saved
// plan, and returns them by name.
func checkEntries(zr *zip.Reader) (map[string]*zip.File, error) {
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("%w: %d entries in the archive (at most %d)", ErrMalformed, len(zr.File), maxEntries)
	}
	byName := make(map[string]*zip.File, len(zr.File))
	for _, e := range zr.File {
		name := e.Name
		if _, dup := byName[name]; dup {
			// Terraform reads the first of them; which one a tool sees is
			// ambiguous.
			return nil, fmt.Errorf("%w: the archive holds %q twice", ErrMalformed, name)
		}
		byName[name] = e
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("%w: entry %q: %w", ErrMalformed, name, err)
		}
		switch {
		case e.Flags&0x1 != 0:
			return nil, fmt.Errorf("%w: entry %q is encrypted", ErrMalformed, name)
		case e.Method != zip.Store && e.Method != zip.Deflate:
			return nil, fmt.Errorf("%w: entry %q uses compression method %d (Terraform writes deflate)", ErrMalformed, name, e.Method)
		case e.Mode().IsDir():
			return nil, fmt.Errorf("%w: entry %q is a directory (Terraform writes none)", ErrMalformed, name)
		}
	}
	return byName, nil
}

// checkName accepts the entry names Terraform and OpenTofu write: the
// four records, and files of the configuration snapshot under tfconfig/
// with a relative, clean, slash-separated path.
func checkName(name string) error {
	switch name {
	case entryPlan, entryState, entryPrevState, entryLocks:
		return nil
	}
	rest, ok := strings.CutPrefix(name, configPrefix)
	if !ok {
		return errors.New("not an entry of a saved plan (tfplan, tfstate, tfstate-prev, .terraform.lock.hcl, tfconfig/…); planguard does not know what Terraform would make of it")
	}
	if !utf8.ValidString(rest) || rest == "" || strings.ContainsAny(rest, "\\\x00") {
		return errors.New("not a configuration snapshot path")
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return errors.New("the path is not relative and clean")
		}
	}
	return nil
}

// readEntry reads a whole entry of at most limit bytes, checking its size
// and checksum.
func readEntry(e *zip.File, limit int64) ([]byte, error) {
	if e.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%d bytes (at most %d)", e.UncompressedSize64, limit)
	}
	rc, err := e.Open()
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	_ = rc.Close() // see ReadFrom
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes", limit)
	}
	return b, nil
}

// MaxPrevState bounds each state record ReadStates reads.
const MaxPrevState = 1 << 30

// ReadStates returns the saved plan's two state records: prior (its tfstate
// entry, which carries the lineage and serial the apply checks the backend
// against) and prev (its tfstate-prev entry: the resources as the backend
// held them before the refresh). Either is nil when the archive has none.
func ReadStates(path string) (prior, prev []byte, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNotSavedPlan, err)
	}
	defer func() { _ = zr.Close() }() // a file opened for reading
	entries, err := checkEntries(&zr.Reader)
	if err != nil {
		return nil, nil, err
	}
	read := func(name string) ([]byte, error) {
		e := entries[name]
		if e == nil {
			return nil, nil
		}
		b, err := readEntry(e, MaxPrevState)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, name, err)
		}
		return b, nil
	}
	if prior, err = read(entryState); err != nil {
		return nil, nil, err
	}
	if prev, err = read(entryPrevState); err != nil {
		return nil, nil, err
	}
	return prior, prev, nil
}
