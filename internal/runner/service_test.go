package runner

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

const testSecret = "the-runner-credential-42"

// fakeTerraform "plans" by copying main.tf into the plan file, prints the
// credential as a careless provider might, and records applies.
type fakeTerraform struct {
	mu      sync.Mutex
	applied []string
	lock    string        // written by Init as the lock file, when set
	hold    chan struct{} // Apply waits on it, when set
	json    string        // ShowJSON's plan JSON, when set
	plans   int           // plans made: each plan file ends with its number, as a real one holds its time
	twins   bool          // every plan file the same bytes, whatever main.tf says
}

func (f *fakeTerraform) ShowJSON(context.Context, string, string) ([]byte, error) {
	if f.json == "" {
		return []byte(`{"resource_changes":[]}`), nil
	}
	return []byte(f.json), nil
}

func (f *fakeTerraform) Init(_ context.Context, dir string, _ InitOptions, out io.Writer) error {
	fmt.Fprintln(out, "init with credential "+testSecret)
	if f.lock != "" {
		return os.WriteFile(filepath.Join(dir, lockFileName), []byte(f.lock), 0o600)
	}
	return nil
}

func (f *fakeTerraform) Plan(_ context.Context, dir, planFile string, out io.Writer) error {
	b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Plan: %s", b)
	f.mu.Lock()
	f.plans++
	n := f.plans
	f.mu.Unlock()
	switch {
	case f.twins:
		b = []byte("twin plan\n")
	default:
		b = append(b, fmt.Sprintf("\n# plan %d\n", n)...)
	}
	return os.WriteFile(planFile, b, 0o600)
}

func (f *fakeTerraform) Show(_ context.Context, _, planFile string, out io.Writer) error {
	b, err := os.ReadFile(planFile)
	fmt.Fprintf(out, "Show: %s", b)
	return err
}

func (f *fakeTerraform) Apply(ctx context.Context, _, planFile string, out io.Writer) error {
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	b, _ := os.ReadFile(planFile)
	f.mu.Lock()
	f.applied = append(f.applied, string(b))
	f.mu.Unlock()
	fmt.Fprintln(out, "Apply complete!")
	return nil
}

// fakeGate blocks a plan whose file mentions "delete".
type fakeGate struct{}

func (fakeGate) Check(_ context.Context, planFile, _ string) (*gate.Report, error) {
	b, err := os.ReadFile(planFile)
	if err != nil {
		return nil, err
	}
	sum, _ := fileSHA256(planFile)
	r := &gate.Report{Version: 1, Decision: gate.Allow, Scope: "prod", Plan: gate.PlanInfo{SHA256: sum}}
	if bytes.Contains(b, []byte("delete")) {
		r.Decision = gate.Block
	}
	return r, nil
}

type memPolicy struct {
	pol     *policy.Policy
	signers *trust.AllowedSigners
}

func (m memPolicy) Load() (*policy.Policy, *trust.AllowedSigners, error) {
	return m.pol, m.signers, nil
}

type memAudit struct {
	mu   sync.Mutex
	recs []Record
	fail bool
}

func (a *memAudit) Record(r Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail && r.Decision == DecisionApplying {
		return errors.New("disk full")
	}
	a.recs = append(a.recs, r)
	return nil
}

func (a *memAudit) decisions() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var s []string
	for _, r := range a.recs {
		s = append(s, r.Op+" "+r.Decision)
	}
	return strings.Join(s, ", ")
}

type harness struct {
	svc    *Service
	tf     *fakeTerraform
	audit  *memAudit
	signer ssh.Signer
	now    time.Time
}

