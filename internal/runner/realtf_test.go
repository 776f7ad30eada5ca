package runner

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// These tests run the service with real Terraform (PLANGUARD_TERRAFORM),
// the real gate (PlanGate) and a policy file, as serve wires them.

// realRunner is a service over real Terraform, with its policy file.
type realRunner struct {
	svc    *Service
	audit  *memAudit
	policy string // the policy file; tests may rewrite it between requests
	tf     string
	env    []string
}

// newRealRunner writes policy (with a trust file beside it) and starts a
// service whose children use cliConfig ("" = an empty CLI configuration).
func newRealRunner(t *testing.T, policy, cliConfig string) *realRunner {
	t.Helper()
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "allowed_signers"), "alice@example.com "+string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	polPath := filepath.Join(dir, "planguard.hcl")
	write(t, polPath, policy)
	cli := filepath.Join(dir, "runner.tfrc")
	write(t, cli, cliConfig)
	home := t.TempDir()
	env, err := ChildEnv([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home}, nil, cli)
	if err != nil {
		t.Fatal(err)
	}
	r := &realRunner{audit: &memAudit{}, policy: polPath, tf: tf, env: env}
	pol := FilePolicy{Path: polPath}
	r.svc, err = NewService(Config{
		Policy: pol, Gate: &PlanGate{Policy: pol, TerraformBin: tf, Env: env},
		Terraform: &ExecTerraform{Bin: tf, Env: env, StopGrace: 10 * time.Second},
		Audit:     r.audit, StateDir: t.TempDir(), PlanTTL: time.Hour,
		// A plan approval is not what these tests are about.
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.svc.Close)
	return r
}

func (r *realRunner) plan(t *testing.T, files map[string]string) (Result, string) {
	t.Helper()
	var fs []File
	for p, c := range files {
		fs = append(fs, File{Path: p, Data: []byte(c)})
	}
	var out bytes.Buffer
	res := r.svc.Plan(context.Background(), Peer{UID: 1000}, fs, &out)
	return res, out.String()
}

// basePolicy is a policy for terraform_data, whose plans need no approval,
// with extra appended (a state block, lock_file).
func basePolicy(extra string) string {
	return "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nproviders = [\"terraform.io/builtin/terraform\", \"example.com/planguard/testobj\"]\nprotect \"db\" {\n  addresses = [\"terraform_data.db\"]\n}\nrunner {\n  plan_approvals = 0\n}\n" + extra
}

func localState(path string) string {
	return fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", path)
}

func localBackend(path string) string {
	return fmt.Sprintf("terraform {\n  backend \"local\" {\n    path = %q\n  }\n}\n", path)
}

const appResource = "resource \"terraform_data\" \"app\" {\n  input = \"v1\"\n}\n"

// TestPlanRefusesUnpinnedBackendBeforeInit: the configuration's backend
// (in a main file or an override file, or a cloud block) runs at init with
// the runner's credentials, so the runner compares it with the policy's
// state pin before init, and refuses any difference: init never runs.
func TestPlanRefusesUnpinnedBackendBeforeInit(t *testing.T) {
	base := t.TempDir()
	pinned := filepath.Join(base, "prod.tfstate")
	elsewhere := filepath.Join(base, "other", "evil.tfstate")
	// An s3 backend whose profile runs a command to get credentials, as
	// the AWS SDK does at init (reproduced with terraform 1.8.5): the
	// marker is what that command would write.
	marker := filepath.Join(base, "credential-process-ran")
	awsconfig := filepath.Join(base, "awsconfig")
	write(t, awsconfig, "[profile evil]\ncredential_process = sh -c \"touch "+marker+"; echo '{\\\"Version\\\":1,\\\"AccessKeyId\\\":\\\"AKIAX\\\",\\\"SecretAccessKey\\\":\\\"x\\\"}'\"\nregion = us-east-1\n")
	s3 := fmt.Sprintf(`terraform {
  backend "s3" {
    bucket                      = "b"
    key                         = "k"
    region                      = "us-east-1"
    profile                     = "evil"
    shared_config_files         = [%q]
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    endpoints                   = { s3 = "http://127.0.0.1:9" }
    use_path_style              = true
  }
}
`, awsconfig)
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	for name, files := range map[string]map[string]string{
		"s3 credential_process in an override file": {"main.tf": localBackend(pinned) + appResource, "backend_override.tf": s3},
		"s3 credential_process in main.tf":          {"main.tf": s3 + appResource},
		"local path elsewhere":                      {"main.tf": localBackend(elsewhere) + appResource},
		"local path elsewhere in override.tf.json":  {"main.tf": localBackend(pinned) + appResource, "override.tf.json": fmt.Sprintf(`{"terraform": {"backend": {"local": {"path": %q}}}}`, elsewhere)},
		"local workspace_dir added":                 {"main.tf": fmt.Sprintf("terraform {\n  backend \"local\" {\n    path = %q\n    workspace_dir = %q\n  }\n}\n", pinned, filepath.Dir(elsewhere)) + appResource},
		"no backend block (local in the plan dir)":  {"main.tf": appResource},
		"cloud block":        {"main.tf": "terraform {\n  cloud {\n    organization = \"evil\"\n    workspaces {\n      name = \"x\"\n    }\n  }\n}\n" + appResource},
		"two backend blocks": {"main.tf": localBackend(pinned) + appResource, "b.tf": localBackend(elsewhere)},
	} {
		t.Run(name, func(t *testing.T) {
			res, out := r.plan(t, files)
			if _, err := os.Stat(marker); err == nil {
				t.Fatalf("the backend's credential_process ran:\n%s", out)
			}
			if strings.Contains(out, "Initializing") {
				t.Fatalf("terraform init ran:\n%s", out)
			}
			if res.Exit != ExitError || !strings.Contains(res.Error, "state") {
				t.Fatalf("exit %d, error %q\n%s", res.Exit, res.Error, out)
			}
			if _, err := os.Stat(filepath.Dir(elsewhere)); err == nil {
				t.Fatal("the backend wrote outside the pinned state")
			}
			t.Logf("refused: %s", res.Error)
		})
	}
	// The pinned backend plans (and the gate's own pin agrees).
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource})
	if res.Exit != ExitAllow {
		t.Fatalf("the pinned backend: exit %d %s\n%s", res.Exit, res.Error, out)
	}
}

