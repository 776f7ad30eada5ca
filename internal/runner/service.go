package runner

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

// DefaultPlanTTL is how long a plan id stays valid.
const DefaultPlanTTL = time.Hour

// Default bounds of the plans the runner keeps: each holds a configuration,
// the providers init installed (hundreds of megabytes for a large
// provider, unless the CLI configuration sets a plugin cache) and a saved
// plan, until it is applied or expires.
const (
	DefaultMaxPlansPerUID = 16
	DefaultMaxStateBytes  = 8 << 30
)

// Config is what a Service needs; every dependency is injected.
type Config struct {
	Policy    PolicySource
	Gate      Gate
	Terraform Terraform
	Audit     Auditor
	// StateDir holds one private directory per plan; it must exist and
	// belong to the runner alone.
	StateDir string
	// Secrets are the values no reply may contain (the env file's).
	Secrets []string
	// DefaultHost is the registry of a provider source without a host:
	// TerraformRegistry or OpenTofuRegistry.
	DefaultHost string
	// PlanTTL is how long a plan id stays valid; 0 means DefaultPlanTTL.
	PlanTTL time.Duration
	// MaxPlansPerUID bounds the plans one uid has at once (made and not
	// yet applied or expired, or being made); 0 means
	// DefaultMaxPlansPerUID.
	MaxPlansPerUID int
	// MaxStateBytes bounds the disk the plans' directories in StateDir
	// take: a plan is refused while they take this much or more; 0 means
	// DefaultMaxStateBytes.
	MaxStateBytes int64
	// ReviewerUIDs may ask a show to reveal the plan's masked values
	// (serve --reviewer-uid); nobody else may (masked.go).
	ReviewerUIDs []int
	// Limits bound a configuration; zero means DefaultLimits.
	Limits Limits
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger hclog.Logger
}

// Peer is who sent a request, from the socket's peer credentials.
type Peer struct {
	UID, GID, PID int
}

// Result is the outcome of one request.
type Result struct {
	Exit int
	// Error is set when Exit is ExitError; it is redacted.
	Error      string
	PlanID     string
	PlanSHA256 string
}

// Service is the runner's service layer: it plans a configuration, judges
// and applies a saved plan, shows one, and audits each decision. Every
// front door (the Unix socket today) calls it; it is safe for concurrent
// use.
type Service struct {
	cfg   Config
	live  atomic.Pointer[liveConfig]
	mu    sync.Mutex
	plans map[string]*planRecord
	// seen maps the sha256 of every plan this runner made to the sha256
	// of the files uploaded for it (reserve).
	seen map[string]string
	// making counts, per uid, the plans being made (not yet in plans).
	making map[int]int
	// stateTurn is held by the one terraform plan or apply that may use
	// the pinned state now. Terraform locks the state for a plan as for an
	// apply, and fails at once when another holds it: without a turn, any
	// allowed uid could keep plans running so that another's approved
	// apply fails on the lock. Waiters are served in order (a channel's
	// blocked senders are), each within its request's time.
	stateTurn chan struct{}
}

// liveConfig is what Reload swaps: each request takes the one current when
// it starts, and keeps it to the end.
type liveConfig struct {
	tf      Terraform
	secrets []string
}

// planRecord is a plan the runner made and may apply once.
type planRecord struct {
	id       string
	uid      int    // who made it: the only uid that may apply it
	dir      string // the plan's private directory
	work     string // the configuration, where terraform ran
	planFile string // the saved plan, read-only
	// stateFile is where the pinned local backend keeps its state inside
	// dir, if it does (planStateFile): the directory is kept when that is
	// a regular file.
	stateFile string
	sha256    string
	// uploaded is the copy of the configuration files as the client sent
	// them (show --config), and uploadedSHA256 its hash, checked on read.
	uploaded       string
	uploadedSHA256 string
	expires        time.Time
	busy           bool // an apply or show is using it
	used           bool // applied (or an apply started)
}

