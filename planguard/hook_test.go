package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// hookWorld is a project directory with the quickstart policy beside it.
type hookWorld struct {
	dir, policy, signers, home string
}

func newHookWorld(t *testing.T) hookWorld {
	t.Helper()
	root := t.TempDir()
	w := hookWorld{dir: filepath.Join(root, "infra"), policy: filepath.Join(root, "planguard.hcl"), signers: filepath.Join(root, "allowed_signers"), home: filepath.Join(root, "home")}
	os.MkdirAll(w.dir, 0o755)
	os.MkdirAll(w.home, 0o755)
	pol, _ := os.ReadFile(qsPolicy)
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(w.policy, pol, 0o600)
	os.WriteFile(w.signers, as, 0o600)
	return w
}

func (w hookWorld) hook(t *testing.T, agent, event string, envv map[string]string) (int, string, string) {
	t.Helper()
	if envv == nil {
		envv = map[string]string{}
	}
	envv["HOME"] = w.home
	return runCLI(t, event, envv, "hook", "--agent", agent, "--policy", w.policy)
}

// shellEvent is each agent's documented event for a shell tool call.
func shellEvent(agent, cwd, command string) string {
	var ev any
	switch agent {
	case "claude":
		ev = map[string]any{"session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": cwd, "permission_mode": "default",
			"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": command, "description": "x"}, "tool_use_id": "toolu_1"}
	case "gemini":
		ev = map[string]any{"session_id": "s", "transcript_path": "/tmp/t.json", "cwd": cwd, "hook_event_name": "BeforeTool",
			"timestamp": "2026-11-30T12:00:00Z", "tool_name": "run_shell_command", "tool_input": map[string]any{"command": command, "description": "x"}}
	case "copilot":
		args, _ := json.Marshal(map[string]any{"command": command, "description": "x"})
		ev = map[string]any{"timestamp": 1704614600000, "cwd": cwd, "toolName": "bash", "toolArgs": string(args)}
	case "cursor":
		ev = map[string]any{"conversation_id": "c", "generation_id": "g", "hook_event_name": "beforeShellExecution",
			"workspace_roots": []string{cwd}, "command": command, "cwd": cwd}
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

// denyReason checks out is the agent's documented deny answer and returns its reason.
func denyReason(t *testing.T, agent string, code int, out, errs string) string {
	t.Helper()
	if code != agents[agent].denyExit {
		t.Fatalf("%s deny: exit %d, want %d\nstdout: %s\nstderr: %s", agent, code, agents[agent].denyExit, out, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%s deny: stdout is not JSON: %v\n%s", agent, err, out)
	}
	var decision, reason any
	switch agent {
	case "claude":
		h, _ := m["hookSpecificOutput"].(map[string]any)
		if h["hookEventName"] != "PreToolUse" {
			t.Fatalf("claude deny: hookEventName %v", h["hookEventName"])
		}
		decision, reason = h["permissionDecision"], h["permissionDecisionReason"]
	case "gemini":
		decision, reason = m["decision"], m["reason"]
	case "copilot":
		decision, reason = m["permissionDecision"], m["permissionDecisionReason"]
	case "cursor":
		decision, reason = m["permission"], m["agent_message"]
		if m["user_message"] != reason {
			t.Fatalf("cursor deny: user_message %v", m["user_message"])
		}
	}
	r, _ := reason.(string)
	if decision != "deny" || r == "" {
		t.Fatalf("%s deny: decision %v reason %q in %s", agent, decision, r, out)
	}
	if !strings.Contains(errs, r) {
		t.Fatalf("%s deny: the reason is not on stderr too: %q", agent, errs)
	}
	return r
}

func TestHookAgentsDenyAndAllow(t *testing.T) {
	w := newHookWorld(t)
	for agent := range agents {
		t.Run(agent, func(t *testing.T) {
			code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, "terraform destroy -auto-approve"), nil)
			r := denyReason(t, agent, code, out, errs)
			for _, want := range []string{"terraform destroy -auto-approve", "destroys infrastructure", "terraform plan -out tfplan", "planguard check tfplan"} {
				if !strings.Contains(r, want) {
					t.Errorf("reason lacks %q: %s", want, r)
				}
			}
			// Allowed: no output at all, exit 0 (never an "allow" answer).
			for _, cmd := range []string{"ls -la", "terraform plan -out tfplan", `grep -r "terraform destroy" .`} {
				code, out, errs = w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil)
				if code != 0 || out != "" || errs != "" {
					t.Errorf("%q: exit %d stdout %q stderr %q", cmd, code, out, errs)
				}
			}
		})
	}
}