func newHarness(t *testing.T, runnerBlock string) *harness {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	src := "scope = \"prod\"\ntrust {\n  allowed_signers = \"as\"\n}\nproviders = [\"terraform.io/builtin/terraform\"]\nprotect \"db\" {\n  types = [\"terraform_data\"]\n}\nstate {\n  backend = \"local\"\n}\n" + runnerBlock
	pol, err := policy.Parse([]byte(src), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := trust.ParseAllowedSigners([]byte("alice@example.com "+string(ssh.MarshalAuthorizedKey(signer.PublicKey()))), "as", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{tf: &fakeTerraform{}, audit: &memAudit{}, signer: signer, now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	h.svc, err = NewService(Config{
		Policy: memPolicy{pol, allowed}, Gate: fakeGate{}, Terraform: h.tf, Audit: h.audit,
		StateDir: t.TempDir(), Secrets: []string{testSecret}, Now: func() time.Time { return h.now },
		ReviewerUIDs: []int{2000},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) approval(t *testing.T, sum string, exp time.Time) []byte {
	t.Helper()
	pa := approval.PlanApproval{Scope: "prod", PlanSHA256: sum, ExpiresAt: exp.Format(time.RFC3339)}
	sig, err := approval.SignPlanApproval(pa, h.signer)
	if err != nil {
		t.Fatal(err)
	}
	return approval.PlanApprovalFile{Scope: pa.Scope, PlanSHA256: pa.PlanSHA256, ExpiresAt: pa.ExpiresAt, Principal: "alice@example.com", Signature: sig}.Marshal()
}

var tfConfig = []File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"x\" {}\n")}}

func TestServicePlanApply(t *testing.T) {
	h := newHarness(t, "")
	peer := Peer{UID: 1000, PID: 42}
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), peer, tfConfig, &out)
	if res.Exit != ExitAllow || res.PlanID == "" {
		t.Fatalf("plan: %+v\n%s", res, out.String())
	}
	if strings.Contains(out.String(), testSecret) || !strings.Contains(out.String(), Redacted) {
		t.Fatalf("the credential was not redacted:\n%s", out.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if lines[len(lines)-1] != "plan id: "+res.PlanID || lines[len(lines)-2] != "plan sha256: "+res.PlanSHA256 {
		t.Fatalf("last lines: %q", lines[len(lines)-2:])
	}

	// No approval, an expired one, one for another plan: nothing applied.
	for name, approvals := range map[string][][]byte{
		"none":      nil,
		"expired":   {h.approval(t, res.PlanSHA256, h.now.Add(-time.Minute))},
		"other":     {h.approval(t, strings.Repeat("0", 64), h.now.Add(time.Hour))},
		"malformed": {[]byte("{}")},
	} {
		out.Reset()
		if r := h.svc.Apply(context.Background(), peer, res.PlanID, approvals, &out); r.Exit != ExitBlock {
			t.Fatalf("%s: apply %+v\n%s", name, r, out.String())
		}
	}
	if len(h.tf.applied) != 0 {
		t.Fatal("applied without a plan approval")
	}
	// The same approval twice counts once; the plan applies with it.
	ok := h.approval(t, res.PlanSHA256, h.now.Add(time.Hour))
	out.Reset()
	r := h.svc.Apply(context.Background(), peer, res.PlanID, [][]byte{ok, ok}, &out)
	if r.Exit != ExitAllow || len(h.tf.applied) != 1 || !strings.Contains(out.String(), "counted already") {
		t.Fatalf("apply: %+v\n%s", r, out.String())
	}
	// Single use.
	if r := h.svc.Apply(context.Background(), peer, res.PlanID, [][]byte{ok}, &out); r.Exit != ExitError || !strings.Contains(r.Error, "no plan") {
		t.Fatalf("second apply: %+v", r)
	}
	want := "plan allow, apply block, apply block, apply block, apply block, apply applying, apply applied, apply refused"
	if got := h.audit.decisions(); got != want {
		t.Errorf("audit: %s\nwant   %s", got, want)
	}
	for _, rec := range h.audit.recs {
		if rec.PeerUID != 1000 {
			t.Errorf("audit record without the peer: %+v", rec)
		}
	}
}

func TestServiceGateBlocksAndExpiry(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), Peer{}, []File{{Path: "main.tf", Data: []byte("# delete the db\n")}}, &out)
	if res.Exit != ExitBlock {
		t.Fatalf("plan: %+v", res)
	}
	if r := h.svc.Apply(context.Background(), Peer{}, res.PlanID, nil, &out); r.Exit != ExitBlock || len(h.tf.applied) != 0 {
		t.Fatalf("apply of a blocked plan: %+v", r)
	}
	// plan_approvals = 0: the gate alone decides.
	res = h.svc.Plan(context.Background(), Peer{}, tfConfig, &out)
	if res.Exit != ExitAllow {
		t.Fatal(res)
	}
	h.now = h.now.Add(DefaultPlanTTL)
	if r := h.svc.Apply(context.Background(), Peer{}, res.PlanID, nil, &out); r.Exit != ExitError || len(h.tf.applied) != 0 {
		t.Fatalf("apply of an expired plan id: %+v", r)
	}
	if entries, _ := os.ReadDir(h.svc.cfg.StateDir); len(entries) != 0 {
		t.Errorf("expired plans left directories: %v", entries)
	}
	res = h.svc.Plan(context.Background(), Peer{}, tfConfig, &out)
	if r := h.svc.Apply(context.Background(), Peer{}, res.PlanID, nil, &out); r.Exit != ExitAllow {
		t.Fatalf("apply with plan_approvals = 0: %+v", r)
	}
	if r := h.svc.Apply(context.Background(), Peer{}, "../../etc", nil, &out); r.Exit != ExitError {
		t.Fatalf("a bad plan id: %+v", r)
	}
}

