package gate

import (
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestFileSettingsAreJudged: a provider argument that names a file, a
// directory or a profile (an AWS profile's credential_process in
// shared_config_files, a kubeconfig's exec in config_path) is judged as a
// command: its constant value must be allowed exactly by a provider_exec
// block, and the problem says it is a file setting.
func TestFileSettingsAreJudged(t *testing.T) {
	f := setup(t)
	pol, err := policy.Parse([]byte(policySrc+`
provider_exec {
  provider = "registry.terraform.io/hashicorp/aws"
  command  = "/etc/aws/config"
}
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	exprs := func(setting string, value any) map[string]any {
		return map[string]any{"region": map[string]any{"constant_value": "eu-west-1"}, setting: map[string]any{"constant_value": value}}
	}
	for _, c := range []struct {
		name     string
		exprs    map[string]any
		decision Decision
		problem  string
	}{
		{"allowed exactly", exprs("shared_config_files", []any{"/etc/aws/config"}), Allow, ""},
		{"another file", exprs("shared_config_files", []any{"aws.tfvars"}), Block, `names a file, directory or profile that can make the provider run a command: ` + "`aws.tfvars`"},
		{"profile", exprs("profile", "evil"), Block, `command = "evil"`},
		{"config_path", exprs("config_path", "/tmp/kubeconfig"), Block, "(config_path)"},
		{"a _file suffix in a nested block", map[string]any{"assume_role_with_web_identity": []any{map[string]any{"web_identity_token_file": map[string]any{"constant_value": "/proc/self/environ"}}}}, Block, "assume_role_with_web_identity.web_identity_token_file"},
		{"computed", map[string]any{"profile": map[string]any{"references": []any{"var.p"}}}, Block, "no policy can allow it"},
		{"harmless", exprs("region", "x"), Allow, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmds := plan.ProviderCommands("aws", "aws", "registry.terraform.io/hashicorp/aws", c.exprs)
			r, err := Decide(Input{Plan: &plan.Plan{ProviderCommands: cmds}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %+v", r.Decision, c.decision, r.ProviderCommands)
			}
			if c.problem != "" && (len(r.ProviderCommands) == 0 || !strings.Contains(r.ProviderCommands[0].Problem, c.problem)) {
				t.Errorf("problem %+v, want it to hold %q", r.ProviderCommands, c.problem)
			}
		})
	}
}
