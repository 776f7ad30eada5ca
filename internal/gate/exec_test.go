package gate

import (
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestProviderCode: a provider command blocks unless a provider_exec block
// allows exactly its constant command line; one that is not constant, or
// whose provider the plan does not name, can never be allowed; a data
// source of a program-running provider read at apply blocks unless
// allow_apply_reads lists it, and one of another provider is not judged.
func TestProviderCode(t *testing.T) {
	f := setup(t)
	pol, err := policy.Parse([]byte(policySrc+`
provider_exec {
  provider = "registry.terraform.io/hashicorp/kubernetes"
  command  = "aws"
  args     = ["eks", "get-token"]
}
allow_apply_reads = ["data.external.ok"]
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	k8s := func(cmd string, args ...string) plan.ProviderCommand {
		return plan.ProviderCommand{Name: "kubernetes", Provider: "kubernetes", Source: "registry.terraform.io/hashicorp/kubernetes", Setting: "exec", Constant: true, Command: cmd, Args: args}
	}
	read := func(addr, provider string) plan.ApplyRead {
		return plan.ApplyRead{Address: addr, Type: "external", ProviderName: provider, ActionReason: "read_because_config_unknown"}
	}
	computed := k8s("")
	computed.Constant, computed.Unreadable = false, []string{"command: computed from var.cmd"}
	noSource := k8s("aws", "eks", "get-token")
	noSource.Source = ""
	for _, c := range []struct {
		name     string
		cmds     []plan.ProviderCommand
		reads    []plan.ApplyRead
		decision Decision
		problem  string
	}{
		{name: "allowed exactly", cmds: []plan.ProviderCommand{k8s("aws", "eks", "get-token")}, decision: Allow},
		{name: "another command", cmds: []plan.ProviderCommand{k8s("sh", "-c", "aws rds delete-db-instance")}, decision: Block,
			problem: `add a provider_exec block to the policy with provider = "registry.terraform.io/hashicorp/kubernetes", command = "sh", args = ["-c", "aws rds delete-db-instance"]`},
		{name: "one more argument", cmds: []plan.ProviderCommand{k8s("aws", "eks", "get-token", "--role-arn", "x")}, decision: Block, problem: "no provider_exec block"},
		{name: "computed", cmds: []plan.ProviderCommand{computed}, decision: Block, problem: "no policy can allow it"},
		{name: "no source", cmds: []plan.ProviderCommand{noSource}, decision: Block, problem: "does not name its provider source"},
		{name: "external read at apply", reads: []plan.ApplyRead{read("data.external.x", "registry.terraform.io/hashicorp/external")}, decision: Block,
			problem: `allow_apply_reads = ["data.external.x"]`},
		{name: "OpenTofu's external", reads: []plan.ApplyRead{read("data.external.x", "registry.opentofu.org/hashicorp/external")}, decision: Block},
		{name: "allowed read", reads: []plan.ApplyRead{read("data.external.ok", "registry.terraform.io/hashicorp/external")}, decision: Allow},
		{name: "a read of another provider", reads: []plan.ApplyRead{read("data.aws_ami.x", "registry.terraform.io/hashicorp/aws")}, decision: Allow},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &plan.Plan{ProviderCommands: c.cmds, ApplyReads: c.reads}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Errorf("decision %s, want %s: %+v %+v", r.Decision, c.decision, r.ProviderCommands, r.ApplyReads)
			}
			var problems []string
			for _, pc := range r.ProviderCommands {
				problems = append(problems, pc.Problem)
			}
			for _, a := range r.ApplyReads {
				problems = append(problems, a.Problem)
			}
			if !strings.Contains(strings.Join(problems, "\n"), c.problem) {
				t.Errorf("problems %q lack %q", problems, c.problem)
			}
		})
	}
}
