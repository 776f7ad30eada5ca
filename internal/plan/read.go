package plan

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
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
	// Env is the whole environment of `terraform show`; nil means the
	// process's own.
	Env []string
	// Logger receives debug logs; nil means none.
	Logger hclog.Logger
	// Context bounds the `terraform show` run; nil means
	// context.Background().
	Context context.Context
	// GateOnly keeps in the plan only the changes the gate judges (see
	// DecodeOptions.GateOnly), so that memory stays flat on huge plans.
	GateOnly bool
	// KeepPrior filters Plan.Prior: the reader keeps the objects it
	// returns true for; nil keeps every object that has an id or an
	// identity.
	KeepPrior PriorFilter
	// KeepAfterString filters Change.AfterStrings: for a create or a
	// replace whose new object's id and identity are unknown at plan
	// (planformat.WantsAfterStrings), the reader keeps each known string
	// value of after, at any depth, that it returns true for (the gate:
	// those that name an id an ids rule protects). It runs once for every
	// such value, so it must not retain what it is given. nil keeps none,
	// so that memory does not grow with the values of new objects. With
	// it, a duplicate member name at any depth of such a change's after
	// is an error, as at its top level.
	KeepAfterString func(value string) bool
	// HostWriter selects the providers whose changes Plan.HostWrites
	// lists: those that may write files on the machine that applies the
	// plan. nil lists the changes of every provider.
	HostWriter func(source string) bool
	// BeforeShow, when set, is called for a binary saved plan after its
	// archive is read (saved) and before any tool runs on it, with the
	// path of the private copy that will be shown. An error ends Read
	// (wrapped). A non-nil Room it returns is where `show -json` runs
	// instead of Dir, with the Room's environment; the caller cleans it up.
	BeforeShow func(saved *planfile.File, pinnedPath string) (*tfexec.Room, error)
}

func (o Options) getenv() func(string) string {
	if o.Getenv == nil {
		return os.Getenv
	}
	return o.Getenv
}

// zipMagic starts every binary saved plan (a zip archive).
const zipMagic = tfexec.ZipMagic

// Read loads a plan from path: "-" is JSON on opts.Stdin; a file that starts
// (after white space) with '{' is JSON; a zip file (a binary saved plan) is
// shown with `<bin> show -json <path>` run in opts.Dir and its output
// decoded, with SHA256 the hash of the binary file; anything else is an
// error wrapping ErrNotAPlan. All errors read "read plan PATH: …".
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
	// Never waits on a FIFO; only a regular file is read.
	f, err := safefile.Open(path)
	var nr *safefile.NotRegularError
	if errors.As(err, &nr) && nr.Mode.IsDir() {
		return nil, fmt.Errorf("%w: %s is a directory; give the JSON of `terraform show -json PLANFILE` or a saved plan file (`terraform plan -out=PLANFILE`)", ErrNotAPlan, path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, err := br.Peek(len(zipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if string(head) == zipMagic {
		return readSaved(path, opts, log)
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
// private copy of the file (tfexec.PinPlan), so that the hash is of exactly
// the bytes shown even if the file changes meanwhile.
func readSaved(path string, opts Options, log hclog.Logger) (*Plan, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	pinned, err := tfexec.PinPlan(ctx, path, tfexec.Limits{})
	if err != nil {
		return nil, err
	}
	defer pinned.Cleanup()
	// What the archive records beside the JSON, read before any tool runs
	// on it.
	saved, err := readArchive(pinned.Path)
	if err != nil {
		return nil, err
	}
	if saved.Mode == planfile.ModeRefreshOnly {
		return nil, fmt.Errorf("%w: the saved plan was made with -refresh-only: applying it rewrites the state to what the providers read (an object deleted outside Terraform leaves the state, and protection with it), which planguard does not judge; refresh with a normal plan, or run the refresh outside the gated pipeline", ErrRefreshOnly)
	}
	dir, env := opts.Dir, opts.Env
	if opts.BeforeShow != nil {
		room, err := opts.BeforeShow(saved, pinned.Path)
		if err != nil {
			return nil, err
		}
		if room != nil {
			dir, env = room.Dir, room.Env
		}
	}
	bin := tfexec.Find(opts.TerraformBin, opts.getenv())
	log.Debug("running terraform show", "bin", bin, "plan", path, "copy", pinned.Path, "dir", dir)
	var p *Plan
	err = tfexec.Show(ctx, bin, dir, env, pinned, func(r io.Reader) error {
		var err error
		p, err = decodeWithOptions(r, opts)
		return err
	})
	var start *tfexec.StartError
	var show *tfexec.ShowError
	switch {
	case errors.As(err, &start), errors.As(err, &show):
		return nil, fmt.Errorf("%w: %w", ErrShow, err)
	case err != nil:
		return nil, fmt.Errorf("output of `%s show -json`: %w", bin, err)
	}
	p.SHA256 = pinned.SHA256
	p.Saved = saved
	// The saved plan holds the configuration: it tells whether removed
	// blocks declare provisioners, which the JSON does not show.
	pruneRemovedBlockRuns(p, pinned.Path)
	// And the dynamic blocks of provider configurations, which may run a
	// command that the JSON does not show.
	addSnapshotProviderCommands(p, pinned.Path)
	// And the code the apply runs that the JSON does not show: file reads
	// unknown at plan, ephemeral resources, provider functions.
	addSnapshotCode(p, pinned.Path)
	return p, nil
}

// readArchive reads the records of the saved plan at path (the private
// copy); an archive that is not a saved plan is not a plan.
func readArchive(path string) (*planfile.File, error) {
	f, err := safefile.Open(path)
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
