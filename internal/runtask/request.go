package runtask

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	tfe "github.com/hashicorp/go-tfe"
)

// Run task stages, as the request's stage names them.
const (
	StagePrePlan   = "pre_plan"
	StagePostPlan  = "post_plan"
	StagePreApply  = "pre_apply"
	StagePostApply = "post_apply"
)

// VerificationToken is the access_token of the request HCP Terraform sends
// when a run task is created or edited, to check that the URL answers.
const VerificationToken = "test-token"

// MaxRequestBytes bounds a run task request body: the payload is a few
// kilobytes of fields and URLs.
const MaxRequestBytes = 256 << 10

// Request is a decoded run task request.
type Request struct {
	tfe.RunTaskRequest
}

// Verification reports whether this is the request sent when a run task is
// created or edited: answer 200, call nothing back.
func (r *Request) Verification() bool { return r.AccessToken == VerificationToken }

// Checks reports whether the stage is one whose plan the gate judges.
func (r *Request) Checks() bool { return r.Stage == StagePostPlan || r.Stage == StagePreApply }

// DecodeRequest parses a run task request body strictly enough that nothing
// malformed reaches the gate: one JSON object, payload_version 1, the
// identifiers and the callback URL present and well formed, and a plan URL
// for the stages that have one. It does not check the signature: verify it
// over the same bytes first (VerifySignature).
func DecodeRequest(body []byte) (*Request, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var r Request
	if err := dec.Decode(&r.RunTaskRequest); err != nil {
		return nil, fmt.Errorf("decode run task request: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode run task request: data after the JSON object")
	}
	if r.PayloadVersion != 1 {
		return nil, fmt.Errorf("run task request: payload_version %d, want 1", r.PayloadVersion)
	}
	if r.AccessToken == "" {
		return nil, errors.New("run task request: no access_token")
	}
	if r.Verification() {
		return &r, nil // placeholder values: nothing else is used
	}
	for _, f := range []struct{ name, v string }{
		{"task_result_id", r.TaskResultID}, {"run_id", r.RunID}, {"organization_name", r.OrganizationName},
		{"workspace_name", r.WorkspaceName},
	} {
		if err := checkID(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if r.WorkspaceID != "" {
		if err := checkID("workspace_id", r.WorkspaceID); err != nil {
			return nil, err
		}
	}
	if strings.ContainsAny(r.AccessToken, "\r\n\x00") || len(r.AccessToken) > 4096 {
		return nil, errors.New("run task request: malformed access_token")
	}
	switch r.Stage {
	case StagePrePlan, StagePostPlan, StagePreApply, StagePostApply:
	default:
		return nil, fmt.Errorf("run task request: unknown stage %q", clip(r.Stage))
	}
	if _, err := absoluteURL("task_result_callback_url", r.TaskResultCallbackURL); err != nil {
		return nil, err
	}
	if r.Checks() {
		if _, err := absoluteURL("plan_json_api_url", r.PlanJSONAPIURL); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// checkID accepts the identifiers HCP Terraform uses (run-…, taskrs-…,
// ws-…, organization and workspace names): letters, digits, '-', '_' and
// '.', at most 128 bytes.
func checkID(name, v string) error {
	if v == "" {
		return fmt.Errorf("run task request: no %s", name)
	}
	if len(v) > 128 {
		return fmt.Errorf("run task request: %s is longer than 128 bytes", name)
	}
	for _, c := range []byte(v) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("run task request: %s %q has a character other than letters, digits, '-', '_' and '.'", name, clip(v))
		}
	}
	return nil
}

func absoluteURL(name, s string) (*url.URL, error) {
	if s == "" {
		return nil, fmt.Errorf("run task request: no %s", name)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("run task request: %s is not an http(s) URL", name)
	}
	return u, nil
}

// clip shortens untrusted text for a message (which quotes it with %q).
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// Origin is an API's scheme and host (with port): the only place the
// access token is sent.
type Origin struct{ Scheme, Host string }

// ParseOrigin reads an address such as https://app.terraform.io.
func ParseOrigin(s string) (Origin, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Origin{}, fmt.Errorf("%q is not an address like https://app.terraform.io", s)
	}
	return Origin{u.Scheme, strings.ToLower(u.Host)}, nil
}

func (o Origin) String() string { return o.Scheme + "://" + o.Host }

// Owns reports whether u is on this origin.
func (o Origin) Owns(u *url.URL) bool {
	return u.Scheme == o.Scheme && strings.EqualFold(u.Host, o.Host)
}
