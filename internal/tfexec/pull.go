package tfexec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

// PullOptions say how to pull a backend's state.
type PullOptions struct {
	// Bin is the terraform or tofu binary.
	Bin string
	// Backend is the backend the saved plan records (the caller checked
	// it against the policy's state block first: its settings run code at
	// init).
	Backend planfile.Backend
	// Env is the environment (nil = planguard's own): the job's
	// credentials for the backend.
	Env []string
	// Max bounds the state's size in bytes.
	Max int64
}

// PullState returns the state the backend b holds for its workspace:
// `Bin init -input=false` then `Bin state pull`, in a new private directory
// holding nothing but a configuration of that backend (no resources, no
// providers, no lock file to trust), with TF_WORKSPACE the plan's
// workspace. Empty output (no state yet) is returned as nil.
func PullState(ctx context.Context, o PullOptions) ([]byte, error) {
	b := o.Backend
	if b.StateStore {
		return nil, fmt.Errorf("the plan's state comes from a state_store block (%s), which planguard cannot pull", b.Type)
	}
	if b.Type == "" || strings.ContainsAny(b.Type, "\x00/\\") {
		return nil, fmt.Errorf("the plan's backend type %q is not one planguard can configure", b.Type)
	}
	cfg, err := b.ConfigValues()
	if err != nil {
		return nil, err
	}
	block := "backend"
	var body any = map[string]any{b.Type: dropNulls(cfg)}
	if b.Type == "cloud" {
		block, body = "cloud", dropNulls(cfg)
	}
	src, err := json.MarshalIndent(map[string]any{"terraform": map[string]any{block: body}}, "", "  ")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "planguard-state-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := os.WriteFile(filepath.Join(dir, "backend.tf.json"), src, 0o600); err != nil {
		return nil, err
	}
	env := RoomEnv(o.Env)
	kept := env[:0]
	for _, kv := range env {
		// No extra arguments for init or state pull, whatever the job
		// sets; the workspace is the plan's.
		if !strings.HasPrefix(kv, "TF_WORKSPACE=") && !strings.HasPrefix(kv, "TF_CLI_ARGS_") {
			kept = append(kept, kv)
		}
	}
	env = kept
	if b.Workspace != "" && b.Workspace != "default" {
		env = append(env, "TF_WORKSPACE="+b.Workspace)
	}
	run := func(stdout io.Writer, args ...string) error {
		errOut := &limitedBuffer{max: MaxStderr}
		cmd := exec.CommandContext(ctx, o.Bin, args...)
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdout, cmd.Stderr = stdout, errOut
		if stdout == nil {
			cmd.Stdout = errOut
		}
		if err := cmd.Run(); err != nil {
			var ee *exec.Error
			if errors.As(err, &ee) {
				return &StartError{Bin: o.Bin, Err: err}
			}
			return fmt.Errorf("`%s %s` with the plan's backend (%s): %w:\n%s", o.Bin, strings.Join(args, " "), b.Type, err, strings.TrimSpace(errOut.String()))
		}
		return nil
	}
	if err := run(nil, "init", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	out := &capped{max: o.Max}
	if err := run(out, "state", "pull"); err != nil {
		return nil, err
	}
	if out.over {
		return nil, fmt.Errorf("the backend's state is larger than %d bytes", o.Max)
	}
	if len(bytes.TrimSpace(out.buf.Bytes())) == 0 {
		return nil, nil
	}
	return out.buf.Bytes(), nil
}

// dropNulls returns v without the null attributes of its objects (a saved
// plan records every attribute of the backend's schema, null when unset).
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}

// capped keeps at most max bytes and notes whether more came.
type capped struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - int64(c.buf.Len()); int64(len(p)) > room {
		c.over = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}
