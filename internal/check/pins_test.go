package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// statePolicy is the quickstart policy with a state block.
func statePolicy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(qsPolicy)
	if err != nil {
		t.Fatal(err)
	}
	signers, err := os.ReadFile(filepath.Join(filepath.Dir(qsPolicy), "allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "planguard.hcl")
	if err := os.WriteFile(p, append(src, "\nstate {\n  backend = \"s3\"\n  config  = { bucket = \"acme-tf\", key = \"prod.tfstate\" }\n}\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), signers, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlanJSONUnderStatePin: plan JSON records no backend, so under a
// state block it is an error, unless the front door pinned the state itself.
func TestPlanJSONUnderStatePin(t *testing.T) {
	pol, trust, err := LoadPolicy(statePolicy(t), "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := &Checker{}
	_, err = c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: qsPlan}})
	if !errors.Is(err, ErrPlanJSONUnderStatePin) {
		t.Fatalf("plan JSON under a state block: %v", err)
	}
	if _, err := c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: qsPlan}, StatePinnedElsewhere: true}); err != nil {
		t.Fatalf("state pinned elsewhere: %v", err)
	}
}

// TestCheckState: the saved plan's backend, settings and workspace against the pin.
func TestCheckState(t *testing.T) {
	pol, _, err := LoadPolicy(statePolicy(t), "")
	if err != nil {
		t.Fatal(err)
	}
	ok := planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"prod.tfstate","profile":null}`, Workspace: "default"}
	for _, tt := range []struct {
		name string
		b    planfile.Backend
		want string
	}{
		{"pinned", ok, ""},
		{"other key", planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"other.tfstate"}`, Workspace: "default"}, `config.key is "other.tfstate"`},
		{"extra setting", planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"prod.tfstate","profile":"x"}`, Workspace: "default"}, "config.profile"},
		{"workspace", planfile.Backend{Type: "s3", Config: ok.Config, Workspace: "evil"}, `workspace is "evil"`},
		{"local", planfile.Backend{Type: "local", Config: `{"path":"x"}`, Workspace: "default"}, `backend is "local"`},
		{"state store", planfile.Backend{StateStore: true, Type: "s3", Config: ok.Config, Workspace: "default"}, "state_store"},
	} {
		err := checkState(pol, &planfile.File{Backend: tt.b}, false)
		var m *policy.StateMismatch
		if (err == nil) != (tt.want == "") || (err != nil && (!errors.As(err, &m) || !strings.Contains(err.Error(), tt.want))) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if err := checkState(pol, &planfile.File{Backend: tt.b}, true); err != nil {
			t.Errorf("%s, pinned elsewhere: %v", tt.name, err)
		}
	}
}
