package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// protectAll guards every managed resource, for every action.
const protectAll = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "everything" {
  types      = ["*"]
  actions    = ["delete", "replace", "forget", "update"]
  attributes = ["input", "triggers_replace"]
}
`

// TestRealPlansGolden runs `planguard check` over every real plan fixture
// (made by scripts/fixtures/generate.sh with Terraform and OpenTofu) under a
// policy that protects everything, and compares what it flags with a golden
// summary: exactly the destructive changes, never a moved rename or a read
// (a terraform_remote_state is listed, and blocks: the policy allows none).
func TestRealPlansGolden(t *testing.T) {
	dir := t.TempDir()
	as, err := os.ReadFile("../examples/quickstart/allowed_signers")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte(protectAll), 0o600)

	fixtures, _ := filepath.Glob("../internal/plan/testdata/*/*.json")
	if len(fixtures) < 30 {
		t.Fatalf("only %d plan fixtures; run make fixtures", len(fixtures))
	}
	for _, fx := range fixtures {
		tool := filepath.Base(filepath.Dir(fx))
		name := strings.TrimSuffix(filepath.Base(fx), ".json")
		t.Run(tool+"/"+name, func(t *testing.T) {
			got := goldenSummary(t, policyPath, fx)
			golden := filepath.Join("testdata", "golden", tool, name+".txt")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./planguard -run TestRealPlansGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// goldenSummary runs check on the plan fx and summarises what it flags:
// the exit status and, for a decision, each destructive change.
func goldenSummary(t *testing.T, policyPath, fx string) string {
	t.Helper()
	code, out, errs := runCLI(t, "", nil, "check", "--policy", policyPath, "--format", "json", "--now", "2026-11-25T12:00:00Z", fx)
	var b strings.Builder
	fmt.Fprintf(&b, "exit %d\n", code)
	if code == exitError {
		// The first line of the error, without paths that differ per machine.
		msg := strings.SplitN(errs, "\n", 2)[0]
		fmt.Fprintf(&b, "%s\n", strings.ReplaceAll(msg, fx, "PLAN"))
	} else {
		var r struct {
			Decision string
			Changes  []struct {
				Address      string
				Action       string
				ActionReason string `json:"action_reason"`
				Deposed      string
				Protected    bool
				Actions      []string
			}
			Provisioners []struct {
				Address, Type, When, Action, Command, Status string
			}
			Invocations []struct {
				Address, Trigger, Status string
			} `json:"action_invocations"`
			RemoteStates []struct {
				Address string
				Allowed bool
			} `json:"remote_states"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("exit %d, report: %v\n%s%s", code, err, out, errs)
		}
		fmt.Fprintf(&b, "decision %s\n", r.Decision)
		for _, c := range r.Changes {
			dep := ""
			if c.Deposed != "" {
				dep = " deposed"
			}
			fmt.Fprintf(&b, "%s %s%s %v %q protected=%v\n", c.Action, c.Address, dep, c.Actions, c.ActionReason, c.Protected)
		}
		for _, p := range r.Provisioners {
			fmt.Fprintf(&b, "provisioner %s %s %s (%s) %q %s\n", p.Type, p.When, p.Address, p.Action, p.Command, p.Status)
		}
		for _, iv := range r.Invocations {
			fmt.Fprintf(&b, "action %s (%s) %s\n", iv.Address, iv.Trigger, iv.Status)
		}
		for _, rs := range r.RemoteStates {
			fmt.Fprintf(&b, "remote_state %s allowed=%v\n", rs.Address, rs.Allowed)
		}
	}
	return b.String()
}
