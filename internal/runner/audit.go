package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// Decisions an audit record carries.
const (
	DecisionAllow    = "allow"    // plan: the gate would allow
	DecisionBlock    = "block"    // plan or apply: the gate or plan approvals block
	DecisionApplying = "applying" // apply: allowed; terraform apply starts
	DecisionApplied  = "applied"  // apply: terraform apply succeeded
	DecisionFailed   = "failed"   // apply: terraform apply failed
	DecisionShown    = "shown"    // show
	DecisionRefused  = "refused"  // a peer, a request or a configuration refused
	DecisionError    = "error"    // anything else that stopped the request
)

// Record is one line of the runner's audit log.
type Record struct {
	Time         time.Time     `json:"time"`
	Op           string        `json:"op"`
	PeerUID      int           `json:"peer_uid"`
	PeerPID      int           `json:"peer_pid,omitempty"`
	PlanID       string        `json:"plan_id,omitempty"`
	PlanSHA256   string        `json:"plan_sha256,omitempty"`
	PolicySHA256 string        `json:"policy_sha256,omitempty"`
	Scope        string        `json:"scope,omitempty"`
	Decision     string        `json:"decision"`
	Error        string        `json:"error,omitempty"`
	Changes      []AuditChange `json:"changes,omitempty"`
	// PlanApprovers are the principals whose plan approvals counted.
	PlanApprovers []string `json:"plan_approvers,omitempty"`
	// PlanApprovalsNeeded is the policy's runner.plan_approvals.
	PlanApprovalsNeeded int `json:"plan_approvals_needed,omitempty"`
}

// AuditChange is one destructive change the gate judged.
type AuditChange struct {
	Address    string   `json:"address"`
	Action     string   `json:"action"`
	Protected  bool     `json:"protected"`
	Approved   bool     `json:"approved"`
	ApprovedBy []string `json:"approved_by,omitempty"`
}

func auditChanges(r *gate.Report) []AuditChange {
	var out []AuditChange
	for _, c := range r.Changes {
		out = append(out, AuditChange{Address: c.Address, Action: c.Action, Protected: c.Protected, Approved: c.Approved, ApprovedBy: c.ApprovedBy})
	}
	return out
}

// Auditor records the runner's decisions. A request whose record cannot be
// written fails; an apply does not start.
type Auditor interface {
	Record(Record) error
}

// FileAuditor appends JSON lines to a file.
type FileAuditor struct {
	Path string
	mu   sync.Mutex
}

// Record implements Auditor.
func (a *FileAuditor) Record(r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.OpenFile(a.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", a.Path, err)
	}
	return f.Close()
}
