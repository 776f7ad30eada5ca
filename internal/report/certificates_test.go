package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// TestCertificateSigners: a signature made with a user certificate is named
// with its key id and serial in every format people read and in the JSON
// report; a plain key's signature adds no "certificates" to the JSON.
func TestCertificateSigners(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	r := &gate.Report{Version: 1, Decision: gate.Allow, Scope: "prod", Now: now, Changes: []gate.Change{},
		Approvals: []gate.Approval{
			{Address: "planguard_approval.db", Scope: "prod", Target: "terraform_data.db", Action: "delete", Status: gate.StatusValid,
				Principals: []string{"alice@example.com", "bob@example.com"}, Problems: []string{},
				Certificates: []gate.CertificateSigner{{Principal: "bob@example.com", KeyID: "bob-laptop\x1b[31m", Serial: 43, CA: "SHA256:ca"}}},
			{Address: "planguard_approval.plain", Scope: "prod", Target: "terraform_data.x", Action: "delete", Status: gate.StatusValid,
				Principals: []string{"alice@example.com"}, Problems: []string{}},
		}}
	render := func(format string) string {
		rd, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for format, want := range map[string]string{
		"text":     `signed by alice@example.com, bob@example.com (certificate "bob-laptop\\x1b[31m", serial 43): valid`,
		"markdown": `alice@example.com, bob@example.com (certificate "bob-laptop`,
		"github":   `::notice title=planguard%3A planguard_approval.db signed with certificates::delete terraform_data.db: bob@example.com (certificate "bob-laptop`,
		"json":     `"certificates": [` + "\n" + `        {` + "\n" + `          "principal": "bob@example.com",` + "\n" + `          "key_id": "bob-laptop\u001b[31m",` + "\n" + `          "serial": 43,`,
	} {
		out := render(format)
		if !strings.Contains(out, want) {
			t.Errorf("%s does not contain %q:\n%s", format, want, out)
		}
		if format != "json" && strings.Contains(out, "\x1b") {
			t.Errorf("%s shows the key id's escape sequence raw", format)
		}
		if format == "json" && strings.Count(out, `"certificates"`) != 1 {
			t.Errorf("json: the plain key's approval lists certificates:\n%s", out)
		}
		if format == "github" && strings.Contains(out, "planguard_approval.plain") {
			t.Errorf("github names a plain key's approval as a certificate's:\n%s", out)
		}
	}
}
