package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type sarifRenderer struct{}

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
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

func (sarifRenderer) Render(w io.Writer, r *gate.Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "planguard",
			InformationURI: "https://registry.terraform.io/providers/planguard/planguard/latest/docs",
			Rules: []sarifRule{
				{ID: "planguard/unapproved-destruction", Name: "UnapprovedDestruction", ShortDescription: sarifMessage{"A protected resource is deleted, replaced, forgotten or updated without valid signed approval"}},
				{ID: "planguard/approved-destruction", Name: "ApprovedDestruction", ShortDescription: sarifMessage{"A protected destructive change is covered by signed approvals"}},
				{ID: "planguard/warning", Name: "Warning", ShortDescription: sarifMessage{"A finding about the check's input that does not block, such as an author whom allowed_signers does not name"}},
			},
		}},
		Results: []sarifResult{},
	}
	for _, c := range r.Changes {
		if !c.Protected {
			continue
		}
		res := sarifResult{
			RuleID:    "planguard/approved-destruction",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s %s approved by %s", c.Action, Where(c), strings.Join(c.ApprovedBy, ", "))},
			Locations: []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: c.Address, Kind: "resource"}}}},
		}
		if c.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-destruction", "error"
			res.Message.Text = fmt.Sprintf("%s %s is blocked (rules %s, %s approvals): %s", c.Action, Where(c), ruleList(c), count(c), strings.Join(c.Problems, "; "))
		}
		run.Results = append(run.Results, res)
	}
	for _, w := range r.Warnings {
		run.Results = append(run.Results, sarifResult{RuleID: "planguard/warning", Level: "warning", Message: sarifMessage{w},
			Locations: []sarifLocation{{LogicalLocations: []sarifLogical{{FullyQualifiedName: "planguard", Kind: "module"}}}}})
	}
	run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, provisionSarifRules...)
	run.Results = append(run.Results, provisionSarif(r)...)
	run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, actionSarifRules...)
	run.Results = append(run.Results, actionSarif(r)...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}
