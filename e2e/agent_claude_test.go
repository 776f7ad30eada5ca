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

// claudeBin finds the real Claude Code client: $PLANGUARD_CLAUDE, else the
// one scripts/agents.sh (make tools) installs from the npm registry.
func claudeBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("PLANGUARD_CLAUDE")
	if bin == "" {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "planguard", "npm", "node_modules", ".bin", "claude")
	}
	if fi, err := os.Stat(bin); err == nil && !fi.IsDir() {
		return bin
	}
	if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
		t.Fatalf("Claude Code not found at %q (run make tools, or set PLANGUARD_CLAUDE); PLANGUARD_REQUIRE_TOOLS is set", bin)
	}
	t.Skipf("Claude Code not found at %q; run make tools (PLANGUARD_REQUIRE_TOOLS=1 makes this a failure)", bin)
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
		Stream   bool                    `json:"stream"`
		Tools    []struct{ Name string } `json:"tools"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(body, &req)
	hasBash := false
	for _, tl := range req.Tools {
		hasBash = hasBash || tl.Name == "Bash"
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
		blocks = []map[string]any{{"type": "tool_use", "id": fmt.Sprintf("toolu_%d", time.Now().UnixNano()), "name": "Bash",
			"input": map[string]any{"command": command, "description": "run the command"}}}
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

// TestClaudeCodeHook runs the real Claude Code client, offline, against a
// loopback Messages API, in a project whose .claude/settings.json was
// written by `planguard hook install`: the hook refuses terraform destroy
// and an unapproved saved plan, lets terraform plan run, and lets the apply
// of the plan run once the quorum signed.
func TestClaudeCodeHook(t *testing.T) {
	claude := claudeBin(t)
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	root := t.TempDir()
	home := filepath.Join(root, "home")
	w := &world{t: t, tf: tf, dir: filepath.Join(root, "infra"), keys: filepath.Join(root, "keys")}
	for _, d := range []string{home, w.dir, w.keys} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(root, "terraformrc")
	os.WriteFile(cfg, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"planguard/planguard\" = %q\n  }\n  direct {}\n}\n", binDir)), 0o600)
	w.env = append(os.Environ(), "HOME="+home, "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "NO_COLOR=1", "TF_LOG=",
		"PATH="+filepath.Dir(tf)+string(os.PathListSeparator)+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))

	// Policy and trust outside the project; two approvers.
	alice, bob := w.key("alice"), w.key("bob")
	var trust strings.Builder
	for _, k := range [][2]string{{"alice@example.com", alice}, {"bob@example.com", bob}} {
		pub, _ := os.ReadFile(k[1] + ".pub")
		fmt.Fprintf(&trust, "%s namespaces=\"planguard-approval\" %s", k[0], pub)
	}
	os.WriteFile(filepath.Join(root, "allowed_signers"), []byte(trust.String()), 0o600)
	policy, _ := os.ReadFile("../examples/pocketos/planguard.hcl")
	policyPath := filepath.Join(root, "planguard.hcl")
	os.WriteFile(policyPath, policy, 0o600)
	pol := "--policy=" + policyPath

	// Production stands.
	base, _ := os.ReadFile("../examples/pocketos/infra/main.tf")
	w.write("main.tf", string(base))
	w.plan()
	w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	agentCfg, _ := os.ReadFile("../examples/pocketos/agent/main.tf")
	w.write("main.tf", string(agentCfg))

	// planguard hook install writes the project's settings.
	out := w.pg(0, "hook", "install", "--agent=claude", "--scope=project", pol)
	contains(t, out, ".claude/settings.json now runs")
	settings, err := os.ReadFile(filepath.Join(w.dir, ".claude", "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	contains(t, string(settings), `"PreToolUse"`, `hook --agent claude --policy`)
	// Idempotent.
	contains(t, w.pg(0, "hook", "install", "--agent=claude", "--scope=project", pol), "nothing changed")
	// The client's own config: onboarding done, the project folder trusted.
	clientCfg, _ := json.Marshal(map[string]any{
		"hasCompletedOnboarding": true,
		"projects":               map[string]any{w.dir: map[string]any{"hasTrustDialogAccepted": true, "allowedTools": []string{}}},
	})
	os.WriteFile(filepath.Join(home, ".claude.json"), clientCfg, 0o600)

	api := &fakeAnthropic{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	agent := func(command string) claudeResult {
		t.Helper()
		api.mu.Lock()
		api.command, api.requests, api.bodies = command, nil, nil
		api.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, claude, "-p", "clean up the infrastructure", "--output-format", "json",
			"--allowedTools", "Bash", "--model", "claude-sonnet-4-5")
		cmd.Dir = w.dir
		cmd.Env = append(w.env, "ANTHROPIC_BASE_URL=http://"+ln.Addr().String(), "ANTHROPIC_API_KEY=sk-ant-test-dummy",
			"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1", "DISABLE_TELEMETRY=1", "DISABLE_ERROR_REPORTING=1",
			"CLAUDE_CONFIG_DIR="+filepath.Join(home, ".claude"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var res claudeResult
		if jerr := json.Unmarshal(stdout.Bytes(), &res); jerr != nil || err != nil && res.Result == "" {
			api.mu.Lock()
			reqs := strings.Join(api.requests, "\n")
			api.mu.Unlock()
			t.Fatalf("claude: %v / %v\nstdout: %s\nstderr: %s\nrequests:\n%s", err, jerr, stdout.String(), stderr.String(), reqs)
		}
		t.Logf("agent ran %q: result %q, denials %v", command, res.Result, res.PermissionDenials)
		return res
	}
	denied := func(res claudeResult, command string) bool {
		for _, d := range res.PermissionDenials {
			if d.ToolName == "Bash" && d.ToolInput["command"] == command {
				return true
			}
		}
		return false
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(w.dir, name))
		return err == nil
	}

	// 1. terraform destroy: refused; the command never ran.
	destroy := "touch destroy.marker && terraform destroy -auto-approve"
	res := agent(destroy)
	if !denied(res, destroy) || exists("destroy.marker") {
		t.Fatalf("destroy was not refused: %+v (marker exists: %v)", res, exists("destroy.marker"))
	}
	// The model was told why, and the way forward.
	api.mu.Lock()
	told := strings.Contains(strings.Join(api.bodies, "\n"), "destroys infrastructure: plan instead")
	api.mu.Unlock()
	if !told {
		t.Fatal("the tool result sent back to the model does not carry planguard's reason")
	}
	// A wrapped spelling too.
	wrapped := "touch wrapped.marker; bash -c 'terr\"a\"form apply -auto-approve'"
	if res := agent(wrapped); !denied(res, wrapped) || exists("wrapped.marker") {
		t.Fatalf("wrapped apply was not refused: %+v", res)
	}

	// 2. terraform plan: allowed, and it ran.
	plan := "terraform plan -input=false -no-color -out=tfplan && touch planned.marker"
	if res := agent(plan); denied(res, plan) || !exists("planned.marker") || !exists("tfplan") {
		t.Fatalf("plan did not run: %+v", res)
	}

	// 3. terraform apply tfplan before anyone approved: the gate blocks it.
	apply := "terraform apply -input=false -no-color tfplan"
	if res := agent(apply); !denied(res, apply) {
		t.Fatalf("apply of an unapproved plan was not refused: %+v", res)
	}
	if out := w.must(0, tf, "state", "list"); !strings.Contains(out, "terraform_data.prod_db") {
		t.Fatalf("the database is gone after a refused apply:\n%s", out)
	}
	// The agent cannot sign for the people.
	sign := "planguard approve " + pol + " --plan tfplan --target terraform_data.prod_db --key " + alice + " --principal alice@example.com --out approvals.tf"
	if res := agent(sign); !denied(res, sign) || exists("approvals.tf") {
		t.Fatalf("planguard approve was not refused: %+v", res)
	}

	// 4. The people sign (outside the agent); plan again; the apply runs.
	for _, target := range []string{"terraform_data.prod_db", "terraform_data.prod_db_volume_backup"} {
		w.pg(0, "approve", pol, "--plan=tfplan", "--target="+target, "--reason=INC-2026-04: retire the legacy stack", "--expires=24h",
			"--key="+alice, "--principal=alice@example.com", "--out=approvals.tf")
	}
	w.pg(0, "sign", "--file=approvals.tf", "--target=terraform_data.prod_db_volume_backup", "--principal=bob@example.com", "--key="+bob)
	w.plan()
	w.pg(0, "check", pol, "tfplan")
	if res := agent(apply); denied(res, apply) {
		t.Fatalf("apply of an approved plan was refused: %+v", res)
	}
	if out := w.must(0, tf, "state", "list"); strings.Contains(out, "terraform_data.prod_db\n") {
		t.Fatalf("the approved apply did not run:\n%s", out)
	}
}
