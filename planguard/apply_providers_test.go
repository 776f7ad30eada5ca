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

// TestApplyRunsNoProviderOutsideProvidersList (review ci21b, G1): without
// lock_file, `planguard apply --policy` built its room with the plan's own
// lock file, and the room's show started the providers it names, with the
// apply job's credentials, before the report judged the policy's providers
// list and blocked them. The plan's lock file is the change author's (the
// plan job's code writes the plan bytes). Now the providers the plan's
// lock file names are judged first: a provider outside the list is refused
// (exit 2, named) and does not run, in apply and in check of the saved
// plan; a listed one still runs (the control: the wrapper records it).
func TestApplyRunsNoProviderOutsideProvidersList(t *testing.T) {
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
	script := fmt.Sprintf("#!/bin/sh\necho \"ran in $(pwd) AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY\" >> %q\nexec %q \"$@\"\n", ranLog, realBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// The change author's provider, in the mirror that stands in for the
	// registry (the example's apply CLI configuration installs directly).
	mirror := filepath.Join(dir, "mirror")
	testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", wrapper)
	rc := filepath.Join(dir, "terraformrc")
	os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)), 0o600)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	state := filepath.Join(dir, "state", "prod.tfstate")
	os.MkdirAll(filepath.Dir(state), 0o755)
	cfg := filepath.Join(dir, "cfg")
	os.MkdirAll(cfg, 0o755)
	// The change requires the author's provider and creates only a
	// terraform_data: the plan uses no resource of it.
	os.WriteFile(filepath.Join(cfg, "main.tf"), []byte(fmt.Sprintf(`terraform {
  required_providers {
    planguardtest = { source = %q, version = "0.1.0" }
  }
  backend "local" {
    path = %q
  }
}
resource "terraform_data" "x" { input = "hello" }
`, testbin.TestObjSource, state)), 0o600)
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"plan", "-input=false", "-no-color", "-out=" + filepath.Join(dir, "tfplan")}} {
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = cfg, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	if b, _ := os.ReadFile(ranLog); len(b) == 0 {
		t.Fatal("the wrapper did not record the plan's run (the test would prove nothing)")
	}

	pol := approvePlanKeys(t, dir)
	base, _ := os.ReadFile(pol)
	policyWith := func(name, providers string) string {
		p := filepath.Join(dir, name+".hcl")
		os.WriteFile(p, append(append([]byte{}, base...), fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nproviders = %s\n", state, providers)...), 0o600)
		return p
	}
	blocking := policyWith("blocking", `["terraform.io/builtin/terraform", "registry.terraform.io/hashicorp/aws"]`)
	allowing := policyWith("allowing", `["terraform.io/builtin/terraform", "`+testbin.TestObjSource+`"]`)

	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "prod-apply-secret")
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf}
	// The apply job: a fresh directory holding only the plan file.
	job := filepath.Join(dir, "applyjob")
	os.MkdirAll(job, 0o755)
	b, _ := os.ReadFile(filepath.Join(dir, "tfplan"))
	os.WriteFile(filepath.Join(job, "tfplan"), b, 0o600)
	t.Chdir(job)
	ran := func() string {
		b, _ := os.ReadFile(ranLog)
		return string(b)
	}

	for _, args := range [][]string{
		{"apply", "--policy", blocking, "--author", "bob", "tfplan", "--", "-no-color"},
		{"check", "--policy", blocking, "--author", "bob", "tfplan"},
	} {
		os.Remove(ranLog)
		code, out, errs := runCLI(t, "", envv, args...)
		msg := out + errs
		if code != exitError {
			t.Errorf("%s: exit %d, want 2\n%s", args[0], code, msg)
		}
		if r := ran(); r != "" {
			t.Errorf("%s: the provider the policy does not list ran:\n%s", args[0], r)
		}
		for _, w := range []string{testbin.TestObjSource, "does not allow", "refused before any provider or terraform command ran"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: the message lacks %q:\n%s", args[0], w, msg)
			}
		}
	}
	if _, err := os.Stat(state); err == nil {
		t.Errorf("the blocked plan was applied: %s exists", state)
	}

	// Review ci31 M1: check --attest holds the gate's key. Run where the
	// plan was made (whose .terraform holds the build the author's init
	// installed), it used to show the plan there, starting that build beside
	// the key, and signed providers_pinned. Now, without a provider pin it is
	// refused before anything runs, and with a providers list it shows the
	// plan in a room installed from the job's own provider installation.
	gateKey := sshKeygen(t, dir, "gate")
	unpinned := filepath.Join(dir, "unpinned.hcl")
	os.WriteFile(unpinned, append(append([]byte{}, base...), fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", state)...), 0o600)
	t.Chdir(cfg)
	os.Remove(ranLog)
	att := filepath.Join(dir, "check.att")
	code, out, errs := runCLI(t, "", envv, "check", "--policy", unpinned, "--author", "bob", "--attest", att, "--attest-key", gateKey, filepath.Join(dir, "tfplan"))
	if code != exitError || !strings.Contains(out+errs, "beside the gate's signing key") {
		t.Errorf("check --attest, no provider pin: exit %d, want 2 naming the key\n%s%s", code, out, errs)
	}
	if r := ran(); r != "" {
		t.Errorf("check --attest, no provider pin: a provider ran beside the gate key:\n%s", r)
	}
	if _, err := os.Stat(att); err == nil {
		t.Errorf("check --attest, no provider pin: an attestation was written")
	}
	code, out, errs = runCLI(t, "", envv, "check", "--policy", allowing, "--author", "bob", "--attest", att, "--attest-key", gateKey, filepath.Join(dir, "tfplan"))
	if code != exitAllow {
		t.Fatalf("check --attest, providers list: exit %d, want 0\n%s%s", code, out, errs)
	}
	if r := ran(); !strings.Contains(r, "planguard-room-") || strings.Contains(r, "ran in "+cfg+"\n") {
		t.Errorf("check --attest, providers list: the provider did not run in the room only:\n%s", r)
	}
	t.Chdir(job)
	// Review ci31 L1: without lock_file and without --attest, check shows
	// the plan where it runs; in a job holding only the plan file that fails,
	// and the hint says so (it used to say "pass the file written by
	// terraform plan -out").
	code, out, errs = runCLI(t, "", envv, "check", "--policy", allowing, "--author", "bob", "tfplan")
	if code != exitError || !strings.Contains(out+errs, "initialized directory the plan was made in") {
		t.Errorf("check without lock_file in a plan-only directory: exit %d, want 2 with the working-directory hint\n%s%s", code, out, errs)
	}

	// The control: listed, the provider runs in the room (so the wrapper
	// would have recorded the runs above) and the plan is applied.
	os.Remove(ranLog)
	code, out, errs = runCLI(t, "", envv, "apply", "--policy", allowing, "--author", "bob", "tfplan", "--", "-no-color")
	if code != exitAllow {
		t.Fatalf("listed provider: exit %d, want 0\n%s%s", code, out, errs)
	}
	if r := ran(); !strings.Contains(r, "planguard-room-") {
		t.Errorf("listed provider: it did not run in the room (the test would prove nothing):\n%s", r)
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("listed provider: the plan was not applied: %v", err)
	}
}
