package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// StatePin is the policy's state block: the backend a saved plan must
// record, its whole configuration and the workspace. The configuration
// author writes the backend block (and override files), so without a pin
// the state the gate judges — and the apply changes — is the author's
// choice.
type StatePin struct {
	// Backend is the backend type ("s3", "local", "cloud", "remote", …).
	Backend string
	// Config maps each setting the plan's backend configuration must hold
	// to its value as JSON. A setting the pin does not name must be unset
	// (null) in the plan: extra settings run code at init and apply.
	Config map[string]json.RawMessage
	// Workspace is the workspace the plan must record ("default" unless
	// the block says otherwise).
	Workspace string
	// Range is the block's header, for messages.
	Range hcl.Range
}

var stateSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "backend", Required: true}, {Name: "config"}, {Name: "workspace"}},
}

func decodeState(p *Policy, blocks []*hcl.Block) hcl.Diagnostics {
	if len(blocks) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	for _, b := range blocks[1:] {
		diags = append(diags, errorAt(b.DefRange, "Duplicate state block",
			fmt.Sprintf("Only one state block is allowed; the first is at %s. Merge them.", blocks[0].DefRange)))
	}
	pin, more := decodeStatePin(blocks[0])
	p.State = pin
	return append(diags, more...)
}

// decodeStatePin reads a state or remote_state block.
func decodeStatePin(b *hcl.Block) (*StatePin, hcl.Diagnostics) {
	content, diags := b.Body.Content(stateSchema)
	pin := &StatePin{Workspace: "default", Config: map[string]json.RawMessage{}, Range: b.DefRange}
	if a, ok := content.Attributes["backend"]; ok {
		s, d := stringAttr(a)
		diags = append(diags, d...)
		if !d.HasErrors() && !namePattern.MatchString(s) {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid backend",
				fmt.Sprintf("backend %q: want a backend type as Terraform names it, such as \"s3\", \"gcs\", \"azurerm\", \"local\", \"remote\" or \"cloud\".", s)))
		}
		pin.Backend = s
	}
	if a, ok := content.Attributes["workspace"]; ok {
		s, d := stringAttr(a)
		diags = append(diags, d...)
		if !d.HasErrors() && s == "" {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid workspace", `workspace must name a workspace; remove it for "default".`))
		}
		if s != "" {
			pin.Workspace = s
		}
	}
	if a, ok := content.Attributes["config"]; ok {
		diags = append(diags, decodeStateConfig(pin, a)...)
	}
	return pin, diags
}

// decodeStateConfig reads config = { key = value, ... }: an object of known,
// non-null values.
func decodeStateConfig(pin *StatePin, a *hcl.Attribute) hcl.Diagnostics {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return hcl.Diagnostics{errorAt(a.Expr.Range(), "Invalid config",
			`config must be an object of the backend's settings, like { bucket = "acme-tf", key = "prod/terraform.tfstate" }.`)}
	}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := k.AsString()
		if e.IsNull() {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid config",
				fmt.Sprintf("config.%s is null: a setting the pin does not name must already be unset in the plan; remove it.", key)))
			continue
		}
		raw, err := ctyjson.Marshal(e, e.Type())
		if err != nil {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid config", fmt.Sprintf("config.%s: %s.", key, err)))
			continue
		}
		pin.Config[key] = raw
	}
	return diags
}

// StateMismatch is why a saved plan's backend is not the pinned one.
type StateMismatch struct {
	// Problems lists each difference, with both values.
	Problems []string
}

func (e *StateMismatch) Error() string {
	return "the saved plan's state is not the one the policy pins: " + strings.Join(e.Problems, "; ")
}

