package runtask

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	tfe "github.com/hashicorp/go-tfe"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// Author sources: whose signatures do not count.
const (
	AuthorNone         = "none"           // nobody is excluded
	AuthorRunCreatedBy = "run_created_by" // the HCP Terraform user who created the run
)

// Config configures a Server.
type Config struct {
	// Gate decides plans (required).
	Gate Gate
	// HMACKey verifies X-TFC-Task-Signature; nil accepts unsigned requests
	// (only when the operator said so: --allow-unsigned).
	HMACKey []byte
	// API is the HCP Terraform / Terraform Enterprise address: plan and
	// callback URLs must be on it, and the access token goes nowhere else.
	API Origin
	// PublicURL is this service's address as approvers reach it; the
	// callback links to PublicURL/runs/RUN_ID. Empty: link to the run.
	PublicURL string
	// Author is AuthorNone or AuthorRunCreatedBy.
	Author string
	// Workers run tasks at once; Queue more wait. Past both, a request is
	// answered with a failed "busy" callback.
	Workers, Queue int
	// MaxPlanBytes bounds the plan JSON.
	MaxPlanBytes int64
	// FetchTimeout bounds downloading and deciding one plan.
	FetchTimeout time.Duration
	// Retry shapes callback retries.
	Retry Retry
	// Pages and PageTTL bound the decision pages kept (LRU + TTL).
	Pages   int
	PageTTL time.Duration
	// Audit receives one JSON line per decision; nil for none.
	Audit io.Writer
	// Log is the service log (nil: none).
	Log hclog.Logger
	// HTTPClient overrides the outbound client (tests); its redirect
	// policy is replaced by the service's own.
	HTTPClient *http.Client
}

// Server is the run task service. Create it with New, serve Handler, and
// on shutdown stop the HTTP server first, then Drain.
type Server struct {
	cfg    Config
	key    atomic.Pointer[[]byte] // the HMAC key in use (nil: unsigned accepted)
	log    hclog.Logger
	client *http.Client
	audit  *auditLog

	queue   chan *task
	busy    chan struct{} // slots for "busy" callbacks sent outside the workers
	mu      sync.Mutex    // guards closing: no send on a closed queue
	closing bool
	wg      sync.WaitGroup // workers and busy callbacks

	ctx    context.Context // cancelled when Drain gives up waiting
	cancel context.CancelFunc
	// hard bounds callbacks: cancelled drainGrace after ctx, so that a
	// shutdown ends even when HCP Terraform does not answer.
	hard     context.Context
	hardStop context.CancelFunc

	seen  *lru[struct{}] // task result ids accepted: HCP Terraform's retries are ignored
	pages *lru[[]byte]   // run id -> decision page
}

// task is one accepted run task request.
type task struct {
	req       *Request
	requestID string
	received  time.Time
	log       hclog.Logger
}

// New makes a server and starts its workers.
func New(cfg Config) (*Server, error) {
	if cfg.Gate == nil {
		return nil, errors.New("runtask: no gate")
	}
	if cfg.API.Host == "" {
		return nil, errors.New("runtask: no API address")
	}
	if cfg.Author == "" {
		cfg.Author = AuthorNone
	}
	if cfg.Author != AuthorNone && cfg.Author != AuthorRunCreatedBy {
		return nil, fmt.Errorf("runtask: author source %q: want %q or %q", cfg.Author, AuthorNone, AuthorRunCreatedBy)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Queue < 0 {
		cfg.Queue = 0
	}
	if cfg.MaxPlanBytes <= 0 {
		cfg.MaxPlanBytes = DefaultMaxPlanBytes
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = 5 * time.Minute
	}
	if cfg.Retry == (Retry{}) {
		cfg.Retry = DefaultRetry
	}
	if cfg.Pages <= 0 {
		cfg.Pages = 1000
	}
	if cfg.PageTTL <= 0 {
		cfg.PageTTL = 24 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = hclog.NewNullLogger()
	}
	client := newHTTPClient(cfg.API)
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		c.CheckRedirect = redirectPolicy(cfg.API)
		client = &c
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg: cfg, log: cfg.Log, client: client, audit: &auditLog{w: cfg.Audit},
		queue: make(chan *task, cfg.Queue), busy: make(chan struct{}, cfg.Workers*2),
		ctx: ctx, cancel: cancel,
		seen:  newLRU[struct{}](100_000, 2*time.Hour),
		pages: newLRU[[]byte](cfg.Pages, cfg.PageTTL),
	}
	s.pages.cost, s.pages.maxCost = func(b []byte) int64 { return int64(len(b)) }, maxPagesBytes
	s.hard, s.hardStop = context.WithCancel(context.Background())
	if cfg.HMACKey != nil {
		s.SetHMACKey(cfg.HMACKey)
	}
	for range cfg.Workers {
		s.wg.Add(1)
		go s.worker()
	}
	return s, nil
}

