package runtask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tfe "github.com/hashicorp/go-tfe"
)

// hcp is a stand-in for HCP Terraform, written from the run tasks
// integration API: it signs run task requests with the HMAC key, serves the
// plan JSON of a run to the run's bearer token (directly, or by a redirect
// to an archive on another origin, as HCP Terraform does), and records the
// task result callbacks.
type hcp struct {
	t       testing.TB
	api     *httptest.Server
	archive *httptest.Server
	key     []byte

	mu        sync.Mutex
	runs      map[string]*run       // by run id
	callbacks map[string][]callback // by task result id: delivered (2xx) callbacks
	attempts  map[string]int        // by task result id: every PATCH
	fail      map[string]int        // by task result id: answer 503 this many times first
	archiveAu map[string]string     // by run id: the Authorization the archive saw
	stall     map[string]int        // by task result id: hang this many times first
	fetched   map[string]bool       // by run id: the plan was asked for
	at        map[string]time.Time  // by task result id: when the first callback arrived
	all       []callback            // every delivered callback, in order
	// fallback, when set, is served for any run not added, to token "tok".
	fallback []byte
	notify   chan struct{}
}

// run is one run's plan and how it is served.
type run struct {
	token string
	plan  []byte
	// mode: "ok", "redirect", "404", "500", "slow", "truncated", "huge",
	// "huge-announced".
	mode  string
	delay time.Duration // before answering (mode ok)
}

// callback is a recorded task result callback.
type callback struct {
	Status, Message, URL string
	Outcomes             []outcome
	Raw                  []byte
}

type outcome struct {
	OutcomeID   string                          `json:"outcome-id"`
	Description string                          `json:"description"`
	Body        string                          `json:"body"`
	URL         string                          `json:"url"`
	Tags        map[string][]*tfe.TaskResultTag `json:"tags"`
}

func newHCP(t testing.TB, key []byte) *hcp {
	h := &hcp{t: t, key: key, runs: map[string]*run{}, callbacks: map[string][]callback{}, attempts: map[string]int{},
		fail: map[string]int{}, stall: map[string]int{}, fetched: map[string]bool{}, at: map[string]time.Time{}, archiveAu: map[string]string{}, notify: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/plans/{run}/json-output", h.servePlan)
	mux.HandleFunc("PATCH /api/v2/task-results/{id}/callback", h.serveCallback)
	h.api = httptest.NewServer(mux)
	h.archive = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/archive/")
		h.mu.Lock()
		h.archiveAu[id] = r.Header.Get("Authorization")
		rn := h.runs[id]
		h.mu.Unlock()
		if rn == nil || r.URL.Query().Get("sig") != "signed-"+id {
			http.NotFound(w, r)
			return
		}
		w.Write(rn.plan)
	}))
	t.Cleanup(func() { h.api.Close(); h.archive.Close() })
	return h
}

func (h *hcp) addRun(id, token string, plan []byte, mode string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.runs[id] = &run{token: token, plan: plan, mode: mode}
}

