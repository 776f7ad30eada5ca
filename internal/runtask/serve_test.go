package runtask

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

var binDir string

func TestMain(m *testing.M) {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.fuzzworker") {
			os.Exit(m.Run()) // a fuzzing worker runs only the fuzzer: no binary to build
		}
	}
	testbin.Run(m, func(_, dir string) { binDir = dir }, testbin.Planguard)
}

// The time the fixtures' approvals are valid at (the golden tests' --now).
const fixtureNow = "2026-11-25T12:00:00Z"

var testKey = []byte("run-task-hmac-key")

// proc is `planguard serve` running as a process.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	dir    string // holds the policy, trust file and audit log
	mu     sync.Mutex
	logs   bytes.Buffer
	exited chan error
}

// startServe runs planguard serve against the stand-in with the fixture
// policy (copied into a directory of its own) and extra flags.
func startServe(t *testing.T, h *hcp, extra ...string) *proc {
	t.Helper()
	p := &proc{t: t, dir: t.TempDir(), exited: make(chan error, 1)}
	for _, f := range []string{"planguard.hcl", "allowed_signers"} {
		os.WriteFile(filepath.Join(p.dir, f), readFixture(t, filepath.Join("testdata", f)), 0o600)
	}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--policy", filepath.Join(p.dir, "planguard.hcl"),
		"--tfe-address", h.api.URL, "--public-url", "https://planguard.example", "--log-format", "json", "--now", fixtureNow,
		"--audit-log", filepath.Join(p.dir, "audit.jsonl")}, extra...)
	p.cmd = exec.Command(filepath.Join(binDir, "planguard"), args...)
	p.cmd.Env = append(os.Environ(), "PLANGUARD_HMAC_KEY="+string(testKey), "PLANGUARD_LOG=debug")
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.logs.Write(line)
			p.logs.WriteByte('\n')
			p.mu.Unlock()
			var l struct {
				Message string `json:"@message"`
				Addr    string `json:"addr"`
			}
			if json.Unmarshal(line, &l) == nil && l.Message == "listening" {
				addr <- l.Addr
			}
		}
		p.exited <- p.cmd.Wait()
	}()
	select {
	case a := <-addr:
		p.url = "http://" + a
	case err := <-p.exited:
		t.Fatalf("planguard serve exited: %v\n%s", err, p.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("planguard serve did not listen\n%s", p.log())
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("planguard serve log:\n%s", p.log())
		}
	})
	return p
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() {
	p.t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		if err != nil {
			p.t.Fatalf("planguard serve exited with %v\n%s", err, p.log())
		}
	case <-time.After(60 * time.Second):
		p.t.Fatalf("planguard serve did not stop\n%s", p.log())
	}
}

