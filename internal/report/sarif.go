package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
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
	// PartialFingerprints identify the finding across runs: its rule and
	// what it is about (address and action), not where the file has it.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
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
	for _, section := range []func(*gate.Report) []sarifResult{s.changes, s.warnings, s.provisioners, s.providers, s.endpoints, s.providerCode, s.actions} {
		run.Results = append(run.Results, section(r)...)
	}
	if len(r.ProviderEndpoints) > 0 {
		// Only then: the rules of other reports stay as they were.
		run.Tool.Driver.Rules = append(slices.Clip(sarifRules), sarifEndpointRule)
	}
	if hasProviderCode(r) {
		run.Tool.Driver.Rules = append(slices.Clip(run.Tool.Driver.Rules), sarifProviderCodeRules...)
	}
	if hasHostWrites(r) {
		run.Tool.Driver.Rules = append(slices.Clip(run.Tool.Driver.Rules), sarifHostWriteRules...)
	}
	if len(r.ConfigCode) > 0 {
		run.Tool.Driver.Rules = append(slices.Clip(run.Tool.Driver.Rules), sarifConfigCodeRules...)
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

// at is the location of a result about name (an address, a provider):
// the logical one, and for a resource or an action, where the
// configuration declares it, as Options.Locate says.
func (s sarifRenderer) at(name, kind string) []sarifLocation {
	loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: name, Kind: kind}}}
	if s.opts.Locate != nil && (kind == "resource" || kind == "function") {
		if file, line := s.opts.Locate(name); file != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(file)}}
			if line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
			}
		}
	}
	return []sarifLocation{loc}
}

// fileURI is a slash-separated path as a URI reference: relative (to
// where the check ran), or file:// when absolute.
func fileURI(p string) string {
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	}
	return u.String()
}

// fingerprint is the partialFingerprints of a result of rule about what.
func fingerprint(rule string, what ...string) map[string]string {
	h := sha256.Sum256([]byte(strings.Join(append([]string{rule}, what...), "\x00")))
	return map[string]string{"planguard/v1": hex.EncodeToString(h[:])}
}

func (s sarifRenderer) changes(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, c := range r.Changes {
		if !c.Protected {
			continue
		}
		res := sarifResult{
			RuleID:    "planguard/approved-destruction",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s %s approved by %s", c.Action, Where(c), strings.Join(c.ApprovedBy, ", "))},
			Locations: s.at(c.Address, "resource"),
		}
		if c.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-destruction", "error"
			res.Message.Text = fmt.Sprintf("%s %s is blocked (rules %s, %s approvals): %s", c.Action, Where(c), ruleList(c), count(c), strings.Join(c.Problems, "; "))
		}
		res.PartialFingerprints = fingerprint(res.RuleID, c.Address, c.Action, c.Deposed)
		out = append(out, res)
	}
	return out
}

func (s sarifRenderer) warnings(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, w := range r.Warnings {
		out = append(out, sarifResult{RuleID: "planguard/warning", Level: "warning", Message: sarifMessage{w}, Locations: s.at("planguard", "module"),
			PartialFingerprints: fingerprint("planguard/warning", w)})
	}
	return out
}

func (s sarifRenderer) provisioners(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, p := range r.Provisioners {
		res := sarifResult{
			RuleID:    "planguard/judged-provisioner",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("%s provisioner (%s) of %s runs %s: %s", p.Type, p.When, p.Address, provisionCommand(p), judged(p.Verdict))},
			Locations: s.at(p.Address, "resource"),
		}
		if p.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-provisioner", "error"
			res.Message.Text += ": " + strings.Join(p.Problems, "; ")
		}
		res.PartialFingerprints = fingerprint(res.RuleID, p.Address, p.Deposed, p.Type, p.When, p.Command)
		out = append(out, res)
	}
	return out
}

func (s sarifRenderer) providers(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, p := range r.Providers {
		if !p.Allowed {
			out = append(out, sarifResult{
				RuleID:              "planguard/disallowed-provider",
				Level:               "error",
				Message:             sarifMessage{fmt.Sprintf("the plan uses provider %s, which the policy's providers list does not allow", provider(p.Source))},
				Locations:           s.at(provider(p.Source), "module"),
				PartialFingerprints: fingerprint("planguard/disallowed-provider", p.Source),
			})
		}
	}
	return out
}

// sarifEndpointRule is the rule of a provider configuration that names
// its endpoint, listed only in reports that have one.
var sarifEndpointRule = sarifRule{ID: "planguard/provider-endpoint", Name: "ProviderEndpoint",
	ShortDescription: sarifMessage{"A provider configuration names the endpoint it connects to: the apply's credentials reach whatever it names"}}

func (s sarifRenderer) endpoints(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, e := range r.ProviderEndpoints {
		out = append(out, sarifResult{
			RuleID:              sarifEndpointRule.ID,
			Level:               "note",
			Message:             sarifMessage{"provider configuration " + endpointText(e) + ": the apply's credentials reach whatever it names"},
			Locations:           s.at(e.Name, "module"),
			PartialFingerprints: fingerprint(sarifEndpointRule.ID, e.Name, strings.Join(e.Arguments, ",")),
		})
	}
	return out
}

func (s sarifRenderer) actions(r *gate.Report) []sarifResult {
	var out []sarifResult
	for _, iv := range r.Invocations {
		res := sarifResult{
			RuleID:    "planguard/judged-action",
			Level:     "note",
			Message:   sarifMessage{fmt.Sprintf("action %s (%s) invoked by %s: %s", iv.Address, iv.Type, invocationTrigger(iv), judged(iv.Verdict))},
			Locations: s.at(iv.Address, "function"),
		}
		if iv.Blocked() {
			res.RuleID, res.Level = "planguard/unapproved-action", "error"
			res.Message.Text += ": " + strings.Join(iv.Problems, "; ")
		}
		res.PartialFingerprints = fingerprint(res.RuleID, iv.Address, iv.TriggeringResource, iv.Event)
		out = append(out, res)
	}
	return out
}