// SetHMACKey replaces the HMAC key requests are verified with (on SIGHUP,
// for a rotated key); requests already verified are not affected.
func (s *Server) SetHMACKey(key []byte) {
	k := append([]byte(nil), key...)
	s.key.Store(&k)
}

// Handler serves POST /run-task, GET /runs/{run_id} and GET /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /run-task", s.handleRunTask)
	mux.HandleFunc("GET /runs/{run}", s.handlePage)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	return mux
}

func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 64 && checkID("x", id) == nil {
		return id
	}
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) handleRunTask(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rid := requestID(r)
	log := s.log.With("request_id", rid)
	w.Header().Set("X-Request-Id", rid)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		log.Warn("run task request refused: body unreadable or too large", "error", err)
		http.Error(w, "request body unreadable or larger than 256 KiB", http.StatusRequestEntityTooLarge)
		return
	}
	// The signature is checked over the raw bytes before anything is parsed.
	if key := s.key.Load(); key != nil {
		if err := VerifySignature(*key, body, r.Header.Get(SignatureHeader)); err != nil {
			log.Warn("run task request refused", "error", err, "remote", r.RemoteAddr)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
	}
	req, err := DecodeRequest(body)
	if err != nil {
		log.Warn("run task request refused: malformed", "error", err)
		http.Error(w, "malformed run task request", http.StatusBadRequest)
		return
	}
	if req.Verification() {
		log.Info("run task verification request answered")
		w.WriteHeader(http.StatusOK)
		return
	}
	log = log.With("run_id", req.RunID, "task_result_id", req.TaskResultID, "organization", req.OrganizationName, "workspace", req.WorkspaceName, "stage", req.Stage)
	if u, _ := url.Parse(req.TaskResultCallbackURL); !s.cfg.API.Owns(u) {
		log.Warn("run task request refused: callback URL is not on the API address", "api", s.cfg.API.String())
		http.Error(w, "task_result_callback_url is not on the configured API address", http.StatusBadRequest)
		return
	}
	if !s.seen.add(req.TaskResultID, struct{}{}) {
		log.Info("run task request already accepted (a retry); not run again")
		w.WriteHeader(http.StatusOK)
		return
	}
	t := &task{req: req, requestID: rid, received: start, log: log}
	switch s.enqueue(t) {
	case enqueued:
		log.Debug("run task queued")
		w.WriteHeader(http.StatusOK)
	case full:
		// Over the queue: never a silent drop. Tell HCP Terraform the task
		// failed because the service is busy.
		if s.startBusy(t) {
			w.WriteHeader(http.StatusOK)
		} else {
			// Not even room to say so: let HCP Terraform retry the request.
			s.seen.remove(req.TaskResultID)
			log.Warn("run task request refused: busy")
			w.Header().Set("Retry-After", "5")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	case closed:
		s.seen.remove(req.TaskResultID)
		log.Warn("run task request refused: shutting down")
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
	}
}

// startBusy sends t a failed "busy" callback on a goroutine of its own,
// when one of the busy slots is free and the server is not draining.
func (s *Server) startBusy(t *task) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	select {
	case s.busy <- struct{}{}:
	default:
		return false
	}
	s.wg.Add(1) // under mu, before Drain can wait
	go func() {
		defer s.wg.Done()
		defer func() { <-s.busy }()
		s.finish(t, nil, "", errors.New("the service is busy (all workers and the queue are full); retry the run"))
	}()
	return true
}

type enqueueResult int

const (
	enqueued enqueueResult = iota
	full
	closed
)

func (s *Server) enqueue(t *task) enqueueResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return closed
	}
	select {
	case s.queue <- t:
		return enqueued
	default:
		return full
	}
}

func (s *Server) worker() {
	defer s.wg.Done()
	for t := range s.queue {
		s.run(t)
	}
}

// run decides one task and calls back. Every path ends in exactly one
// callback: passed only when the gate allowed.
func (s *Server) run(t *task) {
	req := t.req
	if !req.Checks() {
		s.finishWith(t, &tfe.TaskResultCallbackRequestOptions{Status: tfe.TaskPassed,
			Message: fmt.Sprintf("planguard: nothing checked at the %s stage (planguard checks plans at post_plan and pre_apply)", req.Stage)}, "skipped", nil)
		return
	}
	author := ""
	if s.cfg.Author == AuthorRunCreatedBy {
		author = strings.TrimSpace(req.RunCreatedBy)
		if author == "" {
			s.finish(t, nil, "", errors.New("the request names no run_created_by, and --author-from run_created_by needs it: the author's own signatures must not count"))
			return
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.FetchTimeout)
	defer cancel()
	fetchStart := time.Now()
	body, err := openPlan(ctx, s.client, s.cfg.API, req.PlanJSONAPIURL, req.AccessToken, s.cfg.MaxPlanBytes)
	if err != nil {
		s.finish(t, nil, "", withCtx(ctx, err))
		return
	}
	rep, pol, err := s.cfg.Gate.Check(ctx, body, author)
	_ = body.Close()
	t.log = t.log.With("check_ms", time.Since(fetchStart).Milliseconds())
	policyHash := ""
	if pol != nil {
		policyHash = pol.Hash
	}
	if err != nil {
		s.finish(t, nil, policyHash, withCtx(ctx, err))
		return
	}
	if pin := s.cfg.Gate.StatePin(pol); pin != nil {
		if err := pin.CheckWorkspace(req.OrganizationName, req.WorkspaceName, hostOnly(s.cfg.API.Host)); err != nil {
			s.finish(t, nil, policyHash, err)
			return
		}
	}
	rep.Author = author
	s.finish(t, rep, policyHash, nil)
}

// withCtx says why a cancelled check stopped.
func withCtx(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("timed out downloading or checking the plan (--fetch-timeout): %w", err)
	case ctx.Err() != nil:
		return fmt.Errorf("the service shut down before the check finished: %w", err)
	}
	return err
}

