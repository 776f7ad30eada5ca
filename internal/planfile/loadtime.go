package planfile

// What of a configuration snapshot Terraform and OpenTofu evaluate or act
// on when they load it (`init` and `show` in planguard's room, before the
// gate decides): judged before any tool reads the snapshot. The literal
// settings are tfsource.CheckLoadTime's and tfsource.CheckTerraformBlocks';
// RequiredProviders is what `terraform init` installs, and so looks up on
// each provider's registry host.

import (
	"archive/zip"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// ErrLoadTime is wrapped by the error for a configuration snapshot holding
// a setting that Terraform or OpenTofu evaluate when they load it and that
// planguard cannot judge (a module source that is not a literal, for one).
var ErrLoadTime = errors.New("the saved plan's configuration sets what Terraform or OpenTofu evaluate when they load it (in init and show, before planguard decides), and planguard allows only literals there")

// loadTimeFix is the hint of an ErrLoadTime error.
const loadTimeFix = "change the configuration as the error says and plan again (docs/guides/policy.md, \"What the configuration may evaluate when it loads\")"

// checkLoadTime parses every configuration file of the snapshot l lays
// out and refuses one that Terraform's and OpenTofu's loaders would
// evaluate more than literals in (tfsource.CheckLoadTime) or whose
// terraform block holds more than the settings that run no code
// (tfsource.CheckTerraformBlocks). Files are named relative to the root
// module, as the module manifest records directories.
func checkLoadTime(l *Layout) error {
	for _, f := range l.parse {
		if err := tfsource.CheckTerraformBlocks(f.file); err != nil {
			return hint.With(fmt.Errorf("%w: %w", ErrLoadTime, err), "remove the block from the terraform block and plan again")
		}
		if err := tfsource.CheckLoadTime(f.file, f.root); err != nil {
			return hint.With(fmt.Errorf("%w: %w", ErrLoadTime, err), loadTimeFix)
		}
	}
	return nil
}

// parsedFile is a configuration file of a snapshot, parsed.
type parsedFile struct {
	file *tfsource.File
	// root says the file is the root module's.
	root bool
}

// parseFiles parses every configuration file of the snapshot l lays out,
// once per module that has it (two module calls of one source share a
// directory), in module key order. A file that does not parse is
// ErrMalformed: Terraform plans no such configuration.
func (l *Layout) parseFiles() error {
	keys := make([]string, 0, len(l.Manifest))
	for _, m := range l.Manifest {
		keys = append(keys, m.Key)
	}
	sort.Strings(keys)
	l.parse = nil
	for _, key := range keys {
		shown := l.shownDir(l.dirs[key])
		for _, name := range l.Files(key) {
			e := l.files[key][name]
			f, err := parseEntry(e, path.Join(shown, name))
			if err != nil {
				return err
			}
			l.parse = append(l.parse, parsedFile{file: f, root: key == ""})
		}
	}
	return nil
}

func parseEntry(e *zip.File, name string) (*tfsource.File, error) {
	src, err := readEntry(e, maxSnapshotFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
	}
	f, err := tfsource.Parse(name, src)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
	}
	return f, nil
}

// RequiredProvider is a provider a required_providers entry of a
// configuration snapshot names.
type RequiredProvider struct {
	tfsource.Provider
	// Where is the file that names it (relative to the root module).
	Where string
}

// RequiredProviders returns the providers the required_providers entries
// of the configuration snapshot of the saved plan at planPath name (every
// module's, override files' included), each once, sorted by source: what
// `terraform init` installs for the configuration. A source written
// without a host has Terraform's registry with DefaultHost set (OpenTofu
// reads it as its own registry).
func RequiredProviders(planPath string) ([]RequiredProvider, error) {
	zr, err := zip.OpenReader(planPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSavedPlan, err)
	}
	defer func() { _ = zr.Close() }()
	l, err := layoutOf(zr)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []RequiredProvider
	for _, f := range l.parse {
		ps, err := tfsource.RequiredProviders(f.file, tfsource.TerraformRegistry)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		for _, p := range ps {
			if !seen[p.Source] {
				seen[p.Source] = true
				out = append(out, RequiredProvider{Provider: p, Where: f.file.Path})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}

// Locked reports whether locks lock p: its source, or, for a source
// written without a host, that provider on either default registry.
func (p RequiredProvider) Locked(locks lockfile.Locks) bool {
	if p.Source == tfsource.BuiltinTerraform {
		return true
	}
	if _, ok := locks[lockfile.Normalize(p.Source)]; ok {
		return true
	}
	if !p.DefaultHost {
		return false
	}
	rest := strings.TrimPrefix(lockfile.Normalize(p.Source), tfsource.TerraformRegistry+"/")
	_, ok := locks[tfsource.OpenTofuRegistry+"/"+rest]
	return ok
}
