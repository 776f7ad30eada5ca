package runtask

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

var fastRetry = Retry{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond, Budget: 5 * time.Second, AttemptTimeout: 5 * time.Second}

// inProcess serves a Server for the stand-in h and returns its URL.
func inProcess(t testing.TB, h *hcp, cfg Config) (string, *Server) {
	t.Helper()
	origin, err := ParseOrigin(h.api.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.API, cfg.HMACKey = origin, testKey
	if cfg.Gate == nil {
		g, err := NewPolicyGate("testdata/planguard.hcl")
		if err != nil {
			t.Fatal(err)
		}
		now, _ := time.Parse(time.RFC3339, fixtureNow)
		g.Now = func() time.Time { return now }
		cfg.Gate = g
	}
	if cfg.Retry == (Retry{}) {
		cfg.Retry = fastRetry
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s.Drain(ctx)
	})
	return ts.URL, s
}

// pinned is the fixture gate with a state pin, as a policy's state block
// gives it.
type pinned struct {
	*PolicyGate
	pin *StatePin
}

func (p pinned) StatePin(*policy.Policy) *StatePin { return p.pin }

func TestStatePinFailsOtherWorkspace(t *testing.T) {
	h := newHCP(t, testKey)
	g, _ := NewPolicyGate("testdata/planguard.hcl")
	now, _ := time.Parse(time.RFC3339, fixtureNow)
	g.Now = func() time.Time { return now }
	sp := &StatePin{Backend: "cloud", Workspace: "default",
		Config: map[string]json.RawMessage{"organization": json.RawMessage(`"acme"`), "workspaces": json.RawMessage(`{"name":"prod"}`)}}
	url, _ := inProcess(t, h, Config{Gate: pinned{g, sp}})
	plan := readFixture(t, "testdata/approved.json")
	h.addRun("run-prod", "tok", plan, "ok")
	h.addRun("run-staging", "tok", plan, "ok")
	h.send(url, h.request("run-prod", "tok"), "")
	st := h.request("run-staging", "tok")
	st.WorkspaceName = "staging"
	h.send(url, st, "")
	if cb := h.wait("taskrs-run-prod", 1, 10*time.Second)[0]; cb.Status != "passed" {
		t.Errorf("pinned workspace: %+v", cb)
	}
	if cb := h.wait("taskrs-run-staging", 1, 10*time.Second)[0]; cb.Status != "failed" || !strings.Contains(cb.Message, `workspace is "staging"`) {
		t.Errorf("other workspace: %+v", cb)
	}
}

// TestAuthorFromRunCreatedBy: with --author-from run_created_by, the run's
// creator's signatures do not count; a request without one fails.
func TestAuthorFromRunCreatedBy(t *testing.T) {
	h := newHCP(t, testKey)
	url, _ := inProcess(t, h, Config{Author: AuthorRunCreatedBy})
	plan := readFixture(t, "testdata/approved.json")
	for _, c := range []struct{ id, by, status, msg string }{
		{"run-mallory", "mallory@example.com", "passed", "ALLOWED"},
		{"run-alice", "alice@example.com", "failed", "BLOCKED"},
		{"run-nobody", "", "failed", "names no run_created_by"},
	} {
		h.addRun(c.id, "tok", plan, "ok")
		r := h.request(c.id, "tok")
		r.RunCreatedBy = c.by
		h.send(url, r, "")
		if cb := h.wait(r.TaskResultID, 1, 10*time.Second)[0]; cb.Status != c.status || !strings.Contains(cb.Message, c.msg) {
			t.Errorf("%s: %s %q", c.id, cb.Status, cb.Message)
		}
	}
}

// TestTokenStaysOnTheAPIOrigin: a signed request whose plan URL is on
// another origin fails without the token being sent there; a callback URL
// on another origin is refused outright.
func TestTokenStaysOnTheAPIOrigin(t *testing.T) {
	h := newHCP(t, testKey)
	var sawAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = append(sawAuth, r.Header.Get("Authorization"))
		io.WriteString(w, "{}")
	}))
	defer other.Close()
	url, _ := inProcess(t, h, Config{})
	r := h.request("run-elsewhere", "tok")
	r.PlanJSONAPIURL = other.URL + "/plan.json"
	h.send(url, r, "")
	if cb := h.wait(r.TaskResultID, 1, 10*time.Second)[0]; cb.Status != "failed" || !strings.Contains(cb.Message, "not on the API address") {
		t.Errorf("plan elsewhere: %+v", cb)
	}
	r = h.request("run-cb-elsewhere", "tok")
	r.TaskResultCallbackURL = other.URL + "/api/v2/task-results/x/callback"
	if code := h.send(url, r, ""); code != http.StatusBadRequest {
		t.Errorf("callback elsewhere: HTTP %d", code)
	}
	if len(sawAuth) != 0 {
		t.Errorf("the other origin was called: %q", sawAuth)
	}
}

