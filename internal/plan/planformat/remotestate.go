package planformat

import (
	"encoding/json"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
)

// RemoteStateType is the data source of the built-in provider
// (terraform.io/builtin/terraform) that reads another state: at plan time,
// and at apply time when its configuration is known only then, through the
// backend its configuration names, with the credentials of the job.
const RemoteStateType = "terraform_remote_state"

// RemoteState is a terraform_remote_state data source of the plan's
// configuration, with its settings when the configuration writes them as
// constants. The configuration in the plan JSON is Terraform's own reading
// of the configuration files (override files merged, JSON syntax read as
// Terraform reads it); a check block's data source is among a module's
// data sources there.
type RemoteState struct {
	// Address is the data source's address in the configuration, with its
	// module path: module.a.data.terraform_remote_state.net.
	Address string `json:"address"`
	// Backend is the backend type, "" when it is not a constant string.
	Backend string `json:"backend"`
	// Config is the backend configuration as canonical JSON (an object;
	// {} when unset), nil when it is not a constant object.
	Config json.RawMessage `json:"config"`
	// Workspace is the workspace ("default" when unset), "" when it is not
	// a constant string.
	Workspace string `json:"workspace"`
	// Unreadable says, for each setting that is not a constant, why: such
	// a data source can never be allowed.
	Unreadable []string `json:"unreadable,omitempty"`
}

// NoteRemoteState records a configuration resource (module path prefix,
// mode, type, name, and its expressions decoded as generic JSON, nil when
// absent) when it is a terraform_remote_state data source. A resource
// whose mode is not "managed" counts: the plan JSON always writes one.
func (ci *ConfigInfo) NoteRemoteState(prefix, mode, typ, nam string, exprs map[string]any) {
	if typ != RemoteStateType || mode == "managed" {
		return
	}
	rs := RemoteState{Address: prefix + "data." + typ + "." + nam, Workspace: "default", Config: json.RawMessage("{}")}
	unreadable := func(setting, why string) {
		rs.Unreadable = append(rs.Unreadable, setting+": "+why)
	}
	if e, ok := exprs["backend"]; ok {
		s, why := exprString(e)
		if why != "" {
			unreadable("backend", why)
		}
		rs.Backend = s
	} else {
		unreadable("backend", "not set")
	}
	if e, ok := exprs["workspace"]; ok {
		c, refs, isExpr := expr(e)
		switch s, isString := c.(string); {
		case !isExpr:
			rs.Workspace = ""
			unreadable("workspace", "not an expression")
		case len(refs) > 0:
			rs.Workspace = ""
			unreadable("workspace", "computed from "+strings.Join(refs, ", "))
		case c == nil:
		case !isString:
			rs.Workspace = ""
			unreadable("workspace", "not a constant string")
		default:
			rs.Workspace = s
		}
	}
	if e, ok := exprs["config"]; ok {
		c, refs, isExpr := expr(e)
		_, isObject := c.(map[string]any)
		switch {
		case !isExpr:
			rs.Config = nil
			unreadable("config", "not an expression")
		case len(refs) > 0:
			rs.Config = nil
			unreadable("config", "computed from "+strings.Join(refs, ", "))
		case c == nil:
		case !isObject:
			rs.Config = nil
			unreadable("config", "not a constant object")
		default:
			b, err := canonjson.Value(c)
			if err != nil {
				rs.Config = nil
				unreadable("config", err.Error())
				break
			}
			rs.Config = b
		}
	}
	ci.remoteStates = append(ci.remoteStates, rs)
}
