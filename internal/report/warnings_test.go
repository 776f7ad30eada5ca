package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// TestWarningsInEveryFormat: every format shows the report's warnings
// (people's formats with control characters escaped), and the policy hash
// where the format has a place for it.
func TestWarningsInEveryFormat(t *testing.T) {
	hash := strings.Repeat("c0ffee", 10) + "abcd"
	r := &gate.Report{Version: 1, Decision: gate.Allow, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: gate.PlanInfo{SHA256: strings.Repeat("ab", 32)}, PolicySHA256: hash,
		Warnings: []string{"author \"bob\x1b[2J\" matches no principal in allowed_signers"},
		Changes:  []gate.Change{}, Approvals: []gate.Approval{}}
	want := map[string][]string{
		"text":     {`warning: author "bob\x1b[2J" matches no principal`, "policy hash c0ffeec0ffee"},
		"markdown": {`> :warning: author "bob\x1b\[2J" matches no principal`, "policy hash `c0ffeec0ffee`"},
		"github":   {`::warning title=planguard::author "bob\x1b[2J" matches no principal`},
		"json":     {`"policy_sha256": "` + hash + `"`, `"warnings": [`, `bob\u001b[2J`},
		"junit":    {`<system-err>warning: author &#34;bob`, `<property name="policy_sha256" value="` + hash + `"></property>`},
		"sarif":    {`"ruleId": "planguard/warning"`, `"level": "warning"`, `author \"bob\u001b[2J\" matches`},
	}
	for _, f := range Formats {
		rd, err := New(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, w := range want[f] {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", f, w, b.String())
			}
		}
		if f != "json" && f != "junit" && f != "sarif" && strings.Contains(b.String(), "\x1b") {
			t.Errorf("%s shows a raw escape:\n%q", f, b.String())
		}
	}
	// No warnings, no warning lines.
	r.Warnings = nil
	for _, f := range Formats {
		rd, _ := New(f, Options{})
		var b bytes.Buffer
		rd.Render(&b, r)
		if strings.Contains(strings.ToLower(b.String()), "warning:") || strings.Contains(b.String(), `"warnings"`) || strings.Contains(b.String(), `"level": "warning"`) {
			t.Errorf("%s shows a warning without one:\n%s", f, b.String())
		}
	}
}

// TestRefreshDrift: the objects the plan's refresh changed are listed in
// the JSON report, the text and the markdown, with control characters of
// their names escaped for people.
func TestRefreshDrift(t *testing.T) {
	r := &gate.Report{Version: 1, Decision: gate.Allow, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: gate.PlanInfo{SHA256: strings.Repeat("ab", 32)}, Changes: []gate.Change{}, Approvals: []gate.Approval{},
		RefreshDrift: []gate.RefreshDrift{{Address: "aws_db_instance.db", Attributes: []string{"deletion_protection", "tags"}},
			{Address: "t.x\x1b[2J", Deposed: "0a1b", Attributes: []string{""}}}}
	want := map[string][]string{
		"text":     {"refreshed: aws_db_instance.db: the refresh changed deletion_protection, tags", `refreshed: t.x\x1b[2J deposed 0a1b: the refresh changed its attributes`},
		"markdown": {"- `aws_db_instance.db`: the refresh changed deletion\\_protection, tags", "deposed 0a1b`"},
		"json":     {`"refresh_drift": [`, `"address": "aws_db_instance.db"`, `"deposed": "0a1b"`, `"deletion_protection",`},
	}
	for f, ws := range want {
		rd, err := New(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, w := range ws {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", f, w, b.String())
			}
		}
		if f != "json" && strings.Contains(b.String(), "\x1b") {
			t.Errorf("%s shows a control character:\n%s", f, b.String())
		}
	}
}
