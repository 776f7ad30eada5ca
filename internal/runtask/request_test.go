package runtask

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tfe "github.com/hashicorp/go-tfe"
)

func TestVerifySignature(t *testing.T) {
	key, body := []byte("secret"), []byte(`{"payload_version":1}`)
	good := Sign(key, body)
	if len(good) != 128 {
		t.Fatalf("signature %q is not 128 hex digits", good)
	}
	cases := map[string]struct {
		key    []byte
		body   []byte
		header string
		want   error
	}{
		"good":           {key, body, good, nil},
		"upper case hex": {key, body, strings.ToUpper(good), nil},
		"missing":        {key, body, "", ErrNoSignature},
		"other body":     {key, append(body, ' '), good, ErrBadSignature},
		"other key":      {[]byte("secreT"), body, good, ErrBadSignature},
		"truncated":      {key, body, good[:126], ErrBadSignature},
		"not hex":        {key, body, "zz" + good[2:], ErrBadSignature},
		"sha256 length":  {key, body, good[:64], ErrBadSignature},
		"prefixed":       {key, body, "sha512=" + good, ErrBadSignature},
	}
	for name, c := range cases {
		if err := VerifySignature(c.key, c.body, c.header); err != c.want {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

func validRequest() tfe.RunTaskRequest {
	return tfe.RunTaskRequest{
		AccessToken: "tok", OrganizationName: "acme", PayloadVersion: 1, Stage: StagePostPlan,
		PlanJSONAPIURL: "https://app.terraform.io/api/v2/plans/plan-1/json-output", RunAppURL: "https://app.terraform.io/app/acme/prod/runs/run-1",
		RunID: "run-1", TaskResultCallbackURL: "https://app.terraform.io/api/v2/task-results/taskrs-1/callback", TaskResultID: "taskrs-1",
		WorkspaceID: "ws-1", WorkspaceName: "prod",
	}
}

func TestDecodeRequest(t *testing.T) {
	enc := func(mut func(*tfe.RunTaskRequest)) []byte {
		r := validRequest()
		if mut != nil {
			mut(&r)
		}
		b, _ := json.Marshal(r)
		return b
	}
	if r, err := DecodeRequest(enc(nil)); err != nil || !r.Checks() || r.Verification() {
		t.Fatalf("valid request: %v %+v", err, r)
	}
	// The verification request: placeholder values, no plan URL.
	ver := []byte(`{"payload_version":1,"access_token":"test-token","stage":"test","is_speculative":false,"task_result_id":"taskrs-xxxxxxxxxxxxxxxx","task_result_enforcement_level":"test","task_result_callback_url":"https://app.terraform.io/api/v2/task-results/taskrs-xxxxxxxxxxxxxxxx/callback","run_app_url":"https://app.terraform.io/app/test-org/test-workspace/runs/run-xxxxxxxxxxxxxxxx","run_id":"run-xxxxxxxxxxxxxxxx","run_message":"Test run message","run_created_at":"2021-01-01T00:00:00.000Z","run_created_by":"test-user","workspace_id":"ws-xxxxxxxxxxxxxxxx","workspace_name":"test-workspace","workspace_app_url":"https://app.terraform.io/app/test-org/test-workspace","organization_name":"test-org","vcs_repo_url":"https://github.com/test-org/test-repo"}`)
	if r, err := DecodeRequest(ver); err != nil || !r.Verification() {
		t.Fatalf("verification request: %v", err)
	}
	bad := map[string][]byte{
		"not JSON":          []byte("nope"),
		"array":             []byte("[]"),
		"trailing":          append(enc(nil), []byte(" {}")...),
		"payload_version 2": enc(func(r *tfe.RunTaskRequest) { r.PayloadVersion = 2 }),
		"no token":          enc(func(r *tfe.RunTaskRequest) { r.AccessToken = "" }),
		"token newline":     enc(func(r *tfe.RunTaskRequest) { r.AccessToken = "a\nb" }),
		"no result id":      enc(func(r *tfe.RunTaskRequest) { r.TaskResultID = "" }),
		"run id slash":      enc(func(r *tfe.RunTaskRequest) { r.RunID = "run-1/../x" }),
		"unknown stage":     enc(func(r *tfe.RunTaskRequest) { r.Stage = "post_destroy" }),
		"no plan URL":       enc(func(r *tfe.RunTaskRequest) { r.PlanJSONAPIURL = "" }),
		"file plan URL":     enc(func(r *tfe.RunTaskRequest) { r.PlanJSONAPIURL = "file:///etc/passwd" }),
		"callback userinfo": enc(func(r *tfe.RunTaskRequest) { r.TaskResultCallbackURL = "https://u:p@app.terraform.io/x" }),
		"no workspace":      enc(func(r *tfe.RunTaskRequest) { r.WorkspaceName = "" }),
	}
	for name, b := range bad {
		if r, err := DecodeRequest(b); err == nil {
			t.Errorf("%s: accepted %+v", name, r)
		}
	}
	// A stage without a plan needs no plan URL.
	if _, err := DecodeRequest(enc(func(r *tfe.RunTaskRequest) { r.Stage, r.PlanJSONAPIURL = StagePrePlan, "" })); err != nil {
		t.Errorf("pre_plan without a plan URL: %v", err)
	}
}

// TestCallbackBodyIsGoTFEs: the callback body is byte for byte what go-tfe's
// own RunTasksIntegration client sends for the same options.
func TestCallbackBodyIsGoTFEs(t *testing.T) {
	var got []byte
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			got, _ = io.ReadAll(r.Body)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer ts.Close()
	opts := tfe.TaskResultCallbackRequestOptions{Status: tfe.TaskFailed, Message: "planguard: BLOCKED", URL: "https://x/runs/run-1",
		Outcomes: []*tfe.TaskResultOutcome{{OutcomeID: "PG-1", Description: "delete a", Body: "# md\n`x`",
			Tags: map[string][]*tfe.TaskResultTag{"Status": {{Label: "Blocked", Level: "error"}}}}}}
	client, err := tfe.NewClient(&tfe.Config{Address: ts.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.RunTasksIntegration.Callback(context.Background(), ts.URL+"/cb", "tok", opts); err != nil {
		t.Fatal(err)
	}
	mine, err := EncodeCallback(&opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(mine)) {
		t.Fatalf("go-tfe sent\n%s\nwe send\n%s", got, mine)
	}
	if !strings.Contains(string(mine), `"attributes":{"body":"# md\n`+"`x`"+`","description":"delete a","outcome-id":"PG-1"`) {
		t.Errorf("outcome attributes missing: %s", mine)
	}
}

func TestStatePinCheckWorkspace(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	cloud := func(ws string, cfg map[string]string) *StatePin {
		p := &StatePin{Backend: "cloud", Workspace: ws, Config: map[string]json.RawMessage{}}
		for k, v := range cfg {
			p.Config[k] = raw(v)
		}
		return p
	}
	cases := []struct {
		name    string
		pin     *StatePin
		org, ws string
		ok      bool
	}{
		{"name matches", cloud("default", map[string]string{"organization": `"acme"`, "workspaces": `{"name":"prod"}`}), "acme", "prod", true},
		{"hostname matches", cloud("default", map[string]string{"organization": `"acme"`, "hostname": `"app.terraform.io"`, "workspaces": `{"name":"prod"}`}), "acme", "prod", true},
		{"other workspace", cloud("default", map[string]string{"organization": `"acme"`, "workspaces": `{"name":"prod"}`}), "acme", "staging", false},
		{"other organization", cloud("default", map[string]string{"organization": `"acme"`, "workspaces": `{"name":"prod"}`}), "evil", "prod", false},
		{"other hostname", cloud("default", map[string]string{"organization": `"acme"`, "hostname": `"tfe.example.com"`, "workspaces": `{"name":"prod"}`}), "acme", "prod", false},
		{"no organization", cloud("default", map[string]string{"workspaces": `{"name":"prod"}`}), "acme", "prod", false},
		{"no workspaces", cloud("default", map[string]string{"organization": `"acme"`}), "acme", "prod", false},
		{"tags with workspace", cloud("prod", map[string]string{"organization": `"acme"`, "workspaces": `{"tags":["app"]}`}), "acme", "prod", true},
		{"tags without workspace", cloud("default", map[string]string{"organization": `"acme"`, "workspaces": `{"tags":["app"]}`}), "acme", "prod", false},
		{"tags, other workspace", cloud("prod", map[string]string{"organization": `"acme"`, "workspaces": `{"tags":["app"]}`}), "acme", "dev", false},
		{"remote prefix", &StatePin{Backend: "remote", Workspace: "prod", Config: map[string]json.RawMessage{"organization": raw(`"acme"`), "workspaces": raw(`{"prefix":"app-"}`)}}, "acme", "app-prod", true},
		{"remote prefix, other", &StatePin{Backend: "remote", Workspace: "prod", Config: map[string]json.RawMessage{"organization": raw(`"acme"`), "workspaces": raw(`{"prefix":"app-"}`)}}, "acme", "app-dev", false},
		{"s3 pin", &StatePin{Backend: "s3", Workspace: "default", Config: map[string]json.RawMessage{"bucket": raw(`"b"`)}}, "acme", "prod", false},
		{"unknown setting", cloud("default", map[string]string{"organization": `"acme"`, "workspaces": `{"name":"prod"}`, "token": `"x"`}), "acme", "prod", false},
		{"name and workspace disagree", cloud("dev", map[string]string{"organization": `"acme"`, "workspaces": `{"name":"prod"}`}), "acme", "prod", false},
	}
	for _, c := range cases {
		err := c.pin.CheckWorkspace(c.org, c.ws, "app.terraform.io")
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
