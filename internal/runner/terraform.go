package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// Terraform runs the commands the runner needs, in a working directory of
// the runner's, with the runner's environment. The coordinator can swap in
// internal/tfexec behind this interface.
type Terraform interface {
	// Init runs `terraform init -input=false` in dir.
	Init(ctx context.Context, dir string, opts InitOptions, out io.Writer) error
	// Plan runs `terraform plan -input=false -out=planFile` in dir.
	Plan(ctx context.Context, dir, planFile string, out io.Writer) error
	// Show prints the saved plan for people (`terraform show planFile`).
	Show(ctx context.Context, dir, planFile string, out io.Writer) error
	// Apply runs exactly `terraform apply -input=false planFile` in dir.
	Apply(ctx context.Context, dir, planFile string, out io.Writer) error
}

// EnvChecker is a Terraform whose environment can be judged before init
// (ExecTerraform): the service refuses, before anything runs, an
// environment in which init and plan would run providers the lock file
// does not govern.
type EnvChecker interface {
	// CheckEnv returns an error for such an environment; lockPinned says
	// the policy sets lock_file (then dev_overrides are refused too).
	CheckEnv(lockPinned bool) error
}

// InitOptions say how Init installs providers.
type InitOptions struct {
	// LockFileReadonly adds -lockfile=readonly: init installs exactly the
	// versions and hashes of dir's lock file (the policy's trusted
	// lock_file, written there by the runner) and fails rather than
	// choose or record anything else.
	LockFileReadonly bool
}

// ExecTerraform runs a terraform or tofu binary as a child process.
type ExecTerraform struct {
	// Bin is the terraform or tofu binary.
	Bin string
	// Env is the children's whole environment (see ChildEnv).
	Env []string
	// ShowEnv is the environment of Show: the runner's without the env
	// file's credentials (rendering a saved plan needs none); nil means
	// Env.
	ShowEnv []string
	// StopGrace is how long a child has, after SIGINT when its context
	// ends, before it is killed; 0 means a minute.
	StopGrace time.Duration
	// MaxMemory bounds the resident memory of one run's process group
	// (terraform and its providers; see watchMemory); 0 means no bound.
	MaxMemory int64
}

// Init implements Terraform.
func (t *ExecTerraform) Init(ctx context.Context, dir string, opts InitOptions, out io.Writer) error {
	args := []string{"init", "-input=false", "-no-color"}
	if opts.LockFileReadonly {
		args = append(args, "-lockfile=readonly")
	}
	return t.run(ctx, dir, t.Env, out, args...)
}

// Plan implements Terraform.
func (t *ExecTerraform) Plan(ctx context.Context, dir, planFile string, out io.Writer) error {
	return t.run(ctx, dir, t.Env, out, "plan", "-input=false", "-no-color", "-out="+planFile)
}

// Show implements Terraform.
func (t *ExecTerraform) Show(ctx context.Context, dir, planFile string, out io.Writer) error {
	env := t.ShowEnv
	if env == nil {
		env = t.Env
	}
	return t.run(ctx, dir, env, out, "show", "-no-color", planFile)
}