// waitLog waits for a log line containing s.
func (p *proc) waitLog(s string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.log(), s) {
		if time.Now().After(deadline) {
			p.t.Fatalf("no log line with %q", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestServeDecides: a blocked plan is failed with one outcome per blocked
// change (its section of the markdown report: the approvals it needs and
// the approve command); the same plan with a signed quorum, fetched through
// the redirect to the archive, is passed, and the token never reaches the
// archive. Both are in the audit log and on the decision page.
func TestServeDecides(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h)
	h.addRun("run-blocked", "tok-b", readFixture(t, "testdata/blocked.json"), "ok")
	h.addRun("run-approved", "tok-a", readFixture(t, "testdata/approved.json"), "redirect")
	for _, id := range []string{"run-blocked", "run-approved"} {
		tok := map[string]string{"run-blocked": "tok-b", "run-approved": "tok-a"}[id]
		if code := h.send(p.url, h.request(id, tok), ""); code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", id, code)
		}
	}
	b := h.wait("taskrs-run-blocked", 1, 30*time.Second)[0]
	if b.Status != "failed" || !strings.Contains(b.Message, "BLOCKED: 2 of 2 protected destructive change(s) lack valid approval") || b.URL != "https://planguard.example/runs/run-blocked" {
		t.Errorf("blocked: %+v", b)
	}
	var changeOutcomes int
	for _, o := range b.Outcomes {
		if o.OutcomeID == "PG-CODE" {
			continue
		}
		changeOutcomes++
		if o.Tags["Status"][0].Label != "Blocked" || !strings.Contains(o.Body, "planguard approve --plan plan.json --target terraform_data.prod_db") ||
			!strings.Contains(o.Body, "**BLOCKED**") || !strings.HasPrefix(o.URL, "https://planguard.example/runs/run-blocked#change-") {
			t.Errorf("blocked outcome: %+v", o)
		}
	}
	if changeOutcomes != 2 || !strings.Contains(b.Outcomes[0].Description, "delete terraform_data.prod_db: 0 of 1 approvals") ||
		!strings.Contains(b.Outcomes[1].Description, "delete terraform_data.prod_db_volume_backup: 0 of 2 approvals") {
		t.Errorf("blocked outcomes: %+v", b.Outcomes)
	}

	a := h.wait("taskrs-run-approved", 1, 30*time.Second)[0]
	if a.Status != "passed" || !strings.Contains(a.Message, "ALLOWED: 2 protected destructive change(s), all approved") {
		t.Errorf("approved: %+v", a)
	}
	if len(a.Outcomes) != 2 || !strings.Contains(a.Outcomes[1].Description, "approved by alice@example.com, bob@example.com") ||
		!strings.Contains(a.Outcomes[1].Body, "2/2 (alice@example.com, bob@example.com)") || a.Outcomes[1].Tags["Status"][0].Label != "Approved" {
		t.Errorf("approved outcomes: %+v", a.Outcomes)
	}
	h.mu.Lock()
	au, seen := h.archiveAu["run-approved"]
	h.mu.Unlock()
	if !seen || au != "" {
		t.Errorf("the archive (another origin) saw Authorization %q (fetched: %v)", au, seen)
	}

	// The decision page, with its headers.
	code, hdr, body := get(t, p.url+"/runs/run-blocked")
	if code != 200 || hdr.Get("Content-Security-Policy") != ContentSecurityPolicy || !strings.Contains(body, "planguard approve --plan plan.json --target terraform_data.prod_db") {
		t.Errorf("page: %d %v\n%s", code, hdr, body)
	}
	if code, _, _ := get(t, p.url+"/runs/run-unknown"); code != 404 {
		t.Errorf("unknown run: %d", code)
	}
	if code, _, body := get(t, p.url+"/healthz"); code != 200 || !strings.HasPrefix(body, "ok") {
		t.Errorf("healthz: %d %q", code, body)
	}
	p.stop()
	audit := string(readFixture(t, filepath.Join(p.dir, "audit.jsonl")))
	if strings.Count(audit, "\n") != 2 || !strings.Contains(audit, `"decision":"block"`) || !strings.Contains(audit, `"approved_by":["alice@example.com","bob@example.com"]`) ||
		!strings.Contains(audit, `"run_id":"run-approved"`) {
		t.Errorf("audit log:\n%s", audit)
	}
	if logs := p.log(); strings.Contains(logs, "tok-a") || strings.Contains(logs, "tok-b") || !strings.Contains(logs, `"run_id":"run-approved"`) ||
		!strings.Contains(logs, `"decision":"allow"`) || !strings.Contains(logs, `"total_ms"`) {
		t.Errorf("logs carry the token or lack fields:\n%s", logs)
	}
}

// TestServeRefusesUnsigned: a bad, missing or misplaced signature is 401
// and nothing is called back; the verification request is answered 200
// without a callback.
func TestServeRefusesUnsigned(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h)
	h.addRun("run-x", "tok", readFixture(t, "testdata/approved.json"), "ok")
	req := h.request("run-x", "tok")
	body, _ := json.Marshal(req)
	other := append([]byte(" "), body...)
	for name, c := range map[string]struct {
		body []byte
		sig  string
	}{
		"missing":        {body, "-"},
		"garbage":        {body, "deadbeef"},
		"other key":      {body, Sign([]byte("other"), body)},
		"other body":     {body, Sign(testKey, other)},
		"sha256 of body": {body, Sign(testKey, body)[:64]},
	} {
		if code := h.sendRaw(p.url, c.body, c.sig); code != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d, want 401", name, code)
		}
	}
	ver := []byte(`{"payload_version":1,"access_token":"test-token","stage":"test","task_result_id":"taskrs-xxxxxxxxxxxxxxxx","task_result_callback_url":"` + h.api.URL + `/api/v2/task-results/taskrs-ver/callback","run_id":"run-xxxxxxxxxxxxxxxx","organization_name":"test-org","workspace_name":"test-workspace"}`)
	if code := h.sendRaw(p.url, ver, ""); code != 200 {
		t.Errorf("verification request: HTTP %d", code)
	}
	if code := h.sendRaw(p.url, []byte(`{"payload_version":1}`), ""); code != 400 {
		t.Errorf("signed but malformed: HTTP %d", code)
	}
	// A signed request after them is decided: by then, had any of the
	// refused ones been queued, its callback would have come first.
	r2 := h.request("run-x", "tok")
	r2.TaskResultID, r2.TaskResultCallbackURL = "taskrs-after", h.api.URL+"/api/v2/task-results/taskrs-after/callback"
	h.send(p.url, r2, "")
	h.wait("taskrs-after", 1, 30*time.Second)
	p.stop()
	if n := h.totalDelivered(); n != 1 {
		t.Errorf("%d callbacks, want only the signed request's", n)
	}
	if !strings.Contains(p.log(), "run task verification request answered") {
		t.Error("the verification request was not logged")
	}
}