// held is the fixture gate, held until release is closed.
type held struct {
	*PolicyGate
	release chan struct{}
}

func (h held) Check(ctx context.Context, r io.Reader, author string) (*gate.Report, *policy.Policy, error) {
	<-h.release
	return h.PolicyGate.Check(ctx, r, author)
}

// TestBusyWithoutRoom: past the workers and the queue a request gets a
// failed "busy" callback; with no room even for that, it is answered 503
// (HCP Terraform retries it) and taken when retried later.
func TestBusyWithoutRoom(t *testing.T) {
	h := newHCP(t, testKey)
	g, _ := NewPolicyGate("testdata/planguard.hcl")
	now, _ := time.Parse(time.RFC3339, fixtureNow)
	g.Now = func() time.Time { return now }
	release := make(chan struct{})
	url, _ := inProcess(t, h, Config{Gate: held{g, release}, Workers: 1, Queue: 1})
	plan := readFixture(t, "testdata/approved.json")
	for _, id := range []string{"run-a", "run-q", "run-b", "run-c", "run-d"} {
		h.addRun(id, "tok", plan, "ok")
	}
	h.send(url, h.request("run-a", "tok"), "") // the worker, held
	h.waitFetched("run-a")
	h.send(url, h.request("run-q", "tok"), "") // the queue
	h.mu.Lock()
	h.fail["taskrs-run-b"], h.fail["taskrs-run-c"] = 1<<30, 1<<30 // their busy callbacks keep retrying
	h.mu.Unlock()
	for _, id := range []string{"run-b", "run-c"} {
		if code := h.send(url, h.request(id, "tok"), ""); code != 200 {
			t.Fatalf("%s: HTTP %d", id, code)
		}
	}
	if code := h.send(url, h.request("run-d", "tok"), ""); code != http.StatusServiceUnavailable {
		t.Fatalf("no room at all: HTTP %d, want 503", code)
	}
	h.mu.Lock()
	h.fail["taskrs-run-b"], h.fail["taskrs-run-c"] = 0, 0
	h.mu.Unlock()
	close(release)
	for _, id := range []string{"taskrs-run-b", "taskrs-run-c"} {
		if cb := h.wait(id, 1, 10*time.Second)[0]; cb.Status != "failed" || !strings.Contains(cb.Message, "busy") {
			t.Errorf("%s: %+v", id, cb)
		}
	}
	h.wait("taskrs-run-a", 1, 10*time.Second)
	h.wait("taskrs-run-q", 1, 10*time.Second) // the queue has room again
	if code := h.send(url, h.request("run-d", "tok"), ""); code != 200 {
		t.Fatalf("run-d retried: HTTP %d", code)
	}
	if cb := h.wait("taskrs-run-d", 1, 10*time.Second)[0]; cb.Status != "passed" {
		t.Errorf("run-d retried: %+v", cb)
	}
}

// TestCallbackTimeoutRetried: a callback attempt that gets no answer
// within the attempt's time-out is sent again.
func TestCallbackTimeoutRetried(t *testing.T) {
	h := newHCP(t, testKey)
	url, _ := inProcess(t, h, Config{Retry: Retry{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond, Budget: 5 * time.Second, AttemptTimeout: 200 * time.Millisecond}})
	h.addRun("run-stall", "tok", readFixture(t, "testdata/approved.json"), "ok")
	h.mu.Lock()
	h.stall["taskrs-run-stall"] = 2
	h.mu.Unlock()
	h.send(url, h.request("run-stall", "tok"), "")
	if cb := h.wait("taskrs-run-stall", 1, 10*time.Second); len(cb) != 1 || cb[0].Status != "passed" {
		t.Errorf("callbacks: %+v", cb)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.attempts["taskrs-run-stall"] != 3 {
		t.Errorf("%d attempts, want 3", h.attempts["taskrs-run-stall"])
	}
}