func TestHookMalformedEventsDeny(t *testing.T) {
	w := newHookWorld(t)
	huge := `{"tool_name":"Bash","tool_input":{"command":"` + strings.Repeat("a", maxEvent) + `"},"cwd":"/"}`
	cases := map[string]struct{ event, want string }{
		"empty":          {"", "stdin is empty"},
		"whitespace":     {" \n", "stdin is empty"},
		"not JSON":       {"terraform destroy", "not a JSON object"},
		"array":          {`[{"tool_name":"Bash"}]`, "not a JSON object"},
		"null":           {"null", "not a JSON object"},
		"two objects":    {`{"a":1} {"b":2}`, "trailing data"},
		"truncated":      {`{"tool_name":"Bash","tool_in`, "not a JSON object"},
		"huge":           {huge, "larger than"},
		"cwd not string": {`{"cwd":5,"tool_name":"Bash","toolName":"bash","tool_input":{"command":"ls"},"toolArgs":"{}","hook_event_name":"beforeShellExecution","command":"ls"}`, "cwd is not a string"},
		"relative cwd":   {`{"cwd":"rel","tool_name":"Bash","toolName":"bash","tool_input":{"command":"ls"},"toolArgs":"{\"command\":\"ls\"}","hook_event_name":"beforeShellExecution","command":"ls"}`, "not an absolute path"},
	}
	for agent := range agents {
		for name, c := range cases {
			code, out, errs := w.hook(t, agent, c.event, nil)
			r := denyReason(t, agent, code, out, errs)
			if !strings.Contains(r, c.want) || !strings.Contains(r, "could not decide") {
				t.Errorf("%s %s: reason %q lacks %q", agent, name, r, c.want)
			}
		}
	}
	// Wrong shapes, per agent.
	shapes := map[string][]string{
		"claude":  {`{"cwd":"/","tool_input":{"command":"ls"}}`, `{"cwd":"/","tool_name":"Bash"}`, `{"cwd":"/","tool_name":"Bash","tool_input":"ls"}`, `{"cwd":"/","tool_name":"Bash","tool_input":{"cmd":"ls"}}`, `{"cwd":"/","tool_name":"Bash","tool_input":{"command":["ls"]}}`, `{"cwd":"/","tool_name":7,"tool_input":{}}`, `{"cwd":"/","TOOL_NAME":"Bash","tool_input":{"command":"terraform destroy"}}`},
		"gemini":  {`{"cwd":"/","tool_name":"run_shell_command","tool_input":{}}`, `{"cwd":"/","tool_name":"write_file","tool_input":{"content":"x"}}`},
		"copilot": {`{"cwd":"/","toolName":"bash"}`, `{"cwd":"/","toolName":"bash","toolArgs":"not json"}`, `{"cwd":"/","toolName":"bash","toolArgs":"{}"}`, `{"cwd":"/","tool_name":"bash","tool_input":{"command":"ls"}}`},
		"cursor":  {`{"cwd":"/","hook_event_name":"beforeShellExecution"}`, `{"cwd":"/","hook_event_name":"afterFileEdit","command":"ls"}`, `{"cwd":"/","command":"ls"}`},
	}
	for agent, evs := range shapes {
		for _, ev := range evs {
			code, out, errs := w.hook(t, agent, ev, nil)
			denyReason(t, agent, code, out, errs)
		}
	}
}

