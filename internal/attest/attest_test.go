package attest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// golden is a check result whose attestation testdata/check.att holds:
// written by planguard/attest.go before the attestation moved here, with
// testdata/gate_key (ed25519 from the seed 0..31; its signatures are
// deterministic), so the bytes are proven unchanged.
func golden() *check.Result {
	return &check.Result{PolicySHA256: "d9c103030d5f1111d9c103030d5f1111d9c103030d5f1111d9c103030d5f1111",
		Report: &gate.Report{Decision: gate.Block, Scope: "prod", Author: "mallory@example.com", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
			Plan: gate.PlanInfo{SHA256: "4c00a8f7fdd0c0ffee4c00a8f7fdd0c0ffee4c00a8f7fdd0c0ffee4c00a8f7fd", TerraformVersion: "1.8.5"},
			Changes: []gate.Change{
				{Address: "terraform_data.prod_db", Action: "delete", Protected: true, Verdict: gate.Verdict{Approved: true, ApprovedBy: []string{"alice@example.com", "bob@example.com"}}},
				{Address: "terraform_data.cache", Action: "replace", Verdict: gate.Verdict{ApprovedBy: []string{}}},
				{Address: "terraform_data.backup", Action: "delete", Protected: true},
			}}}
}

func signer(t *testing.T) ssh.Signer {
	t.Helper()
	b, err := os.ReadFile("testdata/gate_key")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignGolden(t *testing.T) {
	got, err := Sign(signer(t), golden())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/check.att")
	if !bytes.Equal(got, want) {
		t.Fatalf("attestation bytes changed:\n%s\nwant\n%s", got, want)
	}
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte(`planguard-gate namespaces="planguard-attestation" `+string(ssh.MarshalAuthorizedKey(signer(t).PublicKey()))), 0o600)
	res := golden()
	a := Check{Path: "testdata/check.att", Signers: signers, Principal: "planguard-gate", PolicySHA256: res.PolicySHA256, MaxAge: time.Hour, Now: res.Report.Now.Add(time.Minute)}
	p, err := Verify(a, res.Report.Plan.SHA256)
	if err != nil || p.Decision != string(gate.Block) || len(p.Changes) != 3 {
		t.Fatalf("Verify = %+v, %v", p, err)
	}
	for name, tt := range map[string]struct {
		edit func(*Check)
		plan string
		want string
	}{
		"another plan": {plan: strings.Repeat("0", 64), want: "another plan file"},
		"no pin":       {edit: func(c *Check) { c.PolicySHA256 = "" }, want: "only with --policy-sha256"},
		"other pin":    {edit: func(c *Check) { c.PolicySHA256 = strings.Repeat("a", 64) }, want: "not the pinned"},
		"other scope":  {edit: func(c *Check) { c.Scope = "dev" }, want: `not the expected "dev"`},
		"too old":      {edit: func(c *Check) { c.Now = c.Now.Add(2 * time.Hour) }, want: "beyond --max-age"},
		"untrusted":    {edit: func(c *Check) { c.Principal = "someone" }, want: "not signed by a trusted key"},
	} {
		c := a
		if tt.edit != nil {
			tt.edit(&c)
		}
		plan := res.Report.Plan.SHA256
		if tt.plan != "" {
			plan = tt.plan
		}
		if _, err := Verify(c, plan); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", name, err, tt.want)
		}
	}
}

// TestCertificatesInPredicate: the predicate names the certificates that
// signed the valid approvals, and nothing for plain keys or approvals that
// did not count.
func TestCertificatesInPredicate(t *testing.T) {
	res := golden()
	bob := gate.CertificateSigner{Principal: "bob@example.com", KeyID: "bob-laptop", Serial: 43, CA: "SHA256:ca"}
	res.Report.Approvals = []gate.Approval{
		{Address: "planguard_approval.db", Status: gate.StatusValid, Principals: []string{"alice@example.com", "bob@example.com"}, Certificates: []gate.CertificateSigner{bob}},
		{Address: "planguard_approval.old", Status: gate.StatusExpired, Certificates: []gate.CertificateSigner{bob}},
		{Address: "planguard_approval.plain", Status: gate.StatusValid, Principals: []string{"alice@example.com"}},
	}
	out, err := Sign(signer(t), res)
	if err != nil {
		t.Fatal(err)
	}
	var env Envelope
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var st Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	want := []Certificate{{Approval: "planguard_approval.db", CertificateSigner: bob}}
	if !reflect.DeepEqual(st.Predicate.Certificates, want) {
		t.Fatalf("certificates %+v, want %+v", st.Predicate.Certificates, want)
	}
	if !strings.Contains(string(payload), `"certificates":[{"approval":"planguard_approval.db","principal":"bob@example.com","key_id":"bob-laptop","serial":43,"ca":"SHA256:ca"}]`) {
		t.Fatalf("predicate JSON: %s", payload)
	}
}

