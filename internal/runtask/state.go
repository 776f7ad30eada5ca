package runtask

import (
	"encoding/json"
	"fmt"
	"strings"
)

// StatePin is what the policy's state block pins (policy.StatePin on the
// branch that adds it: Backend, Config, Workspace). A run task sees no
// backend configuration, only the run's organization and workspace, so
// under a cloud or remote pin those are what must match.
type StatePin struct {
	// Backend is the backend type; only "cloud" and "remote" can hold for
	// an HCP Terraform run.
	Backend string
	// Config maps each pinned setting to its value as JSON:
	// organization, hostname, workspaces = { name | tags | prefix | project }.
	Config map[string]json.RawMessage
	// Workspace is the pinned workspace ("default" when the block does not
	// name one).
	Workspace string
}

// CheckWorkspace reports why a run in organization org, workspace ws, on the
// API host host, is not the state the pin names; nil when it is.
//
//   - backend must be "cloud" or "remote": any other state lives elsewhere
//     than the run's workspace, so the run cannot be the pinned one;
//   - config.organization must be pinned and equal org;
//   - config.hostname, when pinned, must equal host;
//   - config.workspaces.name, when pinned, must equal ws (and workspace, if
//     not "default", must agree with it);
//   - config.workspaces.prefix (remote): ws must be prefix + workspace;
//   - config.workspaces.tags: the request carries no tags, so workspace
//     must name the workspace and equal ws;
//   - config.workspaces.project is not checked (workspace names are unique
//     in an organization); any other setting there is refused.
func (p *StatePin) CheckWorkspace(org, ws, host string) error {
	var problems []string
	fail := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	if p.Backend != "cloud" && p.Backend != "remote" {
		return fmt.Errorf("the policy's state.backend is %q; an HCP Terraform run keeps its state in its workspace, so only a \"cloud\" or \"remote\" pin can match a run task request", p.Backend)
	}
	str := func(key string) (string, bool, error) {
		raw, ok := p.Config[key]
		if !ok {
			return "", false, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", true, fmt.Errorf("the policy's state.config.%s is %s, not a string", key, raw)
		}
		return s, true, nil
	}
	o, ok, err := str("organization")
	switch {
	case err != nil:
		return err
	case !ok:
		fail("the policy's state block pins no config.organization, so no run can be shown to be in the pinned organization")
	case o != org:
		fail("organization is %q, the policy's state.config.organization is %q", org, o)
	}
	if h, ok, err := str("hostname"); err != nil {
		return err
	} else if ok && !strings.EqualFold(h, host) {
		fail("the run is on %q, the policy's state.config.hostname is %q", host, h)
	}
	for k := range p.Config {
		switch k {
		case "organization", "hostname", "workspaces":
		default:
			fail("the policy's state.config.%s cannot be checked from a run task request; remove it from the pin the service uses", k)
		}
	}
	var w map[string]json.RawMessage
	if raw, ok := p.Config["workspaces"]; !ok {
		fail("the policy's state block pins no config.workspaces, so no run can be shown to be in the pinned workspace")
	} else if err := json.Unmarshal(raw, &w); err != nil || w == nil {
		return fmt.Errorf("the policy's state.config.workspaces is %s, not an object", raw)
	}
	named := p.Workspace != "" && p.Workspace != "default"
	getW := func(key string) (string, bool) {
		raw, ok := w[key]
		if !ok {
			return "", false
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			fail("the policy's state.config.workspaces.%s is %s, not a string", key, raw)
			return "", false
		}
		return s, true
	}
	checked := false
	if n, ok := getW("name"); ok {
		checked = true
		if n != ws {
			fail("workspace is %q, the policy's state.config.workspaces.name is %q", ws, n)
		}
		if named && p.Workspace != n {
			fail("the policy's state.workspace %q and state.config.workspaces.name %q disagree", p.Workspace, n)
		}
	}
	if pre, ok := getW("prefix"); ok {
		checked = true
		if !named {
			fail("with state.config.workspaces.prefix the policy must name state.workspace (the remote workspace is prefix + workspace)")
		} else if ws != pre+p.Workspace {
			fail("workspace is %q, the policy pins %q (prefix %q + workspace %q)", ws, pre+p.Workspace, pre, p.Workspace)
		}
	}
	if _, ok := w["tags"]; ok {
		checked = true
		if !named {
			fail("the request does not carry the workspace's tags: with state.config.workspaces.tags the policy must name state.workspace")
		} else if ws != p.Workspace {
			fail("workspace is %q, the policy's state.workspace is %q", ws, p.Workspace)
		}
	}
	for k := range w {
		switch k {
		case "name", "prefix", "tags", "project":
		default:
			fail("the policy's state.config.workspaces.%s cannot be checked from a run task request", k)
		}
	}
	if !checked && w != nil {
		fail("the policy's state.config.workspaces names no workspace (name, prefix or tags)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("the run is not in the state the policy pins: %s", strings.Join(problems, "; "))
	}
	return nil
}
