package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestProviderEndpointsInEveryFormat: every format names the provider
// configurations that set an endpoint, and says nothing of them (no SARIF
// rule, no JSON field) when there are none.
func TestProviderEndpointsInEveryFormat(t *testing.T) {
	r := &gate.Report{Version: 1, Decision: gate.Allow, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan:              gate.PlanInfo{SHA256: strings.Repeat("ab", 32)},
		ProviderEndpoints: []plan.ProviderEndpoint{{Provider: "aws", Name: "aws.west\x1b[2J", Arguments: []string{"endpoints", "sts_url"}}},
		Changes:           []gate.Change{}, Approvals: []gate.Approval{}}
	want := map[string][]string{
		"text":     {endpointsIntro, `  aws.west\x1b[2J (aws) sets endpoints, sts_url`},
		"markdown": {"- `aws.west\\x1b[2J` (`aws`) sets endpoints, sts\\_url"},
		"github":   {`::notice title=planguard%3A provider configuration aws.west\x1b[2J names its endpoint::aws.west\x1b[2J (aws) sets endpoints, sts_url: the apply's credentials reach`},
		"json":     {`"provider_endpoints": [`, `"provider": "aws"`, `"name": "aws.west\u001b[2J"`, `"arguments": [`},
		"junit":    {`<testcase name="provider configuration aws.west`, `classname="planguard.provider_endpoint"`},
		"sarif":    {`"id": "planguard/provider-endpoint"`, `"ruleId": "planguard/provider-endpoint"`, `"level": "note"`},
	}
	render := func(f string) string {
		rd, err := New(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		return b.String()
	}
	for _, f := range Formats {
		out := render(f)
		for _, w := range want[f] {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", f, w, out)
			}
		}
		if f != "json" && f != "junit" && f != "sarif" && strings.Contains(out, "\x1b") {
			t.Errorf("%s shows a raw escape:\n%q", f, out)
		}
	}
	r.ProviderEndpoints = nil
	for _, f := range Formats {
		if out := render(f); strings.Contains(out, "provider_endpoint") || strings.Contains(out, "provider-endpoint") || strings.Contains(out, "name their endpoint") {
			t.Errorf("%s mentions endpoints without any:\n%s", f, out)
		}
	}
}