// TestRunnerRequiresStatePin: without a state block, the configuration
// would choose the backend init runs with the runner's credentials; serve
// refuses to start and a plan is refused.
func TestRunnerRequiresStatePin(t *testing.T) {
	r := newRealRunner(t, basePolicy(""), "")
	if err := r.svc.ValidateStartup(); err == nil || !strings.Contains(err.Error(), "state block") {
		t.Fatalf("ValidateStartup without a state block: %v", err)
	}
	res, out := r.plan(t, map[string]string{"main.tf": appResource})
	if res.Exit != ExitError || !strings.Contains(res.Error, "state block") || strings.Contains(out, "Initializing") {
		t.Fatalf("plan without a state block: exit %d %q\n%s", res.Exit, res.Error, out)
	}
}

// TestApplyRejudgesStatePin: a policy whose state pin changes between plan
// and apply blocks the apply (the gate runs again at apply time), and
// nothing is written to the state.
func TestApplyRejudgesStatePin(t *testing.T) {
	base := t.TempDir()
	pinned := filepath.Join(base, "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	write(t, r.policy, basePolicy(localState(filepath.Join(base, "moved.tfstate"))))
	var aout bytes.Buffer
	ares := r.svc.Apply(context.Background(), Peer{UID: 1000}, res.PlanID, nil, &aout)
	if ares.Exit != ExitError || !strings.Contains(ares.Error, "moved.tfstate") {
		t.Fatalf("apply under a changed pin: exit %d %q\n%s", ares.Exit, ares.Error, aout.String())
	}
	if _, err := os.Stat(pinned); err == nil {
		t.Fatal("the apply ran")
	}
}

// TestPlanInstallsOnlyTrustedLockedProviders: under lock_file, the runner
// installs providers from the trusted lock file (the uploaded one is
// replaced) with -lockfile=readonly. The runner's provider mirror also
// holds a build nobody reviewed (2.0.0, a program that leaves a marker when
// started); the agent requires it and uploads a lock file for it: init
// refuses, and the build never runs.
func TestPlanInstallsOnlyTrustedLockedProviders(t *testing.T) {
	base := t.TempDir()
	pinned := filepath.Join(base, "prod.tfstate")
	marker := filepath.Join(base, "unreviewed-provider-ran")
	mirror := filepath.Join(base, "mirror")
	bin := filepath.Join(base, "provider")
	write(t, bin, "#!/bin/sh\ntouch "+marker+"\nexit 1\n")
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	testbin.Mirror(t, mirror, testbin.TestObjSource, "1.0.0", bin)
	testbin.Mirror(t, mirror, testbin.TestObjSource, "2.0.0", bin)
	cli := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	lockDir := t.TempDir()
	write(t, filepath.Join(lockDir, "main.tf"), "terraform {\n  required_providers {\n    testobj = { source = \""+testbin.TestObjSource+"\", version = \"1.0.0\" }\n  }\n}\n")
	trusted := testbin.LockFrom(t, tf, lockDir, mirror, testbin.TestObjSource, []string{"PATH=/usr/bin:/bin", "HOME=" + base, "CHECKPOINT_DISABLE=1"})
	lockDir = t.TempDir()
	write(t, filepath.Join(lockDir, "main.tf"), "terraform {\n  required_providers {\n    testobj = { source = \""+testbin.TestObjSource+"\", version = \"2.0.0\" }\n  }\n}\n")
	agentLock := testbin.LockFrom(t, tf, lockDir, mirror, testbin.TestObjSource, []string{"PATH=/usr/bin:/bin", "HOME=" + base, "CHECKPOINT_DISABLE=1"})
	polDir := t.TempDir()
	write(t, filepath.Join(polDir, "trusted.lock.hcl"), string(trusted))
	r := newRealRunner(t, basePolicy(localState(pinned)+fmt.Sprintf("lock_file = %q\n", filepath.Join(polDir, "trusted.lock.hcl"))), cli)
	res, out := r.plan(t, map[string]string{
		"main.tf":    localBackend(pinned) + "terraform {\n  required_providers {\n    testobj = { source = \"" + testbin.TestObjSource + "\", version = \"2.0.0\" }\n  }\n}\ndata \"testobj_object\" \"x\" {}\n",
		lockFileName: string(agentLock),
	})
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("a provider build the trusted lock file does not list ran (exit %d %s)\n%s", res.Exit, res.Error, out)
	}
	if res.Exit != ExitError {
		t.Fatalf("exit %d, want 2\n%s", res.Exit, out)
	}
	t.Logf("refused: %s", res.Error)
	// A configuration that needs nothing the trusted lock file lacks plans,
	// and the gate checks the plan's lock file.
	res, out = r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource, lockFileName: string(agentLock)})
	if res.Exit != ExitAllow {
		t.Fatalf("terraform_data under lock_file: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	if strings.Contains(out, "provider binaries were not pinned") {
		t.Fatalf("the gate did not judge the plan under lock_file:\n%s", out)
	}
}