func TestServiceRefusals(t *testing.T) {
	h := newHarness(t, "")
	var out bytes.Buffer
	for name, files := range map[string][]File{
		"provider outside the list": {{Path: "main.tf", Data: []byte(`data "external" "x" {}`)}},
		"terraform.d":               {tfConfig[0], {Path: "terraform.d/plugins/x.tf"}},
		"remote module":             {{Path: "main.tf", Data: []byte(`module "m" { source = "hashicorp/x/aws" }`)}},
	} {
		if r := h.svc.Plan(context.Background(), Peer{}, files, &out); r.Exit != ExitError {
			t.Errorf("%s: %+v", name, r)
		}
	}
	// A provider init installed for the state alone is refused before plan.
	h.tf.lock = "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.0.0\"\n}\n"
	r := h.svc.Plan(context.Background(), Peer{}, tfConfig, &out)
	if r.Exit != ExitError || !strings.Contains(r.Error, "init installed provider(s) registry.terraform.io/hashicorp/aws") {
		t.Errorf("locked provider: %+v", r)
	}
	if got := h.audit.decisions(); got != "plan refused, plan refused, plan refused, plan refused" {
		t.Errorf("audit: %s", got)
	}
	if entries, _ := os.ReadDir(h.svc.cfg.StateDir); len(entries) != 0 {
		t.Errorf("refused plans left directories: %v", entries)
	}
}

func TestServiceAuditFailureStopsApply(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	h.audit.fail = true
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), Peer{}, tfConfig, &out)
	if r := h.svc.Apply(context.Background(), Peer{}, res.PlanID, nil, &out); r.Exit != ExitError || len(h.tf.applied) != 0 {
		t.Fatalf("applied without an audit record: %+v", r)
	}
}

// rotatedTerraform prints the new credential.
type rotatedTerraform struct{ fakeTerraform }

func (f *rotatedTerraform) Init(_ context.Context, _ string, _ InitOptions, out io.Writer) error {
	fmt.Fprintln(out, "rotated new-credential-99 and old "+testSecret)
	return nil
}

func TestServiceReload(t *testing.T) {
	h := newHarness(t, "")
	h.svc.Reload(&rotatedTerraform{}, []string{"new-credential-99"})
	var out bytes.Buffer
	if r := h.svc.Plan(context.Background(), Peer{}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("%+v\n%s", r, out.String())
	}
	if !strings.Contains(out.String(), "rotated") || strings.Contains(out.String(), "new-credential-99") || strings.Contains(out.String(), testSecret) {
		t.Fatalf("after reload:\n%s", out.String())
	}
}

func TestStartupWarnings(t *testing.T) {
	h := newHarness(t, "")
	if w := h.svc.StartupWarnings(); len(w) != 0 {
		t.Errorf("builtin only: %v", w)
	}
	pol, err := policy.Parse([]byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"as\"\n}\nproviders = [\"registry.terraform.io/hashicorp/*\"]\nprotect \"db\" {\n  types = [\"x\"]\n}\n"), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	h.svc.cfg.Policy = memPolicy{pol: pol}
	if w := h.svc.StartupWarnings(); len(w) != 4 || !strings.Contains(w[0], "hashicorp/external") || !strings.Contains(w[3], "no lock_file") {
		t.Errorf("hashicorp/*: %v", w)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in two
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServiceStateTurn: a plan waits while an apply of the state runs
// (Terraform would fail it on the state lock, and a plan held on purpose
// would fail an approved apply so), goes on when the apply ends, and gives
// up with an error when its time runs out first.
func TestServiceStateTurn(t *testing.T) {
	h := newHarness(t, "")
	peer := Peer{UID: 1000, PID: 42}
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), peer, tfConfig, &out)
	if res.Exit != ExitAllow {
		t.Fatalf("plan: %+v\n%s", res, out.String())
	}
	h.tf.hold = make(chan struct{})
	applied := make(chan Result, 1)
	go func() {
		applied <- h.svc.Apply(context.Background(), peer, res.PlanID, [][]byte{h.approval(t, res.PlanSHA256, h.now.Add(time.Hour))}, io.Discard)
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(h.audit.decisions(), "apply "+DecisionApplying); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the apply did not start: %s", h.audit.decisions())
		}
	}

	// Its time runs out while it waits.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var late bytes.Buffer
	if r := h.svc.Plan(ctx, Peer{UID: 1001, PID: 43}, tfConfig, &late); r.Exit != ExitError || !strings.Contains(r.Error, "waited for another plan or apply") {
		t.Fatalf("plan while the apply runs, with 200ms: %+v\n%s", r, late.String())
	}

	// It waits, and runs when the apply ends.
	var waiting syncBuffer
	planned := make(chan Result, 1)
	go func() { planned <- h.svc.Plan(context.Background(), Peer{UID: 1001, PID: 44}, tfConfig, &waiting) }()
	select {
	case r := <-planned:
		t.Fatalf("the plan ran while the apply held the state: %+v\n%s", r, waiting.String())
	case <-time.After(300 * time.Millisecond):
	}
	if !strings.Contains(waiting.String(), "waiting for it to finish") {
		t.Errorf("the waiting plan does not say why:\n%s", waiting.String())
	}
	close(h.tf.hold)
	if r := <-applied; r.Exit != ExitAllow {
		t.Fatalf("apply: %+v", r)
	}
	if r := <-planned; r.Exit != ExitAllow {
		t.Fatalf("plan after the apply: %+v\n%s", r, waiting.String())
	}
}
