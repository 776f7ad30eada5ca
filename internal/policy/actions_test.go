package policy

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const actionsHeader = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  types = ["aws_db_instance"]
}
`

func TestActionBlocks(t *testing.T) {
	p := mustParse(t, actionsHeader+`
protect_actions "stop-db" {
  types     = ["aws_ec2_stop_instance", "aws_rds_*"]
  approvals = 2
  max_ttl   = "24h"
}
protect_actions "lambda" {
  types = ["aws_lambda_invoke"]
}
allow_actions "harmless" {
  types = ["aws_lambda_invoke", "bufo_*"]
}
`)
	for _, tc := range []struct {
		typ       string
		req       Requirement
		allowedBy []string
	}{
		{"aws_ec2_stop_instance", Requirement{Rules: []string{"stop-db"}, Approvals: 2, MaxTTL: 24 * time.Hour}, nil},
		{"aws_rds_reboot", Requirement{Rules: []string{"stop-db"}, Approvals: 2, MaxTTL: 24 * time.Hour}, nil},
		// Protection wins over an allowance of the same type.
		{"aws_lambda_invoke", Requirement{Rules: []string{"lambda"}, Approvals: 1}, nil},
		{"bufo_print", Requirement{}, []string{"harmless"}},
		// Neither: the default, never a free pass.
		{"aws_ec2_terminate", Requirement{Approvals: DefaultInvokeApprovals}, nil},
	} {
		req, allowed := p.ActionRequirement(tc.typ)
		if !reflect.DeepEqual(req, tc.req) || !reflect.DeepEqual(allowed, tc.allowedBy) {
			t.Errorf("ActionRequirement(%s) = %+v, %v; want %+v, %v", tc.typ, req, allowed, tc.req, tc.allowedBy)
		}
	}
	// A policy without action blocks: every invocation needs an approval.
	req, allowed := mustParse(t, actionsHeader).ActionRequirement("bufo_print")
	if req.Approvals != 1 || allowed != nil {
		t.Errorf("no action blocks: %+v %v", req, allowed)
	}
}

func TestActionBlocksStrict(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"unknown attribute":  {"protect_actions \"a\" {\n types = [\"x\"]\n addresses = [\"action.x.y\"]\n}", "Unsupported argument"},
		"allow unknown attr": {"allow_actions \"a\" {\n types = [\"x\"]\n approvals = 1\n}", "Unsupported argument"},
		"missing types":      {`protect_actions "a" { approvals = 2 }`, "Missing required argument"},
		"allow no types":     {`allow_actions "a" {}`, "Missing required argument"},
		"empty types":        {`allow_actions "a" { types = [] }`, "Empty types"},
		"bad glob":           {`protect_actions "a" { types = ["action.x"] }`, "Invalid action type glob"},
		"zero approvals":     {"protect_actions \"a\" {\n types = [\"x\"]\n approvals = 0\n}", "Invalid approvals"},
		"bad ttl":            {"protect_actions \"a\" {\n types = [\"x\"]\n max_ttl = \"soon\"\n}", "Invalid max_ttl"},
		"duplicate":          {`protect_actions "a" { types = ["x"] }` + "\n" + `protect_actions "a" { types = ["y"] }`, "Duplicate protect_actions block"},
		"duplicate allow":    {`allow_actions "a" { types = ["x"] }` + "\n" + `allow_actions "a" { types = ["y"] }`, "Duplicate allow_actions block"},
		"bad name":           {`allow_actions "a b" { types = ["x"] }`, "Invalid allow_actions name"},
		"no label":           {`protect_actions { types = ["x"] }`, "Missing name"},
	} {
		_, err := Parse([]byte(actionsHeader+tc.src), "policy.hcl")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	// A protect_actions block alone is not a policy: a protect block is still required.
	src := strings.Replace(actionsHeader, `protect "db" {
  types = ["aws_db_instance"]
}`, `protect_actions "a" { types = ["x"] }`, 1)
	if _, err := Parse([]byte(src), "policy.hcl"); err == nil || !strings.Contains(err.Error(), "No protect block") {
		t.Errorf("protect_actions alone: %v", err)
	}
}
