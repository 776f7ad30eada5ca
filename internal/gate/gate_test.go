package gate

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const policySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "databases" {
  types     = ["terraform_data"]
  addresses = ["terraform_data.db*"]
  approvals = 1
}
protect "backups" {
  addresses = ["terraform_data.backup"]
  actions   = ["delete", "replace", "forget"]
  approvals = 2
  max_ttl   = "72h"
  require_identity = true
}
protect "settings" {
  addresses  = ["terraform_data.db_settings"]
  actions    = ["update"]
  attributes = ["input"]
}
`

type key struct {
	principal string
	signer    ssh.Signer
}

func newKey(t *testing.T, principal string) key {
	_, pk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(pk)
	if err != nil {
		t.Fatal(err)
	}
	return key{principal, s}
}

type fixture struct {
	pol               *policy.Policy
	trust             *trust.AllowedSigners
	alice, bob, carol key
	mallory           key // not in allowed_signers
}

func setup(t *testing.T) *fixture {
	t.Helper()
	pol, err := policy.Parse([]byte(policySrc), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{pol: pol, alice: newKey(t, "alice@example.com"), bob: newKey(t, "bob@example.com"), carol: newKey(t, "carol@example.com"), mallory: newKey(t, "mallory@example.com")}
	var lines []string
	for _, k := range []key{f.alice, f.bob, f.carol} {
		lines = append(lines, k.principal+` namespaces="planguard-approval" `+strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.signer.PublicKey()))))
	}
	// dave shares carol's key: one key is one signer, whatever the names.
	lines = append(lines, "dave@example.com "+strings.TrimSpace(string(ssh.MarshalAuthorizedKey(f.carol.signer.PublicKey()))))
	f.trust, err = trust.ParseAllowedSigners([]byte(strings.Join(lines, "\n")), "allowed_signers", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func stmt(target, action string) approval.Statement {
	return approval.Statement{Scope: "prod", Target: target, Action: action, Reason: "CHG-1", ExpiresAt: "2026-11-26T00:00:00Z"}
}

// approve makes a plan.Approval signed by keys, with principal names as given.
func approve(t *testing.T, st approval.Statement, signers ...key) plan.Approval {
	t.Helper()
	a := plan.Approval{Address: "planguard_approval." + strings.NewReplacer(".", "_", "[", "_", "]", "_", `"`, "").Replace(st.Target), Kind: plan.KindCreate, Known: true,
		Statement: st}
	p, err := st.Payload()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range signers {
		sig, err := sshsig.Sign(k.signer, p, approval.Namespace)
		if err != nil {
			t.Fatal(err)
		}
		a.Signatures = append(a.Signatures, plan.Signature{Principal: k.principal, Signature: sig})
	}
	return a
}

func change(addr string, kind plan.Kind) plan.Change {
	actions := map[plan.Kind][]string{plan.KindDelete: {"delete"}, plan.KindReplace: {"delete", "create"}, plan.KindForget: {"forget"}, plan.KindUpdate: {"update"}, plan.KindCreate: {"create"}}[kind]
	c := plan.Change{Address: addr, Type: "terraform_data", Name: addr[strings.LastIndex(addr, ".")+1:], Kind: kind, Actions: actions, PriorID: "id-" + addr}
	if kind == plan.KindDelete {
		// A normal plan's delete says why; one without a reason is a
		// destroy-mode delete (see TestDestroyMode).
		c.ActionReason = "delete_because_no_resource_config"
	}
	return c
}