// NewService checks cfg and returns a service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Policy == nil || cfg.Gate == nil || cfg.Terraform == nil || cfg.Audit == nil || cfg.StateDir == "" {
		return nil, errors.New("runner: Policy, Gate, Terraform, Audit and StateDir are required")
	}
	if cfg.PlanTTL == 0 {
		cfg.PlanTTL = DefaultPlanTTL
	}
	if cfg.MaxPlansPerUID == 0 {
		cfg.MaxPlansPerUID = DefaultMaxPlansPerUID
	}
	if cfg.MaxStateBytes == 0 {
		cfg.MaxStateBytes = DefaultMaxStateBytes
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.DefaultHost == "" {
		cfg.DefaultHost = TerraformRegistry
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	s := &Service{cfg: cfg, plans: map[string]*planRecord{}, seen: map[string]string{}, making: map[int]int{}, stateTurn: make(chan struct{}, 1)}
	s.live.Store(&liveConfig{tf: cfg.Terraform, secrets: cfg.Secrets})
	return s, nil
}

// Reload swaps, atomically, the Terraform that requests starting from now
// use (with new credentials in its environment) and the secrets redacted
// from replies. The secrets redacted before stay redacted: a rotated
// credential is still one.
func (s *Service) Reload(tf Terraform, secrets []string) {
	old := s.live.Load()
	merged := append(append([]string(nil), old.secrets...), secrets...)
	s.live.Store(&liveConfig{tf: tf, secrets: merged})
}

// ValidateStartup checks, once before serving, what every request will
// need: the policy loads, restricts providers (data sources run at plan
// time with the runner's credentials, so an unrestricted policy would let
// any configuration run any provider with them), and pins the state (init
// runs the configuration's backend with the runner's credentials, so
// without a pin the configuration would choose the state and the code the
// backend runs).
func (s *Service) ValidateStartup() error {
	pol, _, err := s.cfg.Policy.Load()
	if err != nil {
		return err
	}
	if err := requireProviders(pol); err != nil {
		return err
	}
	return requireState(pol)
}

// riskyProviders are providers whose data sources read the runner's host
// at plan time: run programs, read files, fetch any URL.
var riskyProviders = []string{
	"registry.terraform.io/hashicorp/external", "registry.opentofu.org/hashicorp/external",
	"registry.terraform.io/hashicorp/local", "registry.opentofu.org/hashicorp/local",
	"registry.terraform.io/hashicorp/http", "registry.opentofu.org/hashicorp/http",
}

// StartupWarnings lists what the policy allows that a configuration could
// use to read the runner's host at plan time; serve logs them.
func (s *Service) StartupWarnings() []string {
	pol, _, err := s.cfg.Policy.Load()
	if err != nil {
		return nil
	}
	var out []string
	for _, src := range riskyProviders {
		if pol.AllowsProvider(src) {
			out = append(out, fmt.Sprintf("the policy allows %s, whose data sources run with the runner's credentials on its host at plan time (programs, files, URLs); the agent can use them through any plan", src))
		}
	}
	installs := false // a provider init installs, not a built-in one
	for _, g := range pol.Providers {
		installs = installs || !strings.HasPrefix(g, "terraform.io/builtin/")
	}
	if pol.LockFilePath == "" && installs {
		out = append(out, "the policy sets no lock_file: the lock file the agent uploads chooses the provider builds, among those the runner's --cli-config installs (its mirrors, its plugin cache, the registry), and they run with the runner's credentials; set lock_file to a reviewed lock file")
	}
	return out
}

func requireState(pol *policy.Policy) error {
	if pol.State == nil {
		return fmt.Errorf("%s: %w", pol.Filename, errNoStatePin)
	}
	return nil
}

// trustedLock puts the policy's trusted lock file (lock_file), cut down to
// the providers the configuration requires, in the working directory in
// place of the uploaded one, and returns the init options that make init
// install exactly it. A required provider the trusted file does not lock
// is refused here, before init looks for it. Without lock_file the
// uploaded lock file stays, and init may choose builds (the gate warns).
func trustedLock(pol *policy.Policy, work string, used []string) (InitOptions, error) {
	if pol.LockFilePath == "" {
		return InitOptions{}, nil
	}
	if pol.LockFile == nil {
		return InitOptions{}, fmt.Errorf("internal error: policy %s names lock_file %s but it was not read", pol.Filename, pol.LockFilePath)
	}
	trusted, err := lockfile.Parse(pol.LockFile, pol.LockFilePath)
	if err != nil {
		return InitOptions{}, err
	}
	var need, missing []string
	for _, src := range used {
		if strings.HasPrefix(src, "terraform.io/builtin/") {
			continue
		}
		need = append(need, src)
		if _, ok := trusted[lockfile.Normalize(src)]; !ok {
			missing = append(missing, src)
		}
	}
	if len(missing) > 0 {
		return InitOptions{}, fmt.Errorf("the configuration requires provider(s) %s, which the policy's trusted lock file %s does not lock: the runner installs only reviewed builds. Ask the policy's owners to add them to the trusted lock file", strings.Join(missing, ", "), pol.LockFilePath)
	}
	sub, err := lockfile.Subset(pol.LockFile, pol.LockFilePath, need)
	if err != nil {
		return InitOptions{}, err
	}
	if err := os.WriteFile(filepath.Join(work, lockFileName), sub, 0o600); err != nil {
		return InitOptions{}, err
	}
	return InitOptions{LockFileReadonly: true}, nil
}

func requireProviders(pol *policy.Policy) error {
	if !pol.RestrictsProviders() {
		return fmt.Errorf("%s sets no providers list: the runner plans with its credentials, so the policy must list the providers a configuration may use (providers = [\"registry.terraform.io/hashicorp/aws\", \"terraform.io/builtin/terraform\"])", pol.Filename)
	}
	return nil
}

var planIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func newPlanID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// op carries one request's configuration, output, log and audit fields.
type op struct {
	s    *Service
	live *liveConfig
	out  *redactor
	log  hclog.Logger
	rec  Record
}

func (s *Service) begin(name string, peer Peer, out io.Writer) *op {
	live := s.live.Load()
	o := &op{s: s, live: live, out: newRedactor(out, live.secrets)}
	o.rec = Record{Op: name, PeerUID: peer.UID, PeerPID: peer.PID}
	o.log = s.cfg.Logger.With("op", name, "peer_uid", peer.UID, "peer_pid", peer.PID)
	return o
}

func (o *op) printf(format string, args ...any) { fmt.Fprintf(o.out, format, args...) }

// finish writes the audit record and returns the result, redacted. An
// audit record that cannot be written turns the result into an error.
func (o *op) finish(exit int, decision string, err error) Result {
	o.rec.Time = o.s.cfg.Now().UTC()
	o.rec.Decision = decision
	res := Result{Exit: exit, PlanID: o.rec.PlanID, PlanSHA256: o.rec.PlanSHA256}
	if err != nil {
		// The audit record keeps the plan id, to tie a failure to its
		// plan; the reply names no plan that cannot be applied or shown.
		res.Exit, res.PlanID = ExitError, ""
		res.Error = redactString(err.Error(), o.live.secrets)
		o.rec.Error = res.Error
	}
	if aerr := o.s.cfg.Audit.Record(o.rec); aerr != nil {
		o.log.Error("audit record not written", "error", aerr)
		res.Exit, res.Error = ExitError, redactString(aerr.Error(), o.live.secrets)
	}
	_ = o.out.Flush()
	o.log.Info("request done", "decision", decision, "exit", res.Exit)
	return res
}

// Refuse records a request refused before any op (a peer not allowed, a
// malformed request) and returns its result.
func (s *Service) Refuse(opName string, peer Peer, err error) Result {
	return s.begin(opName, peer, io.Discard).finish(ExitError, DecisionRefused, err)
}

// Crash records a request that failed on an internal error (a panic the
// server recovered) and returns its result.
func (s *Service) Crash(opName string, peer Peer, err error) Result {
	return s.begin(opName, peer, io.Discard).finish(ExitError, DecisionError, err)
}

// Plan writes files into a fresh directory, refuses a provider the policy
// does not list, runs init and plan there with the runner's CLI
// configuration and credentials, judges the saved plan and keeps it under a
// new plan id. out receives Terraform's output and the gate's report, then
// "plan sha256: HEX" and, last, "plan id: ID". Exit: 0 the gate would
// allow, 1 it would block, 2 error.
func (s *Service) Plan(ctx context.Context, peer Peer, files []File, out io.Writer) Result {
	o := s.begin(OpPlan, peer, out)
	s.sweep()
	if err := s.admit(peer.UID); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	defer s.admitted(peer.UID)
	id, err := newPlanID()
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.rec.PlanID = id
	o.log = o.log.With("plan_id", id)
	dir := filepath.Join(s.cfg.StateDir, id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	keep := false
	stateFile := ""
	defer func() {
		if !keep {
			removePlanDir(dir, stateFile, o.log)
		}
	}()
	work := filepath.Join(dir, "config")
	if err := os.Mkdir(work, 0o700); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := Materialize(work, files, s.cfg.Limits); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused: %w", err))
	}
	// The checks before init run in the runner's process, which no signal
	// interrupts: between them, a request whose client hung up, whose time
	// ran out or whose runner is stopping ends there (review hook152 M1).
	if err := stopped(ctx); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	uploaded, uploadedSum, err := saveUploaded(dir, files)
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := writeUploadMark(work, files, uploadedSum); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	pol, _, err := s.cfg.Policy.Load()
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.rec.PolicySHA256, o.rec.Scope = pol.Hash, pol.Scope
	stateFile = planStateFile(work, pol.State)
	if err := requireProviders(pol); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	if err := requireState(pol); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	// One reading of the configuration, in Terraform's order, for every
	// check before init (config.go).
	conf, err := ReadConfiguration(work, s.cfg.DefaultHost)
	if err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := stopped(ctx); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	used, err := conf.RequiredProviders()
	if err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := allowed(pol, used, "the configuration requires"); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	o.log.Debug("providers allowed", "providers", used)
	if err := conf.CheckProviderCode(pol); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := stopped(ctx); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := conf.CheckTerraformBlocks(); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := conf.CheckBackend(pol.State); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := conf.CheckRemoteStates(pol); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := SelectWorkspace(work, pol.State); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if ec, ok := o.live.tf.(EnvChecker); ok {
		if err := ec.CheckEnv(pol.LockFilePath != ""); err != nil {
			return o.finish(ExitError, DecisionRefused, fmt.Errorf("the runner's Terraform environment refused before init: %w; fix the runner's --cli-config or environment", err))
		}
	}
	initOpts, err := trustedLock(pol, work, used)
	if err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	calls, err := conf.FileFunctionCalls()
	if err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if len(calls) > 0 {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: it calls functions that read the runner's files at plan time (%s); the runner sends no file they could read, and the runner's own files hold its credentials", strings.Join(calls, "; ")))
	}
	if err := conf.CheckCredentialReads(pol); err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("configuration refused before init: %w", err))
	}
	if err := stopped(ctx); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := o.live.tf.Init(ctx, work, initOpts, o.out); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	// init also installs what the state alone needs; nothing has run yet.
	locked, err := LockedProviders(filepath.Join(work, lockFileName))
	if err != nil {
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("the lock file init wrote: %w", err))
	}
	if err := allowed(pol, locked, "init installed"); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	planFile := filepath.Join(dir, "plan.tfplan")
	release, err := s.waitStateTurn(ctx, o)
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	err = o.live.tf.Plan(ctx, work, planFile, o.out)
	release()
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := os.Chmod(planFile, 0o400); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	sum, err := fileSHA256(planFile)
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.rec.PlanSHA256 = sum
	if err := s.reserve(sum, uploadedSum); err != nil {
		return o.finish(ExitError, DecisionRefused, err)
	}
	rep, err := s.cfg.Gate.Check(ctx, planFile, work)
	if err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate could not check the plan: %w", err))
	}
	if rep.Plan.SHA256 != sum {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate checked plan %s, not the saved plan %s", rep.Plan.SHA256, sum))
	}
	o.rec.Changes, o.rec.Code = auditChanges(rep), auditCode(rep)
	if err := s.render(o, rep, pol); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := s.masked(ctx, o, work, planFile, id, false); err != nil {
		// Fail closed (review runner34 L2): a plan whose masked and
		// unknown values cannot be listed cannot be reviewed, so it gets
		// no plan id.
		return o.finish(ExitError, DecisionError, fmt.Errorf("the plan's masked values and values unknown until apply could not be listed (%w): a reviewer could not see what a plan approval signs, so the plan is refused; make the plan smaller (a sensitive output or value too large to render within the runner's memory bound?)", err))
	}
	need := pol.Runner.PlanApprovals
	o.rec.PlanApprovalsNeeded = need
	s.mu.Lock()
	s.plans[id] = &planRecord{id: id, uid: peer.UID, dir: dir, work: work, planFile: planFile, stateFile: stateFile, sha256: sum, uploaded: uploaded, uploadedSHA256: uploadedSum, expires: s.cfg.Now().Add(s.cfg.PlanTTL)}
	s.mu.Unlock()
	if rep.Decision == gate.Allow && need > 0 {
		o.printf("\nplanguard runner: applying this plan also needs %d plan approval(s) by trusted principals. A person reviews it ('planguard runner show %s') and signs:\n  %s\n",
			need, id, approvePlanCommand(pol.Scope, sum))
	}
	o.printf("\nplan sha256: %s\nplan id: %s\n", sum, id)
	keep = true
	if rep.Decision != gate.Allow {
		return o.finish(ExitBlock, DecisionBlock, nil)
	}
	return o.finish(ExitAllow, DecisionAllow, nil)
}

