package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestProviderCodeInEveryFormat: every format names the commands provider
// configurations run and the data sources read during the apply, with the
// reason a blocked one blocks, and says nothing of them (no SARIF rule, no
// JSON field) when there are none.
func TestProviderCodeInEveryFormat(t *testing.T) {
	r := &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: gate.PlanInfo{SHA256: strings.Repeat("ab", 32)},
		ProviderCommands: []gate.ProviderCommand{
			{ProviderCommand: plan.ProviderCommand{Name: "kubernetes\x1b[2J", Provider: "kubernetes", Source: "registry.terraform.io/hashicorp/kubernetes", Setting: "exec", Constant: true, Command: "sh", Args: []string{"-c", "evil"}},
				Problem: "provider configuration kubernetes runs `sh -c evil`: add a provider_exec block"},
			{ProviderCommand: plan.ProviderCommand{Name: "aws", Provider: "aws", Source: "registry.terraform.io/hashicorp/aws", Setting: "credential_process", Constant: true, Command: "aws-vault exec prod"}, Allowed: true},
		},
		ApplyReads: []gate.ApplyRead{{ApplyRead: plan.ApplyRead{Address: "data.external.later", Type: "external", ProviderName: "registry.terraform.io/hashicorp/external", ActionReason: "read_because_config_unknown"},
			Problem: `list it in the policy: allow_apply_reads = ["data.external.later"]`}},
		Changes: []gate.Change{}, Approvals: []gate.Approval{}}
	want := map[string][]string{
		"text": {providerCommandsIntro, `  kubernetes\x1b[2J (registry.terraform.io/hashicorp/kubernetes) exec: sh -c evil: BLOCKED`, "add a provider_exec block",
			"aws (registry.terraform.io/hashicorp/aws) credential_process: \"aws-vault exec prod\": allowed",
			applyReadsIntro, "data.external.later (registry.terraform.io/hashicorp/external) read_because_config_unknown: BLOCKED", `allow_apply_reads = ["data.external.later"]`,
			"1 of 2 provider command(s) not allowed by provider_exec; 1 of 1 data source read(s) at apply not allowed by allow_apply_reads"},
		"markdown": {"| `kubernetes\\x1b[2J` | `registry.terraform.io/hashicorp/kubernetes` | `exec` | `sh -c evil` | **BLOCKED**", "| `data.external.later` |"},
		"github": {`::error title=planguard%3A provider configuration kubernetes\x1b[2J runs a command (blocked)::provider configuration kubernetes runs`,
			`::notice title=planguard%3A provider configuration aws runs a command::`, `::error title=planguard%3A data source data.external.later is read during the apply (blocked)::`},
		"json":  {`"provider_commands": [`, `"setting": "exec"`, `"allowed": false`, `"apply_reads": [`, `"action_reason": "read_because_config_unknown"`},
		"junit": {`classname="planguard.provider_command"`, `<failure message="provider configuration kubernetes`, `classname="planguard.apply_read"`},
		"sarif": {`"id": "planguard/provider-command"`, `"ruleId": "planguard/provider-command"`, `"ruleId": "planguard/allowed-provider-command"`, `"ruleId": "planguard/apply-read"`},
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
	r.ProviderCommands, r.ApplyReads = nil, nil
	for _, f := range Formats {
		if out := render(f); strings.Contains(out, "provider_command") || strings.Contains(out, "provider-command") || strings.Contains(out, "apply_read") || strings.Contains(out, "apply-read") || strings.Contains(out, "provider configurations run") {
			t.Errorf("%s mentions provider commands without any:\n%s", f, out)
		}
	}
}
