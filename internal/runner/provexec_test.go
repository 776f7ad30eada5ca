package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

const execPolicy = `scope = "prod"
trust {
  allowed_signers = "as"
}
protect "db" {
  types = ["terraform_data"]
}
providers = ["registry.terraform.io/hashicorp/kubernetes", "registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/external", "terraform.io/builtin/terraform"]
provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  args     = ["eks", "get-token"]
  env      = { AWS_PROFILE = "prod" }
}
provider_exec {
  provider = "registry.terraform.io/hashicorp/aws"
  command  = "/etc/aws/config"
}
allow_apply_reads = ["data.external.ok"]
`

// TestCheckProviderCode: before init, the runner reads the configuration's
// provider blocks (native and JSON syntax, every module) with the gate's
// rules and refuses every command or file setting no provider_exec block
// allows exactly, any that is not literal, any dynamic block, and any data
// source of a program provider allow_apply_reads does not list.
func TestCheckProviderCode(t *testing.T) {
	pol, err := policy.Parse([]byte(execPolicy), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	allowedExec := "provider \"kubernetes\" {\n  exec {\n    command = \"aws\"\n    args    = [\"eks\", \"get-token\"]\n    env     = { AWS_PROFILE = \"prod\" }\n  }\n}\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // "" = allowed
	}{
		{"allowed exactly", map[string]string{"main.tf": allowedExec}, ""},
		{"allowed exactly, JSON", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {"exec": {"command": "aws", "args": ["eks", "get-token"], "env": {"AWS_PROFILE": "prod"}}}}}`}, ""},
		{"allowed exactly, JSON list of blocks", map[string]string{"main.tf.json": `{"provider": {"kubernetes": [{"exec": [{"command": "aws", "args": ["eks", "get-token"], "env": {"AWS_PROFILE": "prod"}}]}]}}`}, ""},
		{"a template literal in JSON", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {"exec": {"command": "${\"aws\"}", "args": ["eks", "get-token"], "env": {"AWS_PROFILE": "prod"}}}}}`}, ""},
		{"other args", map[string]string{"main.tf": strings.Replace(allowedExec, `"get-token"]`, `"get-token", "x"]`, 1)}, "no provider_exec block"},
		{"env missing", map[string]string{"main.tf": strings.Replace(allowedExec, `    env     = { AWS_PROFILE = "prod" }`+"\n", "", 1)}, "no provider_exec block"},
		{"env added in JSON", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {"exec": {"command": "aws", "args": ["eks", "get-token"], "env": {"AWS_PROFILE": "prod", "X": "y"}}}}}`}, "no provider_exec block"},
		{"sh", map[string]string{"main.tf": "provider \"kubernetes\" {\n  exec {\n    command = \"sh\"\n    args = [\"-c\", \"env\"]\n  }\n}\n"}, "sh -c env"},
		{"computed command", map[string]string{"main.tf": "provider \"kubernetes\" {\n  exec {\n    command = var.c\n  }\n}\nvariable \"c\" {}\n"}, "var.c"},
		{"function call", map[string]string{"main.tf": "provider \"kubernetes\" {\n  exec {\n    command = lower(\"AWS\")\n  }\n}\n"}, "not a literal"},
		{"JSON template reference", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {"exec": {"command": "${var.c}"}}}}`}, "var.c"},
		{"dynamic block", map[string]string{"main.tf": "provider \"kubernetes\" {\n  dynamic \"exec\" {\n    for_each = [1]\n    content {\n      command = \"aws\"\n    }\n  }\n}\n"}, "dynamic"},
		{"dynamic block, JSON", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {"dynamic": {"exec": {"for_each": [1], "content": {"command": "sh"}}}}}}`}, "dynamic"},
		{"provider twice in a JSON object", map[string]string{"main.tf.json": `{"provider": {"kubernetes": {}}, "provider": {"kubernetes": {"exec": {"command": "sh"}}}}`}, "twice"},
		{"nested block (helm kubernetes.exec)", map[string]string{"main.tf": "provider \"kubernetes\" {\n  kubernetes {\n    exec {\n      command = \"sh\"\n    }\n  }\n}\n"}, "kubernetes.exec"},
		{"credential_process", map[string]string{"main.tf": "provider \"aws\" {\n  credential_process = \"sh -c id\"\n}\n"}, "credential_process"},
		{"token_command", map[string]string{"main.tf": "provider \"aws\" {\n  token_command = [\"sh\"]\n}\n"}, "token_command"},
		{"profile and shared_config_files", map[string]string{"main.tf": "provider \"aws\" {\n  profile = \"x\"\n  shared_config_files = [\"a.tfvars\"]\n}\n"}, "shared_config_files"},
		{"allowed shared_config_files", map[string]string{"main.tf": "provider \"aws\" {\n  shared_config_files = [\"/etc/aws/config\"]\n}\n"}, ""},
		{"config_path", map[string]string{"main.tf": "provider \"kubernetes\" {\n  config_path = \"k.tfvars.json\"\n}\n"}, "config_path"},
		{"a web identity token file", map[string]string{"main.tf": "provider \"aws\" {\n  assume_role_with_web_identity {\n    web_identity_token_file = \"/proc/self/environ\"\n  }\n}\n"}, "web_identity_token_file"},
		{"in a module, aliased", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/p.tf": "provider \"kubernetes\" {\n  alias = \"x\"\n  exec {\n    command = \"sh\"\n  }\n}\n"}, "./m:kubernetes.x"},
		{"external data source not listed", map[string]string{"main.tf": "data \"external\" \"x\" {\n  program = [\"sh\"]\n}\n"}, "allow_apply_reads"},
		// allow_apply_reads lists data.external.ok: through the runner the
		// agent writes what is at that address, so it allows nothing here.
		{"external data source listed", map[string]string{"main.tf": "data \"external\" \"ok\" {\n  program = [\"true\"]\n}\n"}, "whatever allow_apply_reads"},
		{"external data source counted", map[string]string{"main.tf": "data \"external\" \"ok\" {\n  count = 1\n  program = [\"true\"]\n}\n"}, "data.external.ok of registry.terraform.io/hashicorp/external"},
		{"external data source in a module", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/d.tf": "data \"external\" \"ok\" {\n  program = [\"true\"]\n}\n"}, "m/d.tf:1"},
		{"external ephemeral resource", map[string]string{"main.tf": "ephemeral \"external\" \"t\" {\n  program = [\"sh\"]\n}\n"}, "ephemeral resource ephemeral.external.t"},
		{"external provider function", map[string]string{"main.tf": "output \"o\" {\n  value = provider::external::run([\"sh\"])\n}\n"}, "function provider::external::run"},
		{"program provider function under another local name", map[string]string{"main.tf": "terraform {\n  required_providers {\n    x = { source = \"hashicorp/external\" }\n  }\n}\nlocals {\n  y = provider::x::run([\"sh\"])\n}\n"}, "function provider::x::run"},
		{"program provider function in a provider block", map[string]string{"main.tf": "provider \"aws\" {\n  region = provider::external::run([\"sh\"])\n}\n"}, "function provider::external::run"},
		{"program provider function in JSON", map[string]string{"main.tf.json": `{"output": {"o": {"value": "${provider::external::run([\"sh\"])}"}}}`}, "function provider::external::run"},
		{"program provider function in JSON, comment", map[string]string{"main.tf.json": `{"output": {"o": {"value": "${provider/**/::external::run([\"sh\"])}"}}}`}, "provider"},
		{"function of a provider that runs no program", map[string]string{"main.tf": "output \"o\" {\n  value = provider::aws::arn_parse(\"x\")\n}\n"}, ""},
		{"unknown namespace", map[string]string{"main.tf": "output \"o\" {\n  value = other::x::y()\n}\n"}, "namespace"},
		{"external data source through a fullwidth source", map[string]string{"main.tf": "terraform {\n  required_providers {\n    p = { source = \"hashicorp/ｅxternal\" }\n  }\n}\ndata \"p_x\" \"x\" {\n}\n"}, "registry.terraform.io/hashicorp/external"},
		{"external data source through an override file", map[string]string{
			"main.tf":       "terraform {\n  required_providers {\n    p = { source = \"terraform.io/builtin/terraform\" }\n  }\n}\ndata \"p_x\" \"x\" {\n}\n",
			"a_override.tf": "terraform {\n  required_providers {\n    p = { source = \"hashicorp/external\" }\n  }\n}\n",
		}, "registry.terraform.io/hashicorp/external"},
		{"override data block moves a data source to a program provider", map[string]string{
			"main.tf":     "terraform {\n  required_providers {\n    p = { source = \"terraform.io/builtin/terraform\" }\n  }\n}\ndata \"terraform_remote_state\" \"x\" {\n  backend = \"local\"\n}\n",
			"override.tf": "data \"terraform_remote_state\" \"x\" {\n  provider = external\n}\n",
		}, "hashicorp/external"},
		{"program provider function in JSON, escaped", map[string]string{"main.tf.json": `{"locals": {"x": "${\u0070rovider\u003a\u003aexternal::run([])}"}}`}, "function provider::external::run"},
		{"program provider function in a JSON key", map[string]string{"main.tf.json": `{"locals": {"x": {"${provider::external::run([])}": 1}}}`}, "function provider::external::run"},
		{"program provider function in a module", map[string]string{"main.tf": "module \"m\" {\n  source = \"./m\"\n}\n", "m/m.tf": "locals {\n  x = provider::external::run([])\n}\n"}, "m/m.tf"},
		{"ephemeral through an aliased provider", map[string]string{"main.tf": "terraform {\n  required_providers {\n    e = { source = \"hashicorp/external\" }\n  }\n}\nprovider \"e\" {\n  alias = \"a\"\n}\nephemeral \"other_x\" \"t\" {\n  provider = e.a\n}\n"}, "ephemeral.other_x.t"},
		{"provider block in an override file", map[string]string{"main.tf": "provider \"aws\" {\n  region = \"x\"\n}\n", "override.tf": "provider \"aws\" {\n  region = \"y\"\n}\n"}, "override file"},
		{"external data source in a check block", map[string]string{"main.tf": "check \"c\" {\n  data \"external\" \"x\" {\n    program = [\"sh\"]\n  }\n  assert {\n    condition     = true\n    error_message = \"x\"\n  }\n}\n"}, "allow_apply_reads"},
		{"harmless provider block", map[string]string{"main.tf": "provider \"aws\" {\n  region = \"eu-west-1\"\n  default_tags {\n    tags = { team = \"x\" }\n  }\n}\n"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, src := range c.files {
				write(t, filepath.Join(dir, filepath.FromSlash(p)), src)
			}
			err := CheckProviderCode(dir, TerraformRegistry, pol)
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

// TestTfvarsMustBeVariableDefinitions: a *.tfvars file is taken only as
// literal variable definitions, a *.tfvars.json file only as one JSON
// object of them: an AWS profile file cannot come in as x.tfvars.
func TestTfvarsMustBeVariableDefinitions(t *testing.T) {
	main := File{Path: "main.tf", Data: []byte(appResource)}
	for name, c := range map[string]struct {
		path, data string
		ok         bool
	}{
		"literal values":       {"a.tfvars", "region = \"eu-west-1\"\ncount = 3\ntags = { a = \"b\" }\nlist = [1, 2]\n", true},
		"json object":          {"m/a.tfvars.json", `{"region": "eu-west-1", "tags": {"a": "b"}}`, true},
		"empty":                {"a.tfvars", "", true},
		"aws profile (INI)":    {"aws.tfvars", "[profile evil]\ncredential_process = sh -c 'env > /tmp/x'\n", false},
		"a block":              {"a.tfvars", "x {\n  y = 1\n}\n", false},
		"a reference":          {"a.tfvars", "x = var.y\n", false},
		"a function call":      {"a.tfvars", "x = file(\"/etc/passwd\")\n", false},
		"json array":           {"a.tfvars.json", `["x"]`, false},
		"json after an object": {"a.tfvars.json", `{"a": 1} {"b": 2}`, false},
		"json template":        {"a.tfvars.json", `{"a": "${var.x}"}`, false},
		"yaml":                 {"k.tfvars.json", "apiVersion: v1\nkind: Config\n", false},
	} {
		err := Materialize(t.TempDir(), []File{main, {Path: c.path, Data: []byte(c.data)}}, DefaultLimits)
		if c.ok != (err == nil) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestNullValuesDoNotPanic: a typed null (a conditional whose result is
// null) where the runner reads a string is an error, not a panic: cty's
// AsString panics on a null, and the connection's goroutine died with the
// whole runner.
func TestNullValuesDoNotPanic(t *testing.T) {
	for name, src := range map[string]string{
		"required_providers key":    "terraform {\n  required_providers {\n    x = { (true ? null : \"source\") = \"hashicorp/x\" }\n  }\n}\n",
		"required_providers source": "terraform {\n  required_providers {\n    x = { source = (true ? null : \"hashicorp/x\") }\n  }\n}\n",
		"resource provider":         "resource \"terraform_data\" \"y\" {\n  provider = (true ? null : \"x\")\n}\n",
		"import provider":           "import {\n  provider = (true ? null : \"x\")\n  to = terraform_data.y\n  id = \"1\"\n}\n",
		"module source":             "module \"m\" {\n  source = (true ? null : \"./m\")\n}\n",
		"provider alias":            "provider \"aws\" {\n  alias = (true ? null : \"x\")\n  profile = (true ? null : \"x\")\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "main.tf"), src)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("RequiredProviders panicked: %v", r)
					}
				}()
				_, _ = RequiredProviders(dir, TerraformRegistry)
			}()
			pol, err := policy.Parse([]byte(execPolicy), "planguard.hcl")
			if err != nil {
				t.Fatal(err)
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("CheckProviderCode panicked: %v", r)
					}
				}()
				_ = CheckProviderCode(dir, TerraformRegistry, pol)
			}()
		})
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), "resource \"terraform_data\" \"y\" {\n  provider = (true ? null : \"x\")\n}\n")
	if _, err := RequiredProviders(dir, TerraformRegistry); err == nil || !strings.Contains(err.Error(), "reference") {
		t.Errorf("a null provider reference: %v", err)
	}
}

// TestReservedPaths: a path that uses a name Terraform's local backend
// writes is refused by the runner, and a directory of that name by the
// client (a directory of workspace states is left out).
func TestReservedPaths(t *testing.T) {
	for _, p := range []string{"terraform.tfstate/pad.tf", "terraform.tfstate.backup/a.tf", "m/terraform.tfstate.d/x.tf", "terraform.tfstate/a.tfvars"} {
		err := Materialize(t.TempDir(), []File{{Path: "main.tf", Data: []byte(appResource)}, {Path: p, Data: []byte("# x\n")}}, DefaultLimits)
		if err == nil || !strings.Contains(err.Error(), "local backend") {
			t.Errorf("%s: %v", p, err)
		}
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), appResource)
	write(t, filepath.Join(dir, "terraform.tfstate"), "{}")
	write(t, filepath.Join(dir, "terraform.tfstate.d", "ws", "terraform.tfstate"), "{}")
	if files, err := Collect(dir, DefaultLimits); err != nil || len(files) != 1 {
		t.Errorf("a local state beside the configuration is left out: %v %v", files, err)
	}
	write(t, filepath.Join(dir, "terraform.tfstate.backup", "pad.tf"), "# x\n")
	if _, err := Collect(dir, DefaultLimits); err == nil || !strings.Contains(err.Error(), "local backend") {
		t.Errorf("a directory named like a state file: %v", err)
	}
}