// Check compares a saved plan's backend type, configuration (a JSON object
// of the backend's settings; null or absent means unset) and workspace with
// the pin. It returns a *StateMismatch naming every difference, or an error
// when config is not a JSON object.
func (s *StatePin) Check(backend string, config []byte, workspace string) error {
	var m StateMismatch
	if backend != s.Backend {
		m.Problems = append(m.Problems, fmt.Sprintf("backend is %q, the policy's state.backend is %q", backend, s.Backend))
	}
	if workspace != s.Workspace {
		m.Problems = append(m.Problems, fmt.Sprintf("workspace is %q, the policy's state.workspace is %q", workspace, s.Workspace))
	}
	got := map[string]any{}
	if len(bytes.TrimSpace(config)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return fmt.Errorf("the saved plan's backend configuration is not a JSON object: %w", err)
		}
		if obj == nil {
			return fmt.Errorf("the saved plan's backend configuration is null, not a JSON object")
		}
		for k, v := range obj {
			if v != nil {
				got[k] = v
			}
		}
	}
	keys := make([]string, 0, len(got)+len(s.Config))
	for k := range got {
		keys = append(keys, k)
	}
	for k := range s.Config {
		if _, ok := got[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, set := got[k]
		want, pinned := s.Config[k]
		switch {
		case !pinned:
			m.Problems = append(m.Problems, fmt.Sprintf("config.%s is set to %s, which the policy's state.config does not name (an unpinned backend setting can run code at init and apply)", k, jsonText(g)))
		case !set:
			m.Problems = append(m.Problems, fmt.Sprintf("config.%s is unset, the policy's state.config has %s", k, want))
		default:
			var w any
			dec := json.NewDecoder(bytes.NewReader(want))
			dec.UseNumber()
			if err := dec.Decode(&w); err != nil || !sameJSON(g, w) {
				m.Problems = append(m.Problems, fmt.Sprintf("config.%s is %s, the policy's state.config has %s", k, jsonText(g), want))
			}
		}
	}
	if len(m.Problems) > 0 {
		return &m
	}
	return nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// sameJSON compares two values decoded with UseNumber: numbers by value.
func sameJSON(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, ok1 := new(big.Float).SetString(a.String())
		y, ok2 := new(big.Float).SetString(bn.String())
		return ok1 && ok2 && x.Cmp(y) == 0
	case map[string]any:
		// A null member is an unset one, at every depth: Terraform records
		// every attribute of a nested backend object, the unset ones as null
		// (a cloud block's workspaces = {"name":"prod","project":null,"tags":null}),
		// and a pin names only what is set (review gate33 L1).
		bm, ok := b.(map[string]any)
		if !ok || setMembers(a) != setMembers(bm) {
			return false
		}
		for k, v := range a {
			if v == nil {
				continue
			}
			w, ok := bm[k]
			if !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !sameJSON(a[i], bs[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

// setMembers is the number of members of m that are not null.
func setMembers(m map[string]any) int {
	n := 0
	for _, v := range m {
		if v != nil {
			n++
		}
	}
	return n
}

// decodeLockFile reads lock_file = "FILE": the reviewed dependency lock
// file, relative to the policy file.
func decodeLockFile(p *Policy, content *hcl.BodyContent) hcl.Diagnostics {
	a, ok := content.Attributes["lock_file"]
	if !ok {
		return nil
	}
	s, diags := pathAttr(a, "lock_file must be the path of a reviewed .terraform.lock.hcl, relative to the policy file.")
	if diags.HasErrors() {
		return diags
	}
	p.LockFilePath = resolveTrustPath(p.Filename, s)
	p.lockRaw = s
	p.lockRange = a.Expr.Range()
	return diags
}

// LocalPathWarning returns a warning for a pin of the local backend whose
// path is missing or relative, else "": the pinned state is then the file
// of that name in the directory planguard (and terraform) runs in, which a
// job that runs inside a checkout of the change lets the change supply.
func (s *StatePin) LocalPathWarning() string {
	if s == nil || s.Backend != "local" {
		return ""
	}
	what := "with no path, so the pinned state is terraform.tfstate in the directory planguard runs in"
	if raw, ok := s.Config["path"]; ok {
		var p string
		if json.Unmarshal(raw, &p) != nil || filepath.IsAbs(p) {
			return ""
		}
		what = fmt.Sprintf("with the relative path %q, so the pinned state is that file under the directory planguard runs in", p)
	}
	return fmt.Sprintf("the policy's state block (%s) pins the local backend %s: a job that runs planguard inside a checkout of the change lets the change supply that file, "+
		"and with it the state the plan is compared with; name an absolute path outside any checkout as the block's config path (e.g. path = \"/var/lib/terraform/prod.tfstate\")", s.Range, what)
}
