package runtask

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// auditRecord is one line of the audit log, in the format of `planguard
// check --audit-log` (planguard/audit.go; duplicated here until the check
// service owns it), plus the run it was for.
type auditRecord struct {
	Time         time.Time        `json:"time"`
	PlanSHA256   string           `json:"plan_sha256,omitempty"`
	PolicySHA256 string           `json:"policy_sha256,omitempty"`
	Scope        string           `json:"scope,omitempty"`
	Author       string           `json:"author,omitempty"`
	Decision     string           `json:"decision"`
	Error        string           `json:"error,omitempty"`
	Changes      []auditChange    `json:"changes"`
	Provisioners []auditProvision `json:"provisioners,omitempty"`
	// The run task's run, added to check's fields.
	RunID        string `json:"run_id,omitempty"`
	Organization string `json:"organization,omitempty"`
	Workspace    string `json:"workspace,omitempty"`
	Stage        string `json:"stage,omitempty"`
}

type auditProvision struct {
	Address    string   `json:"address"`
	Type       string   `json:"type"`
	When       string   `json:"when"`
	Command    string   `json:"command,omitempty"`
	Options    []string `json:"options,omitempty"`
	Status     string   `json:"status"`
	AllowedBy  []string `json:"allowed_by,omitempty"`
	ApprovedBy []string `json:"approved_by,omitempty"`
}

type auditChange struct {
	Address    string   `json:"address"`
	Action     string   `json:"action"`
	Protected  bool     `json:"protected"`
	Approved   bool     `json:"approved"`
	ApprovedBy []string `json:"approved_by"`
}

// auditLog writes one JSON line per decision; nil writes nothing.
type auditLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (a *auditLog) write(req *Request, author string, rep *gate.Report, policyHash string, checkErr error) error {
	if a == nil || a.w == nil {
		return nil
	}
	rec := auditRecord{Time: time.Now().UTC(), Author: author, Changes: []auditChange{},
		RunID: req.RunID, Organization: req.OrganizationName, Workspace: req.WorkspaceName, Stage: req.Stage}
	if rep != nil {
		rec.PlanSHA256, rec.PolicySHA256, rec.Scope, rec.Decision = rep.Plan.SHA256, policyHash, rep.Scope, rep.Decision
		for _, ch := range rep.Changes {
			rec.Changes = append(rec.Changes, auditChange{Address: ch.Address, Action: ch.Action, Protected: ch.Protected, Approved: ch.Approved, ApprovedBy: ch.ApprovedBy})
		}
		for _, p := range rep.Provisioners {
			rec.Provisioners = append(rec.Provisioners, auditProvision{Address: p.Address, Type: p.Type, When: p.When, Command: p.Command, Options: p.Options, Status: p.Status, AllowedBy: p.AllowedBy, ApprovedBy: p.ApprovedBy})
		}
	} else {
		rec.Decision, rec.Error, rec.PolicySHA256 = "error", checkErr.Error(), policyHash
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err = a.w.Write(append(line, '\n'))
	return err
}