// stopped is the error of a request whose context has ended (its client
// hung up, its time ran out, the runner is stopping), or nil.
func stopped(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("stopped before init: %w", context.Cause(ctx))
}

// maxSeen bounds the plan hashes a runner remembers (reserve): past it,
// the operator restarts the runner.
const maxSeen = 1 << 20

// reserve records that a plan with these bytes was made from these
// uploaded files, and refuses one with the same bytes from other files
// (review runner37 H1, runner38 H1): an approval names a plan's bytes,
// and the apply also reads files the bytes do not hold (a variables file
// no configuration loads, an ephemeral variable's value), so an approval
// given after reviewing one plan must not apply another's files — while
// the first waits, after it expired or was applied, or while its reply is
// still being read. Two plans of the same files in the same second share
// their bytes, and may.
func (s *Service) reserve(sum, uploaded string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.seen[sum]; ok {
		if prev != uploaded {
			return fmt.Errorf("this plan has the same bytes (sha256 %s) as an earlier plan made from other files: a plan approval names a plan's bytes, and the apply also reads files the bytes do not hold, so the runner refuses it; plan again (a second later the bytes differ)", sum)
		}
		return nil
	}
	if len(s.seen) >= maxSeen {
		return fmt.Errorf("the runner has made %d plans since it started, the most it remembers: ask its operator to restart it", maxSeen)
	}
	s.seen[sum] = uploaded
	return nil
}

