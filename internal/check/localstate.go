package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// A saved plan records the backend, not which state file it was planned
// from: `terraform plan -state=FILE` (or TF_CLI_ARGS_plan) plans a copy the
// author edited, and Terraform's own staleness check at apply compares
// only the lineage and serial, which a copy keeps. Under a local backend
// pin the gate can read the pinned state itself, so it compares the
// resources the plan started from with the pinned state's.

// checkLocalState refuses a saved plan whose prior state (the lineage and
// serial of its tfstate entry, the resources of its tfstate-prev entry) is
// not the pinned local state file's: same lineage and serial,
// and the same resource instances with the same ids. dir is where a
// relative path is taken from ("" = the current directory).
func checkLocalState(pol *policy.Policy, saved *planfile.File, pinnedPlan, dir string) error {
	if pol.State == nil || pol.State.Backend != "local" || saved.Backend.Type != "local" {
		return nil
	}
	fix := "plan against the pinned state itself: no -state, -state-out or TF_CLI_ARGS_plan, and no edited copy of the state"
	if saved.Backend.Workspace != "default" {
		return hint.With(fmt.Errorf("the plan's workspace is %q: planguard compares a local backend's state only for the default workspace", saved.Backend.Workspace), fix)
	}
	path := "terraform.tfstate"
	if raw, ok := pol.State.Config["path"]; ok {
		if err := json.Unmarshal(raw, &path); err != nil {
			return fmt.Errorf("policy %s: state.config.path is not a string", pol.Filename)
		}
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	prior, prev, err := planfile.ReadStates(pinnedPlan)
	if err != nil {
		return err
	}
	cur, err := safefile.ReadFile(path, planfile.MaxPrevState)
	if errors.Is(err, fs.ErrNotExist) {
		cur = nil
	} else if err != nil {
		return hint.With(fmt.Errorf("read the pinned state %s: %w", path, err), "run the check where the pinned local state is readable")
	}
	want, err := stateSummary(cur)
	if err != nil {
		return fmt.Errorf("the pinned state %s: %w", path, err)
	}
	got, err := stateSummary(prev)
	if err != nil {
		return fmt.Errorf("the saved plan's prior state: %w", err)
	}
	// The lineage and serial are the prior state's (tfstate); the
	// resources before the refresh are tfstate-prev's.
	lin, err := stateSummary(prior)
	if err != nil {
		return fmt.Errorf("the saved plan's prior state: %w", err)
	}
	got.lineage, got.serial = lin.lineage, lin.serial
	if got.lineage != want.lineage || got.serial != want.serial || !slices.Equal(got.objects, want.objects) {
		return hint.With(&policy.StateMismatch{Problems: []string{fmt.Sprintf(
			"the plan was made from a state (lineage %q, serial %d, %d objects) that is not the pinned state %s (lineage %q, serial %d, %d objects)%s",
			got.lineage, got.serial, len(got.objects), path, want.lineage, want.serial, len(want.objects), firstDifference(got.objects, want.objects))}}, fix)
	}
	return nil
}

type stateSum struct {
	lineage string
	serial  uint64
	objects []string // "module.x.type.name[key] id", sorted
}

// stateSummary reads a version 4 state: its lineage, serial and managed
// resource instances with their ids. An empty input is an empty state.
func stateSummary(b []byte) (stateSum, error) {
	var s stateSum
	if len(strings.TrimSpace(string(b))) == 0 {
		return s, nil
	}
	var st struct {
		Version   int    `json:"version"`
		Lineage   string `json:"lineage"`
		Serial    uint64 `json:"serial"`
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   json.RawMessage `json:"index_key"`
				Deposed    string          `json:"deposed"`
				Attributes struct {
					ID json.RawMessage `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return s, fmt.Errorf("not a state file: %w", err)
	}
	if st.Version != 4 {
		return s, fmt.Errorf("state format version %d, not 4", st.Version)
	}
	s.lineage, s.serial = st.Lineage, st.Serial
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			s.objects = append(s.objects, fmt.Sprintf("%s %s.%s.%s[%s] %s %s", r.Module, r.Mode, r.Type, r.Name, in.IndexKey, in.Deposed, in.Attributes.ID))
		}
	}
	slices.Sort(s.objects)
	return s, nil
}

func firstDifference(got, want []string) string {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return "; the plan's state lacks " + w
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			return "; the plan's state has " + g + ", which the pinned state has not"
		}
	}
	return ""
}
