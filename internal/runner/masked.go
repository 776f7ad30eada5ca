package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// A value the configuration marks sensitive (sensitive(), a sensitive
// variable) or a provider's schema marks so is printed "(sensitive value)"
// by `terraform plan` and `terraform show`: the person who signs a plan
// approval would sign content nobody saw (an IAM policy document wrapped
// in sensitive()). So every plan reply and every `runner show` lists the
// masked values of the plan's resource changes, address and attribute
// path, with a warning; and `runner show --reveal ID`, for the uids the
// runner was given as reviewers (serve --reviewer-uid), prints them in
// full, from the saved plan's JSON. Outputs are not listed: they change
// no infrastructure. The revealed values still go through the reply's
// redaction of the env file's values.

// PlanJSONShower is a Terraform that renders a saved plan as JSON
// (`terraform show -json`): ExecTerraform.
type PlanJSONShower interface {
	ShowJSON(ctx context.Context, dir, planFile string) ([]byte, error)
}

// maxPlanJSON bounds the plan JSON the runner reads for masked values.
const maxPlanJSON = 512 << 20

// ShowJSON implements PlanJSONShower, with ShowEnv (no credentials).
func (t *ExecTerraform) ShowJSON(ctx context.Context, dir, planFile string) ([]byte, error) {
	env := t.ShowEnv
	if env == nil {
		env = t.Env
	}
	buf := boundedBuffer{limit: maxPlanJSON}
	stderr := boundedBuffer{limit: 64 << 10, truncate: true}
	if err := t.runSplit(ctx, dir, env, &buf, &stderr, "show", "-json", planFile); err != nil {
		return nil, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if buf.over {
		return nil, fmt.Errorf("the plan's JSON is over %d bytes", maxPlanJSON)
	}
	return buf.Bytes(), nil
}

// boundedBuffer keeps at most limit bytes: past it, the JSON buffer
// fails the write (and so the run), a truncating one (stderr) drops the
// rest.
type boundedBuffer struct {
	bytes.Buffer
	limit    int
	truncate bool
	over     bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.limit {
		b.over = true
		if b.truncate {
			b.Buffer.Write(p[:max(0, b.limit-b.Len())])
			return len(p), nil
		}
		return 0, errors.New("plan JSON too large")
	}
	return b.Buffer.Write(p)
}

// maskedValue is one sensitive value of a resource change.
type maskedValue struct {
	Address string // the resource instance
	Path    string // the attribute path: input, tags["a"], rule[0].cidr
	When    string // "before" or "after"
	Value   any    // the value, from the plan JSON
	Known   bool   // false: "(known after apply)"
}

// planJSON is what maskedValues reads of `terraform show -json`.
type planJSON struct {
	ResourceChanges []struct {
		Address string `json:"address"`
		Change  struct {
			Actions         []string `json:"actions"`
			Before          any      `json:"before"`
			After           any      `json:"after"`
			AfterUnknown    any      `json:"after_unknown"`
			BeforeSensitive any      `json:"before_sensitive"`
			AfterSensitive  any      `json:"after_sensitive"`
		} `json:"change"`
	} `json:"resource_changes"`
}

// maskedValues lists the sensitive values of the plan's resource changes
// that change: for a no-op or a read, none (nothing is signed about them);
// before values of an update or a delete, after values of a create or an
// update.
func maskedValues(src []byte) ([]maskedValue, error) {
	var p planJSON
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("read the plan's JSON: %w", err)
	}
	var out []maskedValue
	for _, rc := range p.ResourceChanges {
		acts := strings.Join(rc.Change.Actions, ",")
		if acts == "no-op" || acts == "read" {
			continue
		}
		if acts != "create" {
			sensitivePaths(rc.Change.BeforeSensitive, "", func(path string) {
				v, ok := at(rc.Change.Before, path)
				out = append(out, maskedValue{Address: rc.Address, Path: path, When: "before", Value: v, Known: ok})
			})
		}
		if acts != "delete" {
			sensitivePaths(rc.Change.AfterSensitive, "", func(path string) {
				v, ok := at(rc.Change.After, path)
				if u, _ := at(rc.Change.AfterUnknown, path); u == true {
					ok = false
				}
				out = append(out, maskedValue{Address: rc.Address, Path: path, When: "after", Value: v, Known: ok})
			})
		}
	}
	return out, nil
}

