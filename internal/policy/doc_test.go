package policy

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// guide is the user documentation of this package.
var guide = filepath.Join("..", "..", "templates", "guides", "policy.md")

// TestGuideGlobTable checks every row of the guide's glob examples against
// the matcher, so the guide cannot drift from the code.
func TestGuideGlobTable(t *testing.T) {
	f, err := os.Open(guide)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| `([^`]+)` \\| `([^`]+)` \\| (yes|no) \\|$")
	rows := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		rows++
		pat, err := compileAddrPattern(m[1])
		if err != nil {
			t.Errorf("guide glob %s: %v", m[1], err)
			continue
		}
		a, err := parseAddress(m[2])
		if err != nil {
			t.Errorf("guide address %s: %v", m[2], err)
			continue
		}
		if got := pat.match(&a); got != (m[3] == "yes") {
			t.Errorf("guide says %s matches %s: %s; matcher says %v", m[1], m[2], m[3], got)
		}
	}
	if rows < 30 {
		t.Errorf("found %d example rows in %s, want at least 30", rows, guide)
	}
}

// TestGuideExample parses the guide's full example and checks the claims
// the guide makes about it.
func TestGuideExample(t *testing.T) {
	b, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## A full example\n\n```hcl\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no full example in the guide")
	}
	p, err := Parse(m[1], "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 5 {
		t.Errorf("got %d rules", len(p.Rules))
	}
	req, ok := p.Require("module.data.aws_db_instance.legacy", "aws_db_instance", "delete", nil)
	want := Requirement{Rules: []string{"databases", "data-module"}, Approvals: 2, MaxTTL: 72 * time.Hour, RequireIdentity: true}
	if !ok || !reflect.DeepEqual(req, want) {
		t.Errorf("delete: %+v, %v; want %+v", req, ok, want)
	}
	req, ok = p.Require("module.data.aws_db_instance.legacy", "aws_db_instance", "forget", nil)
	// "databases" leaves actions at their default, which includes forget.
	want = Requirement{Rules: []string{"databases", "data-module"}, Approvals: 2, MaxTTL: 72 * time.Hour, RequireIdentity: true}
	if !ok || !reflect.DeepEqual(req, want) {
		t.Errorf("forget: %+v, %v; want %+v", req, ok, want)
	}
	if _, ok := p.Require("aws_db_instance.x", "aws_db_instance", "update", []string{"deletion_protection"}); !ok {
		t.Error("update of deletion_protection not guarded")
	}
	if !p.Protects(`module.a.aws_s3_bucket.state["prod-eu"]`, "aws_s3_bucket") || p.Protects(`aws_s3_bucket.state["dev"]`, "aws_s3_bucket") {
		t.Error("state-buckets rule does not match as the guide says")
	}
	if got := p.MatchID([]string{"arn:aws:rds:eu-west-1:123456789012:db:prod-main"}, "delete"); len(got) != 1 || got[0].Name != "databases" {
		t.Error("the databases rule does not protect the production database by id")
	}
	if got := p.MatchID([]string{"config/prod/app.json"}, "delete"); len(got) != 1 || got[0].Name != "app-config" ||
		!WrittenByType(got, "aws_s3_object", "aws_s3_bucket_object") || WrittenByType(got, "aws_s3_object", "aws_s3_bucket") {
		t.Error("the app-config rule does not protect the objects by id, or written_by is not as the guide says")
	}
	if !strings.Contains(string(b), "policy declares no protect block: nothing would be guarded; add one") {
		t.Error("the guide does not quote the no-protect error")
	}
}
