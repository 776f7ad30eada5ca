package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

const credPolicy = `scope = "prod"
trust {
  allowed_signers = "as"
}
protect "db" {
  types = ["terraform_data"]
}
providers = ["registry.terraform.io/hashicorp/*"]
runner {
  deny_data_sources = ["aws_secretsmanager_secret_version", "http"]
}
`

// TestCheckCredentialReads: before init, the runner refuses nonsensitive()
// wherever it is called (native syntax, templates, heredocs, JSON strings,
// modules, override files) and data sources and ephemeral resources of the
// default deny list and of the policy's deny_data_sources, each named by
// file and line; everything else passes.
func TestCheckCredentialReads(t *testing.T) {
	pol, err := policy.Parse([]byte(credPolicy), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := policy.Parse([]byte(strings.Replace(credPolicy, "runner {\n  deny_data_sources = [\"aws_secretsmanager_secret_version\", \"http\"]\n}\n", "", 1)), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		pol   *policy.Policy
		want  string // "" = allowed
	}{
		{"clean", map[string]string{"main.tf": `data "aws_caller_identity" "me" {}
output "x" {
  value     = data.aws_caller_identity.me.arn
  sensitive = true
}
`}, pol, ""},
		{"google_client_config", map[string]string{"main.tf": "\n" + `data "google_client_config" "c" {}`}, pol, `main.tf:2,1-32: data "google_client_config" "c"`},
		{"eks auth ephemeral", map[string]string{"main.tf": `ephemeral "aws_eks_cluster_auth" "c" { name = "x" }`}, pol, `ephemeral "aws_eks_cluster_auth"`},
		{"in a check block", map[string]string{"main.tf": "check \"c\" {\n  data \"aws_ecr_authorization_token\" \"t\" {}\n  assert {\n    condition = true\n    error_message = \"x\"\n  }\n}\n"}, pol, `main.tf:2,3-41: data "aws_ecr_authorization_token"`},
		{"in a module", map[string]string{"main.tf": `module "m" { source = "./m" }`, "m/m.tf": `data "vault_generic_secret" "t" { path = "auth/token/lookup-self" }`}, pol, `./m: m/m.tf:1,1-32: data "vault_generic_secret"`},
		{"json", map[string]string{"main.tf.json": `{"data": {"google_service_account_access_token": {"t": {"target_service_account": "a", "scopes": ["x"]}}}}`}, pol, `data "google_service_account_access_token"`},
		{"policy's list", map[string]string{"main.tf": `data "http" "md" { url = "http://169.254.169.254/" }`}, pol, `data "http" "md"`},
		{"policy's list absent", map[string]string{"main.tf": `data "http" "md" { url = "http://169.254.169.254/" }`}, plain, ""},
		{"policy's list, second", map[string]string{"main.tf": `data "aws_secretsmanager_secret_version" "s" { secret_id = "x" }`}, pol, `aws_secretsmanager_secret_version`},
		{"nonsensitive", map[string]string{"main.tf": "output \"x\" {\n  value = nonsensitive(var.t)\n}\n"}, pol, "main.tf:2,11-23: nonsensitive()"},
		{"core::nonsensitive", map[string]string{"main.tf": `output "x" { value = core::nonsensitive(var.t) }`}, pol, "nonsensitive()"},
		{"nonsensitive in a template", map[string]string{"main.tf": "output \"x\" { value = \"a${upper(nonsensitive(var.t))}\" }"}, pol, "nonsensitive()"},
		{"nonsensitive in a heredoc", map[string]string{"main.tf": "locals {\n  x = <<EOT\n${nonsensitive(var.t)}\nEOT\n}\n"}, pol, "main.tf:3,3-15: nonsensitive()"},
		{"nonsensitive in an error message", map[string]string{"main.tf": "resource \"terraform_data\" \"x\" {\n  lifecycle {\n    precondition {\n      condition = false\n      error_message = \"${nonsensitive(var.t)}\"\n    }\n  }\n}\n"}, pol, "nonsensitive()"},
		{"nonsensitive in an override file", map[string]string{"main.tf": `output "x" { value = 1 }`, "main_override.tf": `output "x" { value = nonsensitive(var.t) }`}, pol, "main_override.tf:1,22-34: nonsensitive()"},
		{"nonsensitive in a module", map[string]string{"main.tf": `module "m" { source = "./m" }`, "m/m.tf": `output "x" { value = nonsensitive(var.t) }`}, pol, "./m: m/m.tf"},
		{"nonsensitive json", map[string]string{"main.tf.json": `{"output": {"x": {"value": "${nonsensitive(var.t)}"}}}`}, pol, "main.tf.json: nonsensitive()"},
		{"nonsensitive json escaped", map[string]string{"main.tf.json": `{"output": {"x": {"value": "${\u006eonsensitive(var.t)}"}}}`}, pol, "main.tf.json: nonsensitive()"},
		{"nonsensitive json comment", map[string]string{"main.tf.json": `{"output": {"x": {"value": "${nonsensitive/**/(var.t)}"}}}`}, pol, "main.tf.json: nonsensitive()"},
		{"nonsensitive json unparsable", map[string]string{"main.tf.json": `{"output": {"x": {"value": "${nonsensitive(var.t}"}}}`}, pol, "main.tf.json: nonsensitive()"},
		{"name only as a literal", map[string]string{"main.tf": `output "x" { value = "nonsensitive(x)" }`}, pol, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range c.files {
				write(t, filepath.Join(dir, name), src)
			}
			conf, err := ReadConfiguration(dir, TerraformRegistry)
			if err != nil {
				t.Fatal(err)
			}
			err = conf.CheckCredentialReads(c.pol)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("allowed, want %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// TestDefaultDeniedDataSourcesDocumented: the guide lists the default
// deny list, type by type.
func TestDefaultDeniedDataSourcesDocumented(t *testing.T) {
	b, err := readGuide()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range DefaultDeniedDataSources {
		if !strings.Contains(b, "`"+typ+"`") {
			t.Errorf("the guide does not list %s", typ)
		}
	}
}

func readGuide() (string, error) {
	b, err := os.ReadFile("../../templates/guides/agents-without-credentials.md")
	return string(b), err
}
