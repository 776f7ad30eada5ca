// Package source finds where in the configuration a resource or an action
// is declared: the file and line of its block, for reports that point at
// code (SARIF). It reads the configuration snapshot of a saved plan or the
// .tf files of a working directory; what it cannot read it does not find.
// Nothing here decides anything: a location is for people.
package source

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/planguard/terraform-provider-planguard/internal/address"
	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Location is where a block is declared: a slash-separated path relative
// to the root module, and its 1-based line.
type Location struct {
	File string
	Line int
}

// Index maps the configuration address of a resource or action (module
// path without instance keys, "module.a.module.b.TYPE.NAME" or
// "...action.TYPE.NAME") to its declaration.
type Index map[string]Location

// maxFile bounds a configuration file read for locations.
const maxFile = 16 << 20

// moduleEntry is one line of modules.json (tfconfig/ of a saved plan, or
// .terraform/modules/ of a working directory).
type moduleEntry struct {
	Key string `json:"Key"`
	Dir string `json:"Dir"`
}

// FromSnapshot indexes the configuration snapshot of the saved plan at
// zipPath: its tfconfig/m-KEY/ directories, whose root-relative directory
// tfconfig/modules.json gives. An error means it is not a saved plan.
func FromSnapshot(zipPath string) (Index, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer func() { _ = zr.Close() }()
	dirs := map[string]string{"": "."}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "tfconfig/")
		if !ok || f.UncompressedSize64 > maxFile {
			continue
		}
		if name == "modules.json" {
			var mods []moduleEntry
			if src, err := readZip(f); err == nil && json.Unmarshal(src, &mods) == nil {
				for _, m := range mods {
					dirs[m.Key] = m.Dir
				}
			}
			continue
		}
		files[name] = f
	}
	ix := Index{}
	for name, f := range files {
		modDir, file, ok := strings.Cut(name, "/")
		key, isMod := strings.CutPrefix(modDir, "m-")
		if !ok || !isMod || strings.Contains(file, "/") {
			continue
		}
		dir, known := dirs[key]
		if !known {
			continue
		}
		if src, err := readZip(f); err == nil {
			ix.add(key, path.Join(dir, file), src)
		}
	}
	return ix, nil
}

func readZip(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	return io.ReadAll(io.LimitReader(rc, maxFile))
}

// FromDir indexes the root module in dir and the modules that
// `terraform init` recorded in dir/.terraform/modules/modules.json.
// Locations are relative to dir.
func FromDir(dir string) Index {
	dirs := map[string]string{"": "."}
	if src, err := os.ReadFile(filepath.Join(dir, ".terraform", "modules", "modules.json")); err == nil {
		var doc struct{ Modules []moduleEntry }
		if json.Unmarshal(src, &doc) == nil {
			for _, m := range doc.Modules {
				dirs[m.Key] = m.Dir
			}
		}
	}
	ix := Index{}
	for key, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(d)))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			p := filepath.Join(dir, filepath.FromSlash(d), e.Name())
			if info, err := e.Info(); err != nil || info.Size() > maxFile {
				continue
			}
			if src, err := os.ReadFile(p); err == nil {
				ix.add(key, path.Join(d, e.Name()), src)
			}
		}
	}
	return ix
}

// add indexes the resource and action blocks of one configuration file of
// the module key ("" at the root, "a.b" for module.a.module.b). Only
// native-syntax .tf and .tofu files are read.
func (ix Index) add(key, file string, src []byte) {
	switch path.Ext(file) {
	case ".tf", ".tofu":
	default:
		return
	}
	// A file nested too deeply for hclsyntax's recursive parser (it would
	// overflow the stack) is one this package cannot read.
	if nesting.HCL(src) != nil {
		return
	}
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	prefix := ""
	if key != "" {
		prefix = "module." + strings.ReplaceAll(key, ".", ".module.") + "."
	}
	for _, b := range body.Blocks {
		if len(b.Labels) != 2 {
			continue
		}
		addr := prefix + b.Labels[0] + "." + b.Labels[1]
		switch b.Type {
		case "resource":
		case "action":
			addr = prefix + "action." + b.Labels[0] + "." + b.Labels[1]
		default:
			continue
		}
		if _, dup := ix[addr]; !dup {
			ix[addr] = Location{File: strings.TrimPrefix(file, "./"), Line: b.DefRange().Start.Line}
		}
	}
}

// Find returns where the resource or action of an instance address (a
// managed resource, or an action: action.TYPE.NAME) is declared.
func (ix Index) Find(instance string) (Location, bool) {
	a, err := address.Parse(instance)
	action := false
	if err != nil {
		if a, err = address.ParseAction(instance); err != nil {
			return Location{}, false
		}
		action = true
	}
	var b strings.Builder
	for _, m := range a.Module {
		b.WriteString("module." + m.Name + ".")
	}
	if action {
		b.WriteString("action.")
	}
	b.WriteString(a.Type + "." + a.Resource.Name)
	loc, ok := ix[b.String()]
	return loc, ok
}
