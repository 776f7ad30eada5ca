package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// agentBin finds a real agent client: $envVar, else NAME in the npm cache
// scripts/agents.sh (make tools, make agent-clients) fills from the npm
// registry. Missing: skipped, or a failure under PLANGUARD_REQUIRE_TOOLS.
func agentBin(t *testing.T, envVar, name string) string {
	t.Helper()
	bin := os.Getenv(envVar)
	if bin == "" {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "planguard", "npm", "node_modules", ".bin", name)
	}
	if fi, err := os.Stat(bin); err == nil && !fi.IsDir() {
		return bin
	}
	if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
		t.Fatalf("%s not found at %q (run make agent-clients, or set %s); PLANGUARD_REQUIRE_TOOLS is set", name, bin, envVar)
	}
	t.Skipf("%s not found at %q; run make agent-clients (PLANGUARD_REQUIRE_TOOLS=1 makes this a failure)", name, bin)
	return ""
}

// fakeAnthropic is a loopback stand-in for the Messages API: the main
// agent turn (a request offering the Bash tool, with no tool result yet)
// gets a streamed tool_use for Bash running command; the turn after the
// tool result gets a final text; every other request (titles, summaries)
// gets a short text.
type fakeAnthropic struct {
	mu       sync.Mutex
	command  string
	requests []string
	bodies   []string
}

func (f *fakeAnthropic) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path+" "+truncate(string(body), 300))
	f.bodies = append(f.bodies, string(body))
	command := f.command
	f.mu.Unlock()
	if !strings.HasPrefix(r.URL.Path, "/v1/messages") || strings.Contains(r.URL.Path, "count_tokens") {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "count_tokens") {
			io.WriteString(w, `{"input_tokens":10}`)
			return
		}
		io.WriteString(w, `{}`)
		return
	}
	var req struct {
		Stream bool `json:"stream"`
		Tools  []struct {
			Name        string `json:"name"`
			InputSchema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"input_schema"`
		} `json:"tools"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(body, &req)
	// The shell tool: Claude Code's Bash, Copilot CLI's bash.
	hasBash, tool := false, ""
	input := map[string]any{"command": command, "description": "run the command"}
	for _, tl := range req.Tools {
		if tl.Name == "Bash" || tl.Name == "bash" {
			hasBash, tool = true, tl.Name
			if _, ok := tl.InputSchema.Properties["mode"]; ok {
				input["mode"] = "sync"
			}
			if _, ok := tl.InputSchema.Properties["initial_wait"]; ok {
				input["initial_wait"] = 120
			}
		}
	}
	last := ""
	if n := len(req.Messages); n > 0 {
		last = string(req.Messages[n-1].Content)
	}
	var blocks []map[string]any
	stop := "end_turn"
	switch {
	case hasBash && strings.Contains(last, `"tool_result"`):
		blocks = []map[string]any{{"type": "text", "text": "Done."}}
	case hasBash:
		blocks = []map[string]any{{"type": "tool_use", "id": fmt.Sprintf("toolu_%d", time.Now().UnixNano()), "name": tool, "input": input}}
		stop = "tool_use"
	default:
		blocks = []map[string]any{{"type": "text", "text": "ok"}}
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "msg_fake", "type": "message", "role": "assistant", "model": "claude-fake",
			"content": blocks, "stop_reason": stop, "stop_sequence": nil, "usage": map[string]int{"input_tokens": 10, "output_tokens": 5}})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	ev := func(name string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
	}
	ev("message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_fake", "type": "message", "role": "assistant",
		"model": "claude-fake", "content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": map[string]int{"input_tokens": 10, "output_tokens": 1}}})
	for i, b := range blocks {
		if b["type"] == "tool_use" {
			input, _ := json.Marshal(b["input"])
			ev("content_block_start", map[string]any{"type": "content_block_start", "index": i,
				"content_block": map[string]any{"type": "tool_use", "id": b["id"], "name": b["name"], "input": map[string]any{}}})
			ev("content_block_delta", map[string]any{"type": "content_block_delta", "index": i,
				"delta": map[string]any{"type": "input_json_delta", "partial_json": string(input)}})
		} else {
			ev("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			ev("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "text_delta", "text": b["text"]}})
		}
		ev("content_block_stop", map[string]any{"type": "content_block_stop", "index": i})
	}
	ev("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]int{"output_tokens": 5}})
	ev("message_stop", map[string]any{"type": "message_stop"})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// claudeResult is the part of `claude -p --output-format json` we read.
type claudeResult struct {
	Result            string `json:"result"`
	IsError           bool   `json:"is_error"`
	PermissionDenials []struct {
		ToolName  string         `json:"tool_name"`
		ToolInput map[string]any `json:"tool_input"`
	} `json:"permission_denials"`
}

// agentWorld is production standing, the agent's change written, the
// policy and trust beside the project (where the agent cannot write), two
// approvers' keys, and HOME a temporary directory.
type agentWorld struct {
	*world
	root, home, policy, alice, bob string
}

func newAgentWorld(t *testing.T) *agentWorld {
	t.Helper()
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	root := t.TempDir()
	a := &agentWorld{root: root, home: filepath.Join(root, "home"), policy: filepath.Join(root, "planguard.hcl"),
		world: &world{t: t, tf: tf, dir: filepath.Join(root, "infra"), keys: filepath.Join(root, "keys")}}
	for _, d := range []string{a.home, a.dir, a.keys} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(root, "terraformrc")
	os.WriteFile(cfg, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"planguard/planguard\" = %q\n  }\n  direct {}\n}\n", binDir)), 0o600)
	a.env = append(os.Environ(), "HOME="+a.home, "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "NO_COLOR=1", "TF_LOG=",
		"PATH="+filepath.Dir(tf)+string(os.PathListSeparator)+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	a.alice, a.bob = a.key("alice"), a.key("bob")
	var trust strings.Builder
	for _, k := range [][2]string{{"alice@example.com", a.alice}, {"bob@example.com", a.bob}} {
		pub, _ := os.ReadFile(k[1] + ".pub")
		fmt.Fprintf(&trust, "%s namespaces=\"planguard-approval\" %s", k[0], pub)
	}
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte(trust.String()), 0o600)
	policy, _ := os.ReadFile("../examples/pocketos/planguard.hcl")
	os.WriteFile(a.policy, policy, 0o600)
	// Production stands; then the agent's change removes it.
	base, _ := os.ReadFile("../examples/pocketos/infra/main.tf")
	a.write("main.tf", string(base))
	a.plan()
	a.pg(0, "apply", "--policy="+a.policy, "tfplan", "--", "-no-color")
	agentCfg, _ := os.ReadFile("../examples/pocketos/agent/main.tf")
	a.write("main.tf", string(agentCfg))
	return a
}

