package tfexec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

func TestFind(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvBinary {
				return v
			}
			return ""
		}
	}
	for _, tt := range []struct {
		flag   string
		getenv func(string) string
		want   string
	}{
		{"/opt/tofu", env("/usr/bin/terraform"), "/opt/tofu"},
		{"", env("/usr/bin/terraform"), "/usr/bin/terraform"},
		{"", env(""), "terraform"},
		{"", nil, "terraform"},
	} {
		if got := Find(tt.flag, tt.getenv); got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.flag, got, tt.want)
		}
	}
}

func TestPinPlan(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "tfplan")
	content := []byte(ZipMagic + "rest of the plan")
	os.WriteFile(plan, content, 0o600)
	p, err := PinPlan(context.Background(), plan, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	got, _ := os.ReadFile(p.Path)
	if p.SHA256 != hex.EncodeToString(sum[:]) || string(got) != string(content) {
		t.Errorf("pinned %q (%s)", got, p.SHA256)
	}
	if p.dir != "" {
		if fi, err := os.Stat(filepath.Dir(p.Path)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("pin directory: %v %v", fi.Mode(), err)
		}
	}
	p.Cleanup()
	if _, err := os.Stat(p.Path); p.dir != "" && !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Cleanup left %s", p.Path)
	}

	json := filepath.Join(dir, "plan.json")
	os.WriteFile(json, []byte(`{"format_version":"1.2"}`), 0o600)
	if _, err := PinPlan(context.Background(), json, Limits{}); !errors.Is(err, ErrNotSavedPlan) || err.Error() != json+" is not a saved plan file" {
		t.Errorf("JSON: %v", err)
	}
	var nr *safefile.NotRegularError
	if _, err := PinPlan(context.Background(), dir, Limits{}); !errors.As(err, &nr) {
		t.Errorf("directory: %v", err)
	}
	if _, err := PinPlan(context.Background(), filepath.Join(dir, "missing"), Limits{}); err == nil || !strings.HasPrefix(err.Error(), "open plan: ") {
		t.Errorf("missing: %v", err)
	}
	if _, err := PinPlan(context.Background(), plan, Limits{MaxBytes: 5}); err == nil || !strings.Contains(err.Error(), "larger than 5 bytes") {
		t.Errorf("too large: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PinPlan(ctx, plan, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(os.TempDir(), "planguard-pin-*", "pinned.tfplan")); len(m) > 0 {
		for _, f := range m {
			if strings.Contains(f, p.dir) {
				t.Errorf("left behind: %s", f)
			}
		}
	}
}
