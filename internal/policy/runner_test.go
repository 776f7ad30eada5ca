package policy

import (
	"os"
	"strings"
	"testing"
)

func TestRunnerBlock(t *testing.T) {
	const head = "scope = \"prod\"\ntrust {\n  allowed_signers = \"a\"\n}\nprotect \"db\" {\n  types = [\"terraform_data\"]\n}\n"
	for _, c := range []struct {
		src  string
		want int
		err  string
	}{
		{"", DefaultPlanApprovals, ""},
		{"runner {}\n", DefaultPlanApprovals, ""},
		{"runner {\n  plan_approvals = 0\n}\n", 0, ""},
		{"runner {\n  plan_approvals = 2\n}\n", 2, ""},
		{"runner {\n  plan_approvals = -1\n}\n", 0, "Invalid plan_approvals"},
		{"runner {\n  plan_approvals = 1.5\n}\n", 0, "whole number"},
		{"runner {\n  approvals = 1\n}\n", 0, "Unsupported argument"},
		{"runner {}\nrunner {}\n", 0, "Duplicate runner block"},
		{"runner \"x\" {}\n", 0, "Extraneous label"},
		{"runner {\n  deny_data_sources = [\"aws_*\"]\n}\n", 0, "Invalid deny_data_sources"},
		{"runner {\n  deny_data_sources = []\n}\n", 0, "Empty deny_data_sources"},
		{"runner {\n  deny_data_sources = [\"http\", \"http\"]\n}\n", 0, "Duplicate value"},
		{"runner {\n  deny_data_sources = var.x\n}\n", 0, "Variables not allowed"},
		{"runner {\n  deny_data_sources = [\"http\", \"aws_secretsmanager_secret_version\"]\n}\n", DefaultPlanApprovals, ""},
	} {
		p, err := Parse([]byte(head+c.src), "planguard.hcl")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if strings.Contains(c.src, "deny_data_sources") && strings.Join(p.Runner.DenyDataSources, ",") != "http,aws_secretsmanager_secret_version" {
			t.Errorf("%q: deny_data_sources %q", c.src, p.Runner.DenyDataSources)
		}
		if p.Runner.PlanApprovals != c.want {
			t.Errorf("%q: plan_approvals %d, want %d", c.src, p.Runner.PlanApprovals, c.want)
		}
	}
}

// TestRunnerGuideExample parses the runner guide's policy, so that the
// guide cannot drift from the parser.
func TestRunnerGuideExample(t *testing.T) {
	b, err := os.ReadFile("../../templates/guides/agents-without-credentials.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## The policy")
	if !ok {
		t.Fatal("the guide has no policy section")
	}
	_, example, _ := strings.Cut(section, "```hcl\n")
	example, _, _ = strings.Cut(example, "```")
	p, err := Parse([]byte(example), "planguard.hcl")
	if err != nil {
		t.Fatalf("%v\n%s", err, example)
	}
	if p.Runner.PlanApprovals != 1 || !p.RestrictsProviders() || !p.AllowsProvider("terraform.io/builtin/terraform") || p.State == nil || p.LockFilePath == "" {
		t.Errorf("runner %+v providers %v", p.Runner, p.Providers)
	}
}
