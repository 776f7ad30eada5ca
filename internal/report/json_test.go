package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// encodeWhole is how the JSON report was written before it streamed: the
// whole report through one json.Encoder. The streaming renderer must write
// the same bytes.
func encodeWhole(t *testing.T, r *gate.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestJSONStreamsSameBytes(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	base := gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Now: now,
		Plan: gate.PlanInfo{TerraformVersion: "1.8.5", FormatVersion: "1.2", SHA256: "ab12"}}
	var many []gate.Change
	for i := range 300 {
		many = append(many, gate.Change{Address: fmt.Sprintf("module.m.terraform_data.db[%d]", i), Type: "terraform_data", Action: "delete", Actions: []string{"delete"}, Protected: i%2 == 0,
			Verdict: gate.Verdict{Rules: []string{"db"}, RequiredApprovals: 1, ApprovedBy: []string{}, Problems: []string{"no approval names this change <&>"}}})
	}
	approvals := []gate.Approval{
		{Address: "planguard_approval.a", Scope: "prod", Target: `module.m.terraform_data.db["<x>"]`, Action: "delete", Status: gate.StatusValid, Principals: []string{"alice@example.com"}, Problems: []string{}},
		{Address: "planguard_approval.b", Status: gate.StatusUnknown, Principals: []string{}, Problems: []string{"unknown \u2028 & more"}},
	}
	cases := map[string]gate.Report{}
	empty := base
	empty.Decision, empty.Changes, empty.Approvals = gate.Allow, []gate.Change{}, []gate.Approval{}
	cases["empty"] = empty
	one := base
	one.Author = "bob@example.com"
	one.Changes, one.Approvals = many[:1], []gate.Approval{}
	cases["one change"] = one
	full := base
	full.Changes, full.Approvals = many, approvals
	cases["many"] = full
	onlyApprovals := base
	onlyApprovals.Changes, onlyApprovals.Approvals = []gate.Change{}, approvals
	cases["only approvals"] = onlyApprovals
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := (jsonRenderer{}).Render(&got, &r); err != nil {
				t.Fatal(err)
			}
			if want := encodeWhole(t, &r); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("streamed JSON differs from the whole encoding:\n%s\nwant\n%s", got.Bytes(), want)
			}
			if !json.Valid(got.Bytes()) {
				t.Error("invalid JSON")
			}
		})
	}
}
