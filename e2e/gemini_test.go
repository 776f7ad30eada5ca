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
)

// fakeGemini is a loopback stand-in for the Gemini API (generativelanguage
// v1beta): the main turn, which offers run_shell_command and has no
// function response yet, gets a streamed functionCall; the turn after the
// response gets a final text; other calls (routing, next-speaker checks,
// token counts) get short answers.
type fakeGemini struct {
	mu       sync.Mutex
	command  string
	requests []string
	bodies   []string
}

func (f *fakeGemini) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.String()+" "+truncate(string(body), 300))
	f.bodies = append(f.bodies, string(body))
	command := f.command
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, ":countTokens"):
		io.WriteString(w, `{"totalTokens":10}`)
		return
	case !strings.Contains(r.URL.Path, ":generateContent") && !strings.Contains(r.URL.Path, ":streamGenerateContent"):
		io.WriteString(w, `{}`)
		return
	}
	var req struct {
		Contents []struct {
			Role  string            `json:"role"`
			Parts []json.RawMessage `json:"parts"`
		} `json:"contents"`
		Tools []struct {
			FunctionDeclarations []struct{ Name string } `json:"functionDeclarations"`
		} `json:"tools"`
	}
	_ = json.Unmarshal(body, &req)
	hasShell := false
	for _, tl := range req.Tools {
		for _, fd := range tl.FunctionDeclarations {
			hasShell = hasShell || fd.Name == "run_shell_command"
		}
	}
	last := ""
	if n := len(req.Contents); n > 0 {
		for _, p := range req.Contents[n-1].Parts {
			last += string(p)
		}
	}
	var parts []map[string]any
	switch {
	case hasShell && strings.Contains(last, `"functionResponse"`):
		parts = []map[string]any{{"text": "Done."}}
	case hasShell:
		parts = []map[string]any{{"functionCall": map[string]any{"name": "run_shell_command", "args": map[string]any{"command": command, "description": "run the command"}}}}
	default:
		// Side calls want JSON (model routing, next speaker): give both.
		parts = []map[string]any{{"text": `{"reasoning":"done","model_choice":"flash","next_speaker":"user"}`}}
	}
	resp := map[string]any{
		"candidates":    []any{map[string]any{"content": map[string]any{"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}},
		"usageMetadata": map[string]int{"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
		"modelVersion":  "gemini-2.5-pro",
	}
	b, _ := json.Marshal(resp)
	if strings.Contains(r.URL.Path, ":streamGenerateContent") {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\r\n\r\n", b)
		return
	}
	w.Write(b)
}

// TestGeminiCLIHook runs the real Gemini CLI, offline
// (GOOGLE_GEMINI_BASE_URL at a loopback Gemini API), with the project
// settings `planguard hook install --agent gemini` writes.
func TestGeminiCLIHook(t *testing.T) {
	gemini := agentBin(t, "PLANGUARD_GEMINI", "gemini")
	a := newAgentWorld(t)
	out := a.pg(0, "hook", "install", "--agent=gemini", "--scope=project", "--policy="+a.policy)
	contains(t, out, ".gemini/settings.json now runs")
	// The client's own record that the project folder is trusted.
	os.MkdirAll(filepath.Join(a.home, ".gemini"), 0o700)
	trusted, _ := json.Marshal(map[string]string{a.dir: "TRUST_FOLDER"})
	os.WriteFile(filepath.Join(a.home, ".gemini", "trustedFolders.json"), trusted, 0o600)
	os.WriteFile(filepath.Join(a.home, ".gemini", "settings.json"), []byte(`{"security":{"auth":{"selectedType":"gemini-api-key"}},"general":{"disableAutoUpdate":true},"privacy":{"usageStatisticsEnabled":false}}`), 0o600)

	api := &fakeGemini{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	// agentScenario reads the requests through a fakeAnthropic; mirror them.
	mirror := &fakeAnthropic{}
	agentScenario(t, a, mirror, func(command string) bool {
		t.Helper()
		api.mu.Lock()
		api.command, api.requests, api.bodies = command, nil, nil
		api.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, gemini, "-p", "clean up the infrastructure", "--output-format", "json", "--yolo", "-m", "gemini-2.5-pro")
		cmd.Dir = a.dir
		cmd.Env = append(a.env, "GOOGLE_GEMINI_BASE_URL=http://"+ln.Addr().String(), "GEMINI_API_KEY=test-dummy-key",
			"GEMINI_CLI_NO_RELAUNCH=true", "GEMINI_TELEMETRY_ENABLED=false", "NO_BROWSER=true")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		api.mu.Lock()
		reqs, bodies := strings.Join(api.requests, "\n"), strings.Join(api.bodies, "\n")
		api.mu.Unlock()
		mirror.mu.Lock()
		mirror.bodies = []string{bodies}
		mirror.mu.Unlock()
		if err != nil || !strings.Contains(bodies, `"functionCall"`) && !strings.Contains(reqs, "run_shell_command") {
			t.Fatalf("gemini: %v\nstdout: %s\nstderr: %s\nrequests:\n%s", err, stdout.String(), truncate(stderr.String(), 3000), reqs)
		}
		// The function response the client sent back to the model says
		// whether the hook blocked the call.
		denied := strings.Contains(bodies, `"error":"Tool execution blocked: planguard refused`)
		t.Logf("gemini ran %q: denied %v", command, denied)
		return denied
	})
}
