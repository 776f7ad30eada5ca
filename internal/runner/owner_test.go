package runner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestApplyOnlyByPlanningUID: another allowed uid that learns a plan id
// may show the plan (a reviewer) but not apply it; the plan stays for the
// uid that made it.
func TestApplyOnlyByPlanningUID(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	agent, other := Peer{UID: 1000}, Peer{UID: 1001}
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), agent, tfConfig, &out)
	if res.Exit != ExitAllow {
		t.Fatalf("plan: %+v", res)
	}
	r := h.svc.Apply(context.Background(), other, res.PlanID, nil, &out)
	if r.Exit != ExitError || !strings.Contains(r.Error, "made by uid 1000; only that uid may apply it") || len(h.tf.applied) != 0 {
		t.Fatalf("apply by another uid: %+v applied %v", r, h.tf.applied)
	}
	out.Reset()
	if r := h.svc.Show(context.Background(), other, res.PlanID, false, &out); r.Exit != ExitAllow || !strings.Contains(out.String(), "plan id: "+res.PlanID) {
		t.Fatalf("show by another uid: %+v\n%s", r, out.String())
	}
	if r := h.svc.Apply(context.Background(), agent, res.PlanID, nil, &out); r.Exit != ExitAllow || len(h.tf.applied) != 1 {
		t.Fatalf("apply by the planning uid: %+v", r)
	}
	if got := h.audit.decisions(); got != "plan allow, apply refused, show shown, apply applying, apply applied" {
		t.Errorf("audit: %s", got)
	}
}

// TestPlanLimits: a uid has at most MaxPlansPerUID plans at once (others
// are not held up by it); expired plans are swept first; and no plan is
// made while the plans' directories take MaxStateBytes.
func TestPlanLimits(t *testing.T) {
	h := newHarness(t, "")
	h.svc.cfg.MaxPlansPerUID = 2
	var out bytes.Buffer
	for i := 0; i < 2; i++ {
		if r := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, &out); r.Exit != ExitAllow {
			t.Fatalf("plan %d: %+v", i, r)
		}
	}
	r := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, &out)
	if r.Exit != ExitError || !strings.Contains(r.Error, "uid 1000 has 2 plans in the runner, its limit") || !strings.Contains(r.Error, "the oldest expires at 2026-12-04T13:00:00Z") {
		t.Fatalf("third plan: %+v", r)
	}
	if r := h.svc.Plan(context.Background(), Peer{UID: 1001}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("another uid: %+v", r)
	}
	h.now = h.now.Add(DefaultPlanTTL)
	if r := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("after the plans expired: %+v", r)
	}

	// The disk bound counts the plan directories, and a directory a local
	// state kept, not other files of the state directory.
	h = newHarness(t, "")
	if r := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatal(r)
	}
	write(t, filepath.Join(h.svc.cfg.StateDir, "audit.jsonl"), strings.Repeat("x", 1<<20))
	h.svc.cfg.MaxStateBytes = 1 << 20
	if r := h.svc.Plan(context.Background(), Peer{UID: 1001}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("the audit log counted: %+v", r)
	}
	kept := filepath.Join(h.svc.cfg.StateDir, strings.Repeat("ab", 16), "config", "terraform.tfstate")
	write(t, kept, strings.Repeat("x", 1<<20))
	r = h.svc.Plan(context.Background(), Peer{UID: 1001}, tfConfig, &out)
	if r.Exit != ExitError || !strings.Contains(r.Error, "its limit (serve --max-state-mib 1)") {
		t.Fatalf("over the disk bound: %+v", r)
	}
	if err := os.RemoveAll(filepath.Dir(filepath.Dir(kept))); err != nil {
		t.Fatal(err)
	}
	if r := h.svc.Plan(context.Background(), Peer{UID: 1001}, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("under the bound again: %+v", r)
	}
}

// TestPlanIDs: plan ids are 128 random bits (crypto/rand), never repeated.
func TestPlanIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id, err := newPlanID()
		if err != nil || !planIDPattern.MatchString(id) || seen[id] {
			t.Fatalf("id %q (%v), seen %v", id, err, seen[id])
		}
		seen[id] = true
	}
}