// TestPlanRefusesDevOverridesUnderLockFile: under lock_file, a CLI
// configuration with dev_overrides (providers from a directory, never
// checked against any lock file) is refused before init, not only by the
// gate after plan ran them.
func TestPlanRefusesDevOverridesUnderLockFile(t *testing.T) {
	base := t.TempDir()
	pinned := filepath.Join(base, "prod.tfstate")
	marker := filepath.Join(base, "overridden-provider-ran")
	plugins := filepath.Join(base, "plugins")
	write(t, filepath.Join(plugins, "terraform-provider-testobj"), "#!/bin/sh\ntouch "+marker+"\nexit 1\n")
	if err := os.Chmod(filepath.Join(plugins, "terraform-provider-testobj"), 0o755); err != nil {
		t.Fatal(err)
	}
	polDir := t.TempDir()
	write(t, filepath.Join(polDir, "trusted.lock.hcl"), "")
	cli := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", testbin.TestObjSource, plugins)
	r := newRealRunner(t, basePolicy(localState(pinned)+fmt.Sprintf("lock_file = %q\n", filepath.Join(polDir, "trusted.lock.hcl"))), cli)
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource})
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("the dev_overrides provider ran:\n%s", out)
	}
	if res.Exit != ExitError || !strings.Contains(res.Error, "dev_overrides") || strings.Contains(out, "Initializing") {
		t.Fatalf("exit %d %q\n%s", res.Exit, res.Error, out)
	}
}

// TestPlanSelectsPinnedWorkspace: the runner selects the pin's workspace
// itself (TF_WORKSPACE is refused in its environment), so the saved plan
// records it. (The gate then refuses it for its own reason: it compares a
// local backend's prior state only in the default workspace. Without the
// selection the plan records "default", a workspace mismatch.)
func TestPlanSelectsPinnedWorkspace(t *testing.T) {
	base := t.TempDir()
	pinned, wsDir := filepath.Join(base, "prod.tfstate"), filepath.Join(base, "ws")
	if err := os.MkdirAll(filepath.Join(wsDir, "staging"), 0o700); err != nil {
		t.Fatal(err)
	}
	r := newRealRunner(t, basePolicy(fmt.Sprintf("state {\n  backend   = \"local\"\n  config    = { path = %q, workspace_dir = %q }\n  workspace = \"staging\"\n}\n", pinned, wsDir)), "")
	res, out := r.plan(t, map[string]string{"main.tf": fmt.Sprintf("terraform {\n  backend \"local\" {\n    path          = %q\n    workspace_dir = %q\n  }\n}\n", pinned, wsDir) + appResource})
	if !strings.Contains(res.Error, `the plan's workspace is "staging"`) {
		t.Fatalf("exit %d %s\n%s", res.Exit, res.Error, out)
	}
}