func TestHookConfigurationErrorsDeny(t *testing.T) {
	w := newHookWorld(t)
	ev := shellEvent("claude", w.dir, "ls")
	// Unknown agent: denied (as Claude would read it, exit 2), message on stderr.
	code, _, errs := runCLI(t, ev, nil, "hook", "--agent", "vim", "--policy", w.policy)
	if code != 2 || !strings.Contains(errs, `unknown --agent "vim"`) {
		t.Fatalf("unknown agent: %d %s", code, errs)
	}
	code, _, errs = runCLI(t, ev, nil, "hook", "--policy", w.policy)
	if code != 2 || !strings.Contains(errs, "unknown --agent") {
		t.Fatalf("no agent: %d %s", code, errs)
	}
	// Unreadable or broken policy: every judged call is denied, ls too.
	code, out, errs := runCLI(t, ev, map[string]string{"HOME": w.home}, "hook", "--agent", "claude", "--policy", filepath.Join(w.dir, "missing.hcl"))
	if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "missing.hcl") {
		t.Fatalf("missing policy: %s", r)
	}
	os.WriteFile(w.signers, []byte("not a signers line\n"), 0o600)
	code, out, errs = w.hook(t, "gemini", shellEvent("gemini", w.dir, "ls"), nil)
	denyReason(t, "gemini", code, out, errs)
	// Even a tool the hook does not judge.
	code, out, errs = w.hook(t, "claude", `{"cwd":"/","tool_name":"Read","tool_input":{"file_path":"/etc/hosts"}}`, nil)
	denyReason(t, "claude", code, out, errs)
	// A stray argument.
	code, out, errs = runCLI(t, ev, nil, "hook", "--agent", "copilot", "--policy", w.policy, "extra")
	denyReason(t, "copilot", code, out, errs)
	// A bad flag.
	code, out, errs = runCLI(t, ev, nil, "hook", "--agent", "cursor", "--bogus")
	denyReason(t, "cursor", code, out, errs)
}

