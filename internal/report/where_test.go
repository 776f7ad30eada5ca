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
		{Address: "terraform_data.junk", PreviousAddress: "terraform_data.prod_db", Type: "terraform_data", Action: gate.ActionMove, Actions: []string{"no-op"}, Protected: true,
			JudgedAs: []gate.Subject{{Address: "terraform_data.prod_db", Type: "terraform_data", Why: gate.SubjectMoved}},
			Verdict: gate.Verdict{Status: gate.OutcomeBlocked, Rules: []string{"db"}, RequiredApprovals: 1,
				ApprovedBy: []string{}, Problems: []string{"no approval names this change"}}},
		{Address: "terraform_data.copy", Type: "terraform_data", Action: "replace", Actions: []string{"delete", "create"}, Importing: true, ImportID: "db-1", Protected: true,
			JudgedAs: []gate.Subject{{Address: "terraform_data.prod_db", Type: "terraform_data", Why: gate.SubjectImport}},
			Verdict: gate.Verdict{Status: gate.OutcomeBlocked, Rules: []string{"db"}, RequiredApprovals: 1,
				ApprovedBy: []string{}, Problems: []string{"no approval names this change"}}}}, Approvals: []gate.Approval{}}
	for f, out := range renderAll(t, r) {
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
	c := gate.Change{Address: "terraform_data.db", Action: "delete", Verdict: gate.Verdict{MaxTTL: 2 * time.Hour}}
	if got := ApproveCommand(c, Options{PlanPath: "tfplan"}); !strings.Contains(got, " --expires 2h0m0s ") {
		t.Errorf("max_ttl 2h: %s", got)
	}
	c.MaxTTL = 72 * time.Hour
	if got := ApproveCommand(c, Options{PlanPath: "tfplan"}); strings.Contains(got, "--expires") {
		t.Errorf("max_ttl 72h: %s", got)
	}
}

// TestEveryFormatShowsWhatMatched: a change judged under a protected
// object because it imports or has that object's id or resource identity
// says which matched, in every format; an import by identity is never
// shown as an import of the id "".
func TestEveryFormatShowsWhatMatched(t *testing.T) {
	blocked := func(c gate.Change) gate.Change {
		c.Type, c.Protected, c.Status, c.Rules, c.RequiredApprovals = "aws_db_instance", true, gate.OutcomeBlocked, []string{"db"}, 1
		c.ApprovedBy, c.Problems = []string{}, []string{"no approval names this change"}
		return c
	}
	r := &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Changes: []gate.Change{
		blocked(gate.Change{Address: "aws_db_instance.copy", Action: "replace", Actions: []string{"delete", "create"}, Importing: true,
			JudgedAs: []gate.Subject{{Address: "aws_db_instance.prod", Type: "aws_db_instance", Why: gate.SubjectImportIdentity}}}),
		blocked(gate.Change{Address: "aws_db_instance.twin", Action: "delete", Actions: []string{"delete"}, PriorIdentity: `{"identifier":"prod-db"}`,
			JudgedAs: []gate.Subject{{Address: "aws_db_instance.main", Type: "aws_db_instance", Why: gate.SubjectSameIdentity}}}),
		blocked(gate.Change{Address: "aws_db_instance.other", Action: "delete", Actions: []string{"delete"}, PriorID: "db-1",
			JudgedAs: []gate.Subject{{Address: "aws_db_instance.old", Type: "aws_db_instance", Why: gate.SubjectSameID}}}),
		blocked(gate.Change{Address: "aws_db_instance.fresh", Action: "delete", Actions: []string{"delete"}, Importing: true})}, Approvals: []gate.Approval{}}
	for f, out := range renderAll(t, r) {
		wants := []string{
			"aws_db_instance.copy (imports the identity of protected aws_db_instance.prod)",
			"aws_db_instance.twin (has the identity of protected aws_db_instance.main)",
			"aws_db_instance.other (has the id of protected aws_db_instance.old)",
			"aws_db_instance.fresh (imports by resource identity)",
		}
		if f == "json" {
			wants = []string{`"why": "import_identity"`, `"why": "same_identity"`, `"why": "same_id"`}
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", f, w, out)
			}
		}
		if strings.Contains(out, `imports id \"\"`) || strings.Contains(out, `imports id ""`) {
			t.Errorf("%s output shows an import by identity as an import of the id \"\":\n%s", f, out)
		}
	}
}

// renderAll renders r in every format, by format name.
func renderAll(t *testing.T, r *gate.Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Formats {
		rd, err := New(f, Options{PlanPath: "tfplan"})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rd.Render(&b, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.String()
	}
	return out
}

// TestEveryFormatShowsTheNamingAttribute (review gate30 F1): a create
// whose new object's id is unknown, judged as a replace of the protected
// object one of its attributes names, says which attribute and value in
// every format, and how to get it approved.
func TestEveryFormatShowsTheNamingAttribute(t *testing.T) {
	problem := `the plan creates sdkobj_file.x, whose new object's id is unknown until the apply, and its attribute path = "/srv/prod/db" names the protected id: ` +
		`the provider may take over (overwrite) that object, so the change counts as a replace of it; if the attribute only refers to the protected object ` +
		`(the gate cannot tell a reference from a name), have this change approved as action replace of sdkobj_file.x; otherwise give the new object another path`
	r := &gate.Report{Version: 1, Decision: gate.Block, Scope: "prod", Changes: []gate.Change{
		{Address: "sdkobj_file.x", Type: "sdkobj_file", Action: "replace", Actions: []string{"create"}, Protected: true,
			TakesID: "/srv/prod/db", TakesIDAttribute: "path",
			JudgedAs: []gate.Subject{{Address: "sdkobj_file.db", Type: "sdkobj_file", Why: gate.SubjectNamesID}},
			Verdict: gate.Verdict{Status: gate.OutcomeBlocked, Rules: []string{"db-id"}, RequiredApprovals: 1,
				ApprovedBy: []string{}, Problems: []string{"no approval names this change", problem}}},
		{Address: "sdkobj_file.y\x1b[2J", Type: "sdkobj_file", Action: "replace", Actions: []string{"create"}, Protected: true,
			TakesID: "/srv/prod/db", TakesIDAttribute: "tags[\"a\x1b[2J\"]",
			Verdict: gate.Verdict{Status: gate.OutcomeBlocked, Rules: []string{"db-id"}, RequiredApprovals: 1,
				ApprovedBy: []string{}, Problems: []string{"no approval names this change"}}}}, Approvals: []gate.Approval{}}
	for f, out := range renderAll(t, r) {
		wants := []string{`an attribute of its new object names the id of protected sdkobj_file.db`, `path = "/srv/prod/db" names a protected id`, "approved as action replace of sdkobj_file.x"}
		switch f {
		case "json":
			wants = []string{`"why": "names_id"`, `"takes_id": "/srv/prod/db"`, `"takes_id_attribute": "path"`, "approved as action replace of sdkobj_file.x"}
		case "markdown":
			wants = wants[:2]
		case "junit":
			wants[1] = `path = &#34;/srv/prod/db&#34; names a protected id`
		case "sarif":
			wants[1] = `path = \"/srv/prod/db\" names a protected id`
		}
		if f == "github" || f == "text" {
			wants = append(wants, "--target sdkobj_file.x --action replace")
		}
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", f, w, out)
			}
		}
		if f != "json" && f != "junit" && f != "sarif" && strings.Contains(out, "\x1b") {
			t.Errorf("%s shows a raw escape:\n%q", f, out)
		}
	}
}
