package policy

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// matchPolicy has one rule of each index class (literal types, literal
// address types, the rest), interleaved, so Match must merge them in order.
const matchPolicy = head + `
protect "db-types" {
  types = ["aws_db_instance", "aws_rds_cluster"]
}
protect "prod-addresses" {
  addresses = ["**.aws_db_instance.prod*", "module.data.aws_s3_bucket.*"]
  actions   = ["delete", "replace", "forget"]
  approvals = 2
  max_ttl   = "72h"
}
protect "anything-in-data" {
  addresses = ["module.data.**"]
  actions   = ["delete"]
  max_ttl   = "7d"
}
protect "glob-types" {
  types   = ["aws_db_*"]
  actions = ["forget"]
  require_identity = true
}
protect "engine" {
  types      = ["aws_db_instance"]
  addresses  = ["module.data.*"]
  actions    = ["update"]
  attributes = ["engine", "deletion_protection"]
  approvals  = 3
}
protect "tagged" {
  types      = ["aws_db_instance"]
  actions    = ["update"]
  attributes = ["tags"]
  max_ttl    = "24h"
}
`

func names(rules []*Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Name)
	}
	return out
}

func TestMatch(t *testing.T) {
	p := mustParse(t, matchPolicy)
	tests := []struct {
		address, typ, action string
		want                 []string
	}{
		{"aws_db_instance.main", "aws_db_instance", "delete", []string{"db-types"}},
		{"aws_db_instance.prod", "aws_db_instance", "delete", []string{"db-types", "prod-addresses"}},
		{"module.data.aws_db_instance.prod_eu[0]", "aws_db_instance", "delete", []string{"db-types", "prod-addresses", "anything-in-data"}},
		{"module.data.aws_db_instance.prod_eu[0]", "aws_db_instance", "replace", []string{"db-types", "prod-addresses"}},
		{"module.data.aws_db_instance.prod_eu[0]", "aws_db_instance", "forget", []string{"db-types", "prod-addresses", "glob-types"}},
		{"module.data.aws_db_instance.prod_eu[0]", "aws_db_instance", "update", []string{"engine", "tagged"}},
		{"aws_db_instance.x", "aws_db_instance", "update", []string{"tagged"}},
		{"module.data.aws_s3_bucket.logs", "aws_s3_bucket", "delete", []string{"prod-addresses", "anything-in-data"}},
		{"module.data.aws_s3_bucket.logs", "aws_s3_bucket", "replace", []string{"prod-addresses"}},
		{"module.data.module.x.null_resource.y", "null_resource", "delete", []string{"anything-in-data"}},
		{"aws_s3_bucket.logs", "aws_s3_bucket", "delete", nil},
		{"aws_db_subnet_group.x", "aws_db_subnet_group", "forget", []string{"glob-types"}},
		{"aws_db_subnet_group.x", "aws_db_subnet_group", "delete", nil},
		// An empty type is read from the address.
		{"aws_rds_cluster.x", "", "replace", []string{"db-types"}},
		// Unknown actions match nothing; actions are case-sensitive.
		{"aws_db_instance.main", "aws_db_instance", "destroy", nil},
		{"aws_db_instance.main", "aws_db_instance", "Delete", nil},
		{"aws_db_instance.main", "aws_db_instance", "", nil},
		// Data sources and ephemeral resources are never protected.
		{"data.aws_db_instance.main", "aws_db_instance", "delete", nil},
		{"module.data.data.aws_db_instance.prod", "aws_db_instance", "delete", nil},
		{"ephemeral.aws_db_instance.main", "aws_db_instance", "delete", nil},
		// An address that does not parse fails closed: every address glob
		// is taken to match, types and action still decide.
		{"aws_db_instance.main.extra", "aws_db_instance", "delete", []string{"db-types", "prod-addresses", "anything-in-data"}},
		{"!!", "aws_s3_bucket", "delete", []string{"prod-addresses", "anything-in-data"}},
		{"", "", "replace", []string{"prod-addresses"}},
	}
	for _, tt := range tests {
		got := names(p.Match(tt.address, tt.typ, tt.action))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q, %q, %q) = %q, want %q", tt.address, tt.typ, tt.action, got, tt.want)
		}
	}
}

