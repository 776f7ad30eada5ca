package e2e

// Attacker review r-runner7 of `planguard runner` (issue 17): a provider
// whose objects are files on the host (the policy's host_writers, always
// hashicorp/local and hashicorp/archive) also READS the host at plan time:
// local_file and local_sensitive_file data sources read any file the
// runner's user can read, archive_file zips one. The runner refused only
// program providers' plan-time code before init, so the agent's
// configuration read /proc/self/environ (the runner's Terraform's
// environment: the env file's apply credentials) or the env file itself,
// and the plan carried it back to the agent. hashicorp/local cannot be
// downloaded here; the e2e test provider, listed in host_writers, has the
// same data source (planguardtest_file reads filename into content), and
// its ephemeral resource and provider function stand for the other
// plan-time code a host writer may have.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// r7HostWriterPolicy appends to the lab's policy host_writers naming the
// test provider (not program_providers) and every allowance that names
// the agent's data source: none of them allows a plan-time read in the
// runner.
func r7HostWriterPolicy(t *testing.T, l *r2Lab) {
	t.Helper()
	p := filepath.Join(l.rdir, "planguard.hcl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	put(t, p, string(b)+fmt.Sprintf(`host_writers      = [%q]
allow_apply_reads = ["data.planguardtest_file.*"]
allow_host_writes "reads" {
  addresses = ["data.planguardtest_file.*", "planguardtest_object.*"]
  paths     = ["/proc/self/environ", %q, %q]
}
`, testbin.TestObjSource, filepath.Join(l.rdir, "runner.env"), filepath.Join(l.loot, "*")), 0o600, &l.run)
}

// TestAttackRunner7HostWriterReadsHostAtPlan: a data source, an ephemeral
// resource or a provider function of a host writer is refused before
// init, whatever allow_apply_reads and allow_host_writes say, and the
// credential never reaches the agent; a host writer's resource is still
// planned and judged by the gate.
//
// Harm before the fix: data "planguardtest_file" (local_file) with
// filename = "/proc/self/environ" planned; upper() of its content, in an
// output, passed the redaction and the agent read the env file's apply
// credential in the reply.
func TestAttackRunner7HostWriterReadsHostAtPlan(t *testing.T) {
	attackRunner7HostReads(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

// TestAttackRunner7HostWriterReadsHostAtPlanLatest is the same on the
// latest Terraform (ephemeral resources are 1.10+).
func TestAttackRunner7HostWriterReadsHostAtPlanLatest(t *testing.T) {
	attackRunner7HostReads(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func attackRunner7HostReads(t *testing.T, tf string) {
	toolVersion(t, tf)
	l := newR2Lab(t, r2Options{tf: tf, testProvider: true})
	r7HostWriterPolicy(t, l)
	leaked := strings.ToUpper(r2Secret)
	envFile := filepath.Join(l.rdir, "runner.env")
	for _, c := range []struct{ name, file, src string }{
		{"data source reads /proc/self/environ", "main.tf", `data "planguardtest_file" "env" {
  filename = "/proc/self/environ"
}
output "o" {
  value = upper(data.planguardtest_file.env.content)
}
`},
		{"data source reads the env file", "main.tf", fmt.Sprintf(`data "planguardtest_file" "env" {
  filename = %q
}
output "o" {
  value = upper(data.planguardtest_file.env.content)
}
`, envFile)},
		{"data source in a check block", "main.tf", `check "c" {
  data "planguardtest_file" "env" {
    filename = "/proc/self/environ"
  }
  assert {
    condition     = upper(data.planguardtest_file.env.content) == ""
    error_message = upper(data.planguardtest_file.env.content)
  }
}
`},
		{"data source in JSON syntax", "main.tf.json", `{
  "data": {"planguardtest_file": {"env": {"filename": "/proc/self/environ"}}},
  "output": {"o": {"value": "${upper(data.planguardtest_file.env.content)}"}}
}
`},
		{"ephemeral resource", "main.tf", `ephemeral "planguardtest_program" "env" {
  program = ["/bin/cat", "/proc/self/environ"]
}
check "c" {
  assert {
    condition     = upper(ephemeral.planguardtest_program.env.result) == ""
    error_message = upper(ephemeral.planguardtest_program.env.result)
  }
}
`},
		{"provider function", "main.tf", `output "o" {
  value = upper(provider::planguardtest::run(["/bin/cat", "/proc/self/environ"]))
}
`},
		// An import reads the object at plan time: ImportState, then Read,
		// whose content the plan carries (ignore_changes keeps it known).
		{"import of a host writer's resource", "main.tf", `import {
  to = planguardtest_object.env
  id = "/proc/self/environ"
}
resource "planguardtest_object" "env" {
  path = "/proc/self/environ"
  lifecycle {
    ignore_changes = all
  }
}
output "o" {
  value = upper(planguardtest_object.env.content)
}
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"main.tf": l.backend + l.testProviderBlock}
			files[c.file] += c.src
			dir := l.config(strings.NewReplacer(" ", "-", "/", "-").Replace(c.name), files)
			code, out := l.client(nil, "plan", dir)
			if strings.Contains(out, leaked) {
				t.Errorf("the runner's apply credential reached the agent (upper-cased past the redaction), plan exit %d:\n%s", code, out)
			}
			if code != 2 || !strings.Contains(out, "refused before init") || !strings.Contains(out, "host_writers") {
				t.Errorf("the plan-time read of a host writer is not refused before init, naming host_writers (exit %d):\n%s", code, out)
			}
		})
	}
	t.Run("a host writer's resource is still planned and judged by the gate", func(t *testing.T) {
		dir := l.config("resource", map[string]string{"main.tf": l.backend + l.testProviderBlock + fmt.Sprintf(`resource "planguardtest_object" "a" {
  path    = %q
  content = "hello"
}
`, filepath.Join(l.loot, "obj"))})
		code, out := l.client(nil, "plan", dir)
		// The gate reads a write's file from filename or output_path, which
		// the test provider's resource does not set: BLOCKED by the gate,
		// after the plan, as before.
		if code != 1 || strings.Contains(out, "refused before init") || !strings.Contains(out, "Plan: 1 to add") ||
			!strings.Contains(out, "planguardtest_object.a (example.com/planguard/testobj) writes a file on the machine that applies the plan") {
			t.Errorf("a host writer's resource is not planned and judged by the gate (exit %d, want 1):\n%s", code, out)
		}
	})
}
