package check

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
)

const (
	qsPolicy = "../../examples/quickstart/planguard.hcl"
	qsPlan   = "../../examples/quickstart/plan.json"
)

type memAudit struct {
	recs []Record
	err  error
}

func (m *memAudit) WriteAudit(r Record) error {
	m.recs = append(m.recs, r)
	return m.err
}

func TestCheck(t *testing.T) {
	pol, trust, err := LoadPolicy(qsPolicy, "")
	if err != nil {
		t.Fatal(err)
	}
	stamp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	audit := &memAudit{}
	c := &Checker{Audit: audit, Clock: func() time.Time { return stamp }, Version: "v1.2.3 (revision abc)"}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	res, err := c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Author: "mallory@example.com", Plan: PlanSource{Path: qsPlan}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Decision != gate.Block || res.PolicySHA256 != pol.Hash || res.Plan.SHA256 == "" || !res.Report.Now.Equal(now) {
		t.Fatalf("result: %+v", res.Report)
	}
	if len(audit.recs) != 1 {
		t.Fatalf("%d audit records", len(audit.recs))
	}
	rec := audit.recs[0]
	if rec.Decision != string(gate.Block) || !rec.Time.Equal(stamp) || rec.Author != "mallory@example.com" || rec.PlanSHA256 != res.Plan.SHA256 || rec.PolicySHA256 != pol.Hash || len(rec.Changes) != len(res.Report.Changes) || rec.Version != "v1.2.3 (revision abc)" {
		t.Errorf("record: %+v", rec)
	}

	// A plan that cannot be read: an error with its hint, audited.
	_, err = c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: "missing.json"}})
	if h, ok := hint.Of(err); err == nil || !ok || !strings.Contains(h, "terraform plan -out FILE") {
		t.Fatalf("missing plan: %v", err)
	}
	if rec := audit.recs[len(audit.recs)-1]; rec.Decision != DecisionError || !strings.Contains(rec.Error, "missing.json") || rec.Version == "" {
		t.Errorf("error record: %+v", rec)
	}

	// An audit record that cannot be written: no result.
	audit.err = errors.New("disk full")
	if res, err := c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: qsPlan}}); res != nil || err == nil {
		t.Fatalf("audit failure: %v %v", res, err)
	}

	// No policy, or no time: an error, never a decision.
	if _, err := (&Checker{}).Check(context.Background(), Request{Now: now, Plan: PlanSource{Path: qsPlan}}); err == nil {
		t.Fatal("a check without a policy decided")
	}
	if _, err := (&Checker{}).Check(context.Background(), Request{Policy: pol, Trust: trust, Plan: PlanSource{Path: qsPlan}}); err == nil {
		t.Fatal("a check without a time decided")
	}
}

func TestLoadPolicyPin(t *testing.T) {
	pol, _, err := LoadPolicy(qsPolicy, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadPolicy(qsPolicy, strings.ToUpper(pol.Hash)); err != nil {
		t.Errorf("the policy's own hash: %v", err)
	}
	for pin, want := range map[string]string{
		"abc":                   "is not a hex SHA-256",
		pol.SHA256:              "is the SHA-256 of " + qsPolicy + " alone",
		strings.Repeat("0", 64): "not the pinned " + strings.Repeat("0", 64),
	} {
		_, _, err := LoadPolicy(qsPolicy, pin)
		if _, ok := hint.Of(err); err == nil || !ok || !strings.Contains(err.Error(), want) {
			t.Errorf("pin %s: %v, want %q and a hint", pin, err, want)
		}
	}
	if _, _, err := LoadPolicy("missing.hcl", ""); err == nil {
		t.Error("a missing policy loaded")
	}
}

func TestFileAudit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := FileAudit{Path: path}
	for _, d := range []string{string(gate.Allow), DecisionError} {
		if err := a.WriteAudit(Record{Decision: d, Changes: []Change{}}); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), b)
	}
	var rec Record
	if err := json.Unmarshal([]byte(lines[1]), &rec); err != nil || rec.Decision != DecisionError {
		t.Errorf("second line %s: %v", lines[1], err)
	}
	err := FileAudit{Path: filepath.Join(path, "x")}.WriteAudit(Record{})
	if _, ok := hint.Of(err); !ok {
		t.Errorf("unwritable: %v", err)
	}
}