// allowed refuses any provider source the policy does not list.
func allowed(pol *policy.Policy, sources []string, what string) error {
	var bad []string
	for _, src := range sources {
		if !pol.AllowsProvider(src) {
			bad = append(bad, src)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s provider(s) %s, which %s's providers list does not allow: the runner would start them with its credentials. Use an allowed provider, or ask the policy's owners to add it", what, strings.Join(bad, ", "), pol.Filename)
	}
	return nil
}

func (s *Service) render(o *op, rep *gate.Report, pol *policy.Policy) error {
	r, err := report.New("text", report.Options{PlanPath: "PLAN", PolicyPath: pol.Filename})
	if err != nil {
		return err
	}
	// The text report prints the report's warnings itself, once.
	o.printf("\n")
	return r.Render(o.out, rep)
}

func approvePlanCommand(scope, sum string) string {
	return fmt.Sprintf("planguard approve-plan --plan-sha256 %s --scope %s --key KEY --principal YOU --expires 1h --out plan-approval.json", sum, scope)
}

// take finds a plan for an apply or a show and marks it busy; release
// undoes that. With owner >= 0 (an apply), only the uid that made the plan
// may take it: a plan id another agent saw (in a log, a shared terminal)
// does not let it apply that plan. A show is open to every allowed uid,
// for the people who review plans.
func (s *Service) take(id string, owner int) (*planRecord, error) {
	if !planIDPattern.MatchString(id) {
		return nil, fmt.Errorf("%q is not a plan id (32 hex digits, the last line of 'planguard runner plan')", id)
	}
	s.sweep()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.plans[id]
	switch {
	case !ok:
		return nil, fmt.Errorf("no plan %s: it expired, was applied already, or the runner restarted; plan again", id)
	case rec.used:
		return nil, fmt.Errorf("plan %s was applied already; a plan id is single-use, plan again", id)
	case owner >= 0 && rec.uid != owner:
		return nil, fmt.Errorf("plan %s was made by uid %d; only that uid may apply it (any allowed uid may show it)", id, rec.uid)
	case rec.busy:
		return nil, fmt.Errorf("plan %s is in use by another request", id)
	}
	rec.busy = true
	return rec, nil
}

func (s *Service) release(rec *planRecord, used bool) {
	s.mu.Lock()
	rec.busy = false
	if used {
		rec.used = true
		delete(s.plans, rec.id)
	}
	s.mu.Unlock()
	if used {
		removePlanDir(rec.dir, rec.stateFile, s.cfg.Logger)
	}
}

// Show prints the saved plan for a reviewer, as Terraform renders it
// (sensitive values masked), then the list of its masked values; with
// reveal (for a ReviewerUIDs peer only) the masked values themselves.
func (s *Service) Show(ctx context.Context, peer Peer, id string, reveal bool, out io.Writer) Result {
	o := s.begin(OpShow, peer, out)
	o.rec.PlanID = id
	if reveal && !slices.Contains(s.cfg.ReviewerUIDs, peer.UID) {
		o.rec.PlanID = ""
		return o.finish(ExitError, DecisionRefused, fmt.Errorf("uid %d may not reveal a plan's masked values: only a reviewer may (ask the runner's operator for serve --reviewer-uid); 'planguard runner show %s' lists them", peer.UID, id))
	}
	o.rec.Revealed = reveal
	rec, err := s.take(id, -1)
	if err != nil {
		o.rec.PlanID = ""
		return o.finish(ExitError, DecisionRefused, err)
	}
	defer s.release(rec, false)
	o.rec.PlanSHA256 = rec.sha256
	o.log = o.log.With("plan_id", id)
	if err := o.live.tf.Show(ctx, rec.work, rec.planFile, o.out); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if err := s.masked(ctx, o, rec.work, rec.planFile, rec.id, reveal); err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("list the plan's masked values: %w; do not sign a plan whose \"(sensitive value)\" you have not seen", err))
	}
	// The gate's report: Terraform's rendering shows no provisioner, nor
	// any other code the apply runs with the runner's credentials (review
	// runner35 M1); the report lists each, and how the gate judges it now.
	rep, err := s.cfg.Gate.Check(ctx, rec.planFile, rec.work)
	if err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate could not check the plan: %w; do not sign a plan whose code run at apply you have not seen", err))
	}
	if rep.Plan.SHA256 != rec.sha256 {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate checked plan %s, not the saved plan %s", rep.Plan.SHA256, rec.sha256))
	}
	o.rec.Changes, o.rec.Code = auditChanges(rep), auditCode(rep)
	pol, _, err := s.cfg.Policy.Load()
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.printf("\nplanguard runner: the gate's report on this plan now (code the apply runs, with the runner's credentials, is listed here and nowhere in Terraform's rendering above):\n")
	if err := s.render(o, rep, pol); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.printf("\nplan sha256: %s\nplan id: %s\n", rec.sha256, rec.id)
	return o.finish(ExitAllow, DecisionShown, nil)
}

