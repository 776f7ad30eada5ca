package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// PrivateDir creates dir (mode 0700) when missing and checks that only
// the runner can use it: no group or other permission, and, where the
// system says, owned by the runner's uid. It returns the absolute path.
func PrivateDir(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s has mode %s: others could read or change the saved plans", dir, fi.Mode().Perm())
	}
	if uid, ok := ownerUID(fi); ok && uid != os.Getuid() {
		return "", fmt.Errorf("%s belongs to uid %d, not the runner's %d", dir, uid, os.Getuid())
	}
	return filepath.Abs(dir)
}

// RemoveLeftovers removes the plan directories an earlier run of the
// runner left in the state directory: a runner that crashed or was killed
// (SIGKILL, the OOM killer) never ran Close, and the plans it made are
// forgotten with it, so their directories (the agent's uploads, the saved
// plans, the providers init installed) would stay for good and count
// against --max-state-mib (review hook152 L2). A plan directory is one
// the runner makes: named by a plan id (32 hex digits), not a link. As
// removePlanDir does, a directory holding a state file is kept and
// logged: the pinned local backend's (by the policy now), or any
// *.tfstate or *.tfstate.backup file below its configuration outside
// .terraform (no uploaded file has those names, so Terraform wrote it).
// Call it once before serving, holding the state directory's lock
// (LockStateDir), before this service has made any plan.
func (s *Service) RemoveLeftovers() (removed, kept []string, err error) {
	pol, _, err := s.cfg.Policy.Load()
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(s.cfg.StateDir)
	if err != nil {
		return nil, nil, fmt.Errorf("state directory: %w", err)
	}
	s.mu.Lock()
	live := len(s.plans)
	s.mu.Unlock()
	if live > 0 {
		return nil, nil, fmt.Errorf("internal error: RemoveLeftovers called after plans were made")
	}
	for _, e := range entries {
		if !e.IsDir() || e.Type()&os.ModeSymlink != 0 || !planIDPattern.MatchString(e.Name()) {
			continue
		}
		dir := filepath.Join(s.cfg.StateDir, e.Name())
		if holdsState(dir, pol.State) {
			s.cfg.Logger.Warn("keeping a plan directory left by an earlier run: it holds a state file; pin a backend outside it", "dir", dir)
			kept = append(kept, dir)
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			s.cfg.Logger.Warn("could not remove a plan directory left by an earlier run", "dir", dir, "error", err)
			kept = append(kept, dir)
			continue
		}
		removed = append(removed, dir)
	}
	if len(removed) > 0 {
		s.cfg.Logger.Info("removed plan directories left by an earlier run of the runner (a crash or a kill: their plan ids were forgotten with it)", "count", len(removed), "state_dir", s.cfg.StateDir)
	}
	return removed, kept, nil
}

// holdsState reports whether the plan directory dir holds a state file
// Terraform wrote (RemoveLeftovers).
func holdsState(dir string, pin *policy.StatePin) bool {
	work := filepath.Join(dir, "config")
	if sf := planStateFile(work, pin); sf != "" {
		if fi, err := os.Lstat(sf); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	errState := errors.New("a state file")
	err := filepath.WalkDir(work, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		n := d.Name()
		if d.Type().IsRegular() && (strings.HasSuffix(n, ".tfstate") || strings.HasSuffix(n, ".tfstate.backup")) {
			return errState
		}
		return nil
	})
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return false
	default:
		return true // a state file, or a directory it cannot read: kept
	}
}
