package plan

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

// Options configure Read.
type Options struct {
	// TerraformBin is the terraform (or tofu) binary used to show a binary
	// saved plan (--terraform-bin). If empty, Getenv("PLANGUARD_TERRAFORM"),
	// else "terraform" on PATH.
	TerraformBin string
	// Getenv looks up environment variables; nil means os.Getenv.
	Getenv func(string) string
	// Stdin is read when the path is "-".
	Stdin io.Reader
	// Dir is the working directory for `terraform show` (the directory of
	// the plan's configuration, where `terraform init` ran); "" means the
	// current directory.
	Dir string
	// Logger receives debug logs; nil means none.
	Logger hclog.Logger
	// Context bounds the `terraform show` run; nil means
	// context.Background().
	Context context.Context
	// GateOnly keeps in Changes, Deferred and Drift only the changes the
	// gate judges (Change.GateRelevant). Every change is still read and
	// validated as strictly, and Approvals are complete; only the others
	// are not kept, so that memory does not grow with the number of
	// unchanged resources.
	GateOnly bool
	// KeepPrior, when not nil, keeps in Plan.Prior only the prior objects
	// for which it returns true (the gate needs only protected ones), so
	// that memory does not grow with the number of resources in state.
	// Every prior object is still read and validated as strictly.
	KeepPrior func(address, resourceType string) bool
}

// zipMagic starts every binary saved plan (a zip archive).
const zipMagic = "PK\x03\x04"

// maxStderr bounds how much of terraform's standard error is kept for an
// error message.
const maxStderr = 8 << 10

// Read loads a plan from path: "-" is JSON on opts.Stdin; a file that starts
// (after white space) with '{' is JSON; a zip file (a binary saved plan) has
// its own records read (Plan.Saved, see package planfile; a refresh-only
// plan is an error wrapping ErrRefreshOnly), then is shown with
// `<bin> show -json <path>` run in opts.Dir and its output decoded, with
// SHA256 the hash of the binary file; anything else is an error wrapping
// ErrNotAPlan. All errors read "read plan PATH: …".
func Read(path string, opts Options) (*Plan, error) {
	p, err := read(path, opts)
	if err != nil {
		return nil, fmt.Errorf("read plan %s: %w", path, err)
	}
	return p, nil
}

func read(path string, opts Options) (*Plan, error) {
	log := opts.Logger
	if log == nil {
		log = hclog.NewNullLogger()
	}
	if path == "-" {
		if opts.Stdin == nil {
			return nil, errors.New("no standard input to read the plan JSON from")
		}
		log.Debug("reading plan JSON from standard input")
		return decodeWithOptions(opts.Stdin, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if fi.IsDir() {
		return nil, fmt.Errorf("%w: %s is a directory; give the JSON of `terraform show -json PLANFILE` or a saved plan file (`terraform plan -out=PLANFILE`)", ErrNotAPlan, path)
	}
	br := bufio.NewReader(f)
	head, err := br.Peek(len(zipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if string(head) == zipMagic {
		return readSaved(path, f, opts, log)
	}
	// Skip JSON white space to look at the first significant byte.
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: the file is empty; give the JSON of `terraform show -json PLANFILE` or a saved plan file", ErrNotAPlan)
		}
		if err != nil {
			return nil, err
		}
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			continue
		}
		if b != '{' {
			return nil, fmt.Errorf("%w: the file is neither plan JSON (it does not start with '{') nor a saved plan (a zip file); give the JSON of `terraform show -json PLANFILE` or a saved plan file", ErrNotAPlan)
		}
		break
	}
	// Decode all bytes from the start, so that SHA256 covers the file.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	log.Debug("reading plan JSON", "path", path)
	return decodeWithOptions(f, opts)
}

// readSaved runs `terraform show -json` on a binary saved plan. It shows a
// private copy of the file, so that the hash is of exactly the bytes shown
// even if the file changes meanwhile.
func readSaved(path string, f *os.File, opts Options, log hclog.Logger) (*Plan, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "planguard-plan-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, "plan.tfplan")
	out, err := os.OpenFile(copyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(h, out), f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	// What the archive records beside the JSON, read before any tool runs
	// on it.
	saved, err := readArchive(copyPath)
	if err != nil {
		return nil, err
	}
	if saved.Mode == planfile.ModeRefreshOnly {
		return nil, fmt.Errorf("%w: the saved plan was made with -refresh-only: applying it rewrites the state to what the providers read (an object deleted outside Terraform leaves the state, and protection with it), which planguard does not judge; refresh with a normal plan, or run the refresh outside the gated pipeline", ErrRefreshOnly)
	}

	bin := opts.TerraformBin
	if bin == "" {
		getenv := opts.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		bin = getenv("PLANGUARD_TERRAFORM")
	}
	if bin == "" {
		bin = "terraform"
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cmd := exec.CommandContext(ctx, bin, "show", "-json", "-no-color", copyPath)
	cmd.Dir = opts.Dir
	stderr := &limitedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	log.Debug("running terraform show", "bin", bin, "plan", path, "copy", copyPath, "dir", opts.Dir)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: cannot run %s (set --terraform-bin or PLANGUARD_TERRAFORM to the terraform or tofu binary): %w", ErrShow, bin, err)
	}
	p, decErr := decodeWithOptions(stdout, opts)
	// Drain what is left so that terraform can exit, then wait for it.
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "(no error output)"
		}
		return nil, fmt.Errorf("%w: `%s show -json` (of a copy of the plan) in %s: %w:\n%s", ErrShow, bin, dirName(opts.Dir), err, msg)
	}
	if decErr != nil {
		return nil, fmt.Errorf("output of `%s show -json`: %w", bin, decErr)
	}
	p.SHA256 = sum
	p.Saved = saved
	// The saved plan holds the configuration: it tells whether removed
	// blocks declare provisioners, which the JSON does not show.
	pruneRemovedBlockRuns(p, copyPath)
	return p, nil
}

// readArchive reads the records of the saved plan at path (the private
// copy); an archive that is not a saved plan is not a plan.
func readArchive(path string) (*planfile.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	saved, err := planfile.ReadFrom(f, fi.Size())
	if errors.Is(err, planfile.ErrNotSavedPlan) {
		return nil, fmt.Errorf("%w: %w", ErrNotAPlan, err)
	}
	return saved, err
}

func dirName(dir string) string {
	if dir == "" {
		return "the current directory"
	}
	return dir
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }
