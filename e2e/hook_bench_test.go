package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// hookBench sets up a project with the quickstart policy and returns a
// function that runs the planguard binary once as Claude Code would: a new
// process, the event on stdin.
func hookBench(b *testing.B, command string, env []string, setup func(dir string)) func() (int, string) {
	b.Helper()
	root := b.TempDir()
	dir := filepath.Join(root, "infra")
	os.MkdirAll(dir, 0o755)
	for _, f := range []string{"planguard.hcl", "allowed_signers"} {
		data, err := os.ReadFile(filepath.Join("../examples/quickstart", f))
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, f), data, 0o600)
	}
	if setup != nil {
		setup(dir)
	}
	event, _ := json.Marshal(map[string]any{"cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Bash",
		"tool_input": map[string]any{"command": command}})
	bin := filepath.Join(binDir, "planguard")
	return func() (int, string) {
		cmd := exec.Command(bin, "hook", "--agent", "claude", "--policy", filepath.Join(root, "planguard.hcl"))
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdin = bytes.NewReader(event)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String()
		}
		if err != nil {
			b.Fatal(err)
		}
		return 0, out.String()
	}
}

// BenchmarkHookPlainCommand is the whole-process latency the agent waits
// for on an ordinary command (target: under 20 ms): start planguard, read
// the event, load the policy and its trust file, parse and judge the
// command, exit.
func BenchmarkHookPlainCommand(b *testing.B) {
	run := hookBench(b, `git status && go test ./... 2>&1 | tail -n 20; grep -rn "terraform destroy" docs/`, os.Environ(), nil)
	if code, out := run(); code != 0 || out != "" {
		b.Fatalf("plain command not allowed: %d %s", code, out)
	}
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/call")
}

// BenchmarkHookSavedPlan: `terraform apply tfplan` is refused (planguard
// apply pins the plan instead), after the gate ran on the plan for the
// refusal's message: the gate's own time plus `terraform show -json`.
func BenchmarkHookSavedPlan(b *testing.B) {
	tf := testbin.Tool(b, "PLANGUARD_TERRAFORM", "terraform")
	rc := filepath.Join(b.TempDir(), "terraformrc")
	os.WriteFile(rc, nil, 0o600)
	env := append(os.Environ(), "PLANGUARD_TERRAFORM="+tf, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
	run := hookBench(b, "terraform apply tfplan", env, func(dir string) {
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "terraform_data" "x" { input = "a" }`), 0o600)
		cmd := exec.Command(tf, "plan", "-input=false", "-out=tfplan")
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("plan: %v\n%s", err, out)
		}
	})
	if code, out := run(); code != 2 || !strings.Contains(out, " apply --policy ") {
		b.Fatalf("terraform apply tfplan: %d %s, want a refusal naming planguard apply", code, out)
	}
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		run()
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/call")
}
