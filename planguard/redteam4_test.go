package main

// Red-team review 4 of the copied CI setups: code a plan runs at apply time
// through a provider, with the apply job's credentials, that the gate neither
// judges nor reports. Every setup's apply job (GitHub's `apply`, GitLab's
// `apply`, the Atlantis wrapper, the runner) runs `planguard apply` with the
// apply role in its environment; the providers inherit that environment.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// redteam4Policy trusts the providers these plans use (a team that manages
// EKS allows hashicorp/kubernetes; one that reads a script's output allows
// hashicorp/external) and protects a database elsewhere.
func redteam4Policy(t *testing.T, providers string) string {
	t.Helper()
	dir := t.TempDir()
	pub, err := os.ReadFile(sshKeygen(t, dir, "alice") + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte("alice "+string(pub)), 0o600); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "planguard.hcl")
	src := "scope = \"prod\"\ntrust { allowed_signers = \"allowed_signers\" }\nproviders = [" + providers + "]\nprotect \"db\" { types = [\"aws_db_instance\"] }\n"
	if err := os.WriteFile(pol, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return pol
}

// A provider configuration is code the apply runs. The kubernetes (and helm)
// provider's `exec` block runs its command whenever the provider talks to the
// cluster: at plan with the read-only role, and at apply with the apply role
// in its environment (the usual `aws eks get-token` needs exactly that). A
// pull request that turns `command = "aws"` into `command = "sh"` with
// `args = ["-c", "aws rds delete-db-instance …; aws eks get-token …"]`
// deletes the protected database by API call during an apply the gate
// allowed: the plan only creates a namespace. Today the gate allows it (exit
// 0) and the report names only the provider's `host`. Like a provisioner, a
// command in a provider configuration must not reach the apply unapproved.
func TestRedteamProviderExecRunsAtApply(t *testing.T) {
	pol := redteam4Policy(t, `"registry.terraform.io/hashicorp/kubernetes"`)
	plan := filepath.Join(t.TempDir(), "plan.json")
	src := `{"format_version":"1.2","terraform_version":"1.8.5",
 "planned_values":{"root_module":{"resources":[{"address":"kubernetes_namespace.ci","mode":"managed","type":"kubernetes_namespace","name":"ci","provider_name":"registry.terraform.io/hashicorp/kubernetes","schema_version":0,"values":{"metadata":[{"name":"ci"}]}}]}},
 "resource_changes":[{"address":"kubernetes_namespace.ci","mode":"managed","type":"kubernetes_namespace","name":"ci","provider_name":"registry.terraform.io/hashicorp/kubernetes","change":{"actions":["create"],"before":null,"after":{"metadata":[{"name":"ci"}]},"after_unknown":{}}}],
 "configuration":{"provider_config":{"kubernetes":{"name":"kubernetes","full_name":"registry.terraform.io/hashicorp/kubernetes","expressions":{"host":{"constant_value":"https://eks.example"},
   "exec":[{"api_version":{"constant_value":"client.authentication.k8s.io/v1beta1"},"command":{"constant_value":"sh"},"args":{"constant_value":["-c","aws rds delete-db-instance --db-instance-identifier prod --skip-final-snapshot; aws eks get-token --cluster-name prod"]}}]}}},
 "root_module":{"resources":[{"address":"kubernetes_namespace.ci","mode":"managed","type":"kubernetes_namespace","name":"ci","provider_config_key":"kubernetes","expressions":{"metadata":[{"name":{"constant_value":"ci"}}]},"schema_version":0}]}}}`
	if err := os.WriteFile(plan, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", nil, "check", "--policy", pol, "--author", "mallory", "--now", "2026-12-04T00:00:00Z", plan)
	if code == exitAllow {
		t.Errorf("a plan whose kubernetes provider configuration runs `sh -c \"aws rds delete-db-instance …\"` at apply (exec block) was allowed (exit 0); the apply runs it with the apply role:\n%s%s", out, errs)
	}
}

// A data source read during the apply runs with the apply credentials. An
// `external` data source whose query refers to a resource the plan creates is
// deferred to the apply (action read, read_because_config_unknown): its
// program — any command — then runs in the apply job, not the read-only plan
// job. A policy that allows hashicorp/external for plan-time lookups thus
// allows any command with the apply role; the gate says nothing today.
func TestRedteamDataSourceReadAtApply(t *testing.T) {
	pol := redteam4Policy(t, `"registry.terraform.io/hashicorp/external", "terraform.io/builtin/terraform"`)
	plan := filepath.Join(t.TempDir(), "plan.json")
	src := `{"format_version":"1.2","terraform_version":"1.8.5",
 "planned_values":{"root_module":{}},
 "resource_changes":[{"address":"terraform_data.x","mode":"managed","type":"terraform_data","name":"x","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,"after":{"input":null},"after_unknown":{"id":true}}},
  {"address":"data.external.later","mode":"data","type":"external","name":"later","provider_name":"registry.terraform.io/hashicorp/external","action_reason":"read_because_config_unknown","change":{"actions":["read"],"before":null,"after":{"program":["sh","-c","aws iam create-access-key --user-name admin"]},"after_unknown":{"query":true,"result":true}}}],
 "configuration":{"provider_config":{"external":{"name":"external","full_name":"registry.terraform.io/hashicorp/external"}},
 "root_module":{"resources":[{"address":"terraform_data.x","mode":"managed","type":"terraform_data","name":"x","provider_config_key":"terraform","schema_version":0},
  {"address":"data.external.later","mode":"data","type":"external","name":"later","provider_config_key":"external","expressions":{"program":{"constant_value":["sh","-c","aws iam create-access-key --user-name admin"]},"query":{"references":["terraform_data.x.id","terraform_data.x"]}},"schema_version":0}]}}}`
	if err := os.WriteFile(plan, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", nil, "check", "--policy", pol, "--author", "mallory", "--now", "2026-12-04T00:00:00Z", plan)
	if code == exitAllow && !strings.Contains(out, "data.external.later") {
		t.Errorf("a plan that reads data.external.later during the apply (its program runs with the apply role) was allowed without a word (exit 0):\n%s%s", out, errs)
	}
}
