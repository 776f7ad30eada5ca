package runner

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/check"
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
	// Revealed says a show printed the plan's masked values (show
	// --reveal, by a reviewer uid).
	Revealed bool `json:"revealed,omitempty"`
	// ConfigShown says a show printed the plan's configuration files
	// (show --config).
	ConfigShown bool `json:"config_shown,omitempty"`
	// Code lists the code the plan's apply runs with the runner's
	// credentials: provisioners and provider commands, with the gate's
	// verdict (review runner35 M1).
	Code []string `json:"code,omitempty"`
}

// AuditChange is one destructive change the gate judged. It is not
// check.Change: the runner's audit format omits an empty approved_by (and
// an empty changes list), where check's writes null (and []); sharing the
// type would change one of the two documented formats.
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

// auditCode lists the provisioners and provider commands a report names,
// each as one line: what runs, where, and the gate's verdict.
func auditCode(r *gate.Report) []string {
	var out []string
	for _, p := range r.Provisioners {
		what := p.Command
		if what == "" && len(p.CommandReferences) > 0 {
			what = "computed from " + strings.Join(p.CommandReferences, ", ")
		}
		out = append(out, fmt.Sprintf("%s %s on %s: %s (%s)", p.Type, p.When, p.Address, what, verdictWord(p.Status)))
	}
	for _, c := range r.ProviderCommands {
		v := "blocked"
		if c.Allowed {
			v = "allowed"
		}
		out = append(out, fmt.Sprintf("provider %s %s: %s %s (%s)", c.Name, c.Setting, c.Command, strings.Join(c.Args, " "), v))
	}
	return out
}

// verdictWord is a provisioner's verdict: allowed, approved or blocked.
func verdictWord(s gate.Outcome) string {
	if s == "" {
		return string(gate.OutcomeBlocked)
	}
	return string(s)
}

// Auditor records the runner's decisions. A request whose record cannot be
// written fails; an apply does not start.
type Auditor interface {
	Record(Record) error
}

// FileAuditor appends JSON lines to a file (0600: the runner's alone),
// with check.AppendJSONLine, as check's audit log is written.
type FileAuditor struct {
	Path string
	mu   sync.Mutex
}

// Record implements Auditor. The strings a client's configuration can
// put in a record (an error message, an address, a principal) are written
// TerminalSafe: JSON escapes C0 controls, not DEL, C1 or bidi controls,
// and the log is read in terminals.
func (a *FileAuditor) Record(r Record) error {
	r = safeRecord(r)
	a.mu.Lock()
	defer a.mu.Unlock()
	return check.AppendJSONLine(a.Path, 0o600, r)
}

func safeRecord(r Record) Record {
	r.Error = TerminalSafe(r.Error)
	r.PlanID = TerminalSafe(r.PlanID)
	r.Scope = TerminalSafe(r.Scope)
	if r.Changes != nil {
		changes := make([]AuditChange, len(r.Changes))
		for i, c := range r.Changes {
			c.Address, c.Action = TerminalSafe(c.Address), TerminalSafe(c.Action)
			c.ApprovedBy = safeStrings(c.ApprovedBy)
			changes[i] = c
		}
		r.Changes = changes
	}
	r.PlanApprovers = safeStrings(r.PlanApprovers)
	return r
}

func safeStrings(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = TerminalSafe(s)
	}
	return out
}
