package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const handbuilt = "../internal/plan/testdata/handbuilt/"

// TestCheckActionInvocations: the hand-built Terraform 1.14 plan invokes
// two actions. A policy that says nothing about actions blocks both (fail
// closed) and prints how to approve them; allow_actions lets them run; an
// approval is written for an action's address with action invoke.
func TestCheckActionInvocations(t *testing.T) {
	dir := t.TempDir()
	as, err := os.ReadFile("../examples/quickstart/allowed_signers")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	silent := filepath.Join(dir, "silent.hcl")
	os.WriteFile(silent, []byte(protectAll), 0o600)
	plan := handbuilt + "actions_1_14.json"

	code, out, errs := runCLI(t, "", nil, "check", "--policy", silent, "--now", "2026-11-25T12:00:00Z", plan)
	if code != exitBlock {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"action.aws_ec2_stop_instance.prod_db_host (registry.terraform.io/hashicorp/aws, terraform apply -invoke): BLOCKED 0/1",
		"action.aws_lambda_invoke.notify (registry.terraform.io/hashicorp/aws, after_create of terraform_data.deploy): BLOCKED 0/1",
		"--target action.aws_ec2_stop_instance.prod_db_host --action invoke",
		"2 of 2 action invocation(s) neither allowed nor approved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	allowing := filepath.Join(dir, "allowing.hcl")
	os.WriteFile(allowing, []byte(protectAll+"\nallow_actions \"aws\" {\n  types = [\"aws_*\"]\n}\n"), 0o600)
	code, out, errs = runCLI(t, "", nil, "check", "--policy", allowing, "--format", "json", "--now", "2026-11-25T12:00:00Z", plan)
	if code != 0 || !strings.Contains(out, `"allowed_by": [`) || !strings.Contains(out, `"trigger": "lifecycle"`) {
		t.Fatalf("allow_actions: exit %d\n%s%s", code, out, errs)
	}
	protecting := filepath.Join(dir, "protecting.hcl")
	os.WriteFile(protecting, []byte(protectAll+"\nallow_actions \"aws\" {\n  types = [\"aws_*\"]\n}\nprotect_actions \"stop\" {\n  types = [\"aws_ec2_stop_*\"]\n  approvals = 2\n}\n"), 0o600)
	code, out, _ = runCLI(t, "", nil, "check", "--policy", protecting, "--now", "2026-11-25T12:00:00Z", plan)
	if code != exitBlock || !strings.Contains(out, "prod_db_host (registry.terraform.io/hashicorp/aws, terraform apply -invoke): BLOCKED 0/2") ||
		!strings.Contains(out, "notify (registry.terraform.io/hashicorp/aws, after_create of terraform_data.deploy): allowed by aws") {
		t.Fatalf("protect_actions over allow_actions: exit %d\n%s", code, out)
	}

	// The approval of an invocation: action invoke, target the action's address.
	key := sshKeygen(t, dir, "alice")
	approvals := filepath.Join(dir, "approvals.tf")
	code, _, errs = runCLI(t, "", nil, "approve", "--policy", silent, "--plan", plan, "--target", "action.aws_ec2_stop_instance.prod_db_host",
		"--reason", "CHG-7: stop the host for maintenance", "--expires", "24h", "--now", "2026-11-25T12:00:00Z", "--key", key, "--principal", "alice@example.com", "--out", approvals,
		"--force") // alice's key is in no trust file here
	if code != 0 {
		t.Fatalf("approve: %d %s", code, errs)
	}
	if src := readFile(t, approvals); !strings.Contains(src, `action     = "invoke"`) || !strings.Contains(src, `target     = "action.aws_ec2_stop_instance.prod_db_host"`) || strings.Contains(src, "identity") {
		t.Errorf("approvals.tf:\n%s", src)
	}
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", silent, "--plan", plan, "--target", "action.aws_ec2_stop_instance.other",
		"--reason", "x", "--now", "2026-11-25T12:00:00Z", "--key", key, "--principal", "alice@example.com", "--out", filepath.Join(dir, "o.tf")); code != exitError || !strings.Contains(errs, "does not invoke") {
		t.Errorf("approve of an action the plan does not invoke: %d %s", code, errs)
	}
}

// TestCheckEditedNewPlansExit2: plan JSON in the Terraform 1.12/1.14 shapes
// that no Terraform writes is an error (exit 2), not a plan to judge.
func TestCheckEditedNewPlansExit2(t *testing.T) {
	dir := t.TempDir()
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol := filepath.Join(dir, "p.hcl")
	os.WriteFile(pol, []byte(protectAll+"\nallow_actions \"all\" {\n  types = [\"*\"]\n}\n"), 0o600)
	actions, _ := os.ReadFile(handbuilt + "actions_1_14.json")
	identity, _ := os.ReadFile(handbuilt + "identity_1_12.json")
	quick, _ := os.ReadFile(qsPlan)
	for name, in := range map[string]string{
		"invocation without a trigger":       strings.Replace(string(actions), `,"invoke_action_trigger":{}`, ``, 1),
		"invocation with an unknown trigger": strings.Replace(string(actions), `"invoke_action_trigger":{}`, `"cron_action_trigger":{}`, 1),
		"invocation without an address":      strings.Replace(string(actions), `"address":"action.aws_ec2_stop_instance.prod_db_host",`, ``, 1),
		"identity not an object":             strings.Replace(string(identity), `"before_identity":{`, `"before_identity":"x","ignored":{`, 1),
		"identity with a duplicate member":   strings.Replace(string(identity), `"before_identity":{"account_id":"123456789012"`, `"before_identity":{"account_id":"1","account_id":"123456789012"`, 1),
		"data source deleted":                strings.Replace(string(quick), `"resource_changes":[`, `"resource_changes":[{"address":"data.terraform_remote_state.x","mode":"data","type":"terraform_remote_state","name":"x","provider_name":"terraform.io/builtin/terraform","change":{"actions":["delete"],"before":null,"after":null}},`, 1),
	} {
		if !strings.Contains(in, "") || in == string(actions) || in == string(identity) || in == string(quick) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		f := filepath.Join(dir, "plan.json")
		os.WriteFile(f, []byte(in), 0o600)
		code, out, errs := runCLI(t, "", nil, "check", "--policy", pol, "--now", "2026-11-25T12:00:00Z", f)
		if code != exitError || !strings.Contains(errs, "malformed plan JSON") || strings.Contains(out, "ALLOWED") {
			t.Errorf("%s: exit %d\n%s%s", name, code, out, errs)
		}
	}
}
