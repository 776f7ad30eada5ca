package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Review runner32 (issue 17), with real Terraform and a real runner.

// TestR32ShowRevealsSensitiveContent (M1): the agent wraps a change's
// content in sensitive(). The plan reply and `runner show` list the masked
// value with a warning; `runner show --reveal` prints it for a reviewer uid
// (serve --reviewer-uid), and refuses the agent.
func TestR32ShowRevealsSensitiveContent(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	reviewer := ensureUser(t, agent2User)
	l := newR2Lab(t, r2Options{tf: tf, extraAllowUID: []int{reviewer.uid}, extraArgs: []string{"--reviewer-uid", strconv.Itoa(reviewer.uid)}})
	dir := l.config("hide", map[string]string{"main.tf": l.backend + `resource "terraform_data" "iam_policy" {
  input = sensitive(jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*", Principal = "agent" }] }))
}
`})
	code, out := l.client(nil, "plan", dir)
	if code != 0 || !strings.Contains(out, "WARNING: 1 value(s) of this plan's resource changes are masked") || !strings.Contains(out, "  terraform_data.iam_policy: input (after)\n") {
		t.Fatalf("plan: exit %d, want 0 with the masked value listed:\n%s", code, out)
	}
	id := l.planID(out)
	if n := strings.Count(out, "provider binaries were not pinned"); n != 1 {
		t.Errorf("the pinning warning appears %d times:\n%s", n, out)
	}
	code, out = l.client(nil, "show", id)
	if code != 0 || !strings.Contains(out, "terraform_data.iam_policy: input (after)") || strings.Contains(out, `Action`) {
		t.Fatalf("show: exit %d:\n%s", code, out)
	}
	code, out = l.client(nil, "show", "--reveal", id)
	if code != 2 || !strings.Contains(out, "only a reviewer may") || strings.Contains(out, `Action`) {
		t.Fatalf("show --reveal by the agent: exit %d, want 2 refused:\n%s", code, out)
	}
	code, out = l.client(&reviewer, "show", "--reveal", id)
	if code != 0 || !strings.Contains(out, `terraform_data.iam_policy: input (after) = "{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\",\"Principal\":\"agent\",\"Resource\":\"*\"}]}"`) {
		t.Fatalf("show --reveal by the reviewer: exit %d:\n%s", code, out)
	}
}

// TestR32CredentialReadsRefused (M2): nonsensitive() and a data source
// that returns the provider's own token (google_client_config, allowed
// provider) or a type of the policy's deny_data_sources are refused before
// init, naming the file and line; nothing is installed or run.
func TestR32CredentialReadsRefused(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	l := newR2Lab(t, r2Options{tf: tf, extraProviders: []string{`"registry.terraform.io/hashicorp/google"`, `"registry.terraform.io/hashicorp/http"`},
		runnerExtra: "  deny_data_sources = [\"http\"]\n"})
	for _, c := range []struct {
		name, src, want string
	}{
		{"nonsensitive", `variable "t" {
  default   = "x"
  sensitive = true
}
output "o" {
  value = nonsensitive(var.t)
}
`, "main.tf:11,11-23: nonsensitive()"},
		{"google_client_config", `data "google_client_config" "c" {}
output "o" {
  value     = data.google_client_config.c.access_token
  sensitive = true
}
`, `main.tf:6,1-32: data "google_client_config" "c" returns the runner's credentials`},
		{"deny_data_sources", `data "http" "md" {
  url = "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token"
}
`, `main.tf:6,1-17: data "http" "md"`},
	} {
		dir := l.config(c.name, map[string]string{"main.tf": l.backend + c.src})
		code, out := l.client(nil, "plan", dir)
		if code != 2 || !strings.Contains(out, "configuration refused before init") || !strings.Contains(out, c.want) || strings.Contains(out, "Initializing") {
			t.Errorf("%s: exit %d, want 2 refused before init with %q:\n%s", c.name, code, c.want, out)
		}
	}
}