// TestServePlanErrors: whatever goes wrong getting the plan, the task fails
// with the reason; never passed.
func TestServePlanErrors(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h, "--fetch-timeout", "2s", "--max-plan-bytes", "1048576")
	plan := readFixture(t, "testdata/approved.json")
	cases := map[string]string{
		"404":            "HTTP 404",
		"500":            "HTTP 500",
		"slow":           "timed out",
		"truncated":      "read plan",
		"huge":           "larger than the limit",
		"huge-announced": "larger than the limit",
		"badtoken":       "HTTP 401",
		"garbage":        "read plan",
	}
	for mode := range cases {
		id := "run-" + mode
		switch mode {
		case "badtoken":
			h.addRun(id, "the-right-token", plan, "ok")
		case "garbage":
			h.addRun(id, "tok", []byte(`{"format_version":"1.2","resource_changes":[{"address":`), "ok")
		default:
			h.addRun(id, "tok", plan, mode)
		}
		h.send(p.url, h.request(id, "tok"), "")
	}
	for mode, want := range cases {
		cb := h.wait("taskrs-run-"+mode, 1, 30*time.Second)[0]
		if cb.Status != "failed" || !strings.Contains(cb.Message, want) {
			t.Errorf("%s: %s %q, want failed with %q", mode, cb.Status, cb.Message, want)
		}
	}
	p.stop()
}

// TestServeCallbackRetriesAndDuplicates: a callback answered 503 twice is
// sent again and delivered once; HCP Terraform's retries of one request
// (same task result id) get one callback.
func TestServeCallbackRetriesAndDuplicates(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h)
	plan := readFixture(t, "testdata/approved.json")
	h.addRun("run-retry", "tok", plan, "ok")
	h.mu.Lock()
	h.fail["taskrs-run-retry"] = 2
	h.mu.Unlock()
	h.send(p.url, h.request("run-retry", "tok"), "")
	cb := h.wait("taskrs-run-retry", 1, 30*time.Second)
	h.addRun("run-dup", "tok", plan, "ok")
	for range 3 {
		if code := h.send(p.url, h.request("run-dup", "tok"), ""); code != 200 {
			t.Fatalf("duplicate: HTTP %d", code)
		}
	}
	h.wait("taskrs-run-dup", 1, 30*time.Second)
	p.stop() // drains: any second callback would be delivered by now
	h.mu.Lock()
	attempts := h.attempts["taskrs-run-retry"]
	h.mu.Unlock()
	if len(h.delivered("taskrs-run-retry")) != 1 || attempts != 3 || cb[0].Status != "passed" {
		t.Errorf("retry: %d delivered in %d attempts, want 1 in 3", len(h.delivered("taskrs-run-retry")), attempts)
	}
	if n := len(h.delivered("taskrs-run-dup")); n != 1 {
		t.Errorf("duplicates: %d callbacks, want 1", n)
	}
	if !strings.Contains(p.log(), "callback failed; retrying") || !strings.Contains(p.log(), "already accepted") {
		t.Error("retries or duplicates not logged")
	}
}

