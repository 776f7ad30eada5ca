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
// allows it under every documented pin (lock_file, providers). Only creates
// are in the plan: "No destructive changes", ALLOWED.
//
// hashicorp/local's local_file is in most trusted lock files. It writes a
// file while the apply runs, and a provider configuration that references
// that resource (any argument: host, region, …) is configured, and its
// plugin launched, only after the file exists. Two routes, both reproduced
// here with Terraform 1.11.4 through `planguard apply` (stand-ins:
// testdata/credproc is local_file plus hashicorp/aws's shared-config lookup;
// e2e/testprovider is any other provider):
//
//   - (a) credential_process: `provider "aws" { shared_config_files =
//     [local_file.cfg.filename], profile = "ci" }` runs the profile's
//     credential_process, which the change wrote into cfg.ini. Neither
//     argument is named like a command, so provider_exec never judges it.
//     security.md ("Commands providers run from what planguard does not
//     read") says such a file "must come from the job's machine, not the
//     change": the apply itself puts it there.
//   - (b) a provider binary swapped after the lock check: local_file
//     overwrites .terraform/providers/…/terraform-provider-X in planguard's
//     clean room (a relative path: Terraform's working directory is the
//     room) after Terraform checked the installed packages against the lock
//     file and before it launches X for a configuration that references the
//     written file. The policy's lock_file — issue 16's answer to "which
//     provider builds run" — does not hold during the apply. (With a
//     filesystem mirror the room links into the mirror, and the write
//     replaced the mirror's binary too.)
//
// Where: the GitHub apply job (apply role in the environment, id-token:
// write), GitLab's apply job, Atlantis's tfapply (which the wrapper gives a
// plan approval first, so there a person must miss it in the plan). On
// GitHub the same write needs no provider at all: a local_file at
// /home/runner/work/_actions/aws-actions/configure-aws-credentials/<pinned
// sha>/dist/cleanup/index.js replaces a post step that runs after the apply
// step, with the apply role's credentials and the OIDC request token
// (reasoned from the runner's layout, not run here). On Atlantis tfapply owns
// /etc/planguard/apply/, so an applied local_file can also rewrite the
// aws-config every later apply reads.
func TestRedteam21dApplyTimeFileRunsAsProviderCode(t *testing.T) {
	tf := r21dTerraform(t)
	dir := t.TempDir()
	// credproc is served under hashicorp/local's address, which it stands
	// for (its credproc_file is local_file): planguard knows that provider
	// writes on the apply host without the policy saying so.
	const credproc, testobj = "registry.terraform.io/hashicorp/local", testbin.TestObjSource
	mirror := filepath.Join(dir, "mirror")
	for _, p := range []struct{ source, pkg string }{{credproc, "./examples/integrations/testdata/credproc"}, {testobj, testbin.TestObj.Pkg}} {
		bin := filepath.Join(dir, "terraform-provider-"+filepath.Base(p.source))
		build := exec.Command("go", "build", "-trimpath", "-o", bin, p.pkg)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", p.pkg, err, out)
		}
		testbin.Mirror(t, mirror, p.source, "0.1.0", bin)
	}
	cfg := filepath.Join(dir, "apply.tfrc") // the job's own CLI configuration, as the examples write it
	writeR21d(t, cfg, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1",
		"PLANGUARD_AUTHOR=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=", "TF_LOG=")
	providers := fmt.Sprintf("terraform {\n  required_providers {\n    credproc = { source = %q }\n    planguardtest = { source = %q }\n  }\n}\n", credproc, testobj)

	// The reviewed lock file: both providers, as the plan job's init locks them.
	lockDir := filepath.Join(dir, "lock")
	os.MkdirAll(lockDir, 0o755)
	writeR21d(t, filepath.Join(lockDir, "main.tf"), providers)
	if code, out := r21dRun(t, lockDir, env, tf, "init", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("init: %s", out)
	}
	lock, err := os.ReadFile(filepath.Join(lockDir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	policyDir := filepath.Join(dir, "policy")
	os.MkdirAll(policyDir, 0o755)
	writeR21d(t, filepath.Join(policyDir, "terraform.lock.hcl"), string(lock))
	// planguard apply needs a state block: the local backend's
	// terraform.tfstate in the directory it runs in (the apply job's).
	pol := r21dPolicy(t, policyDir, fmt.Sprintf("providers = [%q, %q]\nlock_file = \"terraform.lock.hcl\"\nstate {\n  backend = \"local\"\n}\n", credproc, testobj))

	cases := []struct{ name, config, checkout string }{
		{"credential_process in a file the apply wrote", `
resource "credproc_file" "cfg" {
  filename = "cfg.ini"
  content  = "[profile ci]\ncredential_process = sh -c 'echo \"$AWS_SECRET_ACCESS_KEY\" > MARKER'\n"
}
provider "credproc" {
  alias               = "late"
  shared_config_files = [credproc_file.cfg.filename]
  profile             = "ci"
}
resource "credproc_file" "app" {
  provider = credproc.late
  filename = "app.txt"
  content  = "hello"
}
`, "[profile ci]\ncredential_process = true\n"},
		{"a provider binary replaced after the lock check", `
resource "credproc_file" "swap" {
  filename = ".terraform/providers/` + testobj + `/0.1.0/` + testbin.Platform() + `/terraform-provider-testobj_v0.1.0"
  content  = "#!/bin/sh\necho \"$AWS_SECRET_ACCESS_KEY\" > MARKER\nexit 1\n"
}
provider "planguardtest" {
  host = credproc_file.swap.id
}
resource "planguardtest_object" "app" {
  path = "app.txt"
}
`, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			marker := filepath.Join(dir, fmt.Sprintf("marker-%d", i))
			infra := filepath.Join(dir, fmt.Sprintf("infra-%d", i))
			os.MkdirAll(infra, 0o755)
			writeR21d(t, filepath.Join(infra, "main.tf"), providers+strings.ReplaceAll(c.config, "MARKER", marker))
			if c.checkout != "" { // what the plan job sees in the checkout: a harmless profile
				writeR21d(t, filepath.Join(infra, "cfg.ini"), c.checkout)
			}
			writeR21d(t, filepath.Join(infra, ".terraform.lock.hcl"), string(lock))
			if code, out := r21dRun(t, infra, env, tf, "init", "-input=false", "-no-color", "-lockfile=readonly"); code != 0 {
				t.Fatalf("init: %s", out)
			}
			if code, out := r21dRun(t, infra, env, tf, "plan", "-input=false", "-no-color", "-out=tfplan"); code != 0 {
				t.Fatalf("plan: %s", out)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("the plan already ran the change's code: the test no longer isolates the apply")
			}
			// The apply job: a directory of its own, the plan file, the apply role's secret in the environment.
			job := filepath.Join(dir, fmt.Sprintf("applyjob-%d", i))
			os.MkdirAll(job, 0o755)
			plan, err := os.ReadFile(filepath.Join(infra, "tfplan"))
			if err != nil {
				t.Fatal(err)
			}
			writeR21d(t, filepath.Join(job, "tfplan"), string(plan))
			code, out := r21dRun(t, job, append(env, "AWS_SECRET_ACCESS_KEY=apply-role-secret"), pgBin, "apply", "--policy", pol,
				"--author", "bob", "--terraform-bin", tf, filepath.Join(job, "tfplan"), "--", "-no-color")
			if got, err := os.ReadFile(marker); err == nil {
				t.Errorf("planguard apply (exit %d) let a file the change wrote during the apply run as code, with the apply's secret (%q) in its environment; the plan held only creates, lock_file and providers were set\n%s",
					code, strings.TrimSpace(string(got)), out)
			}
			// Blocked for the right reason: the write on the apply host.
			if code != 1 || !strings.Contains(out, "Files the apply writes on the machine it runs on") || !strings.Contains(out, "no policy can allow it") {
				t.Errorf("planguard apply exit %d, want 1 with the write on the apply host blocked (a relative filename lands in the room)\n%s", code, out)
			}
			if !strings.Contains(out, "Provider configurations that refer to resources") {
				t.Errorf("the provider configuration that refers to the written file is not reported\n%s", out)
			}
		})
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
	pol := r21dPolicy(t, filepath.Join(dir, "policy"), "state {\n  backend = \"local\"\n}\nproviders = [\"terraform.io/builtin/terraform\"]\n")
	// As in a GitHub Actions step (the runner sets GITHUB_ACTIONS=true in
	// every step): planguard apply itself turns workflow commands off
	// around terraform's output, for every workflow that runs it, not
	// only the example's. (The first version of this test asked the
	// example's apply step to do it; planguard doing it covers that step.)
	code, out := r21dRun(t, dir, append(env, "GITHUB_ACTIONS=true"), pgBin, "apply", "--policy", pol, "--author", "bob", "--terraform-bin", tf, "tfplan", "--", "-no-color")
	if code != 0 {
		t.Fatalf("planguard apply exit %d\n%s", code, out)
	}
	raw := false
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimLeft(l, " \t")
		raw = raw || strings.HasPrefix(l, "::error title=planguard::") || strings.HasPrefix(l, "::add-mask::")
	}
	if !raw {
		t.Fatalf("terraform no longer prints the output value line by line: the test shows nothing\n%s", out)
	}
	if cmds := r21dCommands(out); len(cmds) > 0 {
		t.Errorf("planguard apply on GitHub Actions prints terraform's output (an output value the change wrote, as a heredoc) as raw log lines outside ::stop-commands::: the change writes ::add-mask::, ::error, ::notice into the production job's log: %q\n%s", cmds, out)
	}
}

// r21dCommands is what GitHub's runner executes from a log: lines that
// start with "::" after leading white space, except inside
// ::stop-commands::TOKEN … ::TOKEN::, whose token must be a fresh random
// one (planguard-<32 hex digits>).
func r21dCommands(log string) []string {
	var cmds []string
	stop := ""
	for _, l := range strings.Split(log, "\n") {
		l = strings.TrimLeft(l, " \t")
		switch {
		case stop != "":
			if l == "::"+stop+"::" {
				stop = ""
			}
		case strings.HasPrefix(l, "::stop-commands::"):
			stop = strings.TrimPrefix(l, "::stop-commands::")
			if len(stop) != len("planguard-")+32 || !strings.HasPrefix(stop, "planguard-") || strings.Trim(stop[len("planguard-"):], "0123456789abcdef") != "" {
				cmds = append(cmds, l) // a guessable token: the change could end the block itself
			}
		case strings.HasPrefix(l, "::"):
			cmds = append(cmds, l)
		}
	}
	if stop != "" {
		cmds = append(cmds, "(workflow commands never turned back on)")
	}
	return cmds
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
