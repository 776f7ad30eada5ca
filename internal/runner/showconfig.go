package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// `runner show --config ID` prints the configuration files a plan was
// made from, as the client sent them (bounded by the runner's Limits): the
// reviewer reads what decides a value "(known after apply)" before
// signing (unknowncfg.go). Any allowed uid may read them: they are the
// agent's own files, and the runner's credentials are never in them
// (serve refuses TF_VAR_*; the reply is redacted all the same). The copy
// is written when the plan is made, before Terraform runs, to the plan's
// private directory, and its hash is kept in memory: a copy changed on
// disk after that is refused, not printed.

// uploadedName is the copy's file name in the plan's directory.
const uploadedName = "uploaded.json"

// saveUploaded writes the copy and returns its path and hash.
func saveUploaded(dir string, files []File) (string, string, error) {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	b, err := json.Marshal(sorted)
	if err != nil {
		return "", "", fmt.Errorf("save the uploaded configuration: %w", err)
	}
	p := filepath.Join(dir, uploadedName)
	if err := os.WriteFile(p, b, 0o400); err != nil {
		return "", "", fmt.Errorf("save the uploaded configuration: %w", err)
	}
	sum := sha256.Sum256(b)
	return p, hex.EncodeToString(sum[:]), nil
}

// uploadMarkFile is the configuration file the runner adds to every plan's
// directory: a comment naming the hash of the uploaded files. The saved
// plan holds the configuration it was made from, this file too, so a
// plan's bytes — which a plan approval names — depend on every uploaded
// file, also those Terraform does not load (a variables file a
// local-exec reads, an ephemeral variable's value): two uploads that
// differ cannot give one plan hash, whatever runner plans them (review
// runner37 H1, runner39 H1).
const uploadMarkFile = "planguard_runner_upload.tf"

// writeUploadMark writes uploadMarkFile into the plan's configuration
// directory; an upload may not hold a file of that name.
func writeUploadMark(work string, files []File, sum string) error {
	for _, f := range files {
		if strings.EqualFold(f.Path, uploadMarkFile) {
			return fmt.Errorf("the upload holds %s, a name the runner keeps for its own file: rename it", f.Path)
		}
	}
	text := "# planguard runner: the files uploaded for this plan have sha256 " + sum + "\n"
	return os.WriteFile(filepath.Join(work, uploadMarkFile), []byte(text), 0o400)
}

// loadUploaded reads the copy back, checking its hash.
func loadUploaded(p, want string, lim Limits) ([]File, error) {
	b, err := readBounded(p, lim.MaxBytes*2+int64(lim.MaxFiles)*1024+(1<<20))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != want {
		return nil, fmt.Errorf("%s changed after the plan was made; plan again", p)
	}
	var files []File
	if err := json.Unmarshal(b, &files); err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return files, nil
}

// printUploaded writes each file with a header line.
func printUploaded(w io.Writer, files []File, id, sum string) {
	fmt.Fprintf(w, "planguard runner: the %d configuration file(s) plan %s was made from, as the agent sent them (plan sha256 %s). Read what sets each value \"(known after apply)\" and every resource the plan changes:\n", len(files), id, sum)
	for _, f := range files {
		fmt.Fprintf(w, "\n==== %s (%d bytes) ====\n", f.Path, len(f.Data))
		// Each line behind "| ": no line of a file stands at column 0,
		// where the runner's own lines (plan sha256, plan id) are.
		text := strings.TrimSuffix(string(f.Data), "\n")
		if text != "" {
			for _, ln := range strings.Split(text, "\n") {
				fmt.Fprintf(w, "| %s\n", ln)
			}
		}
		fmt.Fprintf(w, "==== end of %s ====\n", f.Path)
	}
}

// ShowConfig prints the configuration files plan id was made from.
func (s *Service) ShowConfig(ctx context.Context, peer Peer, id string, out io.Writer) Result {
	o := s.begin(OpShow, peer, out)
	o.rec.PlanID = id
	o.rec.ConfigShown = true
	rec, err := s.take(id, -1)
	if err != nil {
		o.rec.PlanID = ""
		return o.finish(ExitError, DecisionRefused, err)
	}
	defer s.release(rec, false)
	o.rec.PlanSHA256 = rec.sha256
	o.log = o.log.With("plan_id", id)
	if err := ctx.Err(); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	files, err := loadUploaded(rec.uploaded, rec.uploadedSHA256, s.cfg.Limits)
	if err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("read the plan's configuration: %w", err))
	}
	printUploaded(o.out, files, rec.id, rec.sha256)
	o.printf("\nplan sha256: %s\nplan id: %s\n", rec.sha256, rec.id)
	return o.finish(ExitAllow, DecisionShown, nil)
}