// TestServeBusyReloadDrain: past the workers and the queue a task is
// called back failed (busy), never dropped; SIGHUP with a broken policy
// keeps the old one, with a new one swaps it; SIGTERM lets the task in
// flight finish and call back before the process exits.
func TestServeBusyReloadDrain(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h, "--workers", "1", "--queue", "1")
	plan := readFixture(t, "testdata/approved.json")
	for _, id := range []string{"run-slow", "run-queued"} {
		h.addRun(id, "tok", plan, "ok")
		h.mu.Lock()
		h.runs[id].delay = 1500 * time.Millisecond
		h.mu.Unlock()
	}
	h.addRun("run-busy", "tok", plan, "ok")
	h.send(p.url, h.request("run-slow", "tok"), "")
	h.waitFetched("run-slow")                         // the worker has taken it
	h.send(p.url, h.request("run-queued", "tok"), "") // waits in the queue
	h.send(p.url, h.request("run-busy", "tok"), "")
	busy := h.wait("taskrs-run-busy", 1, 30*time.Second)[0]
	if busy.Status != "failed" || !strings.Contains(busy.Message, "busy") {
		t.Errorf("busy: %+v", busy)
	}
	if cb := h.wait("taskrs-run-slow", 1, 30*time.Second)[0]; cb.Status != "passed" {
		t.Errorf("slow: %+v", cb)
	}

	// A broken policy is refused; the old one stays.
	pol := filepath.Join(p.dir, "planguard.hcl")
	good := readFixture(t, pol)
	os.WriteFile(pol, []byte("scope = \"prod\"\nprotect {"), 0o600)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitLog("policy reload refused")
	h.addRun("run-after-bad", "tok", plan, "ok")
	h.send(p.url, h.request("run-after-bad", "tok"), "")
	if cb := h.wait("taskrs-run-after-bad", 1, 30*time.Second)[0]; cb.Status != "passed" {
		t.Errorf("after a refused reload: %+v", cb)
	}
	// A stricter policy is taken: the database now needs 3 approvals.
	os.WriteFile(pol, bytes.Replace(good, []byte("approvals        = 1"), []byte("approvals        = 3"), 1), 0o600)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitLog("policy reloaded")
	h.addRun("run-after-good", "tok", plan, "ok")
	h.send(p.url, h.request("run-after-good", "tok"), "")
	if cb := h.wait("taskrs-run-after-good", 1, 30*time.Second)[0]; cb.Status != "failed" || !strings.Contains(cb.Outcomes[0].Description, "1 of 3 approvals") {
		t.Errorf("after a reload: %+v", cb)
	}

	// SIGTERM with a task in flight: it finishes and calls back first.
	h.addRun("run-inflight", "tok", plan, "ok")
	h.mu.Lock()
	h.runs["run-inflight"].delay = time.Second
	h.mu.Unlock()
	h.send(p.url, h.request("run-inflight", "tok"), "")
	h.waitFetched("run-inflight")
	p.stop()
	if cbs := h.delivered("taskrs-run-inflight"); len(cbs) != 1 || cbs[0].Status != "failed" {
		t.Errorf("in flight at SIGTERM: %+v", cbs)
	}
	if !strings.Contains(p.log(), "shutting down") || !strings.Contains(p.log(), `"@message":"stopped"`) {
		t.Errorf("no drain in the log")
	}
}

