package gate

import (
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

const idsPolicySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "prod-db" {
  addresses = ["terraform_data.prod_db"]
}
protect "prod-db-id" {
  ids       = ["/srv/prod/db", "prod-db-?", "arn:aws:rds:*:*:db:prod-m*"]
  approvals = 2
}
protect "buckets" {
  types = ["aws_s3_bucket"]
  ids   = ["acme-state-*"]
}
`

// TestIDsFollowTheObject: an ids rule protects the object whose prior id,
// or one value of whose prior identity, matches it, under any address and
// type, whatever else the plan says (no other object in the prior state
// to match it against: the attacker's own state).
func TestIDsFollowTheObject(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	const rdsIdentity = `{"account_id":"123456789012","arn":"arn:aws:rds:eu-west-1:123456789012:db:prod-main","region":"eu-west-1"}`
	for _, tc := range []struct {
		name  string
		pc    plan.Change
		rules []string // nil: not protected
	}{
		{"ids only, by id, any address", withID(change("terraform_data.old_tmp", plan.KindDelete), "/srv/prod/db", ""), []string{"prod-db-id"}},
		{"ids only, by id, another type", withType(withID(change("planguardtest_object.x", plan.KindForget), "/srv/prod/db", ""), "planguardtest_object"), []string{"prod-db-id"}},
		{"ids only, by identity value", withID(change("aws_db_instance.tmp", plan.KindReplace), "db-XYZ", rdsIdentity), []string{"prod-db-id"}},
		{"glob ?", withID(change("terraform_data.y", plan.KindDelete), "prod-db-7", ""), []string{"prod-db-id"}},
		{"glob ? is one character", withID(change("terraform_data.y", plan.KindDelete), "prod-db-17", ""), nil},
		{"an identity key is not a value", withID(change("terraform_data.y", plan.KindDelete), "x", `{"prod-db-1":"x"}`), nil},
		{"address rule and ids", withID(change("terraform_data.prod_db", plan.KindDelete), "/srv/prod/db", ""), []string{"prod-db", "prod-db-id"}},
		{"address rule alone", withID(change("terraform_data.prod_db", plan.KindDelete), "/srv/other", ""), []string{"prod-db"}},
		{"types and ids: by id at another type", withType(withID(change("terraform_data.b", plan.KindDelete), "acme-state-eu", ""), "terraform_data"), []string{"buckets"}},
		{"types and ids: by type", withType(withID(change("aws_s3_bucket.logs", plan.KindDelete), "logs", ""), "aws_s3_bucket"), []string{"buckets"}},
		{"moved to another address and deleted", moved(withID(change("terraform_data.junk", plan.KindDelete), "/srv/prod/db", ""), "terraform_data.prod_db"), []string{"prod-db", "prod-db-id"}},
		{"unprotected id", withID(change("terraform_data.scratch", plan.KindDelete), "/srv/scratch", ""), nil},
		// Another spelling of a protected id (r16e): normalised, and
		// matched by its tails and the glob's after "/" and ":".
		{"doubled slash", withID(change("terraform_data.legacy", plan.KindDelete), "/srv//prod/db", ""), []string{"prod-db-id"}},
		{"trailing slash and case", withID(change("terraform_data.legacy", plan.KindDelete), "/SRV/prod/db/", ""), []string{"prod-db-id"}},
		{"dot segments", withID(change("terraform_data.legacy", plan.KindDelete), "/srv/x/.././prod/db", ""), []string{"prod-db-id"}},
		{"white space and backslashes", withID(change("terraform_data.legacy", plan.KindDelete), " \\srv\\prod\\db ", ""), []string{"prod-db-id"}},
		{"a relative spelling", withID(change("terraform_data.legacy", plan.KindDelete), "prod/db", ""), []string{"prod-db-id"}},
		{"an ARN for a protected name", withID(change("aws_db_instance.legacy", plan.KindDelete), "arn:aws:rds:eu-west-1:123456789012:db:PROD-DB-7", ""), []string{"prod-db-id"}},
		{"a name for a protected ARN", withID(change("aws_db_instance.legacy", plan.KindDelete), "prod-main", ""), []string{"prod-db-id"}},
		{"a longer name is another object", withID(change("terraform_data.legacy", plan.KindDelete), "/srv/prod/db-old", ""), nil},
		{"a prefix is another object", withID(change("terraform_data.legacy", plan.KindDelete), "/srv/prod", ""), nil},
		{"an import of the id that replaces it", importing(withID(change("terraform_data.adopted", plan.KindReplace), "", ""), "/srv/prod/db"), []string{"prod-db-id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{tc.pc}}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			c, ok := find(r, tc.pc.Address, string(tc.pc.Kind))
			if !ok {
				t.Fatalf("no change reported: %+v", r.Changes)
			}
			if tc.rules == nil {
				if c.Protected || r.Decision != Allow {
					t.Errorf("protected: %+v", c)
				}
				return
			}
			if !c.Protected || !slices.Equal(c.Rules, tc.rules) || r.Decision != Block {
				t.Errorf("rules %v protected %v decision %s, want %v", c.Rules, c.Protected, r.Decision, tc.rules)
			}
			if slices.Contains(c.Rules, ImportRule) {
				t.Errorf("an import of a protected id is that object's change, not an unknown import: %v", c.Rules)
			}
		})
	}

	// Approved by two, naming the address in this plan: allowed.
	pc := withID(change("terraform_data.old_tmp", plan.KindDelete), "/srv/prod/db", "")
	p := &plan.Plan{Changes: []plan.Change{pc}, Approvals: []plan.Approval{approve(t, stmt(pc.Address, "delete"), f.alice, f.bob)}}
	if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("approved delete of an ids-protected object: %v %+v", err, r)
	}
	p.Approvals = p.Approvals[:0]
	p.Approvals = append(p.Approvals, approve(t, stmt(pc.Address, "delete"), f.alice))
	if r, _ := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); r.Decision != Block || r.Changes[0].RequiredApprovals != 2 {
		t.Errorf("one of two approvals: %+v", r.Changes[0])
	}

	// A plain import (the plan destroys nothing) is allowed: the rule
	// follows the id into the new state and meets any later delete there.
	imp := importing(withID(change("terraform_data.adopted", plan.KindCreate), "", ""), "/srv/prod/db")
	if r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{imp}}, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("plain import: %v %+v", err, r)
	}
}

// TestIDsAndMoves: a moved block never carries an object out of an ids
// rule (it follows the object), and still needs the approvals of an
// address rule it leaves.
func TestIDsAndMoves(t *testing.T) {
	f := setup(t)
	mixed := mustPolicy(t, `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "prod-db" {
  addresses = ["terraform_data.prod_db"]
  ids       = ["/srv/prod/db"]
}
`)
	split := mustPolicy(t, idsPolicySrc)
	noop := func(id string) plan.Change {
		c := moved(withID(change("terraform_data.elsewhere", plan.KindNoOp), id, ""), "terraform_data.prod_db")
		c.Actions = []string{"no-op"}
		return c
	}
	for _, tc := range []struct {
		name  string
		pol   string
		pc    plan.Change
		rules []string // of the move; nil for none
	}{
		{"one rule by address and id: the id stays under it", "mixed", noop("/srv/prod/db"), nil},
		{"one rule, another id: the object leaves it", "mixed", noop("/srv/other"), []string{"prod-db"}},
		{"address rule left, ids rule kept", "split", noop("/srv/prod/db"), []string{"prod-db"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol := map[string]*Input{"mixed": {Policy: mixed}, "split": {Policy: split}}[tc.pol].Policy
			r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{tc.pc}}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			c, ok := find(r, tc.pc.Address, ActionMove)
			if tc.rules == nil {
				if ok {
					t.Errorf("a move reported: %+v", c)
				}
				return
			}
			if !ok || !slices.Equal(c.Rules, tc.rules) {
				t.Errorf("move %+v (found %v), want rules %v", c, ok, tc.rules)
			}
		})
	}
}

// TestIDsAcrossAddresses: an object of the prior state that an ids rule
// protects is found through a change's id or identity under another
// address, and it is kept by KeepPrior for that.
func TestIDsAcrossAddresses(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	keep := KeepPrior(pol)
	const identity = `{"name":"main","zone":"z1"}`
	prodObj := plan.PriorObject{Address: "aws_db_instance.main", Type: "aws_db_instance", ID: "prod-db-1", Identity: identity}
	other := plan.PriorObject{Address: "aws_db_instance.reports", Type: "aws_db_instance", ID: "reports-1"}
	var kept []plan.PriorObject
	for _, o := range []plan.PriorObject{prodObj, other} {
		if keep(o.Address, o.Type, o.ID, o.Identity) {
			kept = append(kept, o)
		}
	}
	if len(kept) != 1 || kept[0].Address != prodObj.Address {
		t.Fatalf("KeepPrior kept %+v", kept)
	}
	if !keep("x.y", "x", "", `{"arn":"arn:aws:rds:eu-west-1:1:db:prod-ma"}`) || !keep("terraform_data.prod_db", "terraform_data", "", `{"a":"b"}`) {
		t.Error("KeepPrior: by identity value, by address")
	}
	// The copy has the prod object's identity, not its id: judged as it.
	pc := withID(change("aws_db_instance.copy", plan.KindDelete), "db-COPY", identity)
	pc.Type = "aws_db_instance"
	r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{pc}, Prior: plan.NewPrior(kept)}, Policy: pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := find(r, pc.Address, "delete")
	if !c.Protected || !slices.Equal(c.Rules, []string{"prod-db-id"}) || len(c.JudgedAs) != 1 || c.JudgedAs[0].Why != SubjectSameIdentity || c.JudgedAs[0].Address != prodObj.Address {
		t.Errorf("same identity: %+v", c)
	}
}

func withID(c plan.Change, id, identity string) plan.Change {
	c.PriorID, c.PriorIdentity = id, identity
	return c
}

func withType(c plan.Change, typ string) plan.Change {
	c.Type = typ
	return c
}

func importing(c plan.Change, id string) plan.Change {
	c.Importing, c.ImportID = true, id
	return c
}

// TestIDsTakeover: a change whose new object gets, by its known after id
// or after identity, the id of a protected object (which its prior object
// did not have) takes that object over: a create writes over it (found by
// an attacker's review: a new file at the production object's path). It is
// judged as a replace of the protected object, by the ids rule or by the
// rules of the prior object with that id, and an approval for replace
// binding that id allows it.
func TestIDsTakeover(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc)
	const rdsIdentity = `{"account_id":"1","arn":"arn:aws:rds:eu-west-1:1:db:prod-main","region":"eu-west-1"}`
	create := func(addr, afterID, afterIdentity string) plan.Change {
		c := withID(change(addr, plan.KindCreate), "", "")
		c.AfterID, c.AfterIdentity = afterID, afterIdentity
		return c
	}
	prodObj := plan.PriorObject{Address: "terraform_data.prod_db", Type: "terraform_data", ID: "/srv/by-address"}
	for _, tc := range []struct {
		name   string
		pc     plan.Change
		action string
		rules  []string // nil: not reported as protected
	}{
		{"create with a protected id", create("terraform_data.twin", "/srv/prod/db", ""), "replace", []string{"prod-db-id"}},
		{"create with a protected identity value", create("aws_db_instance.twin", "db-NEW", rdsIdentity), "replace", []string{"prod-db-id"}},
		{"create over a prior object protected by address", create("terraform_data.twin", "/srv/by-address", ""), "replace", []string{"prod-db"}},
		{"create with another id", create("terraform_data.new", "/srv/new", ""), "", nil},
		{"create with an unknown id", create("terraform_data.new", "", ""), "", nil},
		{"replace whose new object takes a protected id", func() plan.Change {
			c := withID(change("terraform_data.scratch", plan.KindReplace), "/srv/scratch", "")
			c.AfterID = "/srv/prod/db"
			return c
		}(), "replace", []string{"prod-db-id"}},
		{"replace keeping its own protected id", func() plan.Change {
			c := withID(change("terraform_data.x", plan.KindReplace), "/srv/prod/db", "")
			c.AfterID = "/srv/prod/db"
			return c
		}(), "replace", []string{"prod-db-id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &plan.Plan{Changes: []plan.Change{tc.pc}, Prior: plan.NewPrior([]plan.PriorObject{prodObj})}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if tc.rules == nil {
				if len(r.Changes) != 0 || r.Decision != Allow {
					t.Errorf("reported: %+v", r.Changes)
				}
				return
			}
			c, ok := find(r, tc.pc.Address, tc.action)
			if !ok || !c.Protected || !slices.Equal(c.Rules, tc.rules) || r.Decision != Block {
				t.Fatalf("change %+v (found %v), decision %s, want rules %v", c, ok, r.Decision, tc.rules)
			}
			if tc.pc.Kind == plan.KindCreate && (c.TakesID == "" || !slices.ContainsFunc(c.Problems, func(s string) bool { return strings.Contains(s, "takes over") })) {
				t.Errorf("the takeover is not explained: %+v", c)
			}
		})
	}

	// Approved as a replace binding the protected id, by two: allowed.
	pc := create("terraform_data.twin", "/srv/prod/db", "")
	st := stmt(pc.Address, "replace")
	st.Identity = "/srv/prod/db"
	p := &plan.Plan{Changes: []plan.Change{pc}, Approvals: []plan.Approval{approve(t, st, f.alice, f.bob)}}
	if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("approved takeover: %v %+v", err, r)
	}
	st.Identity = "/srv/other"
	p.Approvals = []plan.Approval{approve(t, st, f.alice, f.bob)}
	if r, _ := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); r.Decision != Block {
		t.Errorf("an approval bound to another object allowed the takeover: %+v", r.Changes)
	}
}
