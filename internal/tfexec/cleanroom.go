package tfexec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

// Room is a private working directory built from a saved plan alone: its
// configuration snapshot, its lock file (checked by the caller), and the providers `terraform
// init` installed for that lock file. `show` and `apply` of the plan run
// there, so no file of the directory the plan came from (override files,
// terraform.d/plugins, .terraform/) is used.
type Room struct {
	// Dir is the root module's directory, where terraform runs: the top
	// of the room, or planfile.Layout.Depth directories below it when a
	// local module lives above the root ("../shared").
	Dir string
	// Env is the environment terraform runs with in Dir (see RoomEnv).
	Env []string
	// top is the room's own directory, which Cleanup removes.
	top string
	// packages are the h1 hashes of the installed provider packages by
	// their path under .terraform/providers, recorded when the room was
	// built (see roomproviders.go); nil when none were recorded.
	packages map[string]string
}

// Top is the room's own directory: Dir, or the directory Dir lies in
// when local modules above the root are placed above it.
func (r *Room) Top() string {
	if r.top == "" {
		return r.Dir
	}
	return r.top
}

// Cleanup removes the room.
func (r *Room) Cleanup() {
	if r != nil && r.top != "" {
		writable(r.top) // the provider packages are read-only
		_ = os.RemoveAll(r.top)
	}
}

// RoomOptions say how to build a Room.
type RoomOptions struct {
	// Bin is the terraform or tofu binary.
	Bin string
	// PlanPath is the (pinned) saved plan.
	PlanPath string
	// LockFile is the lock file written as .terraform.lock.hcl: the
	// plan's own (Terraform applies a saved plan only with exactly it),
	// checked against the policy's lock_file first when there is one.
	LockFile []byte
	// Env is the environment (nil = planguard's own); it chooses the CLI
	// configuration, hence how providers are installed.
	Env []string
	// Workspace is the workspace the plan records, so that the apply
	// writes that workspace's state whatever the job's TF_WORKSPACE says:
	// the room's TF_WORKSPACE is unset for "default" and Workspace
	// otherwise ("" = leave the environment's).
	Workspace string
	// Output receives init's output (nil = discarded).
	Output io.Writer
}

// NewRoom builds a Room: a new private directory holding the plan's
// configuration snapshot (planfile.ExtractConfig) and LockFile, where
// `Bin init -backend=false -get=false -input=false -lockfile=readonly`
// installs the providers (unless the CLI configuration has dev_overrides,
// which Terraform says to use without init). The installed packages are
// then copied into the room where init linked them (to a filesystem
// mirror or plugin cache), checked against LockFile's h1 hashes, recorded
// and made read-only (roomproviders.go; VerifyProviders after the apply). -backend=false: the backend is the one the plan
// records (apply and show of a saved plan use it); -get=false: the modules
// are the snapshot's, not fetched again; -lockfile=readonly: only the
// locked versions and hashes are accepted.
func NewRoom(ctx context.Context, o RoomOptions) (*Room, error) {
	dir, err := os.MkdirTemp("", "planguard-room-")
	if err != nil {
		return nil, err
	}
	r := &Room{top: dir, Env: RoomEnv(o.Env)}
	if o.Workspace != "" {
		env := r.Env[:0]
		for _, kv := range r.Env {
			if !strings.HasPrefix(kv, "TF_WORKSPACE=") {
				env = append(env, kv)
			}
		}
		r.Env = env
		if o.Workspace != "default" {
			// The room has no selected workspace (.terraform/environment):
			// without TF_WORKSPACE it is "default".
			r.Env = append(env, "TF_WORKSPACE="+o.Workspace)
		}
	}
	if err := r.build(ctx, o); err != nil {
		r.Cleanup()
		return nil, err
	}
	return r, nil
}

func (r *Room) build(ctx context.Context, o RoomOptions) error {
	locks, err := lockfile.Parse(o.LockFile, ".terraform.lock.hcl")
	if err != nil {
		return err
	}
	if r.Dir, err = planfile.ExtractConfig(o.PlanPath, r.top); err != nil {
		return fmt.Errorf("configuration snapshot of the saved plan: %w", err)
	}
	if err := os.WriteFile(filepath.Join(r.Dir, ".terraform.lock.hcl"), o.LockFile, 0o600); err != nil {
		return err
	}
	if DevOverrides(Lookup(r.Env)) {
		// Terraform and OpenTofu say to skip init under dev_overrides (it
		// would look the overridden providers up in their registry); only
		// allowed without the policy's lock_file (CheckEnv).
		return nil
	}
	if err := checkRequiredLocked(o.PlanPath, locks); err != nil {
		return err
	}
	out := &limitedBuffer{max: MaxStderr}
	cmd := exec.CommandContext(ctx, o.Bin, "init", "-backend=false", "-get=false", "-input=false", "-lockfile=readonly", "-no-color")
	cmd.Dir, cmd.Env = r.Dir, r.Env
	var w io.Writer = out
	if o.Output != nil {
		w = io.MultiWriter(out, o.Output)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return &StartError{Bin: o.Bin, Err: err}
		}
		return fmt.Errorf("`%s init` of the saved plan's configuration and lock file: %w:\n%s", o.Bin, err, strings.TrimSpace(out.String()))
	}
	return r.sealProviders(locks)
}