// TestDefaultActionsIncludeForget: a rule without actions guards forget
// too (a forgotten object is protected by nothing any more); a rule that
// lists its actions guards only those.
func TestDefaultActionsIncludeForget(t *testing.T) {
	p := mustParse(t, head+`
protect "db" {
  types = ["terraform_data"]
}
protect "only-delete" {
  addresses = ["aws_s3_bucket.*"]
  actions   = ["delete"]
}
`)
	if got := names(p.Match("terraform_data.db", "terraform_data", "forget")); !reflect.DeepEqual(got, []string{"db"}) {
		t.Errorf("forget under default actions: %q", got)
	}
	if got := p.Match("aws_s3_bucket.logs", "aws_s3_bucket", "forget"); len(got) != 0 {
		t.Errorf("forget under explicit actions without it: %q", names(got))
	}
	if !p.ProtectImports {
		t.Error("protect_imports defaults to true")
	}
	if got := names(p.RulesFor("aws_s3_bucket.logs", "aws_s3_bucket")); !reflect.DeepEqual(got, []string{"only-delete"}) {
		t.Errorf("RulesFor = %q", got)
	}
	if req := p.Strictest(); !reflect.DeepEqual(req.Rules, []string{"db", "only-delete"}) || req.Approvals != 1 {
		t.Errorf("Strictest = %+v", req)
	}
	off := mustParse(t, head+"protect_imports = false\n"+`protect "db" {
  types = ["terraform_data"]
}
`)
	if off.ProtectImports {
		t.Error("protect_imports = false not read")
	}
	if _, err := Parse([]byte(head+"protect_imports = \"no\"\n"+`protect "db" {
  types = ["terraform_data"]
}
`), "p.hcl"); err == nil || !strings.Contains(err.Error(), "true or false") {
		t.Errorf("protect_imports = \"no\": %v", err)
	}
}