func TestDecide(t *testing.T) {
	f := setup(t)
	withID := func(st approval.Statement, id string) approval.Statement { st.Identity = id; return st }
	// issued sets issued_at, which the backups rule (max_ttl 72h) requires.
	issued := func(st approval.Statement, at string) approval.Statement { st.IssuedAt = at; return st }
	from := func(st approval.Statement, addr string) approval.Statement { st.From = addr; return st }
	moved := func(c plan.Change, prev string) plan.Change { c.PreviousAddress = prev; return c }
	backup := func() approval.Statement {
		return issued(withID(stmt("terraform_data.backup", "delete"), "id-terraform_data.backup"), "2026-11-25T11:00:00Z")
	}
	as := func(k key, principal string) key { k.principal = principal; return k }
	cases := []struct {
		name      string
		changes   []plan.Change
		approvals func() []plan.Approval
		author    string
		authors   []string
		decision  Decision
		approved  []bool   // per change
		statuses  []Status // per approval
	}{
		{name: "no changes", decision: Allow},
		{name: "unprotected delete", changes: []plan.Change{change("terraform_data.cache", plan.KindDelete)}, decision: Allow, approved: []bool{false}},
		{name: "create only", changes: []plan.Change{change("terraform_data.db", plan.KindCreate)}, decision: Allow},
		{name: "protected delete without approval", changes: []plan.Change{change("terraform_data.db", plan.KindDelete)}, decision: Block, approved: []bool{false}},
		{name: "protected delete approved",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "approval for delete does not cover replace",
			changes: []plan.Change{change("terraform_data.db", plan.KindReplace)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongAction}},
		{name: "approval for another address",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db2", "delete"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusUnused}},
		{name: "untrusted key",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.mallory)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusUntrusted}},
		{name: "trusted key under another principal's name",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), as(f.alice, "bob@example.com"))}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusUntrusted}},
		{name: "edited after signing",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				a := approve(t, stmt("terraform_data.db", "delete"), f.alice)
				a.ExpiresAt = "2026-11-26T06:00:00Z"
				return []plan.Approval{a}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusBadSignature}},
		{name: "expired",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := stmt("terraform_data.db", "delete")
				st.ExpiresAt = "2026-11-25T12:00:00Z"
				return []plan.Approval{approve(t, st, f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusExpired}},
		{name: "wrong scope",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := stmt("terraform_data.db", "delete")
				st.Scope = "staging"
				return []plan.Approval{approve(t, st, f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongScope}},
		{name: "unknown values",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				a := approve(t, stmt("terraform_data.db", "delete"), f.alice)
				a.Known = false
				return []plan.Approval{a}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusUnknown}},
		{name: "author cannot approve",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			author:   "alice@example.com",
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoSigners}},
		{name: "author cannot approve under another name their key is trusted for",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), as(f.carol, "dave@example.com"))}
			},
			author:   "carol@example.com",
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoSigners}},
		{name: "author named in another case is still the author",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			author:   "Alice@Example.com",
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoSigners}},
		{name: "another principal still counts when the author is set",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.bob)}
			},
			author:   "alice@example.com",
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		// A plan of a branch carries several unapplied merges: every
		// author named is excluded, not only the first.
		{name: "no author of several can approve",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			author: "bob@example.com", authors: []string{"bob@example.com", "ALICE@example.com"},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoSigners}},
		{name: "no author of several can approve under another name their key is trusted for",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), as(f.carol, "dave@example.com"))}
			},
			authors:  []string{"bob@example.com", "carol@example.com"},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoSigners}},
		{name: "a principal who is none of several authors counts",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.carol)}
			},
			authors:  []string{"alice@example.com", "bob@example.com"},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "quorum of two met",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, backup(), f.alice, f.bob)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "quorum met across two approvals",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				return []plan.Approval{approve(t, st, f.alice), approve(t, st, f.bob)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid, StatusValid}},
		{name: "same principal twice is one",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				return []plan.Approval{approve(t, st, f.alice, f.alice), approve(t, st, f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusValid, StatusValid}},
		{name: "two principals sharing one key are one",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, backup(), f.carol, as(f.carol, "dave@example.com"))}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusValid}},
		{name: "identity required and missing",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.backup", "delete"), f.alice, f.bob)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongIdentity}},
		{name: "identity of another object",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, withID(stmt("terraform_data.db", "delete"), "other"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongIdentity}},
		{name: "beyond max_ttl",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt, st.ExpiresAt = "2026-11-25T12:00:00Z", "2026-11-28T12:00:01Z"
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusTTLExceeded}},
		{name: "max_ttl: lifetime exactly max_ttl counts",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt, st.ExpiresAt = "2026-11-25T11:00:00Z", "2026-11-28T11:00:00Z"
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "max_ttl: no issued_at does not count, even with little time left",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt = ""
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusNoIssuedAt}},
		{name: "max_ttl: a year-old approval in its last day does not count",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt = "2025-11-25T12:00:00Z" // expires 2026-11-26, 12h after now
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusTTLExceeded}},
		{name: "max_ttl: issued beyond the clock skew does not count",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt = "2026-11-25T12:05:01Z"
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusTTLExceeded}},
		{name: "max_ttl: issued within the clock skew counts",
			changes: []plan.Change{change("terraform_data.backup", plan.KindDelete)},
			approvals: func() []plan.Approval {
				st := backup()
				st.IssuedAt = "2026-11-25T12:05:00Z"
				return []plan.Approval{approve(t, st, f.alice, f.bob)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "no max_ttl: approvals with and without issued_at count, whatever their lifetime",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete), change("terraform_data.db2", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, issued(stmt("terraform_data.db", "delete"), "2020-01-01T00:00:00Z"), f.alice),
					approve(t, stmt("terraform_data.db2", "delete"), f.alice)}
			},
			decision: Allow, approved: []bool{true, true}, statuses: []Status{StatusValid, StatusValid}},
		{name: "moved and deleted: approval naming the previous address counts",
			changes: []plan.Change{moved(change("terraform_data.db", plan.KindDelete), "terraform_data.db_old")},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, from(stmt("terraform_data.db", "delete"), "terraform_data.db_old"), f.alice)}
			},
			decision: Allow, approved: []bool{true}, statuses: []Status{StatusValid}},
		{name: "moved and deleted: approval without from does not count",
			changes: []plan.Change{moved(change("terraform_data.db", plan.KindDelete), "terraform_data.db_old")},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongFrom}},
		{name: "moved and deleted: approval for another previous address does not count",
			changes: []plan.Change{moved(change("terraform_data.db", plan.KindDelete), "terraform_data.db_old")},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, from(stmt("terraform_data.db", "delete"), "terraform_data.db_other"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongFrom}},
		{name: "approval with from does not cover an unmoved change",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, from(stmt("terraform_data.db", "delete"), "terraform_data.db_old"), f.alice)}
			},
			decision: Block, approved: []bool{false}, statuses: []Status{StatusWrongFrom}},
		{name: "guarded update of a listed attribute",
			changes: []plan.Change{func() plan.Change {
				c := change("terraform_data.db_settings", plan.KindUpdate)
				c.ChangedAttributes = []string{"input"}
				return c
			}()},
			decision: Block, approved: []bool{false}},
		{name: "update of other attributes is not destructive",
			changes: []plan.Change{func() plan.Change {
				c := change("terraform_data.db_settings", plan.KindUpdate)
				c.ChangedAttributes = []string{"triggers_replace"}
				return c
			}()},
			decision: Allow},
		{name: "one of two blocked",
			changes: []plan.Change{change("terraform_data.db", plan.KindDelete), change("terraform_data.db_old", plan.KindDelete)},
			approvals: func() []plan.Approval {
				return []plan.Approval{approve(t, stmt("terraform_data.db", "delete"), f.alice)}
			},
			decision: Block, approved: []bool{true, false}, statuses: []Status{StatusValid}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &plan.Plan{FormatVersion: "1.2", TerraformVersion: "1.8.5", SHA256: "abc", Changes: c.changes}
			if c.approvals != nil {
				p.Approvals = c.approvals()
			}
			r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now, Author: c.author, Authors: c.authors})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Errorf("decision %s, want %s: %+v", r.Decision, c.decision, r)
			}
			if len(r.Changes) != len(c.approved) {
				t.Fatalf("%d changes reported, want %d: %+v", len(r.Changes), len(c.approved), r.Changes)
			}
			for i, want := range c.approved {
				if r.Changes[i].Approved != want {
					t.Errorf("change %s approved=%v, want %v (%v)", r.Changes[i].Address, r.Changes[i].Approved, want, r.Changes[i].Problems)
				}
				if r.Changes[i].Blocked() && len(r.Changes[i].Problems) == 0 {
					t.Errorf("blocked change %s has no problem stated", r.Changes[i].Address)
				}
			}
			if len(r.Approvals) != len(c.statuses) {
				t.Fatalf("%d approvals reported, want %d", len(r.Approvals), len(c.statuses))
			}
			for i, want := range c.statuses {
				if r.Approvals[i].Status != want {
					t.Errorf("approval %d status %s, want %s (%v)", i, r.Approvals[i].Status, want, r.Approvals[i].Problems)
				}
			}
		})
	}
}

