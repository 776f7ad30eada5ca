package policy

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestGuideProvisioningExample parses the guide's allow_provisioners and
// providers example, so that the guide cannot drift from the parser.
func TestGuideProvisioningExample(t *testing.T) {
	b, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Code the apply runs")
	if !ok {
		t.Fatal("guide has no provisioning section")
	}
	_, example, _ := strings.Cut(section, "```hcl\n")
	example, _, _ = strings.Cut(example, "```")
	src := "scope = \"prod\"\ntrust {\n  allowed_signers = \"a\"\n}\nprotect \"db\" {\n  types = [\"aws_db_instance\"]\n  approvals = 3\n  max_ttl = \"2h\"\n}\n" + example
	p, err := Parse([]byte(src), "planguard.hcl")
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if len(p.AllowProvisioners) != 1 || !reflect.DeepEqual(p.AllowProvisioners[0].Types, []string{"local-exec"}) {
		t.Errorf("allow_provisioners: %+v", p.AllowProvisioners)
	}
	for src, want := range map[string]bool{
		"registry.terraform.io/hashicorp/aws":       true,
		"registry.opentofu.org/planguard/planguard": true,
		"terraform.io/builtin/terraform":            true,
		"registry.terraform.io/hashicorp/external":  false,
		"registry.terraform.io/evil/aws":            false,
	} {
		if p.AllowsProvider(src) != want {
			t.Errorf("AllowsProvider(%s) = %v", src, !want)
		}
	}
	for _, c := range []struct {
		addr, typ string
		want      []string
	}{
		{"terraform_data.housekeeping", "local-exec", []string{"housekeeping"}},
		{`terraform_data.housekeeping_2["x"]`, "local-exec", []string{"housekeeping"}},
		{`module.ops.terraform_data.x[0]`, "local-exec", []string{"housekeeping"}},
		{"terraform_data.housekeeping", "remote-exec", nil},
		{"terraform_data.other", "local-exec", nil},
		{`module.ops2.terraform_data.x`, "local-exec", nil},
		{"not an address", "local-exec", nil},
	} {
		if got := p.AllowingProvisioner(c.addr, c.typ); !reflect.DeepEqual(got, c.want) {
			t.Errorf("AllowingProvisioner(%s, %s) = %v, want %v", c.addr, c.typ, got, c.want)
		}
	}
	req := p.ProvisionRequirement("aws_db_instance.main", "aws_db_instance")
	if req.Approvals != 3 || req.MaxTTL.Hours() != 2 || !reflect.DeepEqual(req.Rules, []string{"db"}) {
		t.Errorf("ProvisionRequirement on a protected resource: %+v", req)
	}
	if req := p.ProvisionRequirement("terraform_data.x", "terraform_data"); req.Approvals != DefaultProvisionApprovals || len(req.Rules) != 0 {
		t.Errorf("ProvisionRequirement default: %+v", req)
	}
}