// TestServeOtherStages: stages without a plan are passed, saying nothing
// was checked.
func TestServeOtherStages(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h)
	for _, st := range []string{StagePrePlan, StagePostApply} {
		r := h.request("run-"+strings.ReplaceAll(st, "_", "-"), "tok")
		r.Stage, r.PlanJSONAPIURL = st, ""
		h.send(p.url, r, "")
		cb := h.wait(r.TaskResultID, 1, 30*time.Second)[0]
		if cb.Status != "passed" || !strings.Contains(cb.Message, "nothing checked at the "+st+" stage") {
			t.Errorf("%s: %+v", st, cb)
		}
	}
	p.stop()
}

func TestServeFlags(t *testing.T) {
	run := func(env []string, args ...string) (int, string) {
		cmd := exec.Command(filepath.Join(binDir, "planguard"), append([]string{"serve"}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		out, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(out)
	}
	for name, c := range map[string]struct {
		env  []string
		args []string
		want string
	}{
		"no key":        {nil, []string{"--policy", "testdata/planguard.hcl"}, "no HMAC key"},
		"tls half":      {[]string{"PLANGUARD_HMAC_KEY=k"}, []string{"--tls-cert", "x"}, "--tls-cert and --tls-key go together"},
		"bad author":    {[]string{"PLANGUARD_HMAC_KEY=k"}, []string{"--author-from", "email"}, "--author-from"},
		"bad address":   {[]string{"PLANGUARD_HMAC_KEY=k"}, []string{"--tfe-address", "app.terraform.io"}, "--tfe-address"},
		"bad policy":    {[]string{"PLANGUARD_HMAC_KEY=k"}, []string{"--policy", "testdata/nope.hcl"}, "read policy"},
		"empty keyfile": {nil, []string{"--hmac-key-file", os.DevNull}, "is empty"},
	} {
		code, out := run(c.env, c.args...)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d\n%s", name, code, out)
		}
	}
	_ = fmt.Sprint
}

// TestServeShutdownTimeout: a check still running when --shutdown-timeout
// ends is cancelled and called back failed, and the process exits.
func TestServeShutdownTimeout(t *testing.T) {
	h := newHCP(t, testKey)
	p := startServe(t, h, "--shutdown-timeout", "1s")
	h.addRun("run-stuck", "tok", readFixture(t, "testdata/approved.json"), "slow")
	h.send(p.url, h.request("run-stuck", "tok"), "")
	h.waitFetched("run-stuck")
	start := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("did not exit")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("exit took %v", d)
	}
	cbs := h.delivered("taskrs-run-stuck")
	if len(cbs) != 1 || cbs[0].Status != "failed" || !strings.Contains(cbs[0].Message, "shut down before the check finished") {
		t.Errorf("callbacks: %+v", cbs)
	}
}

// TestServeKeyRotation: SIGHUP reads --hmac-key-file again; after it the
// old key is refused and the new one accepted. An empty file is refused
// and the key in use stays.
func TestServeKeyRotation(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "hmac")
	os.WriteFile(keyFile, append(testKey, '\n'), 0o600)
	h := newHCP(t, testKey)
	p := startServe(t, h, "--hmac-key-file", keyFile)
	h.addRun("run-k1", "tok", readFixture(t, "testdata/approved.json"), "ok")
	if code := h.send(p.url, h.request("run-k1", "tok"), ""); code != 200 {
		t.Fatalf("first key: HTTP %d", code)
	}
	os.WriteFile(keyFile, nil, 0o600)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitLog("HMAC key reload refused")
	newKey := []byte("rotated-key")
	os.WriteFile(keyFile, newKey, 0o600)
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitLog("HMAC key reloaded")
	r := h.request("run-k2", "tok")
	body, _ := json.Marshal(r)
	if code := h.sendRaw(p.url, body, Sign(testKey, body)); code != http.StatusUnauthorized {
		t.Errorf("old key after rotation: HTTP %d", code)
	}
	h.addRun("run-k2", "tok", readFixture(t, "testdata/approved.json"), "ok")
	if code := h.sendRaw(p.url, body, Sign(newKey, body)); code != 200 {
		t.Errorf("new key: HTTP %d", code)
	}
	h.wait("taskrs-run-k2", 1, 30*time.Second)
	p.stop()
}
