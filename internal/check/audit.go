package check

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/hint"
)

// Record is one audit line: the record of who authorised which
// destruction, or why a check failed. Its JSON is the --audit-log format.
type Record struct {
	Time         time.Time `json:"time"`
	PlanSHA256   string    `json:"plan_sha256,omitempty"`
	PolicySHA256 string    `json:"policy_sha256,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	Author       string    `json:"author,omitempty"`
	// Authors lists every author when there were several; Author is then
	// the first.
	Authors []string `json:"authors,omitempty"`
	// Decision is gate.Allow, gate.Block, or "error" (see Error).
	Decision string   `json:"decision"`
	Error    string   `json:"error,omitempty"`
	Changes  []Change `json:"changes"`
	// Provisioners are the provisioner runs the plan would make, and who
	// allowed them (omitted when there are none).
	Provisioners []Provision `json:"provisioners,omitempty"`
	// Version is the planguard build that decided (omitted when unknown).
	Version string `json:"planguard_version,omitempty"`
}

// DecisionError is a Record's decision when the check failed.
const DecisionError = "error"

// Change is one destructive change in a Record (and in an attestation).
type Change struct {
	Address    string   `json:"address"`
	Action     string   `json:"action"`
	Protected  bool     `json:"protected"`
	Approved   bool     `json:"approved"`
	ApprovedBy []string `json:"approved_by"`
}

// Provision is one provisioner run in a Record.
type Provision struct {
	Address    string   `json:"address"`
	Type       string   `json:"type"`
	When       string   `json:"when"`
	Command    string   `json:"command,omitempty"`
	Options    []string `json:"options,omitempty"`
	Status     string   `json:"status"`
	AllowedBy  []string `json:"allowed_by,omitempty"`
	ApprovedBy []string `json:"approved_by,omitempty"`
}

// Changes lists a report's destructive changes as a Record does.
func Changes(r *gate.Report) []Change {
	out := []Change{}
	for _, ch := range r.Changes {
		out = append(out, Change{Address: ch.Address, Action: ch.Action, Protected: ch.Protected, Approved: ch.Approved, ApprovedBy: ch.ApprovedBy})
	}
	return out
}

// NewRecord is the audit record of a check's result (front doors that write
// their own audit lines, such as serve, extend it).
func NewRecord(t time.Time, author string, res *Result) Record {
	return NewRecordAuthors(t, gate.AuthorList(author, nil), res)
}

// setAuthors sets Author to the first author and, when there are several,
// Authors to them all.
func (rec *Record) setAuthors(authors []string) {
	if len(authors) > 0 {
		rec.Author = authors[0]
	}
	if len(authors) > 1 {
		rec.Authors = authors
	}
}

// NewRecordAuthors is NewRecord for a check with several authors.
func NewRecordAuthors(t time.Time, authors []string, res *Result) Record {
	r := res.Report
	rec := Record{Time: t.UTC(), PlanSHA256: r.Plan.SHA256, PolicySHA256: res.PolicySHA256, Scope: r.Scope, Decision: string(r.Decision), Changes: Changes(r)}
	rec.setAuthors(authors)
	for _, p := range r.Provisioners {
		rec.Provisioners = append(rec.Provisioners, Provision{Address: p.Address, Type: p.Type, When: p.When, Command: p.Command, Options: p.Options, Status: string(p.Status), AllowedBy: p.AllowedBy, ApprovedBy: p.ApprovedBy})
	}
	return rec
}

// AuditWriter stores audit records (one per check, allowed, blocked or
// failed). WriteAudit must be safe for concurrent use when the Checker is.
type AuditWriter interface {
	WriteAudit(Record) error
}

// FileAudit appends each record as one JSON line to the file at Path
// (created 0640 when missing). Each record is one write(2) of one line to
// a file opened O_APPEND: on a local file system, concurrent writers
// (processes or goroutines) append whole lines.
type FileAudit struct {
	Path string
}

// WriteAudit appends rec to the file.
func (f FileAudit) WriteAudit(rec Record) error {
	return AppendJSONLine(f.Path, 0o640, rec)
}

// AppendJSONLine appends v as one JSON line to the file at path (created
// with perm when missing), in one write(2) to a file opened O_APPEND: on a
// local file system, concurrent writers append whole lines. Every audit
// log (check's, serve's, the runner's) is written by it.
func AppendJSONLine(path string, perm os.FileMode, v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, perm)
	if err != nil {
		return hint.With(fmt.Errorf("audit log: %w", err), "make --audit-log a writable path")
	}
	if _, err := out.Write(append(line, '\n')); err != nil {
		out.Close()
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	return nil
}