// TestStatePinned: a check under a state block is attested with
// state_pinned true; without one the field is absent (the bytes of the
// golden, written before the field, are unchanged), and RequireStatePinned
// refuses that and every older attestation.
func TestStatePinned(t *testing.T) {
	dir := t.TempDir()
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte(`planguard-gate namespaces="planguard-attestation" `+string(ssh.MarshalAuthorizedKey(signer(t).PublicKey()))), 0o600)
	res := golden()
	a := Check{Path: "testdata/check.att", Signers: signers, Principal: "planguard-gate", PolicySHA256: res.PolicySHA256, MaxAge: time.Hour, Now: res.Report.Now.Add(time.Minute)}
	old, err := Verify(a, res.Report.Plan.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := RequireStatePinned(old, a.Path); old.StatePinned || !errors.Is(err, ErrStateNotPinned) {
		t.Fatalf("an attestation without state_pinned: %v, %v", old.StatePinned, err)
	}
	res.StatePinned = true
	out, err := Sign(signer(t), res)
	if err != nil {
		t.Fatal(err)
	}
	a.Path = filepath.Join(dir, "pinned.att")
	os.WriteFile(a.Path, out, 0o600)
	p, err := Verify(a, res.Report.Plan.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := RequireStatePinned(p, a.Path); !p.StatePinned || err != nil {
		t.Fatalf("a pinned attestation: %v, %v", p.StatePinned, err)
	}
	var env Envelope
	json.Unmarshal(out, &env)
	payload, _ := base64.StdEncoding.DecodeString(env.Payload)
	if !strings.Contains(string(payload), `"state_pinned":true`) {
		t.Fatalf("payload: %s", payload)
	}
}

// TestProvidersPinned: a check under a policy with lock_file or providers
// is attested with providers_pinned true; without it the field is absent
// (the golden's bytes are unchanged), and RequireProvidersPinned refuses
// that and every older attestation.
func TestProvidersPinned(t *testing.T) {
	dir := t.TempDir()
	signers := filepath.Join(dir, "gate_signers")
	os.WriteFile(signers, []byte(`planguard-gate namespaces="planguard-attestation" `+string(ssh.MarshalAuthorizedKey(signer(t).PublicKey()))), 0o600)
	res := golden()
	a := Check{Path: "testdata/check.att", Signers: signers, Principal: "planguard-gate", PolicySHA256: res.PolicySHA256, MaxAge: time.Hour, Now: res.Report.Now.Add(time.Minute)}
	old, err := Verify(a, res.Report.Plan.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := RequireProvidersPinned(old, a.Path); old.ProvidersPinned || !errors.Is(err, ErrProvidersNotPinned) {
		t.Fatalf("an attestation without providers_pinned: %v, %v", old.ProvidersPinned, err)
	}
	res.ProvidersPinned = true
	out, err := Sign(signer(t), res)
	if err != nil {
		t.Fatal(err)
	}
	a.Path = filepath.Join(dir, "pinned.att")
	os.WriteFile(a.Path, out, 0o600)
	p, err := Verify(a, res.Report.Plan.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if err := RequireProvidersPinned(p, a.Path); !p.ProvidersPinned || err != nil {
		t.Fatalf("an attestation with providers_pinned: %v, %v", p.ProvidersPinned, err)
	}
	if err := RequireStatePinned(p, a.Path); err == nil {
		t.Fatal("providers_pinned stood in for state_pinned")
	}
}
