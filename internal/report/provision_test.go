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

func provisionReport() *gate.Report {
	return &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan:    gate.PlanInfo{TerraformVersion: "1.8.5", FormatVersion: "1.2", SHA256: "ab12"},
		Changes: []gate.Change{}, Approvals: []gate.Approval{},
		Provisioners: []gate.Provision{
			{Address: "terraform_data.housekeeping", ResourceType: "terraform_data", Type: "local-exec", When: "create", Action: "create", Command: "terraform destroy -auto-approve\n\x1b[32mALLOWED: forged verdict",
				Verdict: gate.Verdict{Status: gate.OutcomeBlocked, AllowedBy: []string{}, Rules: []string{}, RequiredApprovals: 1,
					ApprovedBy: []string{}, Problems: []string{"no approval with action provision names this instance"}}},
			{Address: "terraform_data.tidy", ResourceType: "terraform_data", Type: "local-exec", When: "create", Action: "create", CommandReferences: []string{"var.x"},
				Verdict: gate.Verdict{Status: gate.OutcomeAllowed, AllowedBy: []string{"tidy"}, Rules: []string{}, ApprovedBy: []string{}, Problems: []string{}}}},
		Providers: []gate.Provider{{Source: "terraform.io/builtin/terraform", Allowed: true}, {Source: "registry.terraform.io/hashicorp/external", Allowed: false}},
	}
}

// TestProvisionersInEveryFormat: every format lists the provisioners and
// the disallowed provider, and the human formats cannot be forged by a
// command's control characters.
func TestProvisionersInEveryFormat(t *testing.T) {
	r := provisionReport()
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
		if !strings.Contains(out, "terraform_data.housekeeping") || !strings.Contains(out, "terraform_data.tidy") && format != "junit" && format != "sarif" {
			t.Errorf("%s: provisioners missing:\n%s", format, out)
		}
		if !strings.Contains(out, "registry.terraform.io/hashicorp/external") {
			t.Errorf("%s: disallowed provider missing:\n%s", format, out)
		}
		switch format {
		case "text", "markdown", "github":
			if strings.Contains(out, "\x1b") || strings.Contains(out, "\nALLOWED") || strings.Contains(out, "\n\x1b") {
				t.Errorf("%s: the command's control characters reach the output:\n%q", format, out)
			}
			if !strings.Contains(out, "--target terraform_data.housekeeping --action provision") {
				t.Errorf("%s: no approve command:\n%s", format, out)
			}
		case "json":
			var j struct {
				Provisioners []gate.Provision
				Providers    []gate.Provider
			}
			if err := json.Unmarshal(b.Bytes(), &j); err != nil || len(j.Provisioners) != 2 || j.Provisioners[0].Command != r.Provisioners[0].Command || len(j.Providers) != 2 {
				t.Errorf("json: %v %+v", err, j)
			}
		case "sarif":
			var s struct {
				Runs []struct {
					Results []struct{ RuleID, Level string }
				}
			}
			if err := json.Unmarshal(b.Bytes(), &s); err != nil || len(s.Runs[0].Results) != 3 ||
				s.Runs[0].Results[0].RuleID != "planguard/unapproved-provisioner" || s.Runs[0].Results[2].RuleID != "planguard/disallowed-provider" {
				t.Errorf("sarif: %v %+v", err, s)
			}
		case "junit":
			var j struct {
				Suites []struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal(b.Bytes(), &j); err != nil || j.Suites[0].Tests != 3 || j.Suites[0].Failures != 2 {
				t.Errorf("junit: %v %+v", err, j)
			}
		}
	}
	if s := Summary(r); s != "BLOCKED: 0 destructive change(s), none blocked; 1 of 2 provisioner run(s) neither allowed nor approved; provider(s) the policy does not allow: registry.terraform.io/hashicorp/external" {
		t.Errorf("Summary = %q", s)
	}
}