func (a *agentWorld) exists(name string) bool {
	_, err := os.Stat(filepath.Join(a.dir, name))
	return err == nil
}

// startFake serves the fake Messages API on a loopback port.
func startFake(t *testing.T) (*fakeAnthropic, string) {
	t.Helper()
	api := &fakeAnthropic{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return api, "http://" + ln.Addr().String()
}

func (f *fakeAnthropic) set(command string) {
	f.mu.Lock()
	f.command, f.requests, f.bodies = command, nil, nil
	f.mu.Unlock()
}

func (f *fakeAnthropic) saw(s string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Contains(strings.Join(f.bodies, "\n"), s)
}

func (f *fakeAnthropic) log() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.requests, "\n")
}

// agentScenario drives one agent through the story; ask has the agent's
// model call its shell tool with command and reports whether the client
// says the hook denied it.
func agentScenario(t *testing.T, a *agentWorld, api *fakeAnthropic, ask func(command string) (denied bool)) {
	pol := "--policy=" + a.policy
	// 1. terraform destroy: refused; the command never ran; the model was
	// told why and the way forward.
	destroy := "touch destroy.marker && terraform destroy -auto-approve"
	if !ask(destroy) || a.exists("destroy.marker") {
		t.Fatalf("destroy was not refused (marker exists: %v)", a.exists("destroy.marker"))
	}
	if !api.saw("destroys infrastructure: plan instead") {
		t.Fatalf("the tool result sent back to the model does not carry planguard's reason; requests:\n%s", api.log())
	}
	// A wrapped spelling too.
	wrapped := "touch wrapped.marker; bash -c 'terr\"a\"form apply -auto-approve'"
	if !ask(wrapped) || a.exists("wrapped.marker") {
		t.Fatal("wrapped apply was not refused")
	}
	// 2. terraform plan: allowed, and it ran.
	plan := "terraform plan -input=false -no-color -out=tfplan && touch planned.marker"
	if ask(plan) || !a.exists("planned.marker") || !a.exists("tfplan") {
		t.Fatal("plan did not run")
	}
	// 3. terraform apply tfplan before anyone approved: the gate blocks it;
	// the refusal names the approvals and the command that applies safely.
	apply := "terraform apply -input=false -no-color tfplan"
	pgApply := filepath.Join(binDir, "planguard") + " apply --policy " + a.policy + " tfplan -- -no-color"
	if !ask(apply) {
		t.Fatal("apply of an unapproved plan was not refused")
	}
	if !api.saw("the gate blocks this plan") || !api.saw(filepath.Join(binDir, "planguard")+" apply --policy "+a.policy+" tfplan") {
		t.Fatalf("the tool result sent back to the model does not name the approvals and planguard apply; requests:\n%s", api.log())
	}
	// planguard apply, before the approvals: allowed by the hook, blocked by
	// the gate, nothing applied.
	if ask(pgApply) {
		t.Fatal("planguard apply was refused by the hook")
	}
	if out := a.must(0, a.tf, "state", "list"); !strings.Contains(out, "terraform_data.prod_db") {
		t.Fatalf("the database is gone after a refused apply:\n%s", out)
	}
	// The agent cannot sign for the people.
	sign := "planguard approve " + pol + " --plan tfplan --target terraform_data.prod_db --key " + a.alice + " --principal alice@example.com --out approvals.tf"
	if !ask(sign) || a.exists("approvals.tf") {
		t.Fatal("planguard approve was not refused")
	}
	// 4. The people sign (outside the agent); plan again; the apply runs.
	for _, target := range []string{"terraform_data.prod_db", "terraform_data.prod_db_volume_backup"} {
		a.pg(0, "approve", pol, "--plan=tfplan", "--target="+target, "--reason=INC-2026-04: retire the legacy stack", "--expires=24h",
			"--key="+a.alice, "--principal=alice@example.com", "--out=approvals.tf")
	}
	a.pg(0, "sign", "--file=approvals.tf", "--target=terraform_data.prod_db_volume_backup", "--principal=bob@example.com", "--key="+a.bob)
	a.plan()
	a.pg(0, "check", pol, "tfplan")
	// terraform apply of the approved plan: still refused (terraform would
	// read the file after the hook answered, issue 17), pointing to
	// planguard apply, which pins the plan when it applies.
	if !ask(apply) {
		t.Fatal("terraform apply of a saved plan was allowed: terraform reads it after the hook answered")
	}
	if !api.saw("never lets terraform apply a saved plan itself") {
		t.Fatalf("the refusal does not say why; requests:\n%s", api.log())
	}
	if ask(pgApply) {
		t.Fatal("planguard apply of an approved plan was refused")
	}
	if out := a.must(0, a.tf, "state", "list"); strings.Contains(out, "terraform_data.prod_db\n") {
		t.Fatalf("the approved apply did not run:\n%s", out)
	}
}

