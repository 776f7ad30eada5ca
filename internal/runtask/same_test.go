package runtask

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSameDecisionAsCheck runs every real plan fixture through the service
// under the policy and clock of `planguard check`'s golden test
// (planguard/fixtures_test.go: protect everything, the quickstart's
// signers, 2026-11-25T12:00:00Z) and compares with that golden decision:
// exit 0 is passed, 1 (block) and 2 (error) are failed.
func TestSameDecisionAsCheck(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "allowed_signers"), readFixture(t, "../../examples/quickstart/allowed_signers"), 0o600)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, []byte(`
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "everything" {
  types      = ["*"]
  actions    = ["delete", "replace", "forget", "update"]
  attributes = ["input", "triggers_replace"]
}
`), 0o600)
	g, err := NewPolicyGate(policyPath)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.RFC3339, fixtureNow)
	g.Now = func() time.Time { return now }
	h := newHCP(t, testKey)
	url, _ := inProcess(t, h, Config{Gate: g, Queue: 256})

	fixtures, _ := filepath.Glob("../plan/testdata/*/*.json")
	if len(fixtures) < 30 {
		t.Fatalf("only %d fixtures", len(fixtures))
	}
	want := map[string]string{}
	for i, fx := range fixtures {
		tool := filepath.Base(filepath.Dir(fx))
		name := strings.TrimSuffix(filepath.Base(fx), ".json")
		golden, err := os.ReadFile(filepath.Join("../../planguard/testdata/golden", tool, name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("run-fx%d", i)
		switch first := strings.SplitN(string(golden), "\n", 2)[0]; first {
		case "exit 0":
			want[id] = "passed"
		case "exit 1", "exit 2":
			want[id] = "failed"
		default:
			t.Fatalf("%s: golden starts %q", fx, first)
		}
		h.addRun(id, "tok", readFixture(t, fx), "ok")
		h.send(url, h.request(id, "tok"), "")
		t.Logf("%s/%s: %s", tool, name, want[id])
	}
	for i, fx := range fixtures {
		id := fmt.Sprintf("run-fx%d", i)
		if cb := h.wait("taskrs-"+id, 1, 30*time.Second)[0]; cb.Status != want[id] {
			t.Errorf("%s: %s %q, check says %s", fx, cb.Status, cb.Message, want[id])
		}
	}
}
