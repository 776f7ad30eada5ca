package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/runtask"
)

func runServe(e *env, args []string) (int, error) {
	fs := newFlags("serve", "planguard serve --listen ADDR --policy FILE [--hmac-key-file FILE] [flags]",
		`Serve the gate as an HCP Terraform / Terraform Enterprise run task. POST /run-task takes
the run task request (its X-TFC-Task-Signature HMAC is checked first), answers 200 at once,
downloads the run's plan JSON, runs the same gate as 'planguard check' and calls back
passed only when the gate allows; any error is failed with its reason. GET /runs/RUN_ID
shows approvers the decision; GET /healthz answers ok. SIGHUP reads the policy and trust
file again (a bad one is refused and the old one kept); SIGTERM drains. See
docs/guides/terraform-cloud.md.`,
		`  PLANGUARD_HMAC_KEY=... planguard serve --listen :8080 --policy /etc/planguard/prod.hcl \
    --public-url https://planguard.example.com --audit-log /var/log/planguard/audit.jsonl
  planguard serve --listen :8443 --tls-cert tls.crt --tls-key tls.key --hmac-key-file /run/secrets/hmac \
    --policy prod.hcl --tfe-address https://tfe.example.com
`)
	var (
		listen, policyPath, keyFile, api, publicURL, authorFrom, auditPath string
		tlsCert, tlsKey, logFormat, now                                    string
		allowUnsigned                                                      bool
		workers, queue, pages                                              int
		maxPlan                                                            int64
		fetchTimeout, callbackBudget, pageTTL, shutdownTimeout             time.Duration
	)
	fs.StringVar(&listen, "listen", ":8080", "`ADDR` to listen on (host:port)")
	fs.StringVar(&policyPath, "policy", defaultPolicy, "policy `FILE` (HCL); read at start and on SIGHUP")
	fs.StringVar(&keyFile, "hmac-key-file", "", "`FILE` holding the run task's HMAC key, read again on SIGHUP (default $PLANGUARD_HMAC_KEY)")
	fs.BoolVar(&allowUnsigned, "allow-unsigned", false, "accept requests without an HMAC key configured (anyone who reaches the service can make it fetch URLs on --tfe-address)")
	fs.StringVar(&api, "tfe-address", "https://app.terraform.io", "HCP Terraform or Terraform Enterprise `URL`: plan and callback URLs must be on it, and the run's token goes nowhere else")
	fs.StringVar(&publicURL, "public-url", "", "this service's `URL` as approvers reach it; the task result links to URL/runs/RUN_ID (default: link to the run)")
	fs.StringVar(&authorFrom, "author-from", runtask.AuthorNone, "whose signatures do not count: none, or run_created_by (the HCP Terraform user who started the run, as allowed_signers must then name them)")
	fs.IntVar(&workers, "workers", 4, "tasks decided at once")
	fs.IntVar(&queue, "queue", 64, "tasks that may wait for a worker; past it a task is called back failed (busy)")
	fs.Int64Var(&maxPlan, "max-plan-bytes", runtask.DefaultMaxPlanBytes, "largest plan JSON read, in `BYTES`; a larger one fails")
	fs.DurationVar(&fetchTimeout, "fetch-timeout", 5*time.Minute, "time to download and decide one plan")
	fs.DurationVar(&callbackBudget, "callback-retry", runtask.DefaultRetry.Budget, "how long to retry a callback on 5xx, 429 or time-outs")
	fs.IntVar(&pages, "pages", 1000, "decision pages kept (least recently used dropped first)")
	fs.DurationVar(&pageTTL, "page-ttl", 24*time.Hour, "how long a decision page is kept")
	fs.StringVar(&auditPath, "audit-log", "", "append a JSON line per decision (the format of check --audit-log, plus run_id, organization, workspace, stage) to `FILE`")
	fs.StringVar(&tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (with --tls-key)")
	fs.StringVar(&tlsKey, "tls-key", "", "private key `FILE` for --tls-cert")
	fs.DurationVar(&shutdownTimeout, "shutdown-timeout", 2*time.Minute, "on SIGTERM, how long queued and running tasks get to finish")
	fs.StringVar(&logFormat, "log-format", "text", "log format: text or json (logs go to stderr; level from $PLANGUARD_LOG, default info)")
	fs.StringVar(&now, "now", "", "for tests: judge approvals at this RFC 3339 `TIME` instead of now")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "serve takes no arguments", hint: "run 'planguard serve --help'"}
	}
	if (tlsCert == "") != (tlsKey == "") {
		return exitError, &usageError{msg: "--tls-cert and --tls-key go together", hint: "pass both, or neither to serve plain HTTP behind a proxy"}
	}
	if authorFrom != runtask.AuthorNone && authorFrom != runtask.AuthorRunCreatedBy {
		return exitError, &usageError{msg: fmt.Sprintf("--author-from %q", authorFrom), hint: "pass none or run_created_by"}
	}
	origin, err := runtask.ParseOrigin(api)
	if err != nil {
		return exitError, withHint(fmt.Errorf("--tfe-address: %w", err), "pass the address of HCP Terraform (https://app.terraform.io) or of your Terraform Enterprise")
	}
	key, err := hmacKey(e, keyFile)
	if err != nil {
		return exitError, err
	}
	if key == nil && !allowUnsigned {
		return exitError, withHint(fmt.Errorf("no HMAC key: pass --hmac-key-file or set $PLANGUARD_HMAC_KEY"),
			"set the same key as the run task's HMAC key in HCP Terraform; --allow-unsigned serves without one")
	}

	level := hclog.LevelFromString(e.getenv("PLANGUARD_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	log := hclog.New(&hclog.LoggerOptions{Name: "planguard-serve", Level: level, Output: e.stderr, JSONFormat: logFormat == "json", TimeFormat: time.RFC3339Nano})

	g, err := runtask.NewPolicyGate(policyPath)
	if err != nil {
		return exitError, withHint(fmt.Errorf("read policy: %w", err), "fix the policy file; see docs/guides/policy.md")
	}
	if now != "" {
		t, err := parseNow(now)
		if err != nil {
			return exitError, err
		}
		g.Now = func() time.Time { return t }
		log.Warn("--now is set: approvals are judged at a fixed time (for tests only)", "now", t)
	}
	var audit *os.File
	if auditPath != "" {
		if audit, err = os.OpenFile(auditPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640); err != nil {
			return exitError, withHint(fmt.Errorf("audit log: %w", err), "make --audit-log a writable path")
		}
		defer audit.Close()
	}
	if key == nil {
		log.Warn("serving without an HMAC key (--allow-unsigned): any caller can submit run task requests")
	}
	cfg := runtask.Config{Gate: g, HMACKey: key, API: origin, PublicURL: strings.TrimRight(publicURL, "/"), Author: authorFrom,
		Workers: workers, Queue: queue, MaxPlanBytes: maxPlan, FetchTimeout: fetchTimeout, Pages: pages, PageTTL: pageTTL, Log: log}
	cfg.Retry = runtask.DefaultRetry
	cfg.Retry.Budget = callbackBudget
	if audit != nil {
		cfg.Audit = audit
	}
	srv, err := runtask.New(cfg)
	if err != nil {
		return exitError, err
	}
	log.Info("policy loaded", "path", policyPath, "scope", g.Policy().Scope, "rules", len(g.Policy().Rules), "policy_sha256", g.Policy().Hash)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	err = runtask.Serve(ctx, srv, runtask.ServiceOptions{Listen: listen, TLSCert: tlsCert, TLSKey: tlsKey, ShutdownTimeout: shutdownTimeout,
		Reload: func() {
			if keyFile != "" {
				if k, err := hmacKey(e, keyFile); err != nil {
					log.Error("HMAC key reload refused; the previous key stays in use", "error", err)
				} else {
					srv.SetHMACKey(k)
					log.Info("HMAC key reloaded", "path", keyFile)
				}
			}
			if err := g.Reload(); err != nil {
				log.Error("policy reload refused; the previous policy stays in use", "path", policyPath, "error", err)
				return
			}
			log.Info("policy reloaded", "path", policyPath, "scope", g.Policy().Scope, "rules", len(g.Policy().Rules), "policy_sha256", g.Policy().Hash)
		}}, hup)
	if err != nil {
		return exitError, err
	}
	return exitAllow, nil
}

// hmacKey reads the key from --hmac-key-file (trailing newline dropped),
// else $PLANGUARD_HMAC_KEY; nil when neither is set.
func hmacKey(e *env, file string) ([]byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, withHint(fmt.Errorf("--hmac-key-file: %w", err), "pass a readable file holding the run task's HMAC key")
		}
		k := strings.TrimRight(string(b), "\r\n")
		if k == "" {
			return nil, withHint(fmt.Errorf("--hmac-key-file %s is empty", file), "put the run task's HMAC key in it")
		}
		return []byte(k), nil
	}
	if k := e.getenv("PLANGUARD_HMAC_KEY"); k != "" {
		return []byte(k), nil
	}
	return nil, nil
}
