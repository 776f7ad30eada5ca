package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestApprovePlanRunsNoProviderOfTheChange (review ci21, F2): approve-plan
// --policy showed a saved plan with `terraform show` in the current
// directory when the policy had no lock_file, and its hint sent the approver
// to the configuration's directory after `terraform init`: the providers the
// change's own lock file chose then ran in the process about to sign, with
// the approver's SSH_AUTH_SOCK. Here the change's provider is a wrapper that
// records each run before it serves as the test provider.
//   - no lock_file: refused (exit 2), nothing runs, nothing is signed, and
//     the hint names lock_file and signing the hash instead;
//   - a lock_file that does not trust the change's provider: refused before
//     any provider runs;
//   - a lock_file that trusts it: the plan is shown in a clean room (from an
//     empty directory), not in the configuration's directory, and without
//     the agent's socket.
func TestApprovePlanRunsNoProviderOfTheChange(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	realBin := filepath.Join(dir, "testobj-real")
	build := exec.Command("go", "build", "-trimpath", "-o", realBin, testbin.TestObj.Pkg)
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", testbin.TestObj.Pkg, err, out)
	}
	ranLog := filepath.Join(dir, "PROVIDER-RAN")
	wrapper := filepath.Join(dir, "wrapper")
	script := fmt.Sprintf("#!/bin/sh\necho \"ran in $(pwd) SSH_AUTH_SOCK=$SSH_AUTH_SOCK\" >> %q\nexec %q \"$@\"\n", ranLog, realBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// The change's provider (the wrapper) in the mirror the change's init
	// installs from; the real build in another, for a lock that does not
	// trust the wrapper.
	mirror, otherMirror := filepath.Join(dir, "mirror"), filepath.Join(dir, "other-mirror")
	testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", wrapper)
	testbin.Mirror(t, otherMirror, testbin.TestObjSource, "0.1.0", realBin)
	rc := filepath.Join(dir, "terraformrc")
	os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)), 0o600)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	cfg := filepath.Join(dir, "cfg")
	os.MkdirAll(cfg, 0o755)
	os.WriteFile(filepath.Join(cfg, "main.tf"), []byte(fmt.Sprintf(`terraform {
  required_providers {
    planguardtest = { source = %q }
  }
  backend "local" {
    path = %q
  }
}
resource "planguardtest_object" "x" {
  path    = %q
  content = "hello"
}
`, testbin.TestObjSource, filepath.Join(dir, "state.tfstate"), filepath.Join(dir, "obj"))), 0o600)
	tfRun := func(wd string, args ...string) {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = wd, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	tfRun(cfg, "init", "-input=false", "-no-color")
	tfRun(cfg, "plan", "-input=false", "-no-color", "-out="+filepath.Join(dir, "tfplan"))
	if _, err := os.Stat(ranLog); err != nil {
		t.Fatalf("the wrapper did not record the plan's run (the test would prove nothing): %v", err)
	}

	pol := approvePlanKeys(t, dir)
	base, _ := os.ReadFile(pol)
	withLock := func(name string, lock []byte) string {
		os.WriteFile(filepath.Join(dir, name+".lock.hcl"), lock, 0o600)
		p := filepath.Join(dir, name+".hcl")
		os.WriteFile(p, append([]byte("lock_file = \""+name+".lock.hcl\"\n"), base...), 0o600)
		return p
	}
	changeLock, err := os.ReadFile(filepath.Join(cfg, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	otherDir := filepath.Join(dir, "otherlock")
	os.MkdirAll(otherDir, 0o755)
	os.WriteFile(filepath.Join(otherDir, "main.tf"), []byte(fmt.Sprintf("terraform {\n  required_providers {\n    planguardtest = { source = %q }\n  }\n}\n", testbin.TestObjSource)), 0o600)
	otherLock := testbin.LockFrom(t, tf, otherDir, otherMirror, testbin.TestObjSource, env)
	if string(otherLock) == string(changeLock) {
		t.Fatal("the two lock files are the same: the test would prove nothing")
	}

	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	const sock = "/run/user/1000/agent.sock"
	t.Setenv("SSH_AUTH_SOCK", sock)
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf, "SSH_AUTH_SOCK": sock}
	approve := func(wd, policy, out string) (int, string) {
		t.Helper()
		os.Remove(ranLog)
		t.Chdir(wd)
		code, stdout, errs := runCLI(t, "", envv, "approve-plan", "--plan", filepath.Join(dir, "tfplan"), "--policy", policy,
			"--key", filepath.Join(dir, "bob"), "--principal", "bob", "--yes", "--out", out)
		return code, stdout + errs
	}
	ran := func() string {
		b, _ := os.ReadFile(ranLog)
		return string(b)
	}

	// 1. The reviewer's repro: no lock_file, in the configuration's
	// directory after its init (as the old hint said).
	out := filepath.Join(dir, "nolock.json")
	code, msg := approve(cfg, pol, out)
	if code != exitError {
		t.Errorf("no lock_file: exit %d, want 2\n%s", code, msg)
	}
	if r := ran(); r != "" {
		t.Errorf("no lock_file: the change's provider ran in the signing process:\n%s", r)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("no lock_file: an approval was written")
	}
	for _, w := range []string{"no lock_file", "add lock_file", "--plan-sha256", "without --policy"} {
		if !strings.Contains(msg, w) {
			t.Errorf("no lock_file: the message lacks %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, "after 'terraform init'") {
		t.Errorf("the hint still sends the approver to 'terraform init':\n%s", msg)
	}

	// 2. A lock_file that does not trust the change's provider build.
	out = filepath.Join(dir, "untrusted.json")
	code, msg = approve(cfg, withLock("untrusted", otherLock), out)
	if code != exitError {
		t.Errorf("untrusted provider: exit %d, want 2\n%s", code, msg)
	}
	if r := ran(); r != "" {
		t.Errorf("untrusted provider: the change's provider ran:\n%s", r)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("untrusted provider: an approval was written")
	}

	// 3. A lock_file that trusts it (reviewed): shown in the clean room,
	// from an empty directory, without the agent.
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	out = filepath.Join(dir, "trusted.json")
	code, msg = approve(empty, withLock("trusted", changeLock), out)
	if code != exitAllow {
		t.Fatalf("trusted lock_file, from an empty directory: exit %d, want 0\n%s", code, msg)
	}
	for _, w := range []string{"the gate's report on", "ALLOWED", "about to sign a plan approval as bob"} {
		if !strings.Contains(msg, w) {
			t.Errorf("trusted lock_file: the output lacks %q:\n%s", w, msg)
		}
	}
	r := ran()
	if r == "" {
		t.Fatalf("trusted lock_file: no provider ran, so the plan was not shown by Terraform:\n%s", msg)
	}
	for _, line := range strings.Split(strings.TrimSpace(r), "\n") {
		if strings.Contains(line, "ran in "+cfg) || strings.Contains(line, "ran in "+empty) || !strings.HasSuffix(line, "SSH_AUTH_SOCK=") {
			t.Errorf("the provider ran outside a clean room or with the agent's socket: %q", line)
		}
	}

	// 4. approve --plan (a signed statement for one change; review ci21c
	// H1) read a saved plan with terraform show in the current directory
	// even under a policy with lock_file. Now the same rule: with
	// lock_file, only in the clean room, so an untrusted build never runs;
	// without, a warning says where the builds come from.
	stmt := func(wd, policy string) (int, string) {
		t.Helper()
		os.Remove(ranLog)
		t.Chdir(wd)
		code, stdout, errs := runCLI(t, "", envv, "approve", "--plan", filepath.Join(dir, "tfplan"), "--policy", policy,
			"--target", "planguardtest_object.x", "--reason", "CHG-1", "--key", filepath.Join(dir, "bob"), "--principal", "bob",
			"--out", filepath.Join(dir, "stmt.tf"), "--force")
		return code, stdout + errs
	}
	if code, msg := stmt(cfg, withLock("untrusted", otherLock)); code != exitError || ran() != "" {
		t.Errorf("approve --plan, untrusted lock_file: exit %d, provider runs %q\n%s", code, ran(), msg)
	}
	_, msg = stmt(empty, withLock("trusted", changeLock))
	r = ran()
	if r == "" {
		t.Errorf("approve --plan, trusted lock_file: no provider ran (the plan was not shown):\n%s", msg)
	}
	for _, line := range strings.Split(strings.TrimSpace(r), "\n") {
		if strings.Contains(line, "ran in "+cfg) || strings.Contains(line, "ran in "+empty) || !strings.HasSuffix(line, "SSH_AUTH_SOCK=") {
			t.Errorf("approve --plan: the provider ran outside a clean room or with the agent's socket: %q", line)
		}
	}
	if _, msg := stmt(cfg, pol); !strings.Contains(msg, "warning: showing the saved plan") || !strings.Contains(msg, "set lock_file") {
		t.Errorf("approve --plan without lock_file: no warning about the builds that run:\n%s", msg)
	}
}
