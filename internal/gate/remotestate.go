package gate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// RemoteState is a terraform_remote_state data source of the plan's
// configuration (plan.RemoteState) and its verdict: it reads another state
// through the backend its configuration names, at plan time and, when its
// configuration is known only then, at apply time, with the job's
// credentials; the backend's settings can run code (an s3 profile's
// credential_process). It blocks unless a remote_state block of the
// policy allows exactly its backend, configuration and workspace.
type RemoteState struct {
	plan.RemoteState
	// Allowed is set when a remote_state block of the policy allows it.
	Allowed bool `json:"allowed"`
	// Problem, for one not allowed, says why and how to allow it.
	Problem string `json:"problem,omitempty"`
}

// Blocked reports whether the data source blocks the apply.
func (s RemoteState) Blocked() bool { return !s.Allowed }

// judgeRemoteStates fills r.RemoteStates.
func judgeRemoteStates(in Input, r *Report) error {
	for _, rs := range in.Plan.RemoteStates {
		v := RemoteState{RemoteState: rs}
		const why = "it reads another state with the credentials of the job that runs Terraform (at plan time, and at apply time when its configuration is known only then), and its backend settings can run code as a backend block's can"
		if len(rs.Unreadable) > 0 {
			v.Problem = fmt.Sprintf("data source %s: %s; its settings are not all constants (%s), so no policy can allow it: write backend, config and workspace as literal values and allow them with a remote_state block, or remove the data source",
				rs.Address, why, strings.Join(rs.Unreadable, "; "))
			r.RemoteStates = append(r.RemoteStates, v)
			continue
		}
		pin, err := in.Policy.AllowingRemoteState(rs.Backend, rs.Config, rs.Workspace)
		if err != nil {
			return fmt.Errorf("data source %s: %w", rs.Address, err)
		}
		if pin != nil {
			v.Allowed = true
		} else {
			v.Problem = fmt.Sprintf("data source %s: %s; no remote_state block of the policy allows it. To allow exactly this read, add to the policy: %s",
				rs.Address, why, RemoteStateBlock(rs))
		}
		r.RemoteStates = append(r.RemoteStates, v)
	}
	return nil
}

// RemoteStateBlock is the remote_state block (on one line) that allows rs
// exactly; rs must have constant settings.
func RemoteStateBlock(rs plan.RemoteState) string {
	var cfg map[string]json.RawMessage
	_ = json.Unmarshal(rs.Config, &cfg)
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = hclKey(k) + " = " + hclValue(cfg[k])
	}
	b := fmt.Sprintf("remote_state { backend = %s, config = { %s }", hclString(rs.Backend), strings.Join(parts, ", "))
	if rs.Workspace != "default" {
		b += ", workspace = " + hclString(rs.Workspace)
	}
	return b + " }"
}

// hclKey writes an object key: bare when it is an identifier.
func hclKey(k string) string {
	for i, c := range k {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return hclString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// hclValue writes a JSON value as an HCL expression.
func hclValue(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	var w func(v any) string
	w = func(v any) string {
		switch t := v.(type) {
		case string:
			return hclString(t)
		case []any:
			parts := make([]string, len(t))
			for i, e := range t {
				parts[i] = w(e)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = hclKey(k) + " = " + w(t[k])
			}
			return "{ " + strings.Join(parts, ", ") + " }"
		case nil:
			return "null"
		}
		return fmt.Sprint(v)
	}
	return w(v)
}

// BlockedByRemoteState reports whether the report blocks because of a
// terraform_remote_state data source.
func (r *Report) BlockedByRemoteState() bool {
	for _, s := range r.RemoteStates {
		if s.Blocked() {
			return true
		}
	}
	return false
}
