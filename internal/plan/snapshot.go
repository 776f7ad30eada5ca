package plan

import (
	"archive/zip"
	"io"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxSnapshotFile bounds a configuration file read from a saved plan.
const maxSnapshotFile = 16 << 20

// snapshotFacts is what the configuration snapshot in a saved plan (a zip
// file whose tfconfig/ holds every configuration file of every module)
// tells. Each fact is true unless the snapshot rules it out: only when
// every file of the snapshot is a native-syntax .tf or .tofu file that
// parses; anything else (a JSON-syntax file, a file that does not parse or
// is too large, an unreadable archive, no configuration files at all)
// leaves it true.
type snapshotFacts struct {
	// removedProvisioners: a removed block may declare a provisioner.
	removedProvisioners bool
}

func scanSnapshot(zipPath string) snapshotFacts {
	unknown := snapshotFacts{removedProvisioners: true}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return unknown
	}
	defer func() { _ = zr.Close() }()
	var facts snapshotFacts
	seen := false
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "tfconfig/")
		if !ok || strings.HasSuffix(f.Name, "/") || name == "modules.json" {
			continue
		}
		switch path.Ext(name) {
		case ".tf", ".tofu":
		default:
			return unknown
		}
		if f.UncompressedSize64 > maxSnapshotFile {
			return unknown
		}
		rc, err := f.Open()
		if err != nil {
			return unknown
		}
		src, err := io.ReadAll(io.LimitReader(rc, maxSnapshotFile+1))
		_ = rc.Close()
		if err != nil || len(src) > maxSnapshotFile {
			return unknown
		}
		removed, ok := scanFile(src, f.Name)
		if !ok {
			return unknown
		}
		facts.removedProvisioners = facts.removedProvisioners || removed
		seen = true
	}
	// A saved plan without a configuration snapshot tells nothing.
	if !seen {
		return unknown
	}
	return facts
}

// snapshotMayRunRemovedProvisioners reports whether the configuration
// snapshot in a saved plan may declare provisioners in removed blocks.
func snapshotMayRunRemovedProvisioners(zipPath string) bool {
	return scanSnapshot(zipPath).removedProvisioners
}

// scanFile reports whether a native-syntax configuration file has a
// provisioner block inside a removed block; ok is false when it does not
// parse.
func scanFile(src []byte, filename string) (removedProvisioners, ok bool) {
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
// declares a provisioner.
func pruneRemovedBlockRuns(p *Plan, zipPath string) {
	applySnapshot(p, scanSnapshot(zipPath))
}

// applySnapshot records in p what the saved plan's configuration snapshot
// rules out: removed-block provisioner runs are dropped when no removed
// block declares one (the apply runs the provisioners of the snapshot, so
// an edited snapshot defeats itself).
//
// The snapshot proves nothing about moves: a destroy plan's moves were
// applied in its refresh, and the apply works from the plan's prior state,
// so a moved block deleted from tfconfig/ in the zip changes nothing of
// what the apply destroys (found by an attacker's review).
func applySnapshot(p *Plan, facts snapshotFacts) {
	have := false
	for _, r := range p.Provisions {
		have = have || r.Provisioner.Type == TypeRemovedBlock
	}
	if !have || facts.removedProvisioners {
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
