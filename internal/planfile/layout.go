package planfile

// The layout of a configuration snapshot: which directory each module's
// files go to, judged before anything reads the snapshot. Terraform and
// OpenTofu read a saved plan's configuration through a file system that
// looks each directory up among the manifest's modules (in map order), so a
// manifest that gives two modules one directory with different files makes
// the configuration they load a matter of chance, and a module key that no
// module call creates is a configuration nobody planned. Neither is written
// by Terraform: the plan file was edited, and is refused.

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// MaxModuleDepth bounds how many directories above the root module a local
// module may live ("../../shared" is 2): the room places the root that many
// directories deep, so that every module directory stays inside it.
const MaxModuleDepth = 16

// Layout is where the modules of a configuration snapshot go, relative to
// the top of the directory they are written into.
type Layout struct {
	// Manifest is tfconfig/modules.json as recorded.
	Manifest []ManifestModule
	// Depth is how many directories above the root module the manifest's
	// module directories reach (the largest number of leading ".." of a
	// Dir).
	Depth int
	// Root is the root module's directory: "." when Depth is 0, else
	// Depth directories deep ("_1/_2" for 2).
	Root string
	// dirs maps each module key to its directory (slash-separated,
	// relative to the top, clean).
	dirs map[string]string
	// files maps each module key to its files (name to entry).
	files map[string]map[string]*zip.File
	// parse holds every module's files parsed (parseFiles).
	parse []parsedFile
}

// Dir returns the directory of the module key relative to the top
// (slash-separated), and whether the manifest lists the key.
func (l *Layout) Dir(key string) (string, bool) {
	d, ok := l.dirs[key]
	return d, ok
}

// Files returns the names of the files the snapshot holds for the module
// key, sorted.
func (l *Layout) Files(key string) []string {
	names := make([]string, 0, len(l.files[key]))
	for n := range l.files[key] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ReadLayout reads and judges the configuration snapshot of the saved plan
// at planPath (see readLayout).
func ReadLayout(planPath string) (*Layout, error) {
	zr, err := zip.OpenReader(planPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotSavedPlan, err)
	}
	defer func() { _ = zr.Close() }()
	return layoutOf(zr)
}

// layoutOf is ReadLayout of an open archive.
func layoutOf(zr *zip.ReadCloser) (*Layout, error) {
	if _, err := checkEntries(&zr.Reader); err != nil {
		return nil, err
	}
	if err := checkSnapshotNesting(zr.File); err != nil {
		return nil, err
	}
	l, err := readLayout(zr.File)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, fmt.Errorf("%w: the saved plan has no configuration snapshot (tfconfig/modules.json)", ErrMalformed)
	}
	if err := checkLoadTime(l); err != nil {
		return nil, err
	}
	return l, nil
}

