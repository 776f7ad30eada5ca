package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// TestEveryFormatShowsMovesAndImports: a change judged under another
// address says so in every format, so that a reviewer sees that deleting
// "junk" deletes the database.
func TestEveryFormatShowsMovesAndImports(t *testing.T) {
	r := &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Changes: []gate.Change{
		{Address: "terraform_data.junk", PreviousAddress: "terraform_data.prod_db", Type: "terraform_data", Action: gate.ActionMove,
			Actions: []string{"no-op"}, Protected: true, Rules: []string{"db"}, RequiredApprovals: 1, ApprovedBy: []string{}, Problems: []string{"no approval names this change"},
			JudgedAs: []gate.Subject{{Address: "terraform_data.prod_db", Type: "terraform_data", Why: gate.SubjectMoved}}},
		{Address: "terraform_data.copy", Type: "terraform_data", Action: "replace", Actions: []string{"delete", "create"}, Importing: true, ImportID: "db-1",
			Protected: true, Rules: []string{"db"}, RequiredApprovals: 1, ApprovedBy: []string{}, Problems: []string{"no approval names this change"},
			JudgedAs: []gate.Subject{{Address: "terraform_data.prod_db", Type: "terraform_data", Why: gate.SubjectImport}}},
	}, Approvals: []gate.Approval{}}
	for _, f := range Formats {
		rd, err := New(f, Options{PlanPath: "tfplan"})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		wants := []string{"moved from terraform_data.prod_db", "imports the id of protected terraform_data.prod_db"}
		if f == "json" {
			wants = []string{`"previous_address": "terraform_data.prod_db"`, `"why": "import_id"`, `"import_id": "db-1"`, `"action": "move"`}
		}
		if f == "github" || f == "text" {
			wants = append(wants, "--target terraform_data.junk --from terraform_data.prod_db --action move")
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", f, w, out)
			}
		}
	}
}

// TestApproveCommandFitsMaxTTL: the printed command makes an approval the
// rule accepts: under a max_ttl shorter than approve's default 24h, it
// asks for that validity.
func TestApproveCommandFitsMaxTTL(t *testing.T) {
	c := gate.Change{Address: "terraform_data.db", Action: "delete", MaxTTL: 2 * time.Hour}
	if got := ApproveCommand(c, Options{PlanPath: "tfplan"}); !strings.Contains(got, " --expires 2h0m0s ") {
		t.Errorf("max_ttl 2h: %s", got)
	}
	c.MaxTTL = 72 * time.Hour
	if got := ApproveCommand(c, Options{PlanPath: "tfplan"}); strings.Contains(got, "--expires") {
		t.Errorf("max_ttl 72h: %s", got)
	}
}
