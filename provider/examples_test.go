package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
)

// TestAccExamples applies the documented examples, as written, so they never
// rot: examples/provider/provider.tf (with its required_providers block and
// the trust file) and examples/resources/planguard_approval/resource.tf (with
// its ssh-keygen-made signature, from sign.sh). The signature must verify
// against the example's allowed_signers: any warning fails the test.
func TestAccExamples(t *testing.T) {
	providerTF := readFile(t, "../examples/provider/provider.tf")
	resourceTF := readFile(t, "../examples/resources/planguard_approval/resource.tf")
	dir, err := filepath.Abs("../examples/resources/planguard_approval")
	if err != nil {
		t.Fatal(err)
	}
	// The test harness links the subdirectories of the directory it starts
	// in (approvals/, policy/) into Terraform's working directory, where
	// file() finds them.
	t.Chdir(dir)
	// provider.tf names the provider's real source, planguard/planguard;
	// tell the harness which namespace to serve the in-process provider as.
	// (Under OpenTofu, TF_ACC_PROVIDER_HOST=registry.opentofu.org is needed
	// too, as for every acceptance test.)
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "planguard")

	want := approval.Statement{
		Scope:     "prod",
		Target:    "module.data.aws_db_instance.legacy",
		Action:    "delete",
		Reason:    "CHG-1042: legacy database retired after migration",
		ExpiresAt: "2027-03-01T00:00:00Z",
		Identity:  "legacy-db-1",
	}
	const addr = "planguard_approval.retire_legacy_db"
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: providerTF + "\n" + resourceTF,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(mustID(t, want))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("payload"), knownvalue.StringExact(string(mustPayload(t, want)))),
			},
		}},
	})
	rec.wantWarnings(t)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	return string(b)
}
