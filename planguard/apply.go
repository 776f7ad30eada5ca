package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/planguard/terraform-provider-planguard/internal/attest"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// pinPlan pins the saved plan apply checks and applies (tfexec.PinPlan),
// with apply's hints.
func pinPlan(ctx context.Context, path string) (*tfexec.Pinned, error) {
	p, err := tfexec.PinPlan(ctx, path, tfexec.Limits{})
	var nr *safefile.NotRegularError
	switch {
	case errors.As(err, &nr):
		return nil, withHint(err, "apply needs the binary file written by 'terraform plan -out FILE'")
	case errors.Is(err, tfexec.ErrNotSavedPlan):
		return nil, withHint(err, "apply needs the binary file written by 'terraform plan -out FILE', not JSON")
	}
	return p, err
}

// attestedRoom builds the room an attested plan is applied in: no check
// runs here, so the lock file written is the plan's own (which the
// attested check judged against the policy's lock_file, if it had one).
func attestedRoom(ctx context.Context, tfBin string, e *env, pinned string) (*tfexec.Room, error) {
	if err := tfexec.CheckEnv(e.getenv, false); err != nil {
		return nil, err
	}
	saved, err := planfile.Read(pinned)
	if err != nil {
		return nil, err
	}
	// No check runs here to know whether the policy pins the lock file:
	// refuse dev_overrides of any provider the plan locks (they would run
	// another binary than the locked one).
	overridden, err := tfexec.DevOverridden(e.getenv)
	if err != nil {
		return nil, err
	}
	for _, src := range overridden {
		if _, locked := saved.Locks[lockfile.Normalize(src)]; locked {
			return nil, withHint(fmt.Errorf("the CLI configuration's dev_overrides replace provider %s, which the plan's lock file locks: terraform would run another binary than the one the attested check allowed", src),
				"apply with the job's own CLI configuration: an explicit provider_installation, no dev_overrides")
		}
	}
	return tfexec.NewRoom(ctx, tfexec.RoomOptions{Bin: tfexec.Find(tfBin, e.getenv), PlanPath: pinned, LockFile: saved.LockFile, Workspace: saved.Backend.Workspace})
}

