package gate

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// TestAuthorWarning: an author no allowed_signers line names is a warning
// in the report, not an error, and changes no verdict; a named author (also
// through a wildcard, or in another letter case) is not.
func TestAuthorWarning(t *testing.T) {
	f := setup(t)
	p := &plan.Plan{Changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
		Approvals: []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}}
	for _, tt := range []struct {
		author string
		warn   bool
	}{
		{"", false},
		{"bob@example.com", false},
		{"BOB@example.com", false}, // separation of duties folds case: so does the warning
		{"bob", true},              // a login where the file names e-mails
		{"agent@example.com", true},
		{"alice", true},
	} {
		r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now, Author: tt.author})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Warnings) > 0; got != tt.warn {
			t.Errorf("author %q: warnings %q, want a warning: %v", tt.author, r.Warnings, tt.warn)
		}
		if tt.warn && !strings.Contains(r.Warnings[0], `author "`+tt.author+`" matches no principal in allowed_signers`) {
			t.Errorf("author %q: warning %q", tt.author, r.Warnings[0])
		}
		// alice signed; only the author alice@example.com could block it.
		if r.Decision != Allow {
			t.Errorf("author %q: decision %s", tt.author, r.Decision)
		}
	}
	// A wildcard line names every matching author.
	wild, err := trust.ParseAllowedSigners([]byte("*@example.com "+strings.TrimSpace(string(sshPub(f.alice)))), "allowed_signers", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w := AuthorWarning(wild, "anyone@example.com"); w != "" {
		t.Errorf("wildcard: %q", w)
	}
	if w := AuthorWarning(wild, "anyone@example.org"); w == "" {
		t.Error("no warning for an author outside the wildcard")
	}
}

// TestReportCarriesPolicyHash: Decide copies the policy hash (empty for a
// policy that was only parsed, since its trust files were not read).
func TestReportCarriesPolicyHash(t *testing.T) {
	f := setup(t)
	pol := *f.pol
	pol.Hash = strings.Repeat("ab", 32)
	r, err := Decide(Input{Plan: &plan.Plan{}, Policy: &pol, Trust: f.trust, Now: now})
	if err != nil || r.PolicySHA256 != pol.Hash {
		t.Fatalf("%v %q", err, r.PolicySHA256)
	}
	if f.pol.Hash != "" {
		t.Errorf("Parse filled Hash without trust files: %q", f.pol.Hash)
	}
}

func sshPub(k key) []byte { return ssh.MarshalAuthorizedKey(k.signer.PublicKey()) }
