package integrations_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Review ci21b (G3): the Atlantis plan step ran `planguard check` on
// $SHOWFILE, the plan JSON, but the policy the wrapper requires has a state
// block, under which check refuses plan JSON (exit 2): every pull request's
// plan failed. This runs the plan step's command as repos.yaml has it (its
// fixed paths moved into a temporary directory, as the wrapper's test does),
// as the atlantis user would after Atlantis's init and plan: in the project
// directory, with PLANFILE, SHOWFILE, PULL_AUTHOR and the policy pin set,
// against a real saved plan under a policy with a state block and lock_file.
// The plan's provider is a wrapper that records where it runs: the check
// must show the plan in planguard's clean room, not in the project
// directory.
func TestAtlantisPlanStepChecksTheSavedPlan(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	for _, tool := range []string{"bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	dir := t.TempDir()
	realBin := filepath.Join(dir, "testobj-real")
	build := exec.Command("go", "build", "-trimpath", "-o", realBin, testbin.TestObj.Pkg)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", testbin.TestObj.Pkg, err, out)
	}
	ranLog := filepath.Join(dir, "PROVIDER-RAN")
	wrapper := filepath.Join(dir, "wrapper")
	writeR21d(t, wrapper, fmt.Sprintf("#!/bin/sh\necho \"ran in $(pwd)\" >> %q\nexec %q \"$@\"\n", ranLog, realBin))
	os.Chmod(wrapper, 0o755)
	mirror := filepath.Join(dir, "mirror")
	testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", wrapper)
	rc := filepath.Join(dir, "terraformrc") // the atlantis user's CLI configuration: explicit installation
	writeR21d(t, rc, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}

	// Atlantis's checkout of the pull request, its init and plan.
	state := filepath.Join(dir, "state", "prod.tfstate")
	os.MkdirAll(filepath.Dir(state), 0o755)
	project := filepath.Join(dir, "atlantis", "repos", "o", "r", "7", "default", "infra")
	os.MkdirAll(project, 0o755)
	writeR21d(t, filepath.Join(project, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    planguardtest = { source = %q, version = "0.1.0" }
  }
  backend "local" {
    path = %q
  }
}
resource "planguardtest_object" "x" {
  path    = %q
  content = "hello"
}
`, testbin.TestObjSource, state, filepath.Join(dir, "obj")))
	planFile := filepath.Join(project, "default.tfplan")
	showFile := filepath.Join(dir, "atlantis", "default.json")
	// (The first init writes the lock file the policy then trusts.)
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"plan", "-input=false", "-no-color", "-out=" + planFile}} {
		if code, out := r21dRun(t, project, env, tf, args...); code != 0 {
			t.Fatalf("terraform %v: exit %d\n%s", args, code, out)
		}
	}
	code, js := r21dRun(t, project, env, tf, "show", "-json", planFile)
	if code != 0 {
		t.Fatalf("terraform show: exit %d\n%s", code, js)
	}
	writeR21d(t, showFile, js)

	// /etc/planguard: the policy the wrapper requires (a state block and
	// lock_file), with the reviewed lock file.
	etc := filepath.Join(dir, "etc")
	pol := r21dPolicy(t, etc, fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nlock_file = \"terraform.lock.hcl\"\n", state))
	lock, err := os.ReadFile(filepath.Join(project, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	writeR21d(t, filepath.Join(etc, "terraform.lock.hcl"), string(lock))
	out, err := exec.Command(pgBin, "policy-hash", "--policy", pol).Output()
	if err != nil {
		t.Fatal(err)
	}
	pin := strings.TrimSpace(string(out))

	// The plan step's command, as repos.yaml has it.
	ci := yamlMap(t, readExample(t, "examples/integrations/atlantis/repos.yaml"))
	var step string
	for _, s := range asList(asMap(asMap(asMap(ci["workflows"])["planguard"])["plan"])["steps"]) {
		if run := str(asMap(s)["run"]); strings.Contains(run, "planguard check") {
			step = run
		}
	}
	if step == "" {
		t.Fatal("repos.yaml's plan stage runs no planguard check")
	}
	for _, r := range [][2]string{
		{"/usr/local/bin/planguard", pgBin},
		{"/etc/planguard", etc},
	} {
		if !strings.Contains(step, r[0]) {
			t.Fatalf("the plan step no longer holds %q: update the test\n%s", r[0], step)
		}
		step = strings.ReplaceAll(step, r[0], r[1])
	}
	step = strings.ReplaceAll(step, "/usr/local/bin/terraform", tf)

	os.Remove(ranLog)
	stepEnv := append(env, "PLANFILE="+planFile, "SHOWFILE="+showFile, "PULL_AUTHOR=bob", "PLANGUARD_POLICY_SHA256="+pin)
	code, msg := r21dRun(t, project, stepEnv, "bash", "-c", step)
	if code != 0 {
		t.Fatalf("the plan step under a state-pinned policy with lock_file: exit %d, want 0 (a plan that only creates)\n%s\n%s", code, step, msg)
	}
	for _, w := range []string{"ALLOWED", "No destructive changes"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the plan step's report lacks %q:\n%s", w, msg)
		}
	}
	for _, w := range []string{"state was not pinned", "provider binaries were not pinned"} {
		if strings.Contains(msg, w) {
			t.Errorf("the plan step's report warns %q:\n%s", w, msg)
		}
	}
	b, _ := os.ReadFile(ranLog)
	if len(b) == 0 {
		t.Fatalf("no provider ran: the plan step did not show the saved plan\n%s", msg)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.Contains(line, "/planguard-room-") {
			t.Errorf("the plan step ran the provider outside planguard's clean room: %q", line)
		}
	}
	// Without PULL_AUTHOR the step fails (the shell's ${…:?}).
	noAuthor := append(env, "PLANFILE="+planFile, "SHOWFILE="+showFile, "PLANGUARD_POLICY_SHA256="+pin)
	if code, msg := r21dRun(t, project, noAuthor, "bash", "-c", step); code == 0 {
		t.Errorf("the plan step passes without a pull request author:\n%s", msg)
	}
}
