package gate

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

var update = flag.Bool("update", false, "rewrite golden files")

const goldenPolicySrc = provisionPolicy + `
protect_actions "stop" {
  types     = ["aws_ec2_stop_instance"]
  approvals = 2
}
allow_actions "notify" {
  types = ["aws_lambda_invoke"]
}
`

// TestDecideGolden pins the whole report of one plan in which every kind
// of verdict occurs (changes, provisioners and invocations: approved,
// short of quorum, unnamed; approvals valid, unused, wrong action, wrong
// identity, expired, untrusted), as the JSON report writes it.
func TestDecideGolden(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, goldenPolicySrc)
	withID := func(st approval.Statement, id string) approval.Statement { st.Identity = id; return st }
	expired := stmt("terraform_data.db3", "delete")
	expired.ExpiresAt = "2026-11-25T11:00:00Z"
	const stop, stop2, notify = "action.aws_ec2_stop_instance.a", "action.aws_ec2_stop_instance.b", "action.aws_lambda_invoke.n"
	p := &plan.Plan{
		TerraformVersion: "1.14.0", FormatVersion: "1.2", SHA256: "00",
		Changes: []plan.Change{
			change("terraform_data.db", plan.KindDelete),
			change("terraform_data.db2", plan.KindReplace),
			change("terraform_data.db3", plan.KindDelete),
			change("terraform_data.backup", plan.KindDelete),
			change("terraform_data.cache", plan.KindDelete),
		},
		Approvals: []plan.Approval{
			approve(t, stmt("terraform_data.db", "delete"), f.alice, f.bob),
			approve(t, stmt("terraform_data.db2", "delete"), f.alice),
			approve(t, expired, f.alice),
			approve(t, withID(stmt("terraform_data.backup", "delete"), "other"), f.alice),
			approve(t, stmt("terraform_data.nothing", "delete"), f.alice),
			approve(t, stmt("terraform_data.db", "delete"), f.mallory),
			approve(t, stmt("terraform_data.run", approval.ActionProvision), f.alice),
			approve(t, withID(stmt("terraform_data.run2", approval.ActionProvision), "x"), f.alice),
			approve(t, stmt(stop, approval.ActionInvoke), f.alice, f.carol),
			approve(t, stmt(stop2, approval.ActionInvoke), f.carol, f.carol),
		},
		Provisions: []plan.ProvisionerRun{
			run("terraform_data.run", "local-exec", "echo", plan.KindCreate),
			run("terraform_data.run2", "local-exec", "echo", plan.KindCreate),
			run("terraform_data.tidy", "local-exec", "echo", plan.KindCreate),
			run("terraform_data.run3", "remote-exec", "", plan.KindCreate),
		},
		Providers: []string{"registry.terraform.io/hashicorp/aws", "registry.terraform.io/evil/exec"},
		ActionInvocations: []plan.ActionInvocation{
			{Address: stop, Type: "aws_ec2_stop_instance", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "invoke"},
			{Address: stop2, Type: "aws_ec2_stop_instance", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "invoke"},
			{Address: notify, Type: "aws_lambda_invoke", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "lifecycle", TriggeringResource: "terraform_data.db", Event: "after_create"},
			{Address: "action.aws_ssm_run.x", Type: "aws_ssm_run", ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: "invoke"},
		},
	}
	r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now, Author: "agent"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// Keys are made afresh each run: their fingerprints are not pinned.
	got = regexp.MustCompile(`SHA256:[A-Za-z0-9+/]{43}`).ReplaceAll(got, []byte("SHA256:KEY"))
	golden := filepath.Join("testdata", "decide.golden.json")
	if *update {
		_ = os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/gate -run TestDecideGolden -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("report differs from %s:\n%s", golden, got)
	}
}