// readLayout reads the manifest and the files of the snapshot among
// entries and refuses, as Terraform never writes them:
//   - a manifest that does not list the root module at ".", or lists a key
//     twice, or a key that is not a module path;
//   - a module directory that is absolute, reaches more than MaxModuleDepth
//     directories above the root, or reaches into .terraform (other than
//     a module installed under the root's .terraform/modules),
//     terraform.d or the lock file;
//   - a module key whose parent module has no module call of its name
//     (key "a.b" is call "b" of module "a"; "zz" is call "zz" of the root);
//   - modules that share a directory without holding the same files, byte
//     for byte (two calls of one local source share it legitimately);
//   - a file of a module the manifest does not list, or whose name is not
//     one of a configuration file.
//
// It returns nil, nil when entries hold no configuration snapshot at all.
func readLayout(entries []*zip.File) (*Layout, error) {
	var manifest *zip.File
	var snapshot []*zip.File
	for _, e := range entries {
		switch {
		case e.Name == configPrefix+"modules.json":
			manifest = e
		case strings.HasPrefix(e.Name, configPrefix):
			snapshot = append(snapshot, e)
		}
	}
	if manifest == nil {
		if len(snapshot) == 0 {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: the configuration snapshot has files but no tfconfig/modules.json", ErrMalformed)
	}
	b, err := readEntry(manifest, maxSubRecord)
	if err != nil {
		return nil, fmt.Errorf("%w: tfconfig/modules.json: %w", ErrMalformed, err)
	}
	l := &Layout{dirs: map[string]string{}, files: map[string]map[string]*zip.File{}}
	if err := json.Unmarshal(b, &l.Manifest); err != nil {
		return nil, fmt.Errorf("%w: tfconfig/modules.json: %w", ErrMalformed, err)
	}
	// The depth first: it decides where the root is.
	cleaned := make([]string, len(l.Manifest))
	for i, m := range l.Manifest {
		d := path.Clean(m.Dir)
		if m.Dir == "" || path.IsAbs(d) || strings.ContainsAny(m.Dir, "\\\x00") || strings.HasPrefix(m.Dir, "~") {
			return nil, fmt.Errorf("%w: tfconfig/modules.json: module %q directory %q: not a relative path", ErrMalformed, m.Key, m.Dir)
		}
		up := 0
		for rest := d; rest == ".." || strings.HasPrefix(rest, "../"); rest = strings.TrimPrefix(strings.TrimPrefix(rest, ".."), "/") {
			up++
		}
		if up > MaxModuleDepth {
			return nil, fmt.Errorf("%w: tfconfig/modules.json: module %q directory %q lies more than %d directories above the root module", ErrMalformed, m.Key, m.Dir, MaxModuleDepth)
		}
		l.Depth = max(l.Depth, up)
		cleaned[i] = d
	}
	l.Root = "."
	if l.Depth > 0 {
		segs := make([]string, l.Depth)
		for i := range segs {
			segs[i] = "_" + strconv.Itoa(i+1)
		}
		l.Root = strings.Join(segs, "/")
	}
	for i, m := range l.Manifest {
		if _, dup := l.dirs[m.Key]; dup {
			return nil, fmt.Errorf("%w: tfconfig/modules.json lists module %q twice", ErrMalformed, m.Key)
		}
		if m.Key == "" && cleaned[i] != "." {
			return nil, fmt.Errorf("%w: tfconfig/modules.json: the root module's directory is %q, not \".\"", ErrMalformed, m.Dir)
		}
		if m.Key != "" {
			for _, seg := range strings.Split(m.Key, ".") {
				if !hclsyntax.ValidIdentifier(seg) {
					return nil, fmt.Errorf("%w: tfconfig/modules.json: module key %q is not a module path (call names joined by '.')", ErrMalformed, m.Key)
				}
			}
		}
		d := path.Join(l.Root, cleaned[i])
		if err := safeRel(d, l.Root); err != nil {
			return nil, fmt.Errorf("%w: tfconfig/modules.json: module %q directory %q: %w", ErrMalformed, m.Key, m.Dir, err)
		}
		l.dirs[m.Key] = d
		l.files[m.Key] = map[string]*zip.File{}
	}
	if _, ok := l.dirs[""]; !ok {
		return nil, fmt.Errorf("%w: tfconfig/modules.json does not list the root module", ErrMalformed)
	}
	for _, e := range snapshot {
		rest, ok := strings.CutPrefix(e.Name, configPrefix+"m-")
		key, name, ok2 := strings.Cut(rest, "/")
		files, known := l.files[key]
		if !ok || !ok2 || !known {
			return nil, fmt.Errorf("%w: %s belongs to no module tfconfig/modules.json lists", ErrMalformed, e.Name)
		}
		if e.Mode()&^0o777 != 0 {
			return nil, fmt.Errorf("%w: %s is not a regular file", ErrMalformed, e.Name)
		}
		if err := safeRel(path.Join(l.dirs[key], name), l.Root); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
		}
		if !ConfigFileName(name) {
			return nil, fmt.Errorf("%w: %s is not a configuration file (Terraform and OpenTofu snapshot only %s files of a module's own directory, so the plan was not written by them); a file beside the configuration could be read at apply as a credential or kubeconfig file: plan again with `terraform plan -out`",
				ErrMalformed, e.Name, strings.Join(configSuffixes, ", "))
		}
		files[name] = e
	}
	if err := l.checkShared(); err != nil {
		return nil, err
	}
	if err := l.checkCalls(); err != nil {
		return nil, err
	}
	if err := l.parseFiles(); err != nil {
		return nil, err
	}
	return l, nil
}

