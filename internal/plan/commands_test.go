package plan

import (
	"reflect"
	"strings"
	"testing"
)

// commandsPlan has provider configurations as Terraform writes them (the
// kubernetes provider's exec block is a list of expression maps; helm
// nests it in a kubernetes block; a module's configuration is under
// module.m:KEY) and a data source read during the apply.
const commandsPlan = `{"format_version":"1.2","planned_values":{"root_module":{}},` +
	`"resource_changes":[{"address":"data.external.x","mode":"data","type":"external","name":"x","provider_name":"registry.terraform.io/hashicorp/external","action_reason":"read_because_config_unknown","change":{"actions":["read"],"before":null,"after":{},"after_unknown":{}}}],` +
	`"configuration":{"provider_config":{` +
	`"kubernetes":{"name":"kubernetes","full_name":"registry.terraform.io/hashicorp/kubernetes","expressions":{"host":{"constant_value":"https://k"},` +
	`"exec":[{"api_version":{"constant_value":"v1"},"command":{"constant_value":"aws"},"args":{"constant_value":["eks","get-token"]},"env":{"constant_value":{"AWS_PROFILE":"prod"}}}]}},` +
	`"module.m:helm":{"name":"helm","full_name":"registry.terraform.io/hashicorp/helm","module_address":"module.m","expressions":{"kubernetes":[{"exec":[{"command":{"references":["var.cmd"]}}]}]}},` +
	`"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"region":{"constant_value":"eu-west-1"},"credential_process":{"constant_value":"aws-vault exec prod --json"}}},` +
	`"vault":{"name":"vault","full_name":"registry.terraform.io/hashicorp/vault","expressions":{"token_command":{"constant_value":["vault-token","--quiet"]},"exec":[{"command":{"constant_value":"x"},"interactive":{"constant_value":true}},{"api_version":{"constant_value":"v1"}}]}}` +
	`},"root_module":{}}}`

// TestProviderCommands: both readers find the settings that run a command,
// constant or not, and the data sources read during the apply.
func TestProviderCommands(t *testing.T) {
	p, err := sameAsFull(t, []byte(commandsPlan))
	if err != nil {
		t.Fatal(err)
	}
	want := []ProviderCommand{
		{Name: "aws", Provider: "aws", Source: "registry.terraform.io/hashicorp/aws", Setting: "credential_process", Constant: true, Command: "aws-vault exec prod --json"},
		{Name: "kubernetes", Provider: "kubernetes", Source: "registry.terraform.io/hashicorp/kubernetes", Setting: "exec", Constant: true, Command: "aws",
			Args: []string{"eks", "get-token"}, Env: map[string]string{"AWS_PROFILE": "prod"}},
		{Name: "module.m:helm", Provider: "helm", Source: "registry.terraform.io/hashicorp/helm", Setting: "kubernetes.exec", Unreadable: []string{"command: computed from var.cmd"}},
		{Name: "vault", Provider: "vault", Source: "registry.terraform.io/hashicorp/vault", Setting: "exec[0]",
			Unreadable: []string{"interactive: an argument planguard does not know, which may change what runs"}},
		{Name: "vault", Provider: "vault", Source: "registry.terraform.io/hashicorp/vault", Setting: "exec[1]", Unreadable: []string{"command: not set"}},
		{Name: "vault", Provider: "vault", Source: "registry.terraform.io/hashicorp/vault", Setting: "token_command", Constant: true, Command: "vault-token", Args: []string{"--quiet"}},
	}
	if !reflect.DeepEqual(p.ProviderCommands, want) {
		t.Errorf("ProviderCommands =\n%+v\nwant\n%+v", p.ProviderCommands, want)
	}
	reads := []ApplyRead{{Address: "data.external.x", Type: "external", ProviderName: "registry.terraform.io/hashicorp/external", ActionReason: "read_because_config_unknown"}}
	if !reflect.DeepEqual(p.ApplyReads, reads) {
		t.Errorf("ApplyReads = %+v, want %+v", p.ApplyReads, reads)
	}
	if got := p.ProviderCommands[1].CommandLine(); got != "AWS_PROFILE=prod aws eks get-token" {
		t.Errorf("CommandLine = %q", got)
	}
	// A duplicate member inside a block is malformed, in both readers:
	// which command would run is not defined.
	dup := strings.Replace(commandsPlan, `"command":{"constant_value":"aws"}`, `"command":{"constant_value":"aws"},"command":{"constant_value":"sh"}`, 1)
	if _, err := sameAsFull(t, []byte(dup)); err == nil {
		t.Error("a duplicate command in an exec block was accepted")
	}
	// None: nil, so the JSON report omits the fields.
	p, err = sameAsFull(t, []byte(`{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"x"}}}}}}`))
	if err != nil || p.ProviderCommands != nil || p.ApplyReads != nil {
		t.Errorf("no command: %+v %+v, %v", p.ProviderCommands, p.ApplyReads, err)
	}
}