func hostOnly(h string) string {
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		return h[:i]
	}
	return h
}

// pageURL is where approvers see the decision of a run.
func (s *Server) pageURL(req *Request) string {
	if s.cfg.PublicURL == "" {
		return safeURL(req.RunAppURL)
	}
	return strings.TrimRight(s.cfg.PublicURL, "/") + "/runs/" + req.RunID
}

// finish records a decision (or the error that stopped it) and calls back.
func (s *Server) finish(t *task, rep *gate.Report, policyHash string, checkErr error) {
	author := ""
	if rep != nil {
		author = rep.Author
	}
	if err := s.audit.write(t.req, author, rep, policyHash, checkErr); err != nil {
		t.log.Error("audit log write failed", "error", err)
	}
	if checkErr != nil {
		s.finishWith(t, failedCallback(checkErr.Error(), s.pageURLIfKept(t.req)), "error", checkErr)
		return
	}
	for _, w := range rep.Warnings {
		t.log.Warn("gate warning", "warning", w)
	}
	s.pages.put(t.req.RunID, renderPage(t.req, rep, s.cfg.API, time.Now()))
	s.finishWith(t, callbackFor(rep, s.pageURL(t.req)), string(rep.Decision), nil)
}

func (s *Server) pageURLIfKept(req *Request) string {
	if s.cfg.PublicURL == "" {
		return safeURL(req.RunAppURL)
	}
	return ""
}

func (s *Server) finishWith(t *task, opts *tfe.TaskResultCallbackRequestOptions, decision string, checkErr error) {
	log := t.log.With("decision", decision, "status", string(opts.Status))
	cbStart := time.Now()
	// The callback outlives a cancelled check (a shutdown that gave up
	// waiting still reports), within the retry budget.
	ctx, cancel := context.WithTimeout(s.hard, s.cfg.Retry.Budget+s.cfg.Retry.AttemptTimeout)
	defer cancel()
	attempts, err := sendCallback(ctx, s.client, s.cfg.API, s.cfg.Retry, t.req.TaskResultCallbackURL, t.req.AccessToken, opts,
		func(attempt int, err error) { log.Warn("callback failed; retrying", "attempt", attempt, "error", err) })
	log = log.With("attempts", attempts, "callback_ms", time.Since(cbStart).Milliseconds(), "total_ms", time.Since(t.received).Milliseconds())
	if checkErr != nil {
		log = log.With("reason", checkErr.Error())
	}
	if err != nil {
		log.Error("callback not delivered", "error", err)
		return
	}
	log.Info("run task decided")
}

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	run := r.PathValue("run")
	page, ok := []byte(nil), false
	if checkID("run", run) == nil {
		page, ok = s.pages.get(run)
	}
	if !ok {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "no decision for this run on this replica (pages are kept for a limited time)\n")
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(page)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if closing {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "draining\n")
		return
	}
	fmt.Fprintf(w, "ok queued=%d\n", len(s.queue))
}

// drainGrace is how long Drain waits, after its deadline, for the
// "failed" callbacks of the checks it cancelled.
const drainGrace = 15 * time.Second

// maxPagesBytes bounds the memory of all decision pages kept.
const maxPagesBytes = 64 << 20

// Drain stops taking tasks and waits for the queued and running ones to be
// decided and called back. When ctx ends first, the checks still running
// are cancelled (each then calls back "failed") and Drain waits up to
// drainGrace more for those callbacks; it returns ctx's error.
func (s *Server) Drain(ctx context.Context) error {
	s.mu.Lock()
	if !s.closing {
		s.closing = true
		close(s.queue)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.cancel()
		s.hardStop()
		return nil
	case <-ctx.Done():
	}
	s.cancel()
	select {
	case <-done:
	case <-time.After(drainGrace):
		s.hardStop() // callbacks still retrying give up
		<-done
	}
	s.hardStop()
	return ctx.Err()
}
