package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestHostWritesInEveryFormat: every format names the files the apply
// writes on its machine, with the reason a blocked one blocks, and the
// provider configurations Terraform may configure during the apply; and
// says nothing of them (no SARIF rule, no JSON field) when there are none.
func TestHostWritesInEveryFormat(t *testing.T) {
	const local = "registry.terraform.io/hashicorp/local"
	r := &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: gate.PlanInfo{SHA256: strings.Repeat("ab", 32)},
		HostWrites: []gate.HostWrite{
			{HostWrite: plan.HostWrite{Address: "local_file.cfg", Mode: "managed", Type: "local_file", ProviderName: local, Action: plan.KindCreate, PathAttribute: "filename", Path: "cfg.ini\x1b[2J"},
				Problem: "local_file.cfg writes a file on the machine that applies the plan; no policy can allow it: a relative path"},
			{HostWrite: plan.HostWrite{Address: "data.archive_file.z", Mode: "data", Type: "archive_file", ProviderName: "registry.terraform.io/hashicorp/archive", Action: plan.KindRead, PathAttribute: "output_path", Path: "/srv/z.zip"},
				Allowed: true, AllowedBy: []string{"zip"}},
		},
		ApplyTimeProviders: []plan.ApplyTimeProvider{{Name: "aws.late", Provider: "aws", Source: "registry.terraform.io/hashicorp/aws", References: []string{"local_file.cfg"}}},
		Changes:            []gate.Change{}, Approvals: []gate.Approval{}}
	want := map[string][]string{
		"text": {hostWritesIntro, `  create local_file.cfg (registry.terraform.io/hashicorp/local): filename = "cfg.ini\\x1b[2J": BLOCKED`, "no policy can allow it",
			`read data.archive_file.z (registry.terraform.io/hashicorp/archive): output_path = "/srv/z.zip": allowed`,
			applyTimeProvidersIntro, "aws.late (registry.terraform.io/hashicorp/aws) refers to local_file.cfg",
			"1 of 2 write(s) on the apply machine not allowed by allow_host_writes"},
		"markdown": {"| create | `local_file.cfg` | `registry.terraform.io/hashicorp/local` | `cfg.ini\\x1b[2J` | **BLOCKED**", "| `aws.late` | `registry.terraform.io/hashicorp/aws` | `local_file.cfg` |"},
		"github": {`::error title=planguard%3A local_file.cfg writes on the apply machine (blocked)::local_file.cfg writes a file`,
			`::notice title=planguard%3A data.archive_file.z writes on the apply machine::`, `::notice title=planguard%3A provider configuration aws.late may be configured during the apply::`},
		"json":  {`"host_writes": [`, `"path_attribute": "filename"`, `"allowed": false`, `"allowed_by": [`, `"apply_time_providers": [`, `"references": [`},
		"junit": {`classname="planguard.host_write"`, `<failure message="local_file.cfg writes a file`, `classname="planguard.apply_time_provider"`},
		"sarif": {`"id": "planguard/host-write"`, `"ruleId": "planguard/host-write"`, `"ruleId": "planguard/allowed-host-write"`, `"ruleId": "planguard/apply-time-provider"`},
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
	r.HostWrites, r.ApplyTimeProviders = nil, nil
	for _, f := range Formats {
		if out := render(f); strings.Contains(out, "host_write") || strings.Contains(out, "host-write") || strings.Contains(out, "apply_time_provider") || strings.Contains(out, "apply-time-provider") || strings.Contains(out, "apply machine") {
			t.Errorf("%s mentions host writes without any:\n%s", f, out)
		}
	}
}
