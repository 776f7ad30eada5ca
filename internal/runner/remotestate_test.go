package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestCheckRemoteStates: before init, the runner refuses a configuration
// whose terraform_remote_state data sources (in any module, in a check
// block, native or JSON syntax) a remote_state block of the policy does
// not allow exactly, or that it cannot read; terraform plan would read them
// with the runner's credentials.
func TestCheckRemoteStates(t *testing.T) {
	pol, err := policy.Parse([]byte(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  types = ["x"]
}
remote_state {
  backend = "s3"
  config  = { bucket = "acme-tf", key = "net.tfstate" }
}
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	const ok = `data "terraform_remote_state" "net" {
  backend = "s3"
  config = {
    bucket = "acme-tf"
    key    = "net.tfstate"
  }
}
`
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // "" = allowed
	}{
		{"none", map[string]string{"main.tf": `resource "terraform_data" "x" {}`}, ""},
		{"allowed exactly", map[string]string{"main.tf": ok}, ""},
		{"allowed, JSON", map[string]string{"main.tf.json": `{"data":{"terraform_remote_state":{"net":{"backend":"s3","config":{"bucket":"acme-tf","key":"net.tfstate"},"workspace":"default"}}}}`}, ""},
		{"a setting more", map[string]string{"main.tf": strings.Replace(ok, `key    = "net.tfstate"`, "key = \"net.tfstate\"\n    profile = \"x\"\n    shared_config_files = [\"aws.tf\"]", 1)}, `no remote_state block of planguard.hcl allows`},
		{"another workspace", map[string]string{"main.tf": strings.Replace(ok, `backend = "s3"`, "backend = \"s3\"\n  workspace = \"other\"", 1)}, `workspace "other"`},
		{"in a module", map[string]string{"main.tf": `module "m" {
  source = "./m"
}
`, "m/main.tf": `data "terraform_remote_state" "x" {
  backend = "local"
  config = { path = "/srv/x.tfstate" }
}
`}, `m/main.tf:1,1-34: data "terraform_remote_state" "x"`},
		{"in a check block", map[string]string{"main.tf": `check "c" {
  data "terraform_remote_state" "x" {
    backend = "local"
  }
  assert {
    condition     = true
    error_message = "x"
  }
}
`}, `backend "local"`},
		{"a reference", map[string]string{"main.tf": strings.Replace(ok, `"net.tfstate"`, `var.key`, 1)}, "config is not a literal value"},
		{"a function", map[string]string{"main.tf": strings.Replace(strings.Replace(ok, `config = {`, `config = merge({`, 1), "  }\n}", "  })\n}", 1)}, "config is not a literal value"},
		{"a JSON template", map[string]string{"main.tf.json": `{"data":{"terraform_remote_state":{"net":{"backend":"s3","config":{"bucket":"acme-tf","key":"${var.key}"}}}}}`}, "template sequence"},
		{"JSON, as an array of blocks", map[string]string{"main.tf.json": `{"data":[{"terraform_remote_state":{"a":{"backend":"local"}}}]}`}, `backend "local"`},
		{"an override file", map[string]string{"main.tf": ok, "x_override.tf": `data "terraform_remote_state" "net" {
  workspace = "other"
}
`}, "override file"},
		{"a file that does not parse", map[string]string{"main.tf": `data "terraform_remote_state" "x" {`}, "read main.tf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tc.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := CheckRemoteStates(dir, pol)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}