func TestHookFileWrites(t *testing.T) {
	w := newHookWorld(t)
	link := filepath.Join(w.dir, "signers-link")
	if err := os.Symlink(w.signers, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(w.dir, "policy-hardlink")
	if err := os.Link(w.policy, hard); err != nil {
		t.Fatal(err)
	}
	write := func(agent, tool, key, path string) string {
		var ev any
		switch agent {
		case "copilot":
			args, _ := json.Marshal(map[string]any{key: path, "file_text": "x"})
			ev = map[string]any{"cwd": w.dir, "toolName": tool, "toolArgs": string(args)}
		default:
			ev = map[string]any{"cwd": w.dir, "tool_name": tool, "tool_input": map[string]any{key: path, "content": "x"}}
		}
		b, _ := json.Marshal(ev)
		return string(b)
	}
	refused := []struct{ agent, tool, key, path string }{
		{"claude", "Write", "file_path", w.policy},
		{"claude", "Edit", "file_path", "../allowed_signers"},
		{"claude", "MultiEdit", "file_path", link},
		{"claude", "Edit", "file_path", hard},
		{"claude", "Write", "file_path", filepath.Join(w.dir, ".claude", "settings.json")},
		{"claude", "Write", "file_path", filepath.Join(w.home, ".claude", "settings.json")},
		{"gemini", "write_file", "file_path", w.policy},
		{"gemini", "replace", "file_path", "../planguard.hcl"},
		{"copilot", "edit", "path", w.signers},
		{"copilot", "create", "path", filepath.Join(w.dir, ".github", "hooks", "planguard.json")},
	}
	for _, c := range refused {
		code, out, errs := w.hook(t, c.agent, write(c.agent, c.tool, c.key, c.path), nil)
		if r := denyReason(t, c.agent, code, out, errs); !strings.Contains(r, "holds the gate's trust") {
			t.Errorf("%s %s %s: %s", c.agent, c.tool, c.path, r)
		}
	}
	for _, c := range []struct{ agent, tool, key, path string }{
		{"claude", "Write", "file_path", "main.tf"},
		{"claude", "Read", "file_path", w.policy}, // reading is fine
		{"gemini", "write_file", "file_path", filepath.Join(w.dir, "approvals.tf")},
		{"copilot", "view", "path", w.signers},
	} {
		if code, out, errs := w.hook(t, c.agent, write(c.agent, c.tool, c.key, c.path), nil); code != 0 || out != "" {
			t.Errorf("%s %s %s: %d %s %s", c.agent, c.tool, c.path, code, out, errs)
		}
	}
	// Copilot's write_bash types into a shell started earlier: judged too.
	args, _ := json.Marshal(map[string]any{"shellId": "1", "input": "terraform destroy -auto-approve\n"})
	ev, _ := json.Marshal(map[string]any{"cwd": w.dir, "toolName": "write_bash", "toolArgs": string(args)})
	code, out, errs := w.hook(t, "copilot", string(ev), nil)
	denyReason(t, "copilot", code, out, errs)
	// A shell redirect into the policy is refused too.
	code, out, errs = w.hook(t, "claude", shellEvent("claude", w.dir, "echo 'protect {}' >> ../planguard.hcl"), nil)
	denyReason(t, "claude", code, out, errs)
}

// TestHookSavedPlan runs the real gate on the plan a `terraform apply
// PLANFILE` would apply: blocked → denied with the gate's summary and the
// approve command; allowed → no output; not a saved plan → denied.
func TestHookSavedPlan(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	w := newHookWorld(t)
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_CONFIG_FILE": filepath.Join(w.dir, "terraformrc")}
	t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(w.dir, "terraformrc"))
	t.Setenv("CHECKPOINT_DISABLE", "1")
	// The hook runs elsewhere: terraform show must run in the agent's directory.
	t.Chdir(w.home)
	savedPlan(t, tf, w.dir, `resource "terraform_data" "prod_db" { input = "a" }`, `resource "terraform_data" "other" {}`)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	safe := exe + " apply --policy " + w.policy + " tfplan"
	for agent := range agents {
		code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, "terraform apply -input=false tfplan"), envv)
		r := denyReason(t, agent, code, out, errs)
		for _, want := range []string{"the gate blocks this plan", "delete terraform_data.prod_db", "planguard approve --policy " + w.policy + " --plan tfplan --target terraform_data.prod_db --action delete",
			"When it allows the plan, apply it with `" + safe + "`", "pins the plan"} {
			if !strings.Contains(r, want) {
				t.Errorf("%s: reason lacks %q: %s", agent, want, r)
			}
		}
	}
	// With -chdir, the plan is found there, and terraform show runs there
	// (where terraform init installed the providers), not where the hook runs.
	wrapper := filepath.Join(w.home, "terraform-wrapper")
	os.WriteFile(wrapper, []byte("#!/bin/sh\npwd > "+filepath.Join(w.home, "show-dir")+"\nexec "+tf+" \"$@\"\n"), 0o755)
	wenv := map[string]string{"PLANGUARD_TERRAFORM": wrapper, "TF_CLI_CONFIG_FILE": envv["TF_CLI_CONFIG_FILE"]}
	code, out, errs := w.hook(t, "claude", shellEvent("claude", filepath.Dir(w.dir), "terraform -chdir=infra apply tfplan"), wenv)
	denyReason(t, "claude", code, out, errs)
	if got, _ := os.ReadFile(filepath.Join(w.home, "show-dir")); strings.TrimSpace(string(got)) != w.dir {
		t.Fatalf("terraform show ran in %q, want %q", got, w.dir)
	}
	if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "from "+w.dir+" (cd there") {
		t.Errorf("-chdir: the refusal does not say where to run planguard apply: %s", r)
	}
	// A plan the gate allows: still refused (terraform reads the file after
	// the hook answered, issue 17), pointing to planguard apply, which pins
	// it when it applies; that command, as written, is allowed.
	savedPlan(t, tf, w.dir, `resource "terraform_data" "other" { input = "a" }`, `resource "terraform_data" "other" { input = "b" }`)
	for agent := range agents {
		code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, "terraform apply tfplan"), envv)
		r := denyReason(t, agent, code, out, errs)
		for _, want := range []string{"never lets terraform apply a saved plan itself", "Run `" + safe + "` instead", "pins the plan", "swapped"} {
			if !strings.Contains(r, want) {
				t.Errorf("%s: allowed plan: reason lacks %q: %s", agent, want, r)
			}
		}
		if strings.Contains(r, "blocks") {
			t.Errorf("%s: allowed plan reported blocked: %s", agent, r)
		}
		if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, safe), envv); code != 0 || out != "" {
			t.Errorf("%s: %s: %d %s %s", agent, safe, code, out, errs)
		}
	}
	// Only the hook's own planguard, with its policy, harmless flags.
	os.WriteFile(filepath.Join(w.dir, "mine.hcl"), nil, 0o600)
	for _, cmd := range []string{
		"planguard apply --policy " + w.policy + " tfplan",
		"./planguard apply --policy " + w.policy + " tfplan",
		exe + " apply --policy mine.hcl tfplan",
		exe + " apply --policy " + w.policy + " --terraform-bin /tmp/tf tfplan",
		"PLANGUARD_TERRAFORM=/tmp/tf " + safe,
		"(sleep 3; cp evil.tfplan tfplan) & " + safe,
	} {
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), envv)
		denyReason(t, "claude", code, out, errs)
	}
	// A symlink to the policy made by the hook's installer is its real path:
	// the hook's policy may be named through it.
	link := filepath.Join(w.home, "policy-link.hcl")
	if err := os.Symlink(w.policy, link); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, shellEvent("claude", w.dir, exe+" apply --policy "+w.policy+" tfplan"), map[string]string{"HOME": w.home}, "hook", "--agent", "claude", "--policy", link)
	if code != 0 || out != "" {
		t.Errorf("policy through the installer's symlink: %d %s %s", code, out, errs)
	}
	// With a runner, the refusal points to it instead.
	for _, run := range []func(cmd string) (int, string, string){
		func(cmd string) (int, string, string) {
			return runCLI(t, shellEvent("claude", w.dir, cmd), map[string]string{"HOME": w.home, "PLANGUARD_TERRAFORM": tf}, "hook", "--agent", "claude", "--policy", w.policy, "--runner-socket", "/run/planguard/runner.sock")
		},
		func(cmd string) (int, string, string) {
			return w.hook(t, "claude", shellEvent("claude", w.dir, cmd), map[string]string{"PLANGUARD_TERRAFORM": tf, "PLANGUARD_RUNNER_SOCKET": "/run/planguard/runner.sock"})
		},
	} {
		code, out, errs := run("terraform apply tfplan")
		r := denyReason(t, "claude", code, out, errs)
		for _, want := range []string{"/run/planguard/runner.sock", "planguard runner plan", "planguard runner apply PLAN_ID"} {
			if !strings.Contains(r, want) {
				t.Errorf("runner: reason lacks %q: %s", want, r)
			}
		}
		if strings.Contains(r, " apply --policy ") {
			t.Errorf("runner: the refusal points to planguard apply: %s", r)
		}
	}
	// Not a saved plan, or no file, or a FIFO (which would block the hook
	// until the agent's timeout): denied, at once.
	os.WriteFile(filepath.Join(w.dir, "plan.json"), []byte(`{}`), 0o600)
	if err := mkfifo(filepath.Join(w.dir, "fifo.tfplan")); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"terraform apply plan.json", "terraform apply missing.tfplan", "terraform apply fifo.tfplan", "terraform apply /dev/zero", "terraform apply ."} {
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), envv)
		denyReason(t, "claude", code, out, errs)
	}
}

