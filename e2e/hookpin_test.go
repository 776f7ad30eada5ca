package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestHookSwapAfterAnswer (issue 17): the hook answers on the plan file as
// it is when the agent's tool call arrives; bash runs the command after.
// A background process the agent started earlier (a plain cp, which the
// hook allows) swaps the file in between. With real bash and real
// Terraform: the hook must not let `terraform apply tfplan` run (terraform
// would read whatever tfplan is by then), and the command it names instead
// (`planguard apply`, which pins the plan at the moment it applies) must
// not apply the swapped-in plan either.
func TestHookSwapAfterAnswer(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	root := t.TempDir()
	dir, home := filepath.Join(root, "infra"), filepath.Join(root, "home")
	for _, d := range []string{dir, home} {
		os.MkdirAll(d, 0o700)
	}
	policy := filepath.Join(root, "planguard.hcl")
	pol, _ := os.ReadFile("../examples/quickstart/planguard.hcl")
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	writeFile(t, policy, string(pol)+applyPins) // planguard apply needs a state pin and a provider pin
	writeFile(t, filepath.Join(root, "allowed_signers"), string(as))
	rc := filepath.Join(root, "terraformrc")
	writeFile(t, rc, "")
	pg := filepath.Join(binDir, "planguard")
	env := append(os.Environ(), "HOME="+home, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR=agent@example.com", "PLANGUARD_RUNNER_SOCKET=",
		"PATH="+filepath.Dir(tf)+string(os.PathListSeparator)+os.Getenv("PATH"))
	w := &world{t: t, tf: tf, dir: dir, env: env}
	// Production stands; a harmless plan (adds an object) is tfplan; the
	// evil plan (deletes the protected database) waits beside it.
	w.write("main.tf", `resource "terraform_data" "prod_db" { input = "db" }`+"\n")
	w.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color")
	w.write("main.tf", `resource "terraform_data" "prod_db" { input = "db" }`+"\n"+`resource "terraform_data" "cache" {}`+"\n")
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
	w.write("main.tf", `resource "terraform_data" "cache" {}`+"\n")
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=evil.tfplan")
	w.pg(0, "check", "--policy", policy, "tfplan")
	w.pg(1, "check", "--policy", policy, "evil.tfplan")

	// hook asks the real hook about command, as Claude Code would: "" when
	// allowed, else the reason.
	hook := func(command string) string {
		t.Helper()
		ev, _ := json.Marshal(map[string]any{"cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": command}})
		cmd := exec.Command(pg, "hook", "--agent", "claude", "--policy", policy)
		cmd.Dir, cmd.Env, cmd.Stdin = dir, env, bytes.NewReader(ev)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if err == nil && out.Len() == 0 {
			return ""
		}
		var m map[string]map[string]string
		if json.Unmarshal(out.Bytes(), &m) != nil || m["hookSpecificOutput"]["permissionDecision"] != "deny" {
			t.Fatalf("hook on %q: %v, not a deny answer:\n%s\n%s", command, err, out.String(), errb.String())
		}
		return m["hookSpecificOutput"]["permissionDecisionReason"]
	}
	// sh runs an allowed command as the agent's shell tool does.
	sh := func(command string) (int, string) {
		t.Helper()
		cmd := exec.Command(bash, "-c", command)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	evil, _ := os.ReadFile(filepath.Join(dir, "evil.tfplan"))
	swapped := func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "tfplan"))
		return bytes.Equal(b, evil)
	}
	waitSwap := func() {
		t.Helper()
		for end := time.Now().Add(30 * time.Second); !swapped(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal("the background cp never swapped the plan")
			}
		}
	}
	stands := func(when string) {
		t.Helper()
		if out := w.must(0, tf, "state", "list"); !strings.Contains(out, "terraform_data.prod_db") {
			t.Fatalf("%s: the protected database is gone:\n%s", when, out)
		}
	}

	// 1. The swap, started in the background: a plain cp, allowed.
	swap := "(sleep 3; cp evil.tfplan tfplan) >/dev/null 2>&1 &"
	if r := hook(swap); r != "" {
		t.Fatalf("the background cp was refused: %s", r)
	}
	if code, out := sh(swap); code != 0 {
		t.Fatalf("%s: exit %d\n%s", swap, code, out)
	}
	// 2. terraform apply tfplan: tfplan is still the harmless plan now. The
	// hook must not allow it: terraform reads the file later.
	apply := "terraform apply -input=false -no-color tfplan"
	reason := hook(apply)
	if reason == "" {
		waitSwap()
		code, out := sh(apply)
		t.Logf("%s: exit %d\n%s", apply, code, out)
		stands("the hook allowed `" + apply + "` on the harmless plan, then bash applied the plan swapped in after the hook answered")
		t.Fatal("the hook allowed `" + apply + "`")
	}
	want := pg + " apply --policy " + policy + " tfplan"
	contains(t, reason, "`"+want+"`", "pins")
	// 3. The command it names instead: allowed, and it applies nothing but
	// a plan it checked at the moment it applies.
	if r := hook(want); r != "" {
		t.Fatalf("the hook refused the command its own denial names: %s", r)
	}
	waitSwap()
	code, out := sh(want)
	if code != 1 || !strings.Contains(out, "nothing applied") {
		t.Fatalf("%s after the swap: exit %d, want 1 (blocked)\n%s", want, code, out)
	}
	stands("planguard apply after the swap")
	// 4. A swap racing planguard apply itself: whichever file planguard
	// pins is the one it checks and applies; the evil one is blocked.
	w.write("main.tf", `resource "terraform_data" "prod_db" { input = "db" }`+"\n"+`resource "terraform_data" "cache" {}`+"\n")
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
	race := "(sleep 1; cp evil.tfplan tfplan) >/dev/null 2>&1 &"
	sh(race)
	code, out = sh(want)
	t.Logf("racing the swap: exit %d", code)
	stands(fmt.Sprintf("planguard apply racing the swap (exit %d)\n%s", code, out))
}
