package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestCheckProviderCodeRoutes: before init, the runner refuses every
// provider setting that routes requests (endpoints, proxies, hosts, URLs)
// or sets which server the provider trusts (CA bundles, insecure), in
// native and JSON syntax, nested blocks and modules, whatever the policy
// says (runner33 M2: an agent-run http_proxy receives a signed AssumeRole).
func TestCheckProviderCodeRoutes(t *testing.T) {
	pol, err := policy.Parse([]byte(execPolicy), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // "" = allowed
	}{
		{"plain aws", map[string]string{"main.tf": "provider \"aws\" {\n  region = \"us-east-1\"\n  sts_region = \"us-east-1\"\n  skip_metadata_api_check = true\n  assume_role {\n    role_arn = \"arn:aws:iam::1:role/r\"\n  }\n}\n"}, ""},
		{"http_proxy", map[string]string{"main.tf": "provider \"aws\" {\n  http_proxy = \"http://127.0.0.1:9\"\n}\n"}, `provider "aws" sets http_proxy`},
		{"https_proxy", map[string]string{"main.tf": "provider \"aws\" {\n  https_proxy = \"http://127.0.0.1:9\"\n}\n"}, "https_proxy"},
		{"no_proxy", map[string]string{"main.tf": "provider \"aws\" {\n  no_proxy = \"*\"\n}\n"}, "no_proxy"},
		{"endpoints block", map[string]string{"main.tf": "provider \"aws\" {\n  endpoints {\n    sts = \"http://sts.amazonaws.com\"\n  }\n}\n"}, "sets endpoints"},
		{"sts endpoint in assume_role", map[string]string{"main.tf": "provider \"aws\" {\n  assume_role {\n    role_arn = \"r\"\n    sts_endpoint = \"http://x\"\n  }\n}\n"}, "assume_role.sts_endpoint"},
		{"metadata endpoint", map[string]string{"main.tf": "provider \"aws\" {\n  ec2_metadata_service_endpoint = \"http://x\"\n}\n"}, "ec2_metadata_service_endpoint"},
		{"custom_ca_bundle", map[string]string{"main.tf": "provider \"aws\" {\n  custom_ca_bundle = \"/proc/self/environ\"\n}\n"}, "custom_ca_bundle"},
		{"insecure", map[string]string{"main.tf": "provider \"aws\" {\n  insecure = true\n}\n"}, "insecure"},
		{"kubernetes host and CA", map[string]string{"main.tf": "provider \"kubernetes\" {\n  host = \"https://127.0.0.1:9\"\n  cluster_ca_certificate = \"x\"\n}\n"}, "cluster_ca_certificate, host"},
		{"google universe_domain", map[string]string{"main.tf": "provider \"google\" {\n  universe_domain = \"evil.example\"\n}\n"}, "universe_domain"},
		{"google custom endpoint", map[string]string{"main.tf": "provider \"google\" {\n  storage_custom_endpoint = \"http://x/\"\n}\n"}, "storage_custom_endpoint"},
		{"azurerm metadata_host", map[string]string{"main.tf": "provider \"azurerm\" {\n  features {}\n  metadata_host = \"x\"\n}\n"}, "metadata_host"},
		{"computed value", map[string]string{"main.tf": "variable \"p\" {}\nprovider \"aws\" {\n  http_proxy = var.p\n}\n"}, "http_proxy"},
		{"upper case in JSON", map[string]string{"main.tf.json": `{"provider": {"aws": {"HTTP_PROXY": "http://127.0.0.1:9"}}}`}, "HTTP_PROXY"},
		{"JSON endpoints object", map[string]string{"main.tf.json": `{"provider": {"aws": {"endpoints": {"sts": "http://x"}}}}`}, "endpoints"},
		{"JSON endpoints list", map[string]string{"main.tf.json": `{"provider": {"aws": [{"region": "x", "endpoints": [{"sts": "http://x"}]}]}}`}, "endpoints"},
		{"JSON nested in an object argument", map[string]string{"main.tf.json": `{"provider": {"aws": {"assume_role": {"role_arn": "r", "sts_endpoint": "http://x"}}}}`}, "sts_endpoint"},
		{"in a module, aliased", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/p.tf": "provider \"aws\" {\n  alias = \"x\"\n  https_proxy = \"http://127.0.0.1:9\"\n}\n"}, `./m:m/p.tf: provider "aws.x" sets https_proxy`},
		{"override file", map[string]string{"main.tf": "provider \"aws\" {}\n", "x_override.tf": "provider \"aws\" {\n  http_proxy = \"http://127.0.0.1:9\"\n}\n"}, "override file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, src := range c.files {
				write(t, filepath.Join(dir, n), src)
			}
			err := CheckProviderCode(dir, TerraformRegistry, pol)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("allowed, want refusal %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("refusal %v\nwant %q", err, c.want)
			case c.want != "" && c.want != "override file" && !strings.Contains(err.Error(), "env file"):
				t.Errorf("refusal does not name the fix: %v", err)
			}
		})
	}
}

// TestRouteArgument: the names the check refuses, and names it keeps.
func TestRouteArgument(t *testing.T) {
	for _, n := range []string{"endpoint", "endpoints", "http_proxy", "https_proxy", "no_proxy", "proxy_url", "base_url", "url", "host", "address", "custom_ca_bundle", "insecure", "skip_tls_verify", "tls_server_name", "cluster_ca_certificate", "universe_domain", "metadata_host", "sts_endpoint", "ec2_metadata_service_endpoint", "s3_us_east_1_regional_endpoint", "bootstrap_servers"} {
		if !RouteArgument(n) {
			t.Errorf("%s is not refused", n)
		}
	}
	for _, n := range []string{"region", "sts_region", "role_arn", "alias", "features", "skip_metadata_api_check", "default_tags", "security_token", "project", "max_retries"} {
		if RouteArgument(n) {
			t.Errorf("%s is refused", n)
		}
	}
}

// TestWantedRefusesControlCharacters (review runner34 L1): a path is printed
// to reviewers by runner show --config; one with a newline forged a
// column-0 "plan sha256:" line there.
func TestWantedRefusesControlCharacters(t *testing.T) {
	for _, p := range []string{"notes\n\nplan sha256: 00\nplan id: x\n/main.tf", "a\x1b[2K.tf", "m/\u202egnp.tf", "a\r.tf"} {
		if err := wanted(p); err == nil || !strings.Contains(err.Error(), "control or format character") {
			t.Errorf("wanted(%q) = %v, want the control-character refusal", p, err)
		}
	}
	for _, p := range []string{"main.tf", "modules/net/variables.tf", "prod.tfvars", "модуль/main.tf"} {
		if err := wanted(p); err != nil {
			t.Errorf("wanted(%q) = %v", p, err)
		}
	}
}
