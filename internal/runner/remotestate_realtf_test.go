package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanRefusesRemoteStateBeforeInit, with real Terraform: a
// terraform_remote_state data source is read at plan time with the
// runner's credentials, through the backend its configuration names. An
// s3 configuration whose profile is in shared_config_files = ["aws.tf"]
// (sent as a configuration file: a Terraform comment that the AWS SDK
// reads as a profile) runs the profile's credential_process during the
// plan, as an attacker's review found. The runner refuses it before init;
// a remote state the policy allows exactly plans.
func TestPlanRefusesRemoteStateBeforeInit(t *testing.T) {
	base := t.TempDir()
	pinned := filepath.Join(base, "prod.tfstate")
	marker := filepath.Join(base, "credential-process-ran")
	awsTF := fmt.Sprintf("/*\n[profile evil]\ncredential_process = echo ran >> %s && printf '{\"Version\":1,\"AccessKeyId\":\"AKIAX\",\"SecretAccessKey\":\"x\"}'\nregion = us-east-1\n*/\n", marker)
	remote := `data "terraform_remote_state" "net" {
  backend = "s3"
  config = {
    bucket                      = "acme-tf"
    key                         = "net.tfstate"
    region                      = "us-east-1"
    profile                     = "evil"
    shared_config_files         = ["aws.tf"]
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    max_retries                 = 1
    endpoints                   = { s3 = "http://127.0.0.1:9" }
    use_path_style              = true
  }
}
`
	// The policy allows one local remote state.
	net := filepath.Join(base, "net.tfstate")
	write(t, net, `{"version":4,"terraform_version":"1.8.5","serial":1,"lineage":"net","outputs":{"vpc":{"value":"vpc-1","type":"string"}},"resources":[]}`)
	r := newRealRunner(t, basePolicy(localState(pinned)+fmt.Sprintf("remote_state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", net)), "")
	allowed := fmt.Sprintf("data \"terraform_remote_state\" \"net\" {\n  backend = \"local\"\n  config = {\n    path = %q\n  }\n}\n", net)
	for name, files := range map[string]map[string]string{
		"in main.tf":  {"main.tf": localBackend(pinned) + appResource + remote, "aws.tf": awsTF},
		"in a module": {"main.tf": localBackend(pinned) + appResource + "module \"m\" {\n  source = \"./m\"\n}\n", "m/main.tf": remote, "aws.tf": awsTF},
		// The allowed one in main.tf, made the s3 one by an override.
		"in an override file": {"main.tf": localBackend(pinned) + appResource + allowed, "net_override.tf": remote, "aws.tf": awsTF},
	} {
		t.Run(name, func(t *testing.T) {
			res, out := r.plan(t, files)
			if _, err := os.Stat(marker); err == nil {
				_ = os.Remove(marker)
				t.Fatalf("the remote state's credential_process ran with the runner's credentials (exit %d):\n%s", res.Exit, out)
			}
			if strings.Contains(out, "Initializing") || res.Exit != ExitError || !strings.Contains(res.Error, "terraform_remote_state") {
				t.Fatalf("exit %d, error %q\n%s", res.Exit, res.Error, out)
			}
			t.Logf("refused: %s", res.Error)
		})
	}
	// Allowed exactly: the local remote state the policy names.
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + allowed + "resource \"terraform_data\" \"app\" {\n  input = data.terraform_remote_state.net.outputs.vpc\n}\n"})
	if res.Exit != ExitAllow || !strings.Contains(out, "data.terraform_remote_state.net") {
		t.Fatalf("the allowed remote state: exit %d %s\n%s", res.Exit, res.Error, out)
	}
}