// TestReportAuthors: the report's author stays the first author (the JSON
// contract), and authors lists them all when there are several.
func TestReportAuthors(t *testing.T) {
	f := setup(t)
	p := &plan.Plan{FormatVersion: "1.2", TerraformVersion: "1.8.5", SHA256: "abc"}
	for _, c := range []struct {
		author  string
		authors []string
		want    string
		wantAll []string
	}{
		{author: "alice@example.com", want: "alice@example.com"},
		{authors: []string{"alice@example.com"}, want: "alice@example.com"},
		{authors: []string{"alice@example.com", "bob@example.com", "Alice@example.com"}, want: "alice@example.com", wantAll: []string{"alice@example.com", "bob@example.com"}},
		{author: "carol@example.com", authors: []string{"carol@example.com", "bob@example.com"}, want: "carol@example.com", wantAll: []string{"carol@example.com", "bob@example.com"}},
	} {
		r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now, Author: c.author, Authors: c.authors})
		if err != nil {
			t.Fatal(err)
		}
		if r.Author != c.want || !slices.Equal(r.Authors, c.wantAll) {
			t.Errorf("author %q authors %q: report author %q authors %q, want %q %q", c.author, c.authors, r.Author, r.Authors, c.want, c.wantAll)
		}
	}
}

func TestDecideFailsClosed(t *testing.T) {
	f := setup(t)
	p := &plan.Plan{}
	for name, in := range map[string]Input{
		"no plan":   {Policy: f.pol, Trust: f.trust, Now: now},
		"no policy": {Plan: p, Trust: f.trust, Now: now},
		"no trust":  {Plan: p, Policy: f.pol, Now: now},
		"no clock":  {Plan: p, Policy: f.pol, Trust: f.trust},
	} {
		if r, err := Decide(in); err == nil {
			t.Errorf("%s: decided %+v", name, r)
		}
	}
}

