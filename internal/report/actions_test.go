package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

func actionReport() *gate.Report {
	return &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan:    gate.PlanInfo{TerraformVersion: "1.14.0", FormatVersion: "1.2", SHA256: "ab12"},
		Changes: []gate.Change{}, Approvals: []gate.Approval{}, Provisioners: []gate.Provision{}, Providers: []gate.Provider{},
		Invocations: []gate.Invocation{
			{Address: "action.aws_ec2_stop_instance.prod_db_host", Type: "aws_ec2_stop_instance", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "invoke",
				Verdict: gate.Verdict{Status: gate.OutcomeBlocked, AllowedBy: []string{}, Rules: []string{"stop"}, RequiredApprovals: 2,
					ApprovedBy: []string{"alice@example.com"}, Problems: []string{"1 of 2 required approvals"}}},
			{Address: "action.aws_lambda_invoke.notify", Type: "aws_lambda_invoke", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "lifecycle", TriggeringResource: "terraform_data.deploy", Event: "after_create\n\x1b[32mALLOWED: forged",
				Verdict: gate.Verdict{Status: gate.OutcomeAllowed, AllowedBy: []string{"notify"}, Rules: []string{}, ApprovedBy: []string{}, Problems: []string{}}}},
	}
}

// TestActionsInEveryFormat: every format lists every invocation, the
// blocked one as blocked with the command that approves it, and the human
// formats cannot be forged by a plan's control characters.
func TestActionsInEveryFormat(t *testing.T) {
	r := actionReport()
	for _, format := range Formats {
		rd, err := New(format, Options{PlanPath: "tfplan"})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := b.String()
		for _, want := range []string{"action.aws_ec2_stop_instance.prod_db_host", "action.aws_lambda_invoke.notify"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: %s missing:\n%s", format, want, out)
			}
		}
		switch format {
		case "text", "markdown", "github":
			if strings.Contains(out, "\x1b") || strings.Contains(out, "\nALLOWED") {
				t.Errorf("%s: control characters reach the output:\n%q", format, out)
			}
			if !strings.Contains(out, "--target action.aws_ec2_stop_instance.prod_db_host --action invoke") {
				t.Errorf("%s: no approve command:\n%s", format, out)
			}
			if !strings.Contains(out, "1 of 2 required approvals") || !strings.Contains(out, "allowed by notify") {
				t.Errorf("%s: verdicts missing:\n%s", format, out)
			}
		case "json":
			var j struct {
				Invocations []gate.Invocation `json:"action_invocations"`
			}
			if err := json.Unmarshal(b.Bytes(), &j); err != nil || len(j.Invocations) != 2 || !j.Invocations[0].Blocked() || j.Invocations[1].Event != r.Invocations[1].Event {
				t.Errorf("json: %v %+v", err, j.Invocations)
			}
		case "sarif":
			if !strings.Contains(out, `"ruleId": "planguard/unapproved-action"`) || !strings.Contains(out, `"ruleId": "planguard/judged-action"`) {
				t.Errorf("sarif: %s", out)
			}
		case "junit":
			var s struct {
				Suite struct {
					Failures int `xml:"failures,attr"`
					Cases    []struct {
						Name    string    `xml:"name,attr"`
						Failure *struct{} `xml:"failure"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal(b.Bytes(), &s); err != nil || s.Suite.Failures != 1 || len(s.Suite.Cases) != 2 || s.Suite.Cases[0].Failure == nil {
				t.Errorf("junit: %v %+v\n%s", err, s, out)
			}
		}
	}
	if s := Summary(r); !strings.Contains(s, "1 of 2 action invocation(s) neither allowed nor approved") || !strings.HasPrefix(s, "BLOCKED: 0 destructive change(s), none blocked") {
		t.Errorf("Summary = %q", s)
	}
}