// masked lists the masked values of a saved plan's resource changes, or
// prints them (reveal); see masked.go.
func (s *Service) masked(ctx context.Context, o *op, work, planFile, id string, reveal bool) error {
	js, ok := o.live.tf.(PlanJSONShower)
	if !ok {
		return errors.New("this runner's Terraform cannot render a plan as JSON")
	}
	src, err := js.ShowJSON(ctx, work, planFile)
	if err != nil {
		return err
	}
	vals, err := maskedValues(src)
	if err != nil {
		return err
	}
	printMasked(o.out, vals, id, reveal)
	unknown, err := unknownConfigured(src)
	if err != nil {
		return err
	}
	printUnknown(o.out, unknown, id)
	hidden, err := hiddenJSON(src)
	if err != nil {
		return err
	}
	printHiddenJSON(o.out, hidden, id)
	return nil
}

// Apply judges the saved plan id again (approvals and trust at this
// moment), counts the plan approvals the policy's runner block asks for,
// and, when both allow, runs `terraform apply -input=false PLAN` on exactly
// that file. Exit: 0 applied, 1 blocked (nothing ran), 2 error. A plan id
// is spent once terraform apply starts.
func (s *Service) Apply(ctx context.Context, peer Peer, id string, approvals [][]byte, out io.Writer) Result {
	o := s.begin(OpApply, peer, out)
	o.rec.PlanID = id
	rec, err := s.take(id, peer.UID)
	if err != nil {
		o.rec.PlanID = ""
		return o.finish(ExitError, DecisionRefused, err)
	}
	used := false
	defer func() { s.release(rec, used) }()
	o.rec.PlanSHA256 = rec.sha256
	o.log = o.log.With("plan_id", id)
	if sum, err := fileSHA256(rec.planFile); err != nil || sum != rec.sha256 {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the saved plan %s changed since it was made (sha256 %s); nothing applied: %w", id, sum, err))
	}
	pol, trust, err := s.cfg.Policy.Load()
	if err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	o.rec.PolicySHA256, o.rec.Scope = pol.Hash, pol.Scope
	// The turn on the state is held from the gate's check of the pinned
	// state to the end of the apply.
	release, err := s.waitStateTurn(ctx, o)
	if err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("%w; nothing applied", err))
	}
	defer release()
	rep, err := s.cfg.Gate.Check(ctx, rec.planFile, rec.work)
	if err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate could not check the plan; nothing applied: %w", err))
	}
	if rep.Plan.SHA256 != rec.sha256 {
		return o.finish(ExitError, DecisionError, fmt.Errorf("the gate checked plan %s, not the saved plan %s; nothing applied", rep.Plan.SHA256, rec.sha256))
	}
	if rep.PolicySHA256 != "" && rep.PolicySHA256 != pol.Hash {
		return o.finish(ExitError, DecisionError, errors.New("the policy changed while this request read it; nothing applied: apply again"))
	}
	o.rec.Changes, o.rec.Code = auditChanges(rep), auditCode(rep)
	if err := s.render(o, rep, pol); err != nil {
		return o.finish(ExitError, DecisionError, err)
	}
	if rep.Decision != gate.Allow {
		o.printf("\nplanguard runner: the gate blocks plan %s; nothing applied.\n", id)
		return o.finish(ExitBlock, DecisionBlock, nil)
	}
	need := pol.Runner.PlanApprovals
	o.rec.PlanApprovalsNeeded = need
	if need > 0 {
		c := approval.CountPlanApprovals(approvals, pol.Scope, rec.sha256, nil, trust, s.cfg.Now())
		o.rec.PlanApprovers = c.Principals
		for _, p := range c.Problems {
			o.printf("planguard runner: plan approval not counted: %s\n", p)
		}
		if len(c.Principals) < need {
			o.printf("\nplanguard runner: plan %s has %d of the %d plan approval(s) the policy needs; nothing applied. A person reviews it ('planguard runner show %s') and signs:\n  %s\nthen: planguard runner apply --approval plan-approval.json %s\n",
				id, len(c.Principals), need, id, approvePlanCommand(pol.Scope, rec.sha256), id)
			return o.finish(ExitBlock, DecisionBlock, nil)
		}
		o.printf("planguard runner: plan approved by %s\n", strings.Join(c.Principals, ", "))
	}
	// The providers the plan's init linked (from a plugin cache, a
	// mirror) run now: their directories must still be the runner's.
	if ec, ok := o.live.tf.(EnvChecker); ok {
		if err := ec.CheckEnv(pol.LockFilePath != ""); err != nil {
			return o.finish(ExitError, DecisionRefused, fmt.Errorf("the runner's Terraform environment refused before apply; nothing applied: %w; fix the runner's --cli-config or environment", err))
		}
	}
	// The decision is on record before anything runs.
	start := o.rec
	start.Time, start.Decision = s.cfg.Now().UTC(), DecisionApplying
	if err := s.cfg.Audit.Record(start); err != nil {
		return o.finish(ExitError, DecisionError, fmt.Errorf("audit log: %w; nothing applied", err))
	}
	used = true
	o.printf("\nplanguard runner: applying plan %s (sha256 %s)\n", id, rec.sha256)
	if err := o.live.tf.Apply(ctx, rec.work, rec.planFile, o.out); err != nil {
		return o.finish(ExitError, DecisionFailed, err)
	}
	return o.finish(ExitAllow, DecisionApplied, nil)
}