// checkShared refuses modules that share a directory without holding the
// same files, byte for byte.
func (l *Layout) checkShared() error {
	byDir := map[string][]string{}
	for _, m := range l.Manifest {
		byDir[l.dirs[m.Key]] = append(byDir[l.dirs[m.Key]], m.Key)
	}
	for dir, keys := range byDir {
		if len(keys) < 2 {
			continue
		}
		sums := make([]map[string][32]byte, len(keys))
		for i, k := range keys {
			sums[i] = map[string][32]byte{}
			for name, e := range l.files[k] {
				b, err := readEntry(e, maxSnapshotFile)
				if err != nil {
					return fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
				}
				sums[i][name] = sha256.Sum256(b)
			}
		}
		for i := 1; i < len(keys); i++ {
			if len(sums[i]) != len(sums[0]) || !sameSums(sums[0], sums[i]) {
				return fmt.Errorf("%w: tfconfig/modules.json gives %s and %s one directory (%s) but the snapshot holds different files for them: Terraform would load either at random (it never writes such a plan; the plan file was edited): plan again with `terraform plan -out`",
					ErrMalformed, moduleName(keys[0]), moduleName(keys[i]), l.shownDir(dir))
			}
		}
	}
	return nil
}

// moduleName names a module key in messages.
func moduleName(key string) string {
	if key == "" {
		return "the root module"
	}
	return "module " + strconv.Quote(key)
}

func sameSums(a, b map[string][32]byte) bool {
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// shownDir is a module directory relative to the root module, as the
// manifest writes it.
func (l *Layout) shownDir(dir string) string {
	if l.Root == "." {
		return dir
	}
	// Count how many of the root's directories dir shares.
	rs, ds := strings.Split(l.Root, "/"), strings.Split(dir, "/")
	if dir == "." {
		ds = nil
	}
	n := 0
	for n < len(rs) && n < len(ds) && rs[n] == ds[n] {
		n++
	}
	parts := make([]string, 0, len(rs)-n+len(ds)-n)
	for i := n; i < len(rs); i++ {
		parts = append(parts, "..")
	}
	parts = append(parts, ds[n:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// checkCalls refuses a module key that no module call of its parent
// module creates.
func (l *Layout) checkCalls() error {
	calls := map[string][]string{} // parent key -> its module calls
	read := map[string]bool{}
	for _, m := range l.Manifest {
		if m.Key == "" {
			continue
		}
		parent, call := "", m.Key
		if i := strings.LastIndexByte(m.Key, '.'); i >= 0 {
			parent, call = m.Key[:i], m.Key[i+1:]
		}
		if _, ok := l.dirs[parent]; !ok {
			return fmt.Errorf("%w: tfconfig/modules.json lists module %q but not its parent module %q", ErrMalformed, m.Key, parent)
		}
		if !read[parent] {
			read[parent] = true
			for _, name := range l.Files(parent) {
				found, err := moduleCalls(l.files[parent][name])
				if err != nil {
					return err
				}
				calls[parent] = append(calls[parent], found...)
			}
		}
		if !slices.Contains(calls[parent], call) {
			where := "the root module"
			if parent != "" {
				where = "module " + strconv.Quote(parent)
			}
			return fmt.Errorf("%w: tfconfig/modules.json lists module %q, but %s has no module call %q: Terraform never writes such a plan (the plan file was edited); plan again with `terraform plan -out`",
				ErrMalformed, m.Key, where, call)
		}
	}
	return nil
}

// moduleCalls returns the names of the module blocks of a configuration
// file of the snapshot.
func moduleCalls(e *zip.File) ([]string, error) {
	src, err := readEntry(e, maxSnapshotFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, e.Name, err)
	}
	var body hcl.Body
	if strings.HasSuffix(e.Name, ".json") {
		f, diags := hcljson.Parse(src, e.Name)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%w: %s does not parse: %s", ErrMalformed, e.Name, diags.Error())
		}
		body = f.Body
	} else {
		f, diags := hclsyntax.ParseConfig(src, e.Name, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%w: %s does not parse: %s", ErrMalformed, e.Name, diags.Error())
		}
		body = f.Body
	}
	content, _, diags := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "module", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		return nil, fmt.Errorf("%w: %s: its module blocks cannot be read: %s", ErrMalformed, e.Name, diags.Error())
	}
	var out []string
	for _, b := range content.Blocks {
		out = append(out, b.Labels[0])
	}
	return out, nil
}
