package shell

import "testing"

// Review hook115 (on e9c01f3): Terraform or OpenTofu built and run by go
// run from the module proxy (H1, not run here: it compiles Terraform);
// CDK for Terraform's deploy and destroy, and the other wrappers that run
// terraform apply themselves (H2). planguard apply behind env -u is tested
// by the hook command (planguard/hook115_test.go).
var h115Refused = []h32Case{
	{cmd: "go run github.com/hashicorp/terraform@v1.8.5 destroy -auto-approve"},
	{cmd: "go run github.com/hashicorp/terraform@latest state rm terraform_data.prod_db"},
	{cmd: "go run github.com/opentofu/opentofu/cmd/tofu@v1.8.0 destroy -auto-approve"},
	{cmd: "npx -y cdktf-cli@0.21.0 destroy --skip-synth --auto-approve"},
	{cmd: "cdktf deploy --auto-approve"},
	{cmd: "npm exec -y cdktf-cli -- destroy --auto-approve"},
	{cmd: "tflocal destroy -auto-approve"},
	{cmd: "terraspace down demo -y"},
}

var h115Allowed = []string{
	"go run ./cmd/server",
	"go run github.com/x/tool@latest -h",
	"go run github.com/hashicorp/terraform@v1.8.5 plan",
	"cdktf synth",
	"npx -y cdktf-cli synth",
}

func TestHook115Refused(t *testing.T) {
	hookRefused(t, h115Refused)
}

func TestHook115Allowed(t *testing.T) {
	hookAllowed(t, h115Allowed)
}
