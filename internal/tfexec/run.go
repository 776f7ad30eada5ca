package tfexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// MaxStderr bounds how much of terraform's standard error Show keeps for
// its error message.
const MaxStderr = 8 << 10

// StartError is the error for a terraform binary that could not be run.
type StartError struct {
	Bin string
	Err error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("cannot run %s (set --terraform-bin or PLANGUARD_TERRAFORM to the terraform or tofu binary): %v", e.Bin, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// ShowError is the error for a `show -json` that failed; Stderr is the
// start of what terraform printed.
type ShowError struct {
	Bin, Dir, Stderr string
	Err              error
}

func (e *ShowError) Error() string {
	dir := e.Dir
	if dir == "" {
		dir = "the current directory"
	}
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = "(no error output)"
	}
	return fmt.Sprintf("`%s show -json` (of a copy of the plan) in %s: %v:\n%s", e.Bin, dir, e.Err, msg)
}

func (e *ShowError) Unwrap() error { return e.Err }

// Show runs `bin show -json -no-color PLAN` on the pinned plan in dir
// ("" = the current directory), with environment env (nil = planguard's
// own) and streams its standard output to decode; whatever decode
// leaves unread is drained so that terraform can exit. When ctx ends,
// terraform is killed. A terraform that fails is a *ShowError (whatever
// decode returned), one that cannot start a *StartError; otherwise the
// error is decode's.
func Show(ctx context.Context, bin, dir string, env []string, plan *Pinned, decode func(io.Reader) error) error {
	planPath, extra := plan.ForChild(nil)
	cmd := exec.CommandContext(ctx, bin, "show", "-json", "-no-color", planPath)
	cmd.Dir, cmd.Env, cmd.ExtraFiles = dir, env, extra
	stderr := &limitedBuffer{max: MaxStderr}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return &StartError{Bin: bin, Err: err}
	}
	decErr := decode(stdout)
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return &ShowError{Bin: bin, Dir: dir, Stderr: stderr.String(), Err: err}
	}
	return decErr
}

// DefaultGrace is how long Apply waits, after forwarding an interrupt, for
// terraform to finish what it is doing and release the state lock before
// it kills terraform.
const DefaultGrace = 5 * time.Minute

// ApplyOptions say how to run `terraform apply`.
type ApplyOptions struct {
	// Bin is the terraform or tofu binary (see Find).
	Bin string
	// Args follow the binary: "apply", flags, the pinned plan.
	Args []string
	// Dir is the working directory ("" = the current directory).
	Dir string
	// Env is terraform's whole environment; nil means planguard's own.
	Env []string
	// Stdout and Stderr receive terraform's output; standard input is empty.
	Stdout, Stderr io.Writer
	// ExtraFiles are open files terraform inherits as descriptors 3, 4, …
	// (Pinned.ForChild: the pinned plan).
	ExtraFiles []*os.File
	// Grace is how long terraform may take to stop after the interrupt;
	// 0 means DefaultGrace.
	Grace time.Duration
}

// InterruptedError is Apply's error when ctx ended while terraform ran:
// terraform was sent an interrupt (its graceful stop) and has exited, or
// was killed after the grace period.
type InterruptedError struct {
	Bin   string
	Cause error // context.Cause of the apply's context
	Err   error // how terraform ended
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("%s apply interrupted (%v): terraform was sent an interrupt to stop gracefully and ended (%v); check the state and its lock before applying again", e.Bin, e.Cause, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// Apply runs `Bin Args...` and waits for it. When ctx ends first, terraform
// gets an interrupt (SIGINT: Terraform's graceful stop, which finishes
// running operations and releases the state lock), and is killed only if
// it has not exited after Grace; the error is then an *InterruptedError.
// On Unix terraform runs in its own process group, so that a terminal's
// Ctrl-C reaches it once, through planguard, and not twice (a second
// interrupt makes Terraform exit at once, possibly holding the lock).
func Apply(ctx context.Context, o ApplyOptions) error {
	grace := o.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}
	cmd := exec.CommandContext(ctx, o.Bin, o.Args...)
	cmd.Dir, cmd.Env = o.Dir, o.Env
	cmd.Stdout, cmd.Stderr = o.Stdout, o.Stderr
	cmd.ExtraFiles = o.ExtraFiles
	cmd.Cancel = func() error { return interrupt(cmd) }
	cmd.WaitDelay = grace
	ownProcessGroup(cmd)
	err := cmd.Run()
	if ctx.Err() != nil && !errors.As(err, new(*exec.Error)) {
		if err == nil {
			err = errors.New("exit status 0")
		}
		return &InterruptedError{Bin: o.Bin, Cause: context.Cause(ctx), Err: err}
	}
	return err
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