func TestDeferredProtectedChangeBlocks(t *testing.T) {
	f := setup(t)
	p := &plan.Plan{Deferred: []plan.Change{change("terraform_data.db", plan.KindReplace)}}
	p.Approvals = []plan.Approval{approve(t, stmt("terraform_data.db", "replace"), f.alice)}
	r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != Block || len(r.Changes) != 1 || !r.Changes[0].Deferred {
		t.Fatalf("deferred protected replace: %+v", r)
	}
}

// TestApprovalReportsFromAndIssuedAt: the report shows the signed from and
// issued_at, and leaves them out of the JSON when absent.
func TestApprovalReportsFromAndIssuedAt(t *testing.T) {
	f := setup(t)
	st := stmt("terraform_data.db", "delete")
	st.From, st.IssuedAt = "terraform_data.db_old", "2026-11-25T11:00:00Z"
	c := change("terraform_data.db", plan.KindDelete)
	c.PreviousAddress = "terraform_data.db_old"
	p := &plan.Plan{Changes: []plan.Change{c}, Approvals: []plan.Approval{approve(t, st, f.alice), approve(t, stmt("terraform_data.cache", "delete"), f.alice)}}
	r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Approvals[0]; a.From != st.From || a.IssuedAt != st.IssuedAt || a.Status != StatusValid {
		t.Fatalf("approval report %+v", a)
	}
	b, err := json.Marshal(r.Approvals)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), `"from":`) != 1 || strings.Count(string(b), `"issued_at":`) != 1 {
		t.Fatalf("JSON %s: want from and issued_at only on the approval that has them", b)
	}
	// verify (no plan) checks them as part of the signed statement.
	edited := approve(t, st, f.alice)
	edited.IssuedAt = "2026-11-25T11:30:00Z"
	out, err := CheckApprovals(f.pol, f.trust, now, nil, []plan.Approval{approve(t, st, f.alice), edited})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Status != StatusValid || out[1].Status != StatusBadSignature {
		t.Fatalf("CheckApprovals: %+v", out)
	}
}