// admit reserves a plan for uid, or says why not: the uid has
// MaxPlansPerUID plans already (live or being made), or the plans'
// directories take MaxStateBytes. Expired plans are gone already (sweep,
// before admit). admitted releases the reservation.
func (s *Service) admit(uid int) error {
	s.mu.Lock()
	n := s.making[uid]
	var oldest time.Time
	for _, rec := range s.plans {
		if rec.uid == uid && !rec.used {
			n++
			if oldest.IsZero() || rec.expires.Before(oldest) {
				oldest = rec.expires
			}
		}
	}
	if n >= s.cfg.MaxPlansPerUID {
		s.mu.Unlock()
		when := "when one is made"
		if !oldest.IsZero() {
			when = "the oldest expires at " + oldest.UTC().Format(time.RFC3339)
		}
		return fmt.Errorf("uid %d has %d plans in the runner, its limit (serve --max-plans-per-uid %d): apply one, or plan again when one expires (%s)", uid, n, s.cfg.MaxPlansPerUID, when)
	}
	s.making[uid]++
	s.mu.Unlock()
	used, err := plansDiskUsage(s.cfg.StateDir)
	if err == nil && used >= s.cfg.MaxStateBytes {
		err = fmt.Errorf("the runner's plans take %d bytes of its state directory, its limit (serve --max-state-mib %d): apply plans, or plan again when some expire", used, s.cfg.MaxStateBytes>>20)
	}
	if err != nil {
		s.admitted(uid)
		return err
	}
	return nil
}

