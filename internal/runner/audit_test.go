package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFileAuditor: one JSON line per record, appended to a file only the
// runner reads, in the runner's format (an empty approved_by and an empty
// changes list are omitted).
func TestFileAuditor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := &FileAuditor{Path: path}
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	if err := a.Record(Record{Time: at, Op: OpPlan, PeerUID: 1000, Decision: DecisionAllow, Changes: []AuditChange{{Address: "terraform_data.app", Action: "delete"}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(Record{Time: at, Op: OpApply, PeerUID: 1000, Decision: DecisionRefused, Error: "no plan"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"time":"2026-12-04T12:00:00Z","op":"plan","peer_uid":1000,"decision":"allow","changes":[{"address":"terraform_data.app","action":"delete","protected":false,"approved":false}]}
{"time":"2026-12-04T12:00:00Z","op":"apply","peer_uid":1000,"decision":"refused","error":"no plan"}
`
	if string(b) != want {
		t.Errorf("audit log:\n%s\nwant:\n%s", b, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %s, want 0600", fi.Mode().Perm())
	}
	if err := (&FileAuditor{Path: filepath.Join(path, "x")}).Record(Record{}); err == nil || !strings.Contains(err.Error(), "audit log") {
		t.Errorf("unwritable path: %v", err)
	}
}
