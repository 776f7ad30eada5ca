package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/planguard/terraform-provider-planguard/internal/report"
	"github.com/planguard/terraform-provider-planguard/internal/source"
)

// The reports of one check: stdout's --format and each --out FORMAT=FILE.

// reportOut is one report a check writes: in format to path, or to
// stdout when path is "".
type reportOut struct {
	format, path string
	renderer     report.Renderer
}

// reports are the reports of one check: stdout's --format first, then
// each --out.
type reports []reportOut

// locator says where the configuration declares an address, for SARIF:
// from the saved plan's configuration snapshot, else from the .tf files
// of the working directory, else the plan file itself (no line). The
// configuration is read at the first call.
func locator(planPath string) func(string) (string, int) {
	var indexes []source.Index
	return func(addr string) (string, int) {
		if indexes == nil {
			if ix, err := source.FromSnapshot(planPath); err == nil {
				indexes = append(indexes, ix)
			}
			indexes = append(indexes, source.FromDir("."))
		}
		for _, ix := range indexes {
			if loc, ok := ix.Find(addr); ok {
				return path.Clean(loc.File), loc.Line
			}
		}
		if planPath == "-" {
			return "", 0
		}
		return filepath.ToSlash(planPath), 0
	}
}

// write writes each report with render.
func (rs reports) write(e *env, render func(report.Renderer, io.Writer) error) error {
	for _, o := range rs {
		if o.path == "" {
			// The text report quotes the plan: on GitHub Actions, with
			// workflow commands off (ghcommands.go), unless stdout is a
			// file (its reader prints it as it likes: check.sh does so
			// with commands off).
			resume := func() {}
			if o.format == "text" && !regularFile(e.stdout) {
				var err error
				if resume, err = stopCommands(e, e.stdout); err != nil {
					return err
				}
			}
			err := render(o.renderer, e.stdout)
			resume()
			if err != nil {
				return fmt.Errorf("write report: %w", err)
			}
			continue
		}
		f, err := os.Create(o.path)
		if err != nil {
			return fmt.Errorf("write %s report: %w", o.format, err)
		}
		err = render(o.renderer, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s report %s: %w", o.format, o.path, err)
		}
	}
	return nil
}

// failed writes, in every report, that the check failed with err; but
// text on stdout stays empty, as the error on stderr says it. The check's
// error is the one to report: a failure to write is only logged.
func (rs reports) failed(e *env, err error) {
	if len(rs) > 0 && rs[0].path == "" && (rs[0].format == "text" || rs[0].format == "") {
		rs = rs[1:]
	}
	if werr := rs.write(e, func(r report.Renderer, w io.Writer) error { return r.Failed(w, err) }); werr != nil {
		e.log.Error("write the failed check's reports", "error", werr)
	}
}