func TestHookInstall(t *testing.T) {
	w := newHookWorld(t)
	t.Chdir(w.dir)
	envv := map[string]string{"HOME": w.home}
	// Claude: existing settings are kept, a backup is written, install is idempotent.
	os.MkdirAll(filepath.Join(w.dir, ".claude"), 0o755)
	existing := `{"permissions":{"allow":["Bash(ls:*)"]},"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"my-linter"}]}],"Stop":[{"hooks":[{"type":"command","command":"notify"}]}]}}`
	path := filepath.Join(w.dir, ".claude", "settings.json")
	os.WriteFile(path, []byte(existing), 0o644)
	code, out, errs := runCLI(t, "", envv, "hook", "install", "--agent", "claude", "--policy", "../planguard.hcl", "--planguard-bin", "/opt/planguard")
	if code != 0 || !strings.Contains(out, "backed up") || !strings.Contains(out, "now runs") {
		t.Fatalf("install: %d %s %s", code, out, errs)
	}
	if b, _ := os.ReadFile(path + ".planguard-backup"); string(b) != existing {
		t.Fatalf("backup: %s", b)
	}
	var s map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{`"Bash(ls:*)"`, `"my-linter"`, `"notify"`, `"Bash|Write|Edit|MultiEdit|NotebookEdit"`, `/opt/planguard hook --agent claude --policy ` + w.policy + `"`} {
		if !strings.Contains(text, want) {
			t.Errorf("settings lack %s:\n%s", want, text)
		}
	}
	code, out, _ = runCLI(t, "", envv, "hook", "install", "--agent", "claude", "--policy", "../planguard.hcl", "--planguard-bin", "/opt/planguard")
	if code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("second install: %d %s", code, out)
	}
	if b2, _ := os.ReadFile(path); string(b2) != text {
		t.Fatal("a second install changed the file")
	}
	// A new binary path replaces the old planguard entry instead of adding one.
	runCLI(t, "", envv, "hook", "install", "--agent", "claude", "--policy", "../planguard.hcl", "--planguard-bin", "/usr/bin/planguard")
	b, _ = os.ReadFile(path)
	if strings.Count(string(b), "hook --agent claude") != 1 || !strings.Contains(string(b), "/usr/bin/planguard") || !strings.Contains(string(b), "my-linter") {
		t.Fatalf("reinstall:\n%s", b)
	}
	// --runner-socket is written into the command, as an absolute path.
	runCLI(t, "", envv, "hook", "install", "--agent", "claude", "--policy", "../planguard.hcl", "--planguard-bin", "/usr/bin/planguard", "--runner-socket", "run/runner.sock")
	if b, _ = os.ReadFile(path); !strings.Contains(string(b), "/usr/bin/planguard hook --agent claude --policy "+w.policy+" --runner-socket "+filepath.Join(w.dir, "run", "runner.sock")) {
		t.Fatalf("install --runner-socket:\n%s", b)
	}
	// The other agents, project and user scope.
	for _, c := range []struct{ agent, scope, path, want string }{
		{"gemini", "project", filepath.Join(w.dir, ".gemini", "settings.json"), `"BeforeTool"`},
		{"gemini", "user", filepath.Join(w.home, ".gemini", "settings.json"), `"run_shell_command|write_file|replace"`},
		{"copilot", "project", filepath.Join(w.dir, ".github", "hooks", "planguard.json"), `"preToolUse"`},
		{"copilot", "user", filepath.Join(w.home, ".copilot", "hooks", "planguard.json"), `"bash": "`},
		{"cursor", "project", filepath.Join(w.dir, ".cursor", "hooks.json"), `"failClosed": true`},
		{"claude", "user", filepath.Join(w.home, ".claude", "settings.json"), `"PreToolUse"`},
	} {
		code, out, errs := runCLI(t, "", envv, "hook", "install", "--agent", c.agent, "--scope", c.scope, "--policy", w.policy)
		if code != 0 {
			t.Fatalf("%s %s: %d %s %s", c.agent, c.scope, code, out, errs)
		}
		b, err := os.ReadFile(c.path)
		if err != nil || !strings.Contains(string(b), c.want) || !strings.Contains(string(b), "hook --agent "+c.agent) {
			t.Fatalf("%s %s: %v\n%s", c.agent, c.scope, err, b)
		}
	}
	// Refusals: unknown agent, unknown scope, a broken settings file, a bad policy.
	os.WriteFile(filepath.Join(w.dir, ".cursor", "hooks.json"), []byte("{broken"), 0o644)
	for _, args := range [][]string{
		{"--agent", "vim"},
		{"--agent", "claude", "--scope", "galaxy"},
		{"--agent", "copilot", "--scope", "managed"},
		{"--agent", "cursor", "--policy", w.policy},
		{"--agent", "claude", "--policy", "missing.hcl"},
	} {
		if code, _, _ := runCLI(t, "", envv, append([]string{"hook", "install"}, args...)...); code != exitError {
			t.Errorf("install %v: exit %d", args, code)
		}
	}
}

