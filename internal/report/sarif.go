package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type sarifRenderer struct{ opts Options }

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

// sarifInvocation says whether the check ran to a decision, and why not.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifRules are the rules of every result the renderer writes.
var sarifRules = []sarifRule{
	{ID: "planguard/unapproved-destruction", Name: "UnapprovedDestruction", ShortDescription: sarifMessage{"A protected resource is deleted, replaced, forgotten or updated without valid signed approval"}},
	{ID: "planguard/approved-destruction", Name: "ApprovedDestruction", ShortDescription: sarifMessage{"A protected destructive change is covered by signed approvals"}},
	{ID: "planguard/warning", Name: "Warning", ShortDescription: sarifMessage{"A finding about the check's input that does not block, such as an author whom allowed_signers does not name"}},
	{ID: "planguard/unapproved-provisioner", Name: "UnapprovedProvisioner", ShortDescription: sarifMessage{"A provisioner the apply would run is neither allowed by the policy nor approved"}},
	{ID: "planguard/judged-provisioner", Name: "JudgedProvisioner", ShortDescription: sarifMessage{"A provisioner the apply would run is allowed by the policy or approved"}},
	{ID: "planguard/disallowed-provider", Name: "DisallowedProvider", ShortDescription: sarifMessage{"The plan uses a provider the policy's providers list does not allow"}},
	{ID: "planguard/unapproved-action", Name: "UnapprovedAction", ShortDescription: sarifMessage{"An action the apply would invoke is neither allowed by the policy nor approved"}},
	{ID: "planguard/judged-action", Name: "JudgedAction", ShortDescription: sarifMessage{"An action the apply would invoke is allowed by the policy or approved"}},
}

// Render writes one run whose results are the sections in order; a new
// section is one method here (and its rules in sarifRules).
func (s sarifRenderer) Render(w io.Writer, r *gate.Report) error {
	run := s.run(sarifInvocation{ExecutionSuccessful: true})
	for _, section := range []func(*gate.Report) []sarifResult{sarifChanges, sarifWarnings, sarifProvisioners, sarifProviders, sarifActions} {
		run.Results = append(run.Results, section(r)...)
	}
	return writeSARIF(w, run)
}

// Failed writes a run with no results whose invocation did not succeed,
// with the error as its notification.
func (s sarifRenderer) Failed(w io.Writer, err error) error {
	return writeSARIF(w, s.run(sarifInvocation{ExecutionSuccessful: false, ToolExecutionNotifications: []sarifNotification{
		{Level: "error", Message: sarifMessage{"the check failed, so the plan is blocked: " + err.Error()}},
	}}))
}

// run is a run of planguard with no results yet.
func (s sarifRenderer) run(inv sarifInvocation) sarifRun {
	return sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "planguard",
			Version:        s.opts.Version,
			InformationURI: "https://registry.terraform.io/providers/planguard/planguard/latest/docs",
			Rules:          sarifRules,
		}},
		Invocations: []sarifInvocation{inv},
		Results:     []sarifResult{},
	}
}

// writeSARIF writes the log of one run.
func writeSARIF(w io.Writer, run sarifRun) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// sarifAt is the location of a result: a logical one, by name and kind.
func sarifAt(name, kind string) []sarifLocation {
	return []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: name, Kind: kind}}}}
}

func sarifChanges(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, c := range r.Changes {
		if !c.Protected {
			continue
		}
		res := sarifResult{
			RuleID:    "planguard/approved-destruction",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s %s approved by %s", c.Action, Where(c), strings.Join(c.ApprovedBy, ", "))},
			Locations: sarifAt(c.Address, "resource"),
		}
		if c.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-destruction", "error"
			res.Message.Text = fmt.Sprintf("%s %s is blocked (rules %s, %s approvals): %s", c.Action, Where(c), ruleList(c), count(c), strings.Join(c.Problems, "; "))
		}
		out = append(out, res)
	}
	return out
}

func sarifWarnings(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, w := range r.Warnings {
		out = append(out, sarifResult{RuleID: "planguard/warning", Level: "warning", Message: sarifMessage{w}, Locations: sarifAt("planguard", "module")})
	}
	return out
}

func sarifProvisioners(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, p := range r.Provisioners {
		res := sarifResult{
			RuleID:    "planguard/judged-provisioner",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s provisioner (%s) of %s runs %s: %s", p.Type, p.When, p.Address, provisionCommand(p), judged(p.Verdict))},
			Locations: sarifAt(p.Address, "resource"),
		}
		if p.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-provisioner", "error"
			res.Message.Text += ": " + strings.Join(p.Problems, "; ")
		}
		out = append(out, res)
	}
	return out
}

func sarifProviders(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, p := range r.Providers {
		if !p.Allowed {
			out = append(out, sarifResult{
				RuleID:    "planguard/disallowed-provider",
				Level:     "error",
				Message:   sarifMessage{fmt.Sprintf("the plan uses provider %s, which the policy's providers list does not allow", provider(p.Source))},
				Locations: sarifAt(provider(p.Source), "module"),
			})
		}
	}
	return out
}

func sarifActions(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, iv := range r.Invocations {
		res := sarifResult{
			RuleID:    "planguard/judged-action",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("action %s (%s) invoked by %s: %s", iv.Address, iv.Type, invocationTrigger(iv), judged(iv.Verdict))},
			Locations: sarifAt(iv.Address, "function"),
		}
		if iv.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-action", "error"
			res.Message.Text += ": " + strings.Join(iv.Problems, "; ")
		}
		out = append(out, res)
	}
	return out
}
