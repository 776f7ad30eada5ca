package planref

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"unicode/utf8"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// ErrFullOnly marks an error of DecodeFull that Decode does not have by
// design: terraform-json's types, or its own validation, rejecting a part
// of the plan that Decode does not interpret but only checks to be valid
// JSON (configuration, variables, output_changes, checks, prior_state's
// header and resources, timestamp, …). Such a plan is still readable for
// the gate, whose decisions never depend on those parts.
var ErrFullOnly = errors.New("terraform-json rejects a part of the plan that planguard does not interpret")

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
// reject parts of the plan that Decode skips (see ErrFullOnly); it never
// accepts what Decode rejects.
func DecodeFull(r io.Reader) (*planformat.Plan, error) {
	return DecodeFullKeeping(r, nil)
}

// DecodeFullKeeping is DecodeFull with a filter of the values of new
// objects it keeps in Change.AfterStrings, as plan.Options.KeepAfterString
// (nil keeps none).
func DecodeFullKeeping(r io.Reader, keepAfter func(string) bool) (*planformat.Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading the plan JSON: %w", err)
	}
	// The strictness checks: the walk rejects what Decode rejects.
	if _, err := tokenDecode(bytes.NewReader(data)); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: the JSON is not valid UTF-8; write it again with `terraform show -json PLANFILE`", planformat.ErrMalformed)
	}
	var tp tfjson.Plan
	tp.UseJSONNumber(true)
	if err := json.Unmarshal(data, &tp); err != nil {
		return nil, fmt.Errorf("%w: %w: %w", planformat.ErrMalformed, ErrFullOnly, err)
	}
	p, err := fromTFJSON(&tp, keepAfter)
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
func fromTFJSON(tp *tfjson.Plan, keepAfter func(string) bool) (*planformat.Plan, error) {
	// tfjson.Plan has no "errored": the strictness walk rejected errored plans.
	p := &planformat.Plan{FormatVersion: tp.FormatVersion, TerraformVersion: tp.TerraformVersion}
	var befores []planformat.BeforeDigest
	for _, rc := range tp.ResourceChanges {
		c, a, err := fullChange(rc, true, keepAfter)
		if err != nil {
			return nil, err
		}
		if c != nil && rc.Change.Before != nil && c.Kind != planformat.KindNoOp {
			sum, err := fullDigest(rc.Change.Before)
			if err != nil {
				return nil, err
			}
			befores = append(befores, planformat.BeforeDigest{Address: rc.Address, Deposed: rc.DeposedKey, Sum: sum})
		}
		if c != nil {
			p.Changes = append(p.Changes, *c)
		}
		if a != nil {
			p.Approvals = append(p.Approvals, *a)
		}
	}
	for _, rc := range tp.ResourceDrift {
		c, _, err := fullChange(rc, false, keepAfter)
		if err != nil {
			return nil, err
		}
		if c != nil {
			p.Drift = append(p.Drift, *c)
		}
	}
	for _, dc := range tp.DeferredChanges {
		if dc == nil || dc.ResourceChange == nil {
			return nil, fmt.Errorf("%w: a deferred change has no resource_change", planformat.ErrMalformed)
		}
		c, _, err := fullChange(dc.ResourceChange, false, keepAfter)
		if err != nil {
			return nil, err
		}
		if c != nil {
			c.ActionReason = dc.Reason
			p.Deferred = append(p.Deferred, *c)
		}
	}
	acts, err := fullActions(tp)
	if err != nil {
		return nil, err
	}
	p.ActionInvocations = acts
	var sums planformat.PriorDigests
	if tp.PriorState != nil && tp.PriorState.Values != nil {
		var prior []planformat.PriorObject
		if err := fullPrior(tp.PriorState.Values.RootModule, &prior, &sums); err != nil {
			return nil, err
		}
		p.Prior = planformat.NewPrior(prior)
	}
	if err := sums.Check(befores); err != nil {
		return nil, err
	}
	return p, nil
}

// fullDigest is canonjson.Digest of a decoded value (numbers as
// json.Number, which encoding/json writes as they were).
func fullDigest(v any) ([32]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return [32]byte{}, fmt.Errorf("%w: %w", planformat.ErrMalformed, err)
	}
	sum, err := canonjson.Digest(b)
	if err != nil {
		return [32]byte{}, fmt.Errorf("%w: %w", planformat.ErrMalformed, err)
	}
	return sum, nil
}

// fullPrior collects the managed objects with a string id or an identity
// of a state module.
func fullPrior(m *tfjson.StateModule, out *[]planformat.PriorObject, sums *planformat.PriorDigests) error {
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r == nil || r.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if r.Address == "" || r.Type == "" {
			return fmt.Errorf("%w: a managed resource in prior_state has no address or type", planformat.ErrMalformed)
		}
		sum, err := fullDigest(r.AttributeValues)
		if err != nil {
			return err
		}
		sums.Add([]byte(r.Address), []byte(r.DeposedKey), sum)
		id, _ := r.AttributeValues["id"].(string)
		if identity := fullIdentity(r.IdentityValues); id != "" || identity != "" {
			*out = append(*out, planformat.PriorObject{Address: r.Address, Type: r.Type, ID: id, Identity: identity})
		}
	}
	for _, c := range m.ChildModules {
		if err := fullPrior(c, out, sums); err != nil {
			return err
		}
	}
	return nil
}