func TestProtects(t *testing.T) {
	p := mustParse(t, matchPolicy)
	for addr, want := range map[string]bool{
		"aws_db_instance.main":               true,
		"aws_db_subnet_group.main":           true, // forget only
		"module.data.null_resource.x":        true,
		"aws_s3_bucket.x":                    false,
		"data.aws_db_instance.main":          false,
		"module.other.aws_s3_bucket.x":       false,
		"module.data.aws_s3_bucket.x[\"a\"]": true,
	} {
		if got := p.Protects(addr, ""); got != want {
			t.Errorf("Protects(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestRequire(t *testing.T) {
	p := mustParse(t, matchPolicy)
	tests := []struct {
		address, typ, action string
		changed              []string
		want                 Requirement
		ok                   bool
	}{
		{"aws_s3_bucket.x", "aws_s3_bucket", "delete", nil, Requirement{}, false},
		{"aws_db_instance.main", "aws_db_instance", "delete", nil,
			Requirement{Rules: []string{"db-types"}, Approvals: 1}, true},
		// Strictest wins: most approvals, shortest non-zero TTL, any identity.
		{"module.data.aws_db_instance.prod", "aws_db_instance", "delete", nil,
			Requirement{Rules: []string{"db-types", "prod-addresses", "anything-in-data"}, Approvals: 2, MaxTTL: 72 * time.Hour}, true},
		{"module.data.aws_db_instance.prod", "aws_db_instance", "forget", nil,
			Requirement{Rules: []string{"db-types", "prod-addresses", "glob-types"}, Approvals: 2, MaxTTL: 72 * time.Hour, RequireIdentity: true}, true},
		{"module.data.null_resource.x", "null_resource", "delete", nil,
			Requirement{Rules: []string{"anything-in-data"}, Approvals: 1, MaxTTL: 7 * 24 * time.Hour}, true},
		// changedAttrs matters for other actions not at all.
		{"aws_db_instance.main", "aws_db_instance", "delete", []string{"engine"},
			Requirement{Rules: []string{"db-types"}, Approvals: 1}, true},
		// Updates count only when a listed attribute changes.
		{"module.data.aws_db_instance.x", "aws_db_instance", "update", nil, Requirement{}, false},
		{"module.data.aws_db_instance.x", "aws_db_instance", "update", []string{"instance_class", "name"}, Requirement{}, false},
		{"module.data.aws_db_instance.x", "aws_db_instance", "update", []string{"instance_class", "deletion_protection"},
			Requirement{Rules: []string{"engine"}, Approvals: 3}, true},
		{"module.data.aws_db_instance.x", "aws_db_instance", "update", []string{"tags", "engine"},
			Requirement{Rules: []string{"engine", "tagged"}, Approvals: 3, MaxTTL: 24 * time.Hour}, true},
		{"aws_db_instance.x", "aws_db_instance", "update", []string{"engine"}, Requirement{}, false},
		{"aws_db_instance.x", "aws_db_instance", "update", []string{"tags"},
			Requirement{Rules: []string{"tagged"}, Approvals: 1, MaxTTL: 24 * time.Hour}, true},
		{"aws_db_instance.x", "aws_db_instance", "update", []string{"Tags"}, Requirement{}, false},
	}
	for _, tt := range tests {
		got, ok := p.Require(tt.address, tt.typ, tt.action, tt.changed)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Require(%s, %s, %v) = %+v, %v; want %+v, %v", tt.address, tt.action, tt.changed, got, ok, tt.want, tt.ok)
		}
	}
}

// TestMatchIndexAgreesWithScan checks the index against a plain scan of
// every rule over a grid of rules and changes.
func TestMatchIndexAgreesWithScan(t *testing.T) {
	p := mustParse(t, manyRules(300))
	for _, a := range manyAddresses(3000) {
		for _, act := range []string{"delete", "replace", "update", "forget"} {
			got := p.Match(a.address, a.typ, act)
			var want []*Rule
			addr, _ := parseAddress(a.address)
			for _, r := range p.Rules {
				if r.actions&parseAction(act) != 0 && r.matchType(a.typ) && r.matchAddress(&addr) {
					want = append(want, r)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Match(%s, %s, %s) = %q, scan = %q", a.address, a.typ, act, names(got), names(want))
			}
		}
	}
}

// manyRules writes a policy of n rules mixing every index class, a sixth
// of them in no index.
func manyRules(n int) string {
	src := head
	for i := range n {
		switch i % 6 {
		case 0:
			src += fmt.Sprintf("protect \"t%d\" {\n  types = [\"type_%d\", \"type_%d\"]\n}\n", i, i%97, (i+1)%97)
		case 1:
			src += fmt.Sprintf("protect \"a%d\" {\n  addresses = [\"module.m%d.type_%d.*\", \"**.type_%d.n%d\"]\n  actions = [\"delete\", \"forget\"]\n  approvals = %d\n}\n", i, i%13, i%97, (i+3)%97, i%7, 1+i%3)
		case 2:
			src += fmt.Sprintf("protect \"g%d\" {\n  types = [\"type_%d*\"]\n  addresses = [\"module.m%d.**\"]\n  max_ttl = \"%dh\"\n}\n", i, i%9, i%13, 1+i%50)
		case 3:
			src += fmt.Sprintf("protect \"u%d\" {\n  types = [\"type_%d\"]\n  actions = [\"update\", \"replace\"]\n  attributes = [\"a%d\"]\n}\n", i, i%97, i%4)
		case 4:
			src += fmt.Sprintf("protect \"w%d\" {\n  addresses = [\"module.m%d[%d].*.n%d[\\\"k-*\\\"]\"]\n  require_identity = true\n}\n", i, i%13, i%3, i%7)
		default:
			src += fmt.Sprintf("protect \"r%d\" {\n  types = [\"*_%d\"]\n  addresses = [\"**.*.n%d[*]\", \"module.m*.**\"]\n  actions = [\"delete\"]\n}\n", i, i%10, i%8)
		}
	}
	return src
}

type change struct{ address, typ string }

// manyAddresses makes n addresses of varied depth, type, name and key.
func manyAddresses(n int) []change {
	out := make([]change, 0, n)
	for i := range n {
		typ := fmt.Sprintf("type_%d", i%101)
		addr := ""
		for d := range i % 3 {
			addr += fmt.Sprintf("module.m%d", (i+d)%15)
			if i%4 == 0 {
				addr += fmt.Sprintf("[%d]", i%3)
			}
			addr += "."
		}
		addr += fmt.Sprintf("%s.n%d", typ, i%8)
		switch i % 3 {
		case 1:
			addr += fmt.Sprintf("[%d]", i%5)
		case 2:
			addr += fmt.Sprintf("[\"k-%d.x\"]", i)
		}
		out = append(out, change{addr, typ})
	}
	return out
}

// BenchmarkMatch matches 10,000 addresses against 1,000 rules per op.
func BenchmarkMatch(b *testing.B) {
	p := mustParse(b, manyRules(1000))
	changes := manyAddresses(10000)
	b.ResetTimer()
	matched := 0
	for b.Loop() {
		for _, c := range changes {
			matched += len(p.Match(c.address, c.typ, "delete"))
		}
	}
	b.ReportMetric(float64(matched)/float64(b.N)/float64(len(changes)), "rules/change")
}

func BenchmarkParse(b *testing.B) {
	src := []byte(manyRules(1000))
	for b.Loop() {
		if _, err := Parse(src, "policy.hcl"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMatchHandMadePolicy(t *testing.T) {
	if got := (&Policy{}).Match("x.y", "x", "delete"); got != nil {
		t.Errorf("empty policy matched %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Match on a hand-made policy with rules did not panic")
		}
	}()
	(&Policy{Rules: []*Rule{{Name: "r", Types: []string{"x"}}}}).Match("x.y", "x", "delete")
}