// sensitivePaths calls f with the path of every true in a *_sensitive
// structure (which mirrors the value: objects, arrays, true at a masked
// value).
func sensitivePaths(marks any, path string, f func(string)) {
	switch m := marks.(type) {
	case bool:
		if m {
			f(path)
		}
	case map[string]any:
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sensitivePaths(m[k], joinPath(path, k), f)
		}
	case []any:
		for i, v := range m {
			sensitivePaths(v, path+"["+strconv.Itoa(i)+"]", f)
		}
	}
}

// pathStep is one step of a path sensitivePaths wrote.
type pathStep struct {
	key   string
	index int
	isKey bool
}

// joinPath adds an attribute or map key: a name as .name, anything else
// as ["key"].
func joinPath(path, k string) string {
	if isIdentifier(k) {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	return path + "[" + strconv.Quote(k) + "]"
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r == '-' || r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// at reads the value at a path joinPath and sensitivePaths wrote.
func at(v any, path string) (any, bool) {
	steps, ok := parsePath(path)
	if !ok {
		return nil, false
	}
	for _, s := range steps {
		switch c := v.(type) {
		case map[string]any:
			if s.isKey || !s.isKey && s.index < 0 {
				x, found := c[s.key]
				if !found {
					return nil, false
				}
				v = x
				continue
			}
			return nil, false
		case []any:
			if s.isKey || s.index < 0 || s.index >= len(c) {
				return nil, false
			}
			v = c[s.index]
		default:
			return nil, false
		}
	}
	return v, true
}

// parsePath splits a path: name, .name, [N], ["key"].
func parsePath(path string) ([]pathStep, bool) {
	var steps []pathStep
	for path != "" {
		switch {
		case path[0] == '.':
			path = path[1:]
		case strings.HasPrefix(path, `["`):
			q, err := strconv.QuotedPrefix(path[1:])
			if err != nil || !strings.HasPrefix(path[1+len(q):], "]") {
				return nil, false
			}
			k, _ := strconv.Unquote(q)
			steps = append(steps, pathStep{key: k, isKey: true, index: -1})
			path = path[2+len(q):]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil, false
			}
			n, err := strconv.Atoi(path[1:end])
			if err != nil {
				return nil, false
			}
			steps = append(steps, pathStep{index: n})
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			steps = append(steps, pathStep{key: path[:end], index: -1})
			path = path[end:]
		}
	}
	return steps, true
}

// printMasked writes the list (reveal false) or the values (reveal true).
func printMasked(w io.Writer, vals []maskedValue, id string, reveal bool) {
	if len(vals) == 0 {
		if reveal {
			fmt.Fprintf(w, "\nplanguard runner: no resource change of plan %s has a masked value.\n", id)
		}
		return
	}
	if !reveal {
		fmt.Fprintf(w, "\nplanguard runner: WARNING: %d value(s) of this plan's resource changes are masked \"(sensitive value)\" above; a plan approval signs them unseen:\n", len(vals))
		for _, v := range vals {
			fmt.Fprintf(w, "  %s: %s (%s)\n", v.Address, v.Path, v.When)
		}
		fmt.Fprintf(w, "Do not sign what you have not seen: a reviewer (a uid the runner was given with serve --reviewer-uid) sees them with 'planguard runner show --reveal %s'.\n", id)
		return
	}
	fmt.Fprintf(w, "\nplanguard runner: the %d masked value(s) of plan %s's resource changes, in full (JSON):\n", len(vals), id)
	for _, v := range vals {
		text := "(known after apply)"
		if v.Known {
			b, err := json.MarshalIndent(v.Value, "    ", "  ")
			if err != nil {
				text = fmt.Sprintf("(unreadable: %v)", err)
			} else {
				text = string(b)
			}
		}
		fmt.Fprintf(w, "  %s: %s (%s) = %s\n", v.Address, v.Path, v.When, text)
	}
}
