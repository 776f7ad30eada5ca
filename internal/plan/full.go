package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"
)

// errFullOnly marks an error of DecodeFull that Decode does not have by
// design: terraform-json's types, or its own validation, rejecting a part
// of the plan that Decode does not interpret but only checks to be valid
// JSON (configuration, variables, output_changes, checks, prior_state's
// header and resources, timestamp, …). Such a plan is still readable for
// the gate, whose decisions never depend on those parts.
var errFullOnly = errors.New("terraform-json rejects a part of the plan that planguard does not interpret")

// DecodeFull is the reference decoder: it reads all of r into memory,
// checks it as strictly as Decode (with an independent token-by-token walk
// on encoding/json's Decoder.Token, and utf8.Valid), decodes it into
// terraform-json's tfjson.Plan with encoding/json (numbers as json.Number),
// and derives the Plan from the tfjson.Plan.
//
// It exists to check Decode against (tests and fuzzing assert that both
// give identical plans and fail on the same inputs) and to measure Decode
// against (make bench). It needs many times the plan's size in memory and
// is far slower: use Decode.
//
// By design, it also fails where terraform-json's types or validation
// reject parts of the plan that Decode skips (see errFullOnly); it never
// accepts what Decode rejects.
func DecodeFull(r io.Reader) (*Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the plan JSON: %w", err)
	}
	// The strictness checks: the walk rejects what Decode rejects.
	if _, err := tokenDecode(bytes.NewReader(data)); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: the JSON is not valid UTF-8; write it again with `terraform show -json PLANFILE`", ErrMalformed)
	}
	var tp tfjson.Plan
	tp.UseJSONNumber(true)
	if err := json.Unmarshal(data, &tp); err != nil {
		return nil, fmt.Errorf("%w: %w: %w", ErrMalformed, errFullOnly, err)
	}
	p, err := fromTFJSON(&tp)
	if err != nil {
		return nil, err
	}
	if err := fullConfig(&tp, p); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}

// fromTFJSON derives a Plan from a decoded tfjson.Plan.
func fromTFJSON(tp *tfjson.Plan) (*Plan, error) {
	// tfjson.Plan has no "errored": the strictness walk rejected errored plans.
	p := &Plan{FormatVersion: tp.FormatVersion, TerraformVersion: tp.TerraformVersion}
	for _, rc := range tp.ResourceChanges {
		c, a, err := fullChange(rc, true)
		if err != nil {
			return nil, err
		}
		if c != nil {
			p.Changes = append(p.Changes, *c)
		}
		if a != nil {
			p.Approvals = append(p.Approvals, *a)
		}
	}
	for _, rc := range tp.ResourceDrift {
		c, _, err := fullChange(rc, false)
		if err != nil {
			return nil, err
		}
		if c != nil {
			p.Drift = append(p.Drift, *c)
		}
	}
	for _, dc := range tp.DeferredChanges {
		if dc == nil || dc.ResourceChange == nil {
			return nil, fmt.Errorf("%w: a deferred change has no resource_change", ErrMalformed)
		}
		c, _, err := fullChange(dc.ResourceChange, false)
		if err != nil {
			return nil, err
		}
		if c != nil {
			c.ActionReason = dc.Reason
			p.Deferred = append(p.Deferred, *c)
		}
	}
	if tp.PriorState != nil && tp.PriorState.Values != nil {
		if err := fullPrior(tp.PriorState.Values.RootModule, &p.Prior); err != nil {
			return nil, err
		}
		sortPrior(p.Prior)
	}
	return p, nil
}

// fullPrior collects the managed objects with a string id of a state module.
func fullPrior(m *tfjson.StateModule, out *[]PriorObject) error {
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r == nil || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if r.Address == "" || r.Type == "" {
			return fmt.Errorf("%w: a managed resource in prior_state has no address or type", ErrMalformed)
		}
		if id, ok := r.AttributeValues["id"].(string); ok && id != "" {
			*out = append(*out, PriorObject{Address: r.Address, Type: r.Type, ID: id})
		}
	}
	for _, c := range m.ChildModules {
		if err := fullPrior(c, out); err != nil {
			return err
		}
	}
	return nil
}

// fullChange derives a Change (nil for a data source) and, with approvals,
// the Approval of a planguard_approval from a tfjson.ResourceChange.
func fullChange(rc *tfjson.ResourceChange, approvals bool) (*Change, *Approval, error) {
	if rc == nil || rc.Change == nil {
		return nil, nil, fmt.Errorf("%w: a resource change has no change", ErrMalformed)
	}
	actions := make([]string, len(rc.Change.Actions))
	for i, a := range rc.Change.Actions {
		actions[i] = string(a)
	}
	kind, err := Classify(actions)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rc.Address, err)
	}
	if rc.Mode == tfjson.DataResourceMode {
		return nil, nil, nil
	}
	c := &Change{
		Address:         rc.Address,
		PreviousAddress: rc.PreviousAddress,
		ModuleAddress:   rc.ModuleAddress,
		Type:            rc.Type,
		Name:            rc.Name,
		ProviderName:    rc.ProviderName,
		Deposed:         rc.DeposedKey,
		Actions:         actions,
		Kind:            kind,
		ActionReason:    string(rc.ActionReason),
	}
	if imp := rc.Change.Importing; imp != nil {
		c.Importing, c.ImportID = true, imp.ID
	}
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	if id, ok := before["id"].(string); ok {
		c.PriorID = id
	}
	allUnknown := rc.Change.AfterUnknown == true
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	if allUnknown {
		unknown = map[string]any{}
		for k := range before {
			unknown[k] = true
		}
		for k := range after {
			unknown[k] = true
		}
	}
	if kind == KindUpdate || kind == KindReplace {
		keys := map[string]bool{}
		for _, m := range []map[string]any{before, after, unknown} {
			for k := range m {
				keys[k] = true
			}
		}
		for k := range keys {
			if anyTrue(unknown[k]) || !reflect.DeepEqual(before[k], after[k]) {
				c.ChangedAttributes = append(c.ChangedAttributes, k)
			}
		}
		sort.Strings(c.ChangedAttributes)
	}
	if !approvals || rc.Type != ApprovalType || kind == KindDelete || (rc.Change.After == nil && !allUnknown) {
		return c, nil, nil
	}
	if allUnknown {
		return c, &Approval{Address: c.Address, Kind: c.Kind}, nil
	}
	a := &Approval{Address: c.Address, Kind: c.Kind, Known: true}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"scope", &a.Scope}, {"target", &a.Target}, {"action", &a.Action},
		{"reason", &a.Reason}, {"expires_at", &a.ExpiresAt}, {"identity", &a.Identity},
		{"from", &a.From}, {"issued_at", &a.IssuedAt},
	} {
		if anyTrue(unknown[f.name]) {
			a.Known = false
			continue
		}
		*f.dst, _ = after[f.name].(string)
	}
	if anyTrue(unknown["signatures"]) {
		a.Known = false
		return c, a, nil
	}
	sigs, _ := after["signatures"].([]any)
	for _, s := range sigs {
		m, _ := s.(map[string]any)
		var sig Signature
		sig.Principal, _ = m["principal"].(string)
		sig.Signature, _ = m["signature"].(string)
		a.Signatures = append(a.Signatures, sig)
	}
	return c, a, nil
}

// anyTrue reports whether an after_unknown value marks anything unknown.
func anyTrue(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case []any:
		for _, e := range t {
			if anyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}
