package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testNow is the provider's clock in tests: approvals in the tests expire
// after it, except where a test says otherwise.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// testAccProtoV6ProviderFactories runs the provider in-process, with its
// clock pinned to testNow, for acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"planguard": providerserver.NewProtocol6WithError(New("test", WithClock(func() time.Time { return testNow }))()),
}

// testAccPreCheck checks what acceptance tests need beyond Terraform itself.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Fatalf("acceptance tests sign with the real ssh-keygen (OpenSSH), which is not on PATH: %v", err)
	}
}

// diagRecorder wraps the provider server Terraform talks to and records
// every diagnostic the provider returns, so tests can assert warnings:
// terraform-plugin-testing checks errors only. What it records is exactly
// what Terraform receives and shows the user.
type diagRecorder struct {
	mu    sync.Mutex
	diags []*tfprotov6.Diagnostic
}

// factories returns provider factories, like
// testAccProtoV6ProviderFactories, whose servers report to r.
func (r *diagRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	inner := testAccProtoV6ProviderFactories["planguard"]
	return map[string]func() (tfprotov6.ProviderServer, error){
		"planguard": func() (tfprotov6.ProviderServer, error) {
			s, err := inner()
			if err != nil {
				return nil, err
			}
			return &recordingServer{ProviderServer: s, rec: r}, nil
		},
	}
}

func (r *diagRecorder) record(diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.diags = append(r.diags, diags...)
}

// warnings returns the distinct warnings recorded so far, each as
// "attribute path: summary" (Terraform plans more than once per step).
func (r *diagRecorder) warnings() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, d := range r.diags {
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			continue
		}
		w := attrPath(d.Attribute) + ": " + d.Summary
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// wantWarnings fails t unless the recorded warnings are exactly want.
func (r *diagRecorder) wantWarnings(t *testing.T, want ...string) {
	t.Helper()
	got := r.warnings()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("provider warnings:\n  got  %q\n  want %q", got, want)
	}
}

// detail returns the detail of the first recorded warning with summary.
func (r *diagRecorder) detail(summary string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && d.Summary == summary {
			return d.Detail
		}
	}
	return ""
}

// attrPath renders an attribute path as HCL would: signatures[0].principal.
func attrPath(p *tftypes.AttributePath) string {
	if p == nil {
		return "(resource)"
	}
	var b strings.Builder
	for _, s := range p.Steps() {
		switch s := s.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		case tftypes.ElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		default:
			fmt.Fprintf(&b, "[%v]", s)
		}
	}
	return b.String()
}

// recordingServer is a provider server that reports its diagnostics.
type recordingServer struct {
	tfprotov6.ProviderServer
	rec *diagRecorder
}

func (s *recordingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateResourceConfig(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.record(resp.Diagnostics)
	}
	return resp, err
}

// sshKey is a key pair made by the real ssh-keygen, for signing in tests.
type sshKey struct {
	path string // private key file
	pub  string // public key, "ssh-ed25519 AAAA... comment"
}

// newSSHKey makes an ed25519 key pair with ssh-keygen in a temporary
// directory.
func newSSHKey(t *testing.T, comment string) sshKey {
	t.Helper()
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	run(t, "", "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key)
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatalf("read public key: %v", err)
	}
	return sshKey{path: key, pub: strings.TrimSpace(string(pub))}
}

// sign signs payload with ssh-keygen -Y sign in the approval namespace and
// returns the armored signature.
func (k sshKey) sign(t *testing.T, payload []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "payload")
	if err := os.WriteFile(file, payload, 0o600); err != nil {
		t.Fatalf("write payload: %v", err)
	}
	run(t, "", "ssh-keygen", "-q", "-Y", "sign", "-n", "planguard-approval", "-f", k.path, file)
	sig, err := os.ReadFile(file + ".sig")
	if err != nil {
		t.Fatalf("read signature: %v", err)
	}
	return string(sig)
}

// run runs a command and fails t if it fails.
func run(t *testing.T, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