func (h *hcp) servePlan(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	rn := h.runs[r.PathValue("run")]
	h.fetched[r.PathValue("run")] = true
	if rn == nil && h.fallback != nil {
		rn = &run{token: "tok", plan: h.fallback, mode: "ok"}
	}
	h.mu.Unlock()
	if rn == nil {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+rn.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	switch rn.mode {
	case "redirect":
		http.Redirect(w, r, h.archive.URL+"/archive/"+r.PathValue("run")+"?sig=signed-"+r.PathValue("run"), http.StatusTemporaryRedirect)
	case "404":
		http.NotFound(w, r)
	case "500":
		http.Error(w, "boom", http.StatusInternalServerError)
	case "slow":
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	case "truncated":
		w.Header().Set("Content-Length", fmt.Sprint(len(rn.plan)))
		w.Write(rn.plan[:len(rn.plan)/2])
		// Returning now closes the connection short of Content-Length.
	case "huge":
		// Streamed (no Content-Length): a valid start, then more than the limit.
		w.Write([]byte(`{"format_version":"1.2","terraform_version":"1.11.4","x":"`))
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		for i := 0; i < 64; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	case "huge-announced":
		w.Header().Set("Content-Length", fmt.Sprint(1<<40))
		w.Write([]byte("{"))
	default:
		if rn.delay > 0 {
			time.Sleep(rn.delay)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(rn.plan)
	}
}

func (h *hcp) serveCallback(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts[id]++
	if r.Header.Get("Content-Type") != "application/vnd.api+json" || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if h.fail[id] > 0 {
		h.fail[id]--
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	if h.stall[id] > 0 {
		// Answer only after the caller gave up (its time-out).
		h.stall[id]--
		h.mu.Unlock()
		<-r.Context().Done()
		h.mu.Lock()
		return
	}
	var doc struct {
		Data struct {
			Type       string `json:"type"`
			Attributes struct {
				Status, Message, URL string
			} `json:"attributes"`
			Relationships struct {
				Outcomes struct {
					Data []struct {
						Type       string  `json:"type"`
						Attributes outcome `json:"attributes"`
					} `json:"data"`
				} `json:"outcomes"`
			} `json:"relationships"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Type != "task-results" {
		http.Error(w, "not a task-results document", http.StatusUnprocessableEntity)
		return
	}
	cb := callback{Status: doc.Data.Attributes.Status, Message: doc.Data.Attributes.Message, URL: doc.Data.Attributes.URL, Raw: body}
	for _, o := range doc.Data.Relationships.Outcomes.Data {
		cb.Outcomes = append(cb.Outcomes, o.Attributes)
	}
	h.callbacks[id] = append(h.callbacks[id], cb)
	h.all = append(h.all, cb)
	if _, ok := h.at[id]; !ok {
		h.at[id] = time.Now()
	}
	w.Header().Set("Content-Type", "application/vnd.api+json")
	w.WriteHeader(http.StatusOK)
	select {
	case h.notify <- struct{}{}:
	default:
	}
}

// request builds a run task request for run id at stage post_plan.
func (h *hcp) request(runID, token string) tfe.RunTaskRequest {
	return tfe.RunTaskRequest{
		AccessToken: token, OrganizationName: "acme", PayloadVersion: 1, Stage: StagePostPlan,
		PlanJSONAPIURL: h.api.URL + "/api/v2/plans/" + runID + "/json-output", RunAppURL: "https://app.example/app/acme/prod/runs/" + runID,
		RunID: runID, RunCreatedBy: "mallory", TaskResultCallbackURL: h.api.URL + "/api/v2/task-results/taskrs-" + runID + "/callback",
		TaskResultID: "taskrs-" + runID, TaskResultEnforcementLevel: "mandatory", WorkspaceID: "ws-1", WorkspaceName: "prod",
		WorkspaceAppURL: "https://app.example/app/acme/prod", RunCreatedAt: time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC),
	}
}

// send POSTs a request to the service, signed with the stand-in's key
// (sig "" signs; "-" sends no signature; anything else is sent as is).
func (h *hcp) send(url string, req any, sig string) int {
	h.t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.sendRaw(url, body, sig)
}

func (h *hcp) sendRaw(url string, body []byte, sig string) int {
	h.t.Helper()
	r, _ := http.NewRequest(http.MethodPost, url+"/run-task", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	switch sig {
	case "":
		r.Header.Set(SignatureHeader, Sign(h.key, body))
	case "-":
	default:
		r.Header.Set(SignatureHeader, sig)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		h.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// wait returns the callbacks delivered for task result id once there are n,
// failing after timeout.
func (h *hcp) wait(id string, n int, timeout time.Duration) []callback {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h.mu.Lock()
		cbs := append([]callback(nil), h.callbacks[id]...)
		h.mu.Unlock()
		if len(cbs) >= n {
			return cbs
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: %d callback(s) after %s, want %d", id, len(cbs), timeout, n)
		}
		select {
		case <-h.notify:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitFetched waits until the service asked for run id's plan (a worker
// has the task).
func (h *hcp) waitFetched(id string) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		h.mu.Lock()
		ok := h.fetched[id]
		h.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the plan of %s was never asked for", id)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *hcp) delivered(id string) []callback {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]callback(nil), h.callbacks[id]...)
}

func (h *hcp) totalDelivered() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.callbacks {
		n += len(c)
	}
	return n
}

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
