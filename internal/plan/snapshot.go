package plan

import (
	"archive/zip"
	"io"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// maxSnapshotFile bounds a configuration file read from a saved plan.
const maxSnapshotFile = 16 << 20

// snapshotMayRunRemovedProvisioners reports whether the configuration
// snapshot in a saved plan (a zip file whose tfconfig/ holds every
// configuration file of every module) may declare provisioners in
// `removed` blocks. It is false only when every file of the snapshot is a
// native-syntax .tf or .tofu file that parses and none of them has a
// provisioner block inside a removed block; anything else (a JSON-syntax
// file, a file that does not parse or is too large, an unreadable archive)
// is taken to, and so is a snapshot without configuration files.
func snapshotMayRunRemovedProvisioners(zipPath string) bool {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return true
	}
	defer func() { _ = zr.Close() }()
	seen := false
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "tfconfig/")
		if !ok || strings.HasSuffix(f.Name, "/") || name == "modules.json" {
			continue
		}
		switch path.Ext(name) {
		case ".tf", ".tofu":
		default:
			return true
		}
		if f.UncompressedSize64 > maxSnapshotFile {
			return true
		}
		rc, err := f.Open()
		if err != nil {
			return true
		}
		src, err := io.ReadAll(io.LimitReader(rc, maxSnapshotFile+1))
		_ = rc.Close()
		if err != nil || len(src) > maxSnapshotFile {
			return true
		}
		if removed, ok := scanFile(src, f.Name); removed || !ok {
			return true
		}
		seen = true
	}
	// A saved plan without a configuration snapshot tells nothing.
	return !seen
}

// scanFile reports whether a native-syntax configuration file has a
// provisioner block inside a removed block; ok is false when it does not
// parse.
func scanFile(src []byte, filename string) (removedProvisioners, ok bool) {
	// hclsyntax's parser recurses once per level, and a deep enough
	// nesting (which a 16 MiB file can hold) would overflow the stack
	// rather than fail: such a file is taken as not parsing.
	if nesting.HCL(src) != nil {
		return false, false
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return false, false
	}
	body, isNative := file.Body.(*hclsyntax.Body)
	if !isNative {
		return false, false
	}
	for _, b := range body.Blocks {
		if b.Type != "removed" {
			continue
		}
		for _, inner := range b.Body.Blocks {
			if inner.Type == "provisioner" {
				removedProvisioners = true
			}
		}
	}
	return removedProvisioners, true
}

// pruneRemovedBlockRuns drops the TypeRemovedBlock runs of a plan read from
// a saved plan whose configuration snapshot shows that no removed block
// declares a provisioner (the apply runs the provisioners of the snapshot,
// so an edited snapshot defeats itself). The snapshot is read only when
// the plan has such runs.
//
// The snapshot proves nothing about moves: a destroy plan's moves were
// applied in its refresh, and the apply works from the plan's prior state,
// so a moved block deleted from tfconfig/ in the zip changes nothing of
// what the apply destroys (found by an attacker's review).
func pruneRemovedBlockRuns(p *Plan, zipPath string) {
	have := false
	for _, r := range p.Provisions {
		have = have || r.Provisioner.Type == TypeRemovedBlock
	}
	if !have || snapshotMayRunRemovedProvisioners(zipPath) {
		return
	}
	kept := p.Provisions[:0]
	for _, r := range p.Provisions {
		if r.Provisioner.Type != TypeRemovedBlock {
			kept = append(kept, r)
		}
	}
	p.Provisions = kept
}