func (s *Service) admitted(uid int) {
	s.mu.Lock()
	if s.making[uid]--; s.making[uid] <= 0 {
		delete(s.making, uid)
	}
	s.mu.Unlock()
}

// plansDiskUsage adds up the regular files below the plan directories of
// dir (named by plan ids: the live plans, those being made, and any kept
// for a local state file); links are not followed.
func plansDiskUsage(dir string) (int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("state directory: %w", err)
	}
	var total int64
	for _, e := range entries {
		if !e.IsDir() || !planIDPattern.MatchString(e.Name()) {
			continue
		}
		err := filepath.WalkDir(filepath.Join(dir, e.Name()), func(_ string, d os.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile: nothing to count
			}
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					total += fi.Size()
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return total, nil
}

// sweep forgets expired plans and removes their directories.
func (s *Service) sweep() {
	now := s.cfg.Now()
	var dead []*planRecord
	s.mu.Lock()
	for id, rec := range s.plans {
		if !rec.busy && !now.Before(rec.expires) {
			delete(s.plans, id)
			dead = append(dead, rec)
		}
	}
	s.mu.Unlock()
	for _, rec := range dead {
		removePlanDir(rec.dir, rec.stateFile, s.cfg.Logger)
	}
}

// Close removes every plan's directory; the service must not be used
// afterwards.
func (s *Service) Close() {
	s.mu.Lock()
	plans := s.plans
	s.plans = map[string]*planRecord{}
	s.mu.Unlock()
	for _, rec := range plans {
		removePlanDir(rec.dir, rec.stateFile, s.cfg.Logger)
	}
}

// removePlanDir removes a plan's directory, unless the pinned local
// backend left its state there (stateFile, from planStateFile, is a
// regular file): that state is the only record of real objects. Nothing
// else keeps a directory: not a path the client named like a state file
// (those are refused, reservedPath), not a link or a directory there.
func removePlanDir(dir, stateFile string, log hclog.Logger) {
	if stateFile != "" {
		if fi, err := os.Lstat(stateFile); err == nil && fi.Mode().IsRegular() {
			log.Warn("keeping a plan directory that holds the pinned local backend's state file; pin a backend outside it", "dir", dir, "state", stateFile)
			return
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		log.Warn("could not remove a plan directory", "dir", dir, "error", err)
	}
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// waitStateTurn waits for the turn on the pinned state (stateTurn), saying
// so when another plan or apply holds it, and returns its release; an
// error when ctx ends first.
func (s *Service) waitStateTurn(ctx context.Context, o *op) (func(), error) {
	select {
	case s.stateTurn <- struct{}{}:
	default:
		o.printf("planguard runner: another plan or apply of the state is running; waiting for it to finish\n")
		// The client sees it now: what the redactor holds back is the end
		// of output that is complete (init's), and this line.
		_ = o.out.Flush()
		select {
		case s.stateTurn <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("waited for another plan or apply of the state until this request's time ran out: %w", context.Cause(ctx))
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-s.stateTurn }) }, nil
}