// Apply implements Terraform: no flag but -input=false, so that nothing
// changes what the saved plan says; tfexec.Apply stops terraform gracefully
// (an interrupt, then a kill after StopGrace) when ctx ends.
func (t *ExecTerraform) Apply(ctx context.Context, dir, planFile string, out io.Writer) error {
	// Over the memory bound an apply is interrupted (its context ends:
	// tfexec sends Terraform's graceful stop, which saves the state), and
	// killed only at half as much again.
	actx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var guard *memoryGuard
	err := tfexec.Apply(actx, tfexec.ApplyOptions{Bin: t.Bin, Args: []string{"apply", "-input=false", "-no-color", planFile},
		Dir: dir, Env: t.Env, Stdout: out, Stderr: out, Grace: t.grace(),
		Started: func(pid int) {
			guard = watchMemory(pid, t.MaxMemory, t.MaxMemory+t.MaxMemory/2, func() { stop(errOverMemory) })
		}})
	if guard != nil {
		if over, seen := guard.finish(); over {
			return &MemoryError{Op: "apply", Limit: t.MaxMemory, Seen: seen}
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s apply exited with status %d", t.Bin, ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("run %s apply: %w", t.Bin, err)
	}
	return nil
}

// CheckEnv implements EnvChecker with tfexec.CheckEnv, the gate's own
// check, and CheckCLIConfig (the CLI configuration and the provider
// directories it names belong to the runner or root alone), over the
// children's environment.
func (t *ExecTerraform) CheckEnv(lockPinned bool) error {
	getenv := tfexec.Lookup(t.Env)
	if err := tfexec.CheckEnv(getenv, lockPinned); err != nil {
		return err
	}
	return CheckCLIConfig(getenv)
}

func (t *ExecTerraform) grace() time.Duration {
	if t.StopGrace == 0 {
		return time.Minute
	}
	return t.StopGrace
}

// run runs init, plan or show. When ctx ends (the plan's time is up, the
// client hung up, the runner stops) or the process group passes MaxMemory,
// terraform gets SIGINT (it stops cleanly and releases the state lock,
// also a remote backend's) and its whole process group is killed after the
// grace period; a group that goes on growing to one and a half times
// MaxMemory is killed at once.
func (t *ExecTerraform) run(ctx context.Context, dir string, env []string, out io.Writer, args ...string) error {
	return t.runSplit(ctx, dir, env, out, out, args...)
}

// runSplit is run with stdout and stderr apart.
func (t *ExecTerraform) runSplit(ctx context.Context, dir string, env []string, stdout, stderr io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, t.Bin, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin = nil
	cmd.Stdout, cmd.Stderr = stdout, stderr
	var (
		mu      sync.Mutex
		killers []*time.Timer
	)
	interrupt := func(pid int) {
		interruptProcess(pid)
		mu.Lock()
		killers = append(killers, time.AfterFunc(t.grace(), func() { killGroup(pid) }))
		mu.Unlock()
	}
	cmd.Cancel = func() error {
		interrupt(cmd.Process.Pid)
		return nil
	}
	cmd.WaitDelay = t.grace() + 5*time.Second
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s %s: %w", t.Bin, args[0], err)
	}
	pid := cmd.Process.Pid
	guard := watchMemory(pid, t.MaxMemory, t.MaxMemory+t.MaxMemory/2, func() { interrupt(pid) })
	err := cmd.Wait()
	over, seen := guard.finish()
	mu.Lock()
	for _, k := range killers {
		k.Stop()
	}
	mu.Unlock()
	if over || ctx.Err() != nil {
		killGroup(pid) // providers left behind
	}
	if over {
		return &MemoryError{Op: args[0], Limit: t.MaxMemory, Seen: seen}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s %s stopped: %w", t.Bin, args[0], context.Cause(ctx))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s %s exited with status %d", t.Bin, args[0], ee.ExitCode())
	}
	if err != nil {
		return fmt.Errorf("run %s %s: %w", t.Bin, args[0], err)
	}
	return nil
}

// ChildEnv is the environment of the runner's Terraform: base (the
// runner's own environment) without the variables RefuseEnv names and
// without any CLI configuration, then the env file's variables, then what
// the runner sets itself: its CLI configuration, no input, no checkpoint.
// An error names a base variable RefuseEnv refuses (TF_VAR_* in the
// runner's own environment reaches the configuration as well).
func ChildEnv(base, envFile []string, cliConfig string) ([]string, error) {
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG", "TF_IN_AUTOMATION", "TF_INPUT", "CHECKPOINT_DISABLE":
			continue
		}
		if err := RefuseEnv(k); err != nil {
			return nil, fmt.Errorf("the runner's own environment: %w", err)
		}
		env = append(env, kv)
	}
	env = append(env, envFile...)
	return append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1"), nil
}
