package runtask

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// auditRecord is one line of the audit log: the check service's record
// (the format of `planguard check --audit-log`), plus the run it was for.
type auditRecord struct {
	check.Record
	RunID        string `json:"run_id,omitempty"`
	Organization string `json:"organization,omitempty"`
	Workspace    string `json:"workspace,omitempty"`
	Stage        string `json:"stage,omitempty"`
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
	now := time.Now().UTC()
	rec := auditRecord{RunID: req.RunID, Organization: req.OrganizationName, Workspace: req.WorkspaceName, Stage: req.Stage}
	if rep != nil {
		rec.Record = check.NewRecord(now, author, &check.Result{Report: rep, PolicySHA256: policyHash})
	} else {
		rec.Record = check.Record{Time: now, Author: author, Decision: check.DecisionError, Error: checkErr.Error(), PolicySHA256: policyHash, Changes: []check.Change{}}
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
