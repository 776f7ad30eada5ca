package policy

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

const execBase = `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  types = ["aws_db_instance"]
}
`

// TestProviderExec: a provider_exec block allows exactly one command line
// of one provider; nothing else matches.
func TestProviderExec(t *testing.T) {
	p := mustParse(t, execBase+`provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  args     = ["eks", "get-token", "--cluster-name", "prod", "--cluster-name", "prod"]
}
provider_exec {
  provider = "registry.terraform.io/hashicorp/aws"
  command  = "aws-vault exec prod --json"
  env      = { AWS_VAULT_BACKEND = "file" }
}
`)
	k8s, args := "registry.terraform.io/hashicorp/kubernetes", []string{"eks", "get-token", "--cluster-name", "prod", "--cluster-name", "prod"}
	env := map[string]string{"AWS_VAULT_BACKEND": "file"}
	for _, c := range []struct {
		source, command string
		args            []string
		env             map[string]string
		want            bool
	}{
		{k8s, "aws", args, nil, true},
		{k8s, "aws", args[:4], nil, false},
		{k8s, "sh", args, nil, false},
		{k8s, "aws", args, env, false},
		{"registry.terraform.io/hashicorp/helm", "aws", args, nil, false},
		{"registry.terraform.io/hashicorp/aws", "aws-vault exec prod --json", nil, env, true},
		{"registry.terraform.io/hashicorp/aws", "aws-vault exec prod --json", nil, nil, false},
		{"registry.terraform.io/hashicorp/aws", "aws-vault exec prod --json", []string{}, map[string]string{"AWS_VAULT_BACKEND": "file", "X": "y"}, false},
	} {
		if got := p.AllowingExec(c.source, c.command, c.args, c.env) != nil; got != c.want {
			t.Errorf("AllowingExec(%s, %q, %q, %v) = %v, want %v", c.source, c.command, c.args, c.env, got, c.want)
		}
	}
}

// TestProgramProvidersAndApplyReads: hashicorp/external runs programs
// whatever the policy says; program_providers adds to it; allow_apply_reads
// lists data source addresses.
func TestProgramProvidersAndApplyReads(t *testing.T) {
	p := mustParse(t, execBase)
	if !p.RunsPrograms("registry.terraform.io/hashicorp/external") || !p.RunsPrograms("registry.opentofu.org/hashicorp/external") || p.RunsPrograms("registry.terraform.io/hashicorp/aws") {
		t.Error("the default program providers are wrong")
	}
	if p.AllowsApplyRead("data.external.x") {
		t.Error("a policy without allow_apply_reads allowed a read")
	}
	p = mustParse(t, execBase+`program_providers = ["example.com/acme/*"]
allow_apply_reads = ["data.external.x", "module.ops.data.external.token[*]"]
`)
	if !p.RunsPrograms("example.com/acme/shell") || !p.RunsPrograms("registry.terraform.io/hashicorp/external") {
		t.Error("program_providers does not add to the defaults")
	}
	for addr, want := range map[string]bool{"data.external.x": true, "data.external.y": false, "module.ops.data.external.token[0]": true, "module.ops.data.external.token": false} {
		if p.AllowsApplyRead(addr) != want {
			t.Errorf("AllowsApplyRead(%s) = %v, want %v", addr, !want, want)
		}
	}
}

func TestProviderExecErrors(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"wildcard provider": {`provider_exec {
  provider = "registry.terraform.io/hashicorp/*"
  command  = "aws"
}`, "without wildcards"},
		"no command": {`provider_exec { provider = "registry.terraform.io/hashicorp/kubernetes" }`, `"command" is required`},
		"empty command": {`provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = ""
}`, "Empty command"},
		"args not a list": {`provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  args     = "eks get-token"
}`, "args must be a list of strings"},
		"env not strings": {`provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  env      = { A = ["x"] }
}`, "env must be a map of strings"},
		"unknown attribute": {`provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  setting  = "exec"
}`, "Unsupported argument"},
		"bad read address":   {`allow_apply_reads = ["external.x"]`, "want a data source instance address"},
		"bad program source": {`program_providers = ["external"]`, "want a provider source address"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(execBase+c.src+"\n"), "policy.hcl")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestGuideProviderCode parses the guide's provider_exec and
// allow_apply_reads examples and checks what the guide says they allow.
func TestGuideProviderCode(t *testing.T) {
	b, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, sec := range []string{"### Commands provider configurations run", "### Data sources read during the apply"} {
		m := regexp.MustCompile("(?s)" + regexp.QuoteMeta(sec) + "\n.*?```hcl\n(.*?)```").FindSubmatch(b)
		if m == nil {
			t.Fatalf("no example under %q in the guide", sec)
		}
		src.Write(m[1])
	}
	p := mustParse(t, execBase+src.String())
	if p.AllowingExec("registry.terraform.io/hashicorp/kubernetes", "aws", []string{"eks", "get-token", "--cluster-name", "prod"}, map[string]string{"AWS_PROFILE": "prod"}) == nil {
		t.Error("the guide's provider_exec does not allow its command")
	}
	if !p.RunsPrograms("registry.example.com/acme/shell") || !p.AllowsApplyRead("module.ops.data.external.token[1]") || p.AllowsApplyRead("data.external.other") {
		t.Error("the guide's program_providers or allow_apply_reads do not say what it says")
	}
}