// TestAgentProtocols: every agent's protocol is whole (event, deny, install),
// and agentNames lists exactly the agents.
func TestAgentProtocols(t *testing.T) {
	if len(agentNames()) != len(agents) {
		t.Fatalf("agentNames %v, agents %d", agentNames(), len(agents))
	}
	for _, name := range agentNames() {
		p := agents[name]
		if p == nil || p.call == nil || p.deny == nil || len(p.shellTools) == 0 || len(p.project) == 0 || len(p.user) == 0 ||
			p.install.event == "" || p.install.key == "" || p.install.entry == nil {
			t.Errorf("%s: incomplete protocol %+v", name, p)
			continue
		}
		if c, _ := p.install.entry("X")[p.install.key].(string); c != "X" {
			t.Errorf("%s: the install entry does not hold the command under %q", name, p.install.key)
		}
	}
}

// Issue 17: the protected settings files follow the project root (every
// directory above the event's, and beside the policy), and are protected
// through directories and globs; a tool that types into a running program
// is refused whatever it types.
func TestHookProjectRootAndTypedInput(t *testing.T) {
	w := newHookWorld(t)
	root := filepath.Dir(w.dir)
	sub := filepath.Join(w.dir, "modules", "db")
	os.MkdirAll(sub, 0o755)
	for _, cmd := range []string{
		"rm -rf ../../../.claude",
		"mv ../../../.gemini /tmp/x",
		"sed -i s/planguard/true/ ../../../.claude/settings.jso[n]",
		"echo '{}' > " + filepath.Join(root, ".cursor", "hooks.json"),
		"sed -i s/x/y/ ../../../planguard.hc?",
		"rm -rf " + root,
	} {
		code, out, errs := w.hook(t, "claude", shellEvent("claude", sub, cmd), nil)
		if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "trust") {
			t.Errorf("%q: %s", cmd, r)
		}
	}
	write, _ := json.Marshal(map[string]any{"cwd": sub, "tool_name": "Write",
		"tool_input": map[string]any{"file_path": filepath.Join(root, ".claude", "settings.local.json"), "content": "{}"}})
	code, out, errs := w.hook(t, "claude", string(write), nil)
	denyReason(t, "claude", code, out, errs)
	for _, input := range []string{"ls\n", "yes\n", "terraform destroy -auto-approve\n"} {
		args, _ := json.Marshal(map[string]any{"shellId": "1", "input": input})
		ev, _ := json.Marshal(map[string]any{"cwd": w.dir, "toolName": "write_bash", "toolArgs": string(args)})
		code, out, errs := w.hook(t, "copilot", string(ev), nil)
		if r := denyReason(t, "copilot", code, out, errs); !strings.Contains(r, "types into a program") {
			t.Errorf("write_bash %q: %s", input, r)
		}
	}
	// Still allowed: reading them, and work elsewhere in the project.
	for _, cmd := range []string{"cat ../../../.claude/settings.json", "rm -rf build", "ls -la ../../.."} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", sub, cmd), nil); code != 0 || out != "" {
			t.Errorf("%q: %d %s %s", cmd, code, out, errs)
		}
	}
}