func runApply(e *env, args []string) (int, error) {
	fs := newFlags("apply", "planguard apply [check flags] PLANFILE [-- terraform apply flags]",
		`Check a saved plan and apply exactly that file when allowed. planguard pins the file
(copies and hashes it; on Linux into a sealed memory file no process can change), checks
the copy, refuses if the original changed meanwhile, and runs 'terraform apply' on the
pinned copy: no other plan can slip in between check and apply. With --attestation it verifies an attestation from an earlier 'check --attest'
instead of checking again (for pipelines where check and apply run in separate jobs).

It needs nothing but the plan file: show and apply run in a new private directory
built from the plan's own configuration snapshot and lock file (checked against the
policy's lock_file first), initialised with 'terraform init -backend=false -get=false
-lockfile=readonly' and the job's CLI configuration. No file of the working directory
(override files, terraform.d, .terraform, the lock file) is used; the state is the
backend and workspace the plan records, which the policy's state block must pin: a
policy without one is refused (exit 2), and so is an attestation whose check had none
(state_pinned). Do not run 'terraform init' first. Under a file size limit (ulimit -f)
it refuses to start: terraform could be stopped part way through writing the state.
Exit status: 0 applied, 1 blocked (nothing applied), 2 error (nothing applied, or the
apply failed).

With --attestation, --policy-sha256 is required: the attestation must name that
policy hash ('planguard policy-hash' prints it).

After -- only flags that cannot change what is applied are passed to terraform,
each as one argument:
    `+allowedApplyArgs()+`.
Anything else (-auto-approve, -backup, -state, -destroy, -var, a path, ...) is
refused with exit 2 before terraform runs; so are TF_CLI_ARGS and
TF_CLI_ARGS_apply words outside that list.`,
		`  terraform plan -out tfplan
  planguard apply --policy planguard.hcl tfplan
  planguard apply --attestation check.att --attestation-signers gate_signers --policy-sha256 "$PIN" tfplan -- -parallelism=4
`)
	var cf checkFlags
	cf.register(fs)
	var a attestationCheck
	fs.StringVar(&a.path, "attestation", "", "apply on the strength of this attestation `FILE` instead of checking")
	a.register(fs)
	var extra []string
	for i, arg := range args {
		if arg == "--" {
			args, extra = args[:i], args[i+1:]
			break
		}
	}
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "apply needs exactly one PLANFILE", hint: "run 'planguard apply tfplan'; terraform flags go after --"}
	}
	// Before anything else: no argument may change what is applied.
	if err := checkApplyArgs(extra, e.getenv); err != nil {
		return exitError, err
	}
	if err := fileSizeLimit(); err != nil {
		return exitError, err
	}
	if a.path != "" {
		if a.signers == "" {
			return exitError, &usageError{msg: "--attestation needs --attestation-signers", hint: "pass the allowed_signers file that lists the gate's key"}
		}
		// With an attestation nothing is checked here: refuse the flags of a
		// check rather than ignore them.
		var ignored []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "policy", "format", "out", "author", "audit-log", "attest", "attest-key":
				ignored = append(ignored, "--"+f.Name)
			}
		})
		if len(ignored) > 0 {
			return exitError, &usageError{msg: fmt.Sprintf("--attestation applies on an earlier check's decision, so %s would have no effect", strings.Join(ignored, ", ")),
				hint: "pass those flags to the 'planguard check --attest' that wrote the attestation, or drop --attestation to check here"}
		}
		a.policySHA256 = cf.policySHA256
		if err := requireAttestationPin(a); err != nil {
			return exitError, err
		}
	}
	if a.path == "" {
		// An empty --author is refused before the plan is even copied.
		if _, err := cf.authorArg.resolve(e); err != nil {
			return exitError, err
		}
	}
	// SIGINT and SIGTERM from here on end ctx: before terraform runs,
	// nothing is applied; while it runs, it is told to stop gracefully
	// (tfexec.Apply). A second signal ends planguard at once (terraform,
	// in its own process group, still stops gracefully).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	planPath := fs.Arg(0)
	pin, err := pinPlan(ctx, planPath)
	if err != nil {
		return exitError, err
	}
	defer pin.Cleanup()
	pinned, sum := pin.Path, pin.SHA256

	// The room: a private directory built from the plan alone, where
	// terraform shows and applies it (tfexec.Room).
	var room *tfexec.Room
	defer func() { room.Cleanup() }()
	if a.path != "" {
		if a.now, err = parseNow(cf.now); err != nil {
			return exitError, err
		}
		a.policySHA256 = cf.policySHA256
		p, err := verifyAttestation(a, sum)
		if err != nil {
			return exitError, err
		}
		if err := attest.RequireStatePinned(p, a.path); err != nil {
			return exitError, err
		}
		if err := attest.RequireProvidersPinned(p, a.path); err != nil {
			return exitError, err
		}
		if p.Decision != string(gate.Allow) {
			fmt.Fprintf(e.stderr, "planguard: the attested check blocked this plan; nothing applied\n")
			return exitBlock, nil
		}
		fmt.Fprintf(e.stderr, "planguard: attestation verified for plan sha256 %s\n", sum)
		if room, err = attestedRoom(ctx, cf.tfBin, e, pinned); err != nil {
			return exitError, err
		}
	} else {
		renderer, err := cf.renderer(e, planPath)
		if err != nil {
			return exitError, err
		}
		res, err := cf.check(ctx, e, pinned, true)
		if err != nil {
			renderer.failed(e, err)
			return exitError, err
		}
		room = res.Room
		if room == nil {
			return exitError, errors.New("internal error: the check of a saved plan built no room to apply it in")
		}
		if res.Report.Plan.SHA256 != sum {
			return exitError, fmt.Errorf("internal error: checked plan hash %s differs from pinned %s", res.Report.Plan.SHA256, sum)
		}
		if err := cf.finish(e, res, renderer); err != nil {
			return exitError, err
		}
		if res.Report.Decision != gate.Allow {
			fmt.Fprintln(e.stderr, "planguard: blocked; nothing applied")
			return exitBlock, nil
		}
	}
	if e.afterCheck != nil {
		e.afterCheck()
	}
	now, err := fileSHA256(planPath)
	if err != nil {
		return exitError, err
	}
	if now != sum {
		return exitError, withHint(fmt.Errorf("%s changed after it was checked (sha256 %s, now %s); nothing applied", planPath, sum, now), "plan and check again")
	}
	if err := context.Cause(ctx); err != nil {
		return exitError, fmt.Errorf("interrupted (%w) before terraform apply ran; nothing applied", err)
	}
	bin := tfexec.Find(cf.tfBin, e.getenv)
	// A local backend's relative state path names a file of the directory
	// planguard runs in, not of the room.
	wd, err := os.Getwd()
	if err != nil {
		return exitError, err
	}
	saved, err := planfile.Read(pinned)
	if err != nil {
		return exitError, err
	}
	stateArgs, err := tfexec.LocalStateArgs(saved.Backend, wd)
	if err != nil {
		return exitError, err
	}
	// terraform reads the pinned copy (on Linux a sealed memfd it inherits
	// as /dev/fd/3); the line for people names the file that was pinned.
	childPlan, files := pin.ForChild(nil)
	cmdArgs := applyCommand(append(stateArgs, extra...), childPlan)
	shown := applyCommand(append(stateArgs, extra...), planPath)
	fmt.Fprintf(e.stderr, "planguard: running %s %s (the copy pinned and checked, sha256 %s)\n", bin, strings.Join(shown, " "), sum)
	// Terraform prints what the change wrote (output values, a multi-line
	// one line by line; providers' messages): on GitHub Actions none of it
	// may be a workflow command (ghcommands.go). Its stderr then goes to
	// stdout too, so that the log keeps the order of its lines and of
	// the two markers.
	tfOut, tfErr := e.stdout, e.stderr
	if onGitHub(e) {
		tfErr = e.stdout
	}
	resume, err := stopCommands(e, e.stdout)
	if err != nil {
		return exitError, fmt.Errorf("%w; nothing applied", err)
	}
	err = tfexec.Apply(ctx, tfexec.ApplyOptions{Bin: bin, Args: cmdArgs, Dir: room.Dir, Env: room.Env, Stdout: tfOut, Stderr: tfErr, ExtraFiles: files})
	resume()
	// Whatever the apply's outcome: were the provider binaries it started
	// the ones the room was built with?
	if verr := room.VerifyProviders(); verr != nil {
		if err != nil {
			return exitError, fmt.Errorf("%w (and the apply failed: %w)", verr, err)
		}
		return exitError, verr
	}
	var ee *exec.ExitError
	var ie *tfexec.InterruptedError
	switch {
	case errors.As(err, &ie):
		return exitError, withHint(err, "if terraform could not release the state lock, 'terraform force-unlock LOCK_ID' releases it; plan and check again before applying")
	case errors.As(err, &ee):
		return exitError, fmt.Errorf("%s apply failed with exit status %d", bin, ee.ExitCode())
	case err != nil:
		return exitError, fmt.Errorf("run %s apply: %w", bin, err)
	}
	return exitAllow, nil
}