// TestClaudeCodeHook runs the real Claude Code client, offline, against a
// loopback Messages API, in a project whose .claude/settings.json was
// written by `planguard hook install`: the hook refuses terraform destroy
// and terraform apply of a saved plan (naming the approvals the plan lacks
// and the planguard apply command to use), lets terraform plan run, and
// lets planguard apply run, which applies the plan once the quorum signed.
func TestClaudeCodeHook(t *testing.T) {
	claude := agentBin(t, "PLANGUARD_CLAUDE", "claude")
	a := newAgentWorld(t)
	pol := "--policy=" + a.policy
	out := a.pg(0, "hook", "install", "--agent=claude", "--scope=project", pol)
	contains(t, out, ".claude/settings.json now runs")
	settings, err := os.ReadFile(filepath.Join(a.dir, ".claude", "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	contains(t, string(settings), `"PreToolUse"`, `hook --agent claude --policy`)
	contains(t, a.pg(0, "hook", "install", "--agent=claude", "--scope=project", pol), "nothing changed")
	// The client's own config ($HOME/.claude.json: no CLAUDE_CONFIG_DIR):
	// onboarding done, the project folder trusted.
	clientCfg, _ := json.Marshal(map[string]any{
		"hasCompletedOnboarding": true,
		"projects":               map[string]any{a.dir: map[string]any{"hasTrustDialogAccepted": true, "allowedTools": []string{}}},
	})
	os.WriteFile(filepath.Join(a.home, ".claude.json"), clientCfg, 0o600)
	api, url := startFake(t)
	agentScenario(t, a, api, func(command string) bool {
		t.Helper()
		api.set(command)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, claude, "-p", "clean up the infrastructure", "--output-format", "json",
			"--allowedTools", "Bash", "--model", "claude-sonnet-4-5")
		cmd.Dir = a.dir
		cmd.Env = append(a.env, "ANTHROPIC_BASE_URL="+url, "ANTHROPIC_API_KEY=sk-ant-test-dummy",
			"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1", "DISABLE_TELEMETRY=1", "DISABLE_ERROR_REPORTING=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var res claudeResult
		if jerr := json.Unmarshal(stdout.Bytes(), &res); jerr != nil || err != nil && res.Result == "" {
			t.Fatalf("claude: %v / %v\nstdout: %s\nstderr: %s\nrequests:\n%s", err, jerr, stdout.String(), stderr.String(), api.log())
		}
		t.Logf("claude ran %q: result %q, denials %v", command, res.Result, res.PermissionDenials)
		// The client read and kept its config: the folder is still trusted there.
		var cfg struct {
			Projects map[string]struct {
				HasTrustDialogAccepted bool `json:"hasTrustDialogAccepted"`
			} `json:"projects"`
		}
		b, _ := os.ReadFile(filepath.Join(a.home, ".claude.json"))
		if json.Unmarshal(b, &cfg) != nil || !cfg.Projects[a.dir].HasTrustDialogAccepted {
			t.Fatalf("the client's config lost the trusted folder:\n%s", b)
		}
		for _, d := range res.PermissionDenials {
			if d.ToolName == "Bash" && d.ToolInput["command"] == command {
				return true
			}
		}
		return false
	})
}

// TestCopilotCLIHook runs the real GitHub Copilot CLI, offline (BYOK with
// COPILOT_OFFLINE, its Anthropic provider type pointed at the loopback
// Messages API), with the repository hook file `planguard hook install
// --agent copilot` writes.
func TestCopilotCLIHook(t *testing.T) {
	copilot := agentBin(t, "PLANGUARD_COPILOT", "copilot")
	a := newAgentWorld(t)
	out := a.pg(0, "hook", "install", "--agent=copilot", "--scope=project", "--policy="+a.policy)
	contains(t, out, ".github/hooks/planguard.json now runs")
	api, url := startFake(t)
	agentScenario(t, a, api, func(command string) bool {
		t.Helper()
		api.set(command)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, copilot, "-p", "clean up the infrastructure", "--output-format", "json",
			"--allow-all-tools", "--no-ask-user", "--trust-folder", "--log-dir", filepath.Join(a.root, "copilot-logs"))
		cmd.Dir = a.dir
		cmd.Env = append(a.env, "COPILOT_OFFLINE=true", "COPILOT_PROVIDER_BASE_URL="+url, "COPILOT_PROVIDER_TYPE=anthropic",
			"COPILOT_PROVIDER_API_KEY=sk-ant-test-dummy", "COPILOT_MODEL=claude-sonnet-4.5", "COPILOT_HOME="+filepath.Join(a.home, ".copilot"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("copilot: %v\nstdout: %s\nstderr: %s\nrequests:\n%s", err, stdout.String(), stderr.String(), api.log())
		}
		// The client's JSONL: the tool call for command, and how it ended.
		id, denied, ran := "", false, false
		for _, line := range strings.Split(stdout.String(), "\n") {
			var ev struct {
				Type string `json:"type"`
				Data struct {
					ToolCallID string         `json:"toolCallId"`
					Arguments  map[string]any `json:"arguments"`
					Success    bool           `json:"success"`
					Error      struct {
						Message, Code string
					} `json:"error"`
				} `json:"data"`
			}
			if json.Unmarshal([]byte(line), &ev) != nil {
				continue
			}
			switch {
			case ev.Type == "tool.execution_start" && ev.Data.Arguments["command"] == command:
				id = ev.Data.ToolCallID
			case ev.Type == "tool.execution_complete" && id != "" && ev.Data.ToolCallID == id:
				ran = true
				denied = !ev.Data.Success && ev.Data.Error.Code == "denied" && strings.HasPrefix(ev.Data.Error.Message, "Denied by preToolUse hook: planguard refused")
			}
		}
		if !ran {
			t.Fatalf("copilot did not call its shell tool with %q:\n%s\nrequests:\n%s", command, stdout.String(), api.log())
		}
		t.Logf("copilot ran %q: denied %v", command, denied)
		return denied
	})
}