// fullChange derives a Change (nil for a data source) and, with approvals,
// the Approval of a planguard_approval from a tfjson.ResourceChange.
func fullChange(rc *tfjson.ResourceChange, approvals bool, keepAfter func(string) bool) (*planformat.Change, *planformat.Approval, error) {
	if rc == nil || rc.Change == nil {
		return nil, nil, fmt.Errorf("%w: a resource change has no change", planformat.ErrMalformed)
	}
	h := planformat.Header{
		Address: rc.Address, PreviousAddress: rc.PreviousAddress, ModuleAddress: rc.ModuleAddress,
		Mode: string(rc.Mode), Type: rc.Type, Name: rc.Name, ProviderName: rc.ProviderName,
		Deposed: rc.DeposedKey, ActionReason: string(rc.ActionReason),
		HaveChange: true, HaveActions: true, Actions: make([]string, len(rc.Change.Actions)),
	}
	for i, a := range rc.Change.Actions {
		h.Actions[i] = string(a)
	}
	if imp := rc.Change.Importing; imp != nil {
		h.Importing, h.ImportID = true, imp.ID
	}
	importIdentity := ""
	if rc.Change.Importing != nil {
		importIdentity = fullIdentity(rc.Change.Importing.Identity)
	}
	kind, managed, err := h.Check(func() string { return "resource change " + rc.Address })
	if err != nil || !managed {
		return nil, nil, err
	}
	c := h.Change(kind)
	c.PriorIdentity, c.ImportIdentity = fullIdentity(rc.Change.BeforeIdentity), importIdentity
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	if id, ok := before["id"].(string); ok {
		c.PriorID = id
	}
	if id, ok := after["id"].(string); ok {
		c.AfterID = id
	}
	c.AfterIdentity = fullIdentity(rc.Change.AfterIdentity)
	if keepAfter != nil && after != nil && planformat.WantsAfterStrings(kind, c.AfterID, c.AfterIdentity) {
		c.AfterStrings = fullAfterStrings(after, keepAfter)
	}
	allUnknown := rc.Change.AfterUnknown == true
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	if keepAfter != nil && approvals && planformat.WantsUnknownAttributes(kind, c.AfterID, c.AfterIdentity) {
		if allUnknown {
			c.UnknownAttributes = []string{planformat.WholeObject}
		} else {
			var nested []string
			c.UnknownAttributes, nested = planformat.UnknownTop(unknown)
			c.UnknownNested = planformat.Structured(c.UnknownAttributes, nested, rc.Change.AfterSensitive)
		}
	}
	if kind == planformat.KindUpdate || kind == planformat.KindReplace {
		isUnknown := func(v any) (bool, error) { return planformat.AnyTrue(v), nil }
		equal := func(a, b any) (bool, error) { return reflect.DeepEqual(a, b), nil }
		if c.ChangedAttributes, err = planformat.ChangedAttributes(before, after, unknown, allUnknown, isUnknown, equal, name(rc.Address)); err != nil {
			return nil, nil, err
		}
	}
	if !approvals || !planformat.ApprovalPlanned(rc.Type, kind, rc.Change.After == nil, allUnknown) {
		return c, nil, nil
	}
	a, err := planformat.BuildApproval(c, fullApproval{after: after, unknown: unknown}, allUnknown, name(rc.Address))
	if err != nil {
		return nil, nil, err
	}
	return c, a, nil
}

// fullApproval is the planformat.ApprovalValues of terraform-json's decoding:
// change.after and change.after_unknown as decoded values.
type fullApproval struct{ after, unknown map[string]any }

func (f fullApproval) Unknown(attr string) (bool, error) {
	return planformat.AnyTrue(f.unknown[attr]), nil
}

func (f fullApproval) String(attr string) (string, error) {
	s, _ := f.after[attr].(string)
	return s, nil
}

func (f fullApproval) Signatures() ([]planformat.Signature, error) {
	sigs, _ := f.after["signatures"].([]any)
	var out []planformat.Signature
	for _, s := range sigs {
		m, _ := s.(map[string]any)
		var sig planformat.Signature
		sig.Principal, _ = m["principal"].(string)
		sig.Signature, _ = m["signature"].(string)
		out = append(out, sig)
	}
	return out, nil
}

// fullAfterStrings collects the string values of a decoded after object,
// and its keys below the top level (a map's keys), that keep keeps, with where they are, sorted.
func fullAfterStrings(after map[string]any, keep func(string) bool) []planformat.AfterString {
	var out []planformat.AfterString
	var path []planformat.PathStep
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if keep(v) {
				out = append(out, planformat.AfterString{Attribute: planformat.AttributePath(path), Value: v})
			}
		case []any:
			for i, e := range v {
				path = append(path, planformat.PathStep{Index: i, IsIndex: true})
				walk(e)
				path = path[:len(path)-1]
			}
		case map[string]any:
			for k, e := range v {
				path = append(path, planformat.PathStep{Key: k})
				if len(path) > 1 && keep(k) {
					out = append(out, planformat.AfterString{Attribute: planformat.AttributePath(path), Value: k})
				}
				walk(e)
				path = path[:len(path)-1]
			}
		}
	}
	walk(after)
	planformat.SortAfterStrings(out)
	return out
}
