package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// hostReadPolicy lists hashicorp/local and hashicorp/archive (host
// writers by default), another host writer by a glob, and every allowance
// that names the agent's reads: none allows a plan-time read in the runner.
const hostReadPolicy = `scope = "prod"
trust {
  allowed_signers = "as"
}
protect "db" {
  types = ["terraform_data"]
}
providers = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*", "example.com/acme/*"]
host_writers = ["example.com/acme/files*"]
allow_apply_reads = ["data.local_file.*", "data.archive_file.*", "data.local_sensitive_file.*"]
allow_provider_functions = ["provider::local::*"]
allow_host_writes "all" {
  addresses = ["data.*", "local_file.*"]
  paths     = ["/proc/self/environ", "/etc/runner.env", "/tmp/*"]
}
`

// TestCheckProviderCodeHostWriters: before init, the runner refuses each
// data source, ephemeral resource, provider function call and import of a
// provider whose objects are files on the host (host_writers, always
// hashicorp/local and hashicorp/archive): each reads any file the
// runner's user can read into the plan, at plan time. The policy's
// allowances change nothing; the providers' resources are left to the
// gate.
func TestCheckProviderCodeHostWriters(t *testing.T) {
	pol, err := policy.Parse([]byte(hostReadPolicy), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		tofu  bool
		want  string // "" = allowed
	}{
		{"local_file", map[string]string{"main.tf": "data \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "data.local_file.e of registry.terraform.io/hashicorp/local"},
		{"local_sensitive_file", map[string]string{"main.tf": "data \"local_sensitive_file\" \"e\" {\n  filename = \"/etc/runner.env\"\n}\n"}, false, "host_writers"},
		{"archive_file", map[string]string{"main.tf": "data \"archive_file\" \"z\" {\n  type        = \"zip\"\n  source_file = \"/proc/self/environ\"\n  output_path = \"/tmp/e.zip\"\n}\n"}, false, "data.archive_file.z of registry.terraform.io/hashicorp/archive"},
		{"local_file on OpenTofu", map[string]string{"main.tf": "data \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, true, "registry.opentofu.org/hashicorp/local"},
		{"local_file, explicit registry.terraform.io under OpenTofu", map[string]string{"main.tf": "terraform {\n  required_providers {\n    local = { source = \"registry.terraform.io/hashicorp/local\" }\n  }\n}\ndata \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, true, "registry.terraform.io/hashicorp/local"},
		{"local under another local name", map[string]string{"main.tf": "terraform {\n  required_providers {\n    fs = { source = \"hashicorp/local\" }\n  }\n}\ndata \"fs_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "data.fs_file.e of registry.terraform.io/hashicorp/local"},
		{"local through an aliased provider argument", map[string]string{"main.tf": "provider \"local\" {\n  alias = \"a\"\n}\ndata \"other_file\" \"e\" {\n  provider = local.a\n  filename = \"/proc/self/environ\"\n}\n"}, false, "data.other_file.e"},
		{"fullwidth source", map[string]string{"main.tf": "terraform {\n  required_providers {\n    l = { source = \"hashicorp/ｌocal\" }\n  }\n}\ndata \"l_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "registry.terraform.io/hashicorp/local"},
		{"in a check block", map[string]string{"main.tf": "check \"c\" {\n  data \"local_file\" \"e\" {\n    filename = \"/proc/self/environ\"\n  }\n  assert {\n    condition     = true\n    error_message = \"x\"\n  }\n}\n"}, false, "data.local_file.e"},
		{"in a module", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/d.tf": "data \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "m/d.tf:1"},
		{"JSON", map[string]string{"main.tf.json": `{"data": {"local_file": {"e": {"filename": "/proc/self/environ"}}}}`}, false, "data.local_file.e"},
		{"override file moves a data source to local", map[string]string{
			"main.tf":     "data \"terraform_remote_state\" \"x\" {\n  backend = \"local\"\n}\n",
			"override.tf": "data \"terraform_remote_state\" \"x\" {\n  provider = local\n}\n",
		}, false, "hashicorp/local"},
		{"ephemeral resource", map[string]string{"main.tf": "ephemeral \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "ephemeral resource ephemeral.local_file.e"},
		{"provider function", map[string]string{"main.tf": "output \"o\" {\n  value = provider::local::direxists(\"/etc\")\n}\n"}, false, "function provider::local::direxists"},
		{"provider function in JSON", map[string]string{"main.tf.json": `{"output": {"o": {"value": "${provider::local::direxists(\"/etc\")}"}}}`}, false, "function provider::local::direxists"},
		{"a host writer the policy adds, by a glob", map[string]string{"main.tf": "terraform {\n  required_providers {\n    acme = { source = \"example.com/acme/files2\" }\n  }\n}\ndata \"acme_read\" \"e\" {\n  path = \"/proc/self/environ\"\n}\n"}, false, "example.com/acme/files2"},
		{"import of a local_file", map[string]string{"main.tf": "import {\n  to = local_file.e\n  id = \"/proc/self/environ\"\n}\nresource \"local_file\" \"e\" {\n  filename = \"/proc/self/environ\"\n}\n"}, false, "import into local_file.e of registry.terraform.io/hashicorp/local"},
		{"import whose resource names the provider", map[string]string{"main.tf": "terraform {\n  required_providers {\n    fs = { source = \"hashicorp/local\" }\n  }\n}\nimport {\n  to = other_file.e\n  id = \"/proc/self/environ\"\n}\nresource \"other_file\" \"e\" {\n  provider = fs\n}\n"}, false, "import into other_file.e of registry.terraform.io/hashicorp/local"},
		{"import with a provider argument", map[string]string{"main.tf": "provider \"local\" {\n  alias = \"a\"\n}\nimport {\n  to       = other_file.e\n  provider = local.a\n  id       = \"/proc/self/environ\"\n}\n"}, false, "import into other_file.e"},
		{"import into a module", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\nimport {\n  to = module.m.x_file.e\n  id = \"/proc/self/environ\"\n}\n", "m/m.tf": "terraform {\n  required_providers {\n    x = { source = \"hashicorp/local\" }\n  }\n}\nresource \"x_file\" \"e\" {\n  filename = \"/tmp/x\"\n}\n"}, false, "import into x_file.e"},
		{"import with for_each", map[string]string{"main.tf": "import {\n  for_each = toset([\"/proc/self/environ\"])\n  to       = local_file.e[each.key]\n  id       = each.value\n}\n"}, false, "import into local_file.e"},
		{"import in JSON with for_each", map[string]string{"main.tf.json": `{"import": [{"for_each": "${toset([\"/proc/self/environ\"])}", "to": "local_file.e[each.key]", "id": "${each.value}"}]}`}, false, "import into local_file.e"},
		{"import whose resource an override file moves to local", map[string]string{
			"main.tf":     "import {\n  to = terraform_data.e\n  id = \"/proc/self/environ\"\n}\nresource \"terraform_data\" \"e\" {\n}\n",
			"override.tf": "resource \"terraform_data\" \"e\" {\n  provider = local\n}\n",
		}, false, "import into terraform_data.e of registry.terraform.io/hashicorp/local"},
		{"import in JSON with a provider string", map[string]string{"main.tf.json": `{"import": [{"to": "other_file.e", "provider": "local.a", "id": "/proc/self/environ"}]}`}, false, "import into other_file.e of registry.terraform.io/hashicorp/local"},
		{"import whose to cannot be read", map[string]string{"main.tf": "import {\n  to = local_file.e[each.key].x.y\n  id = \"/proc/self/environ\"\n}\n"}, false, "cannot be read"},
		// Left to the gate: a host writer's resource writes at apply
		// (allow_host_writes); importing another provider's resource is
		// what that provider reads with the runner's credentials, as its
		// data sources do.
		{"local_file resource", map[string]string{"main.tf": "resource \"local_file\" \"f\" {\n  filename = \"/tmp/x\"\n  content  = \"x\"\n}\n"}, false, ""},
		{"import of another provider's resource", map[string]string{"main.tf": "import {\n  to = aws_s3_bucket.b\n  id = \"b\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n}\n"}, false, ""},
		{"data source of another provider", map[string]string{"main.tf": "data \"aws_caller_identity\" \"c\" {\n}\n"}, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, src := range c.files {
				write(t, filepath.Join(dir, filepath.FromSlash(p)), src)
			}
			host := TerraformRegistry
			if c.tofu {
				host = OpenTofuRegistry
			}
			err := CheckProviderCode(dir, host, pol)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("allowed, want a refusal naming %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("refused, but the message does not name %q: %v", c.want, err)
			}
		})
	}
}
