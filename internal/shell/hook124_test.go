package shell

import "testing"

// Review hook124 (on a5d3f91): Terraform, OpenTofu and their wrappers
// fetched by a package runner with a version or tag (npx
// @jahed/terraform@1.11.4, uvx terraform==1.0, npx tflocal@1: H1); nix run
// of an installable's program (nixpkgs#opentofu: M1); flox activate -c
// (M2).
var h124Refused = []h32Case{
	{cmd: "npx -y @jahed/terraform@1.11.4 destroy -auto-approve"},
	{cmd: "npx terraform@1 apply -auto-approve"},
	{cmd: "npx opentofu@1 destroy -auto-approve"},
	{cmd: "npx tflocal@1 destroy -auto-approve"},
	{cmd: "uvx terraform==1.0 destroy -auto-approve"},
	{cmd: "uvx tflocal@latest destroy -auto-approve"},
	{cmd: "pnpm dlx @jahed/terraform@1.11.4 destroy -auto-approve"},
	{cmd: "yarn dlx terraform@latest destroy -auto-approve"},
	{cmd: "npm exec @jahed/terraform@1.11.4 -- destroy -auto-approve"},
	{cmd: "bunx @jahed/terraform@latest state rm terraform_data.prod_db"},
	{cmd: "nix run nixpkgs#opentofu -- destroy -auto-approve"},
	{cmd: "nix run nixpkgs#terraform destroy -auto-approve"},
	{cmd: "nix run .#terraform -- apply -auto-approve"},
	{cmd: "flox activate -c '@TF@ destroy -auto-approve'"},
}

var h124Allowed = []string{
	"npx prettier@3 --write .",
	"uvx ruff@0.5 check",
	"npx -y @jahed/terraform@1.11.4 plan",
	"nix run nixpkgs#hello",
	"flox activate -c 'make test'",
}

func TestHook124Refused(t *testing.T) {
	hookRefused(t, h124Refused)
}

func TestHook124Allowed(t *testing.T) {
	hookAllowed(t, h124Allowed)
}
