package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// auditRecord is one line of --audit-log: the record of who authorised
// which destruction, or why a check failed.
type auditRecord struct {
	Time         time.Time     `json:"time"`
	PlanSHA256   string        `json:"plan_sha256,omitempty"`
	PolicySHA256 string        `json:"policy_sha256,omitempty"`
	Scope        string        `json:"scope,omitempty"`
	Author       string        `json:"author,omitempty"`
	Decision     string        `json:"decision"`
	Error        string        `json:"error,omitempty"`
	Changes      []auditChange `json:"changes"`
	// Provisioners are the provisioner runs the plan would make, and who
	// allowed them (omitted when there are none).
	Provisioners []auditProvision `json:"provisioners,omitempty"`
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

// audit appends one JSON line to --audit-log, when set. A failed check is
// recorded with decision "error".
func (c *checkFlags) audit(e *env, res *checked, checkErr error) error {
	if c.auditLog == "" {
		return nil
	}
	rec := auditRecord{Time: time.Now().UTC(), Author: c.author, Changes: []auditChange{}}
	if res != nil {
		r := res.report
		rec.PlanSHA256, rec.PolicySHA256, rec.Scope, rec.Decision = r.Plan.SHA256, res.policy.Hash, r.Scope, string(r.Decision)
		for _, ch := range r.Changes {
			rec.Changes = append(rec.Changes, auditChange{Address: ch.Address, Action: ch.Action, Protected: ch.Protected, Approved: ch.Approved, ApprovedBy: ch.ApprovedBy})
		}
		for _, p := range r.Provisioners {
			rec.Provisioners = append(rec.Provisioners, auditProvision{Address: p.Address, Type: p.Type, When: p.When, Command: p.Command, Options: p.Options, Status: string(p.Status), AllowedBy: p.AllowedBy, ApprovedBy: p.ApprovedBy})
		}
	} else {
		rec.Decision, rec.Error = "error", checkErr.Error()
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(c.auditLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return withHint(fmt.Errorf("audit log: %w", err), "make --audit-log a writable path")
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", c.auditLog, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("audit log %s: %w", c.auditLog, err)
	}
	e.log.Debug("audit record appended", "path", c.auditLog)
	return nil
}
