package main

import (
	"slices"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestApproveRequirementByIdentity: without a plan, an approval whose
// identity an ids rule names gets that rule's requirement, as the gate
// would apply it, by id or by a value of a canonical identity.
func TestApproveRequirementByIdentity(t *testing.T) {
	pol, err := policy.Parse([]byte(`scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "by-address" {
  addresses = ["terraform_data.prod_db"]
}
protect "by-id" {
  ids       = ["prod-db-*"]
  approvals = 2
}
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	pf := &preflight{pol: pol}
	for _, tc := range []struct {
		target, identity string
		rules            []string
	}{
		{"terraform_data.old_tmp", "prod-db-1", []string{"by-id"}},
		{"aws_db_instance.x", `{"identifier":"prod-db-main","region":"eu-west-1"}`, []string{"by-id"}},
		{"terraform_data.prod_db", "prod-db-1", []string{"by-address", "by-id"}},
		{"terraform_data.old_tmp", "other", nil},
	} {
		st := approval.Statement{Scope: "prod", Target: tc.target, Action: "delete", Identity: tc.identity}
		req, ok := pf.requirement(st, nil, nil, time.Now())
		if ok != (tc.rules != nil) || !slices.Equal(req.Rules, tc.rules) {
			t.Errorf("%s %s: %v %v, want %v", tc.target, tc.identity, req.Rules, ok, tc.rules)
		}
	}
}
