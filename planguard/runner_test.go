package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
	"golang.org/x/crypto/ssh"
)

// TestHookPointsToRunner: with a runner configured, the hook's refusal of
// an apply or destroy says how to apply through it; without one it does not.
func TestHookPointsToRunner(t *testing.T) {
	w := newHookWorld(t)
	for _, cmd := range []string{"terraform apply -auto-approve", "terraform destroy -auto-approve"} {
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), map[string]string{"PLANGUARD_RUNNER_SOCKET": "/run/planguard/runner.sock"})
		r := denyReason(t, "claude", code, out, errs)
		for _, want := range []string{"planguard runner plan", "planguard runner apply PLAN_ID", "/run/planguard/runner.sock"} {
			if !strings.Contains(r, want) {
				t.Errorf("%s: reason lacks %q: %s", cmd, want, r)
			}
		}
		code, out, errs = w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil)
		if r := denyReason(t, "claude", code, out, errs); strings.Contains(r, "planguard runner") {
			t.Errorf("%s: runner advice without a runner: %s", cmd, r)
		}
	}
}

// TestApprovePlan: approve-plan writes a file whose signature verifies over
// the documented payload.
func TestApprovePlan(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "alice")
	code, _, errs := runCLI(t, "", nil, "keygen", "--out", key, "--principal", "alice@example.com")
	if code != 0 {
		t.Fatalf("keygen: %d %s", code, errs)
	}
	sum := strings.Repeat("c3", 32)
	out := filepath.Join(dir, "pa.json")
	code, _, errs = runCLI(t, "", nil, "approve-plan", "--plan-sha256", sum, "--scope", "prod", "--key", key, "--principal", "alice@example.com", "--expires", "2h", "--out", out)
	if code != 0 {
		t.Fatalf("approve-plan: %d %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := approval.ParsePlanApprovalFile(b)
	if err != nil {
		t.Fatal(err)
	}
	exp, _ := time.Parse(time.RFC3339, f.ExpiresAt)
	if d := time.Until(exp); d < 119*time.Minute || d > 121*time.Minute {
		t.Errorf("expires_at %s is not in 2h", f.ExpiresAt)
	}
	pubBytes, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(pubBytes)
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := trust.ParseAllowedSigners([]byte("alice@example.com "+string(ssh.MarshalAuthorizedKey(pub))), "as", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := approval.VerifyPlanApproval(f.Statement(), f.Principal, f.Signature, allowed, time.Now()); err != nil {
		t.Fatal(err)
	}
	var raw map[string]string
	_ = json.Unmarshal(b, &raw)
	if raw["plan_sha256"] != sum || raw["scope"] != "prod" {
		t.Errorf("file: %s", b)
	}
	for _, args := range [][]string{
		{"approve-plan", "--plan-sha256", "XYZ", "--scope", "prod", "--key", key, "--principal", "a"},
		{"approve-plan", "--plan-sha256", sum, "--scope", "prod", "--key", key},
		{"approve-plan", "--plan-sha256", sum, "--scope", "prod", "--key", key, "--principal", "a", "--expires", "-1h"},
	} {
		if code, _, _ := runCLI(t, "", nil, args...); code != exitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestRunnerServeRefusesToStart: credentials the configuration could read,
// and a policy that lets any provider run with them, stop serve before it
// listens.
func TestRunnerServeRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	pol, _ := os.ReadFile(qsPolicy)
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	os.WriteFile(filepath.Join(dir, "open.hcl"), pol, 0o600)
	os.WriteFile(filepath.Join(dir, "closed.hcl"), append(pol, []byte("\nproviders = [\"terraform.io/builtin/terraform\"]\n")...), 0o600)
	os.WriteFile(filepath.Join(dir, "tfvar.env"), []byte("AWS_REGION=eu-west-1\nTF_VAR_db_password=hunter22\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "ok.env"), []byte("AWS_REGION=eu-west-1\n"), 0o600)
	sock := filepath.Join(dir, "runner.sock")
	for _, c := range []struct {
		policy, envFile, want string
	}{
		{"closed.hcl", "tfvar.env", "TF_VAR_db_password"},
		{"open.hcl", "ok.env", "sets no providers list"},
		{"closed.hcl", "ok.env", "no state block"},
	} {
		code, _, errs := runCLI(t, "", nil, "runner", "serve", "--socket", sock, "--policy", filepath.Join(dir, c.policy),
			"--env-file", filepath.Join(dir, c.envFile), "--terraform-bin", "/bin/sh", "--allow-uid", "12345", "--state-dir", filepath.Join(dir, "state"))
		if code != exitError || !strings.Contains(errs, c.want) || strings.Contains(errs, "hunter22") {
			t.Errorf("%s %s: exit %d\n%s", c.policy, c.envFile, code, errs)
		}
		if _, err := os.Stat(sock); err == nil {
			t.Errorf("%s %s: the socket was created", c.policy, c.envFile)
		}
	}
	// Files someone else could change (or read: the env file).
	os.WriteFile(filepath.Join(dir, "readable.env"), []byte("AWS_REGION=eu-west-1\n"), 0o644)
	shared := filepath.Join(dir, "shared")
	os.Mkdir(shared, 0o700)
	os.Chmod(shared, 0o777)
	os.WriteFile(filepath.Join(shared, "closed.hcl"), append(pol, []byte("\nproviders = [\"terraform.io/builtin/terraform\"]\n")...), 0o600)
	os.WriteFile(filepath.Join(shared, "allowed_signers"), as, 0o600)
	os.WriteFile(filepath.Join(dir, "cache.tfrc"), []byte("plugin_cache_dir = \""+shared+"\"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "dev.tfrc"), []byte("provider_installation {\n  dev_overrides {\n    \"example.com/a/b\" = \"/opt\"\n  }\n}\n"), 0o600)
	for _, c := range []struct {
		policy, envFile string
		args            []string
		want            []string
	}{
		{"closed.hcl", "readable.env", nil, []string{"readable.env", "0644", "chmod 0600"}},
		{"shared/closed.hcl", "ok.env", nil, []string{shared, "0777", "chmod go-w"}},
		{"closed.hcl", "ok.env", []string{"--cli-config", filepath.Join(dir, "cache.tfrc")}, []string{"plugin_cache_dir", shared}},
		{"closed.hcl", "ok.env", []string{"--cli-config", filepath.Join(dir, "dev.tfrc")}, []string{"dev_overrides"}},
	} {
		args := append([]string{"runner", "serve", "--socket", sock, "--policy", filepath.Join(dir, c.policy),
			"--env-file", filepath.Join(dir, c.envFile), "--terraform-bin", "/bin/sh", "--allow-uid", "12345", "--state-dir", filepath.Join(dir, "state")}, c.args...)
		code, _, errs := runCLI(t, "", nil, args...)
		if code != exitError {
			t.Errorf("%s %s %v: exit %d\n%s", c.policy, c.envFile, c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%s %s %v: no %q in\n%s", c.policy, c.envFile, c.args, w, errs)
			}
		}
		if _, err := os.Stat(sock); err == nil {
			t.Errorf("%s %s: the socket was created", c.policy, c.envFile)
		}
	}
	if code, _, errs := runCLI(t, "", nil, "runner", "serve", "--socket", sock, "--policy", filepath.Join(dir, "closed.hcl"), "--env-file", filepath.Join(dir, "ok.env")); code != exitError || !strings.Contains(errs, "--allow-uid") {
		t.Errorf("no --allow-uid: %d %s", code, errs)
	}
}
