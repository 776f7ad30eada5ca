package report

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// hostile holds what an agent can put into a plan or an approval: ANSI
// escapes, a carriage return and newline that forge a verdict line, a
// right-to-left override, a zero-width space and invalid UTF-8.
const hostile = "terraform_data.db[\"x\x1b[2K\r\nALLOWED: all approved\u202e\u200b\xff'\\\"]"

func hostileReport() *gate.Report {
	return &gate.Report{
		Version: 1, Decision: gate.Block, Scope: "prod", Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: gate.PlanInfo{TerraformVersion: "1.8.5", FormatVersion: "1.2", SHA256: strings.Repeat("ab", 32)},
		Changes: []gate.Change{{Address: hostile, Type: "terraform_data", Action: "delete", Actions: []string{"delete"}, Protected: true,
			Verdict: gate.Verdict{Status: gate.OutcomeBlocked, Rules: []string{"db"}, RequiredApprovals: 2,
				ApprovedBy: []string{"alice\x1b]0;pwned\x07@example.com"}, Problems: []string{"no approval names " + hostile}}}},
		Approvals: []gate.Approval{{
			Address: "planguard_approval.x", Scope: "prod", Target: hostile, Action: "delete", ExpiresAt: "2026-11-26T00:00:00Z",
			Status: gate.StatusUntrusted, Principals: []string{"mallory\u202e@example.com"}, Problems: []string{"key of \x1b[31mmallory"},
		}},
	}
}

func TestHumanFormatsShowHostileStringsInert(t *testing.T) {
	for _, format := range []string{"text", "markdown", "github"} {
		t.Run(format, func(t *testing.T) {
			r, err := New(format, Options{PlanPath: "tfplan"})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := r.Render(&b, hostileReport()); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !utf8.ValidString(out) {
				t.Error("output is not valid UTF-8")
			}
			for _, bad := range []string{"\x1b", "\r", "\u202e", "\u200b", "\x07"} {
				if strings.Contains(out, bad) {
					t.Errorf("output contains %q:\n%s", bad, out)
				}
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "ALLOWED") {
					t.Errorf("a hostile string forged a line: %q", line)
				}
			}
			if !strings.Contains(out, `\x1b[2K\x0d\x0aALLOWED`) {
				t.Errorf("the hostile address is not shown escaped:\n%s", out)
			}
		})
	}
}

// TestApproveCommandQuotesExactly: the printed approve command passes the
// exact address to a real shell, however hostile, while showing only
// printable characters.
func TestApproveCommandQuotesExactly(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{hostile, `module.a["it's"].x.y`, `x.y["$(touch /tmp/pwned)"]`, "x.y[\"tab\there\"]", "x.y[\"日本\"]"} {
		q := shellQuote(s)
		if printable(q) != q {
			t.Errorf("quoted form of %q shows unsafe characters: %q", s, q)
		}
		got, err := exec.Command(bash, "-c", "printf '%s' "+q).Output()
		if err != nil {
			t.Fatalf("bash on %s: %v", q, err)
		}
		if string(got) != s {
			t.Errorf("bash got %q from %s, want %q", got, q, s)
		}
	}
}

// TestJSONKeepsExactStrings: the machine format is not altered.
func TestJSONKeepsExactStrings(t *testing.T) {
	r, _ := New("json", Options{})
	var b bytes.Buffer
	if err := r.Render(&b, hostileReport()); err != nil {
		t.Fatal(err)
	}
	var back gate.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	// encoding/json turns invalid UTF-8 into U+FFFD; everything else is exact.
	want := strings.ToValidUTF8(hostile, "\ufffd")
	if back.Changes[0].Address != want || back.Approvals[0].Target != want {
		t.Errorf("json changed the strings: %q", back.Changes[0].Address)
	}
}