// RoomEnv is env (nil = planguard's own) without what would move the
// room's working data elsewhere (TF_DATA_DIR) or add arguments to init and
// show (TF_CLI_ARGS, TF_CLI_ARGS_init, TF_CLI_ARGS_show). TF_CLI_ARGS_apply
// stays: apply vets it.
func RoomEnv(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TF_DATA_DIR", "TF_CLI_ARGS_init", "TF_CLI_ARGS_show", "TF_CLI_ARGS":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// LocalStateArgs returns the flags that keep a plan's local backend state
// where it was when the plan's relative state path is applied from the
// room: `-state=ABS`, with ABS the path resolved against wd (the directory
// planguard runs in), as Terraform's local backend resolves it (path, else
// terraform.tfstate, in the default workspace; workspace_dir, else
// terraform.tfstate.d, then WORKSPACE/terraform.tfstate, in another). It
// returns nil for another backend and for an absolute path.
func LocalStateArgs(b planfile.Backend, wd string) ([]string, error) {
	p, err := localStatePath(b)
	if err != nil || p == "" || filepath.IsAbs(p) {
		return nil, err
	}
	return []string{"-state=" + filepath.Join(wd, p)}, nil
}

// LocalStatePath is the state file of a local backend b (its path, or
// workspace_dir/WORKSPACE/terraform.tfstate, Terraform's defaults where
// unset or empty), a relative one joined to wd ("" = the current
// directory): the file LocalStateArgs makes the apply write, and the one
// the gate reads as the pinned state. "" for any other backend.
func LocalStatePath(b planfile.Backend, wd string) (string, error) {
	p, err := localStatePath(b)
	if err != nil || p == "" || filepath.IsAbs(p) {
		return p, err
	}
	return filepath.Join(wd, p), nil
}

// localStatePath is a local backend's state path as configured (or
// defaulted), "" for any other backend.
func localStatePath(b planfile.Backend) (string, error) {
	if b.StateStore || b.Type != "local" {
		return "", nil
	}
	cfg, err := b.ConfigValues()
	if err != nil {
		return "", err
	}
	str := func(k, def string) (string, error) {
		switch v := cfg[k].(type) {
		case nil:
			return def, nil
		case string:
			if v == "" {
				return def, nil
			}
			return v, nil
		default:
			return "", fmt.Errorf("the local backend's %s is not a string", k)
		}
	}
	if b.Workspace == "" || b.Workspace == "default" {
		return str("path", "terraform.tfstate")
	}
	d, err := str("workspace_dir", "terraform.tfstate.d")
	if err != nil {
		return "", err
	}
	return filepath.Join(d, b.Workspace, "terraform.tfstate"), nil
}

// UnlockedProviderError is the error for a configuration snapshot whose
// required_providers name a provider its lock file does not lock: the
// room's `terraform init` would look it up on its registry host (a host
// the change's author chose) before planguard has decided anything.
type UnlockedProviderError struct {
	// Providers are the providers at fault, each "SOURCE (FILE)".
	Providers []string
}

func (e *UnlockedProviderError) Error() string {
	return fmt.Sprintf("the saved plan's configuration requires provider(s) its lock file does not lock: %s; `terraform init` locks every provider the configuration requires, so the plan file was edited, "+
		"and the room's init would look each up on its registry host, which the configuration names, before planguard decided anything; nothing was run", strings.Join(e.Providers, ", "))
}

// checkRequiredLocked refuses a configuration snapshot of the plan at
// planPath whose required_providers name a provider that locks does not
// lock (planfile.RequiredProvider.Locked).
func checkRequiredLocked(planPath string, locks lockfile.Locks) error {
	req, err := planfile.RequiredProviders(planPath)
	if err != nil {
		return fmt.Errorf("configuration snapshot of the saved plan: %w", err)
	}
	var bad []string
	for _, p := range req {
		if !p.Locked(locks) {
			bad = append(bad, fmt.Sprintf("%s (%s)", p.Source, p.Where))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &UnlockedProviderError{Providers: bad}
}
