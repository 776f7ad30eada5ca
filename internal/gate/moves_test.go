package gate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

const movesPolicySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  addresses = ["terraform_data.prod_db"]
}
protect "data" {
  addresses = ["module.data.**"]
  approvals = 2
}
protect "rds" {
  types     = ["aws_db_instance"]
  approvals = 3
  require_identity = true
}
protect "settings" {
  addresses  = ["terraform_data.settings"]
  actions    = ["update"]
  attributes = ["input"]
}
`

func mustPolicy(t *testing.T, src string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(src), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// find returns the report's change of address by action.
func find(r *Report, address, action string) (Change, bool) {
	for _, c := range r.Changes {
		if c.Address == address && c.Action == action {
			return c, true
		}
	}
	return Change{}, false
}

func moved(c plan.Change, from string) plan.Change {
	c.PreviousAddress = from
	return c
}

func TestMovesAndImports(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, movesPolicySrc)
	noop := func(addr string) plan.Change {
		c := change(addr, plan.KindCreate)
		c.Kind, c.Actions = plan.KindNoOp, []string{"no-op"}
		return c
	}
	prior := []plan.PriorObject{
		{Address: "terraform_data.prod_db", Type: "terraform_data", ID: "db-1"},
		{Address: "aws_db_instance.main", Type: "aws_db_instance", ID: "rds-1"},
		{Address: "terraform_data.scratch", Type: "terraform_data", ID: "scratch-1"},
	}
	type want struct {
		address, action string
		protected       bool
		approvals       int
		rules           []string
		judgedAs        string // an address among JudgedAs, or ""
	}
	cases := []struct {
		name     string
		changes  []plan.Change
		decision Decision
		want     []want
		absent   [][2]string // address, action that must not be listed
	}{
		{"moved out and deleted", []plan.Change{moved(change("terraform_data.junk", plan.KindDelete), "terraform_data.prod_db")}, Block,
			[]want{{"terraform_data.junk", "delete", true, 1, []string{"db"}, "terraform_data.prod_db"}}, [][2]string{{"terraform_data.junk", "move"}}},
		{"renamed out (kept in state)", []plan.Change{moved(noop("terraform_data.junk"), "terraform_data.prod_db")}, Block,
			[]want{{"terraform_data.junk", "move", true, 1, []string{"db"}, "terraform_data.prod_db"}}, nil},
		{"renamed and updated out", []plan.Change{moved(change("terraform_data.junk", plan.KindUpdate), "terraform_data.prod_db")}, Block,
			[]want{{"terraform_data.junk", "move", true, 1, []string{"db"}, "terraform_data.prod_db"}}, nil},
		{"module renamed out", []plan.Change{moved(noop("module.tmp.terraform_data.db"), "module.data.terraform_data.db")}, Block,
			[]want{{"module.tmp.terraform_data.db", "move", true, 2, []string{"data"}, "module.data.terraform_data.db"}}, nil},
		{"rename inside the glob is free", []plan.Change{moved(noop("module.data.terraform_data.db2"), "module.data.terraform_data.db")}, Allow,
			nil, [][2]string{{"module.data.terraform_data.db2", "move"}}},
		{"rename into stricter protection is free", []plan.Change{moved(noop("module.data.terraform_data.x"), "terraform_data.scratch")}, Allow,
			nil, [][2]string{{"module.data.terraform_data.x", "move"}}},
		{"rename of an unprotected resource is free", []plan.Change{moved(noop("terraform_data.scratch2"), "terraform_data.scratch")}, Allow, nil, nil},
		{"rename from one rule into another: only the left rule counts", []plan.Change{moved(noop("module.data.terraform_data.prod"), "terraform_data.prod_db")}, Block,
			[]want{{"module.data.terraform_data.prod", "move", true, 1, []string{"db"}, "terraform_data.prod_db"}}, nil},
		{"move across types out of a types rule", []plan.Change{moved(noop("terraform_data.main"), "aws_db_instance.main")}, Block,
			[]want{{"terraform_data.main", "move", true, 3, []string{"rds"}, "aws_db_instance.main"}}, nil},
		{"move across types, then deleted", []plan.Change{moved(change("terraform_data.main", plan.KindDelete), "aws_db_instance.main")}, Block,
			[]want{{"terraform_data.main", "delete", true, 3, []string{"rds"}, "aws_db_instance.main"}}, nil},
		{"forget is guarded by default", []plan.Change{change("terraform_data.prod_db", plan.KindForget)}, Block,
			[]want{{"terraform_data.prod_db", "forget", true, 1, []string{"db"}, ""}}, nil},
		{"import of a protected id, replaced", []plan.Change{func() plan.Change {
			c := change("terraform_data.junk", plan.KindReplace)
			c.Importing, c.ImportID, c.PriorID = true, "rds-1", "rds-1"
			return c
		}()}, Block, []want{{"terraform_data.junk", "replace", true, 3, []string{"rds"}, "aws_db_instance.main"}}, nil},
		{"import of an unknown id, replaced: strictest of the policy", []plan.Change{func() plan.Change {
			c := change("terraform_data.junk", plan.KindReplace)
			c.Importing, c.ImportID, c.PriorID = true, "elsewhere", "elsewhere"
			return c
		}()}, Block, []want{{"terraform_data.junk", "replace", true, 3, []string{ImportRule}, ""}}, nil},
		{"import without destruction is free", []plan.Change{func() plan.Change {
			c := noop("terraform_data.copy")
			c.Importing, c.ImportID, c.PriorID = true, "db-1", "db-1"
			return c
		}()}, Allow, nil, [][2]string{{"terraform_data.copy", "move"}}},
		{"delete of an object with a protected id elsewhere", []plan.Change{func() plan.Change {
			c := change("terraform_data.copy", plan.KindDelete)
			c.PriorID = "db-1"
			return c
		}()}, Block, []want{{"terraform_data.copy", "delete", true, 1, []string{"db"}, "terraform_data.prod_db"}}, nil},
		{"an unprotected id elsewhere changes nothing", []plan.Change{func() plan.Change {
			c := change("terraform_data.copy", plan.KindDelete)
			c.PriorID = "scratch-1"
			return c
		}()}, Allow, []want{{"terraform_data.copy", "delete", false, 0, []string{}, ""}}, nil},
		{"update of a guarded attribute after a move out", []plan.Change{func() plan.Change {
			c := moved(change("terraform_data.cfg", plan.KindUpdate), "terraform_data.settings")
			c.ChangedAttributes = []string{"input"}
			return c
		}()}, Block, []want{
			{"terraform_data.cfg", "update", true, 1, []string{"settings"}, "terraform_data.settings"},
			{"terraform_data.cfg", "move", true, 1, []string{"settings"}, "terraform_data.settings"},
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &plan.Plan{Changes: tc.changes, Prior: plan.NewPrior(prior)}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != tc.decision {
				t.Errorf("decision %s, want %s: %+v", r.Decision, tc.decision, r.Changes)
			}
			for _, w := range tc.want {
				c, ok := find(r, w.address, w.action)
				if !ok {
					t.Fatalf("no %s of %s in %+v", w.action, w.address, r.Changes)
				}
				if c.Protected != w.protected || c.RequiredApprovals != w.approvals || !slices.Equal(c.Rules, w.rules) {
					t.Errorf("%s %s: protected %v, %d approvals, rules %q; want %v, %d, %q", w.action, w.address, c.Protected, c.RequiredApprovals, c.Rules, w.protected, w.approvals, w.rules)
				}
				if w.judgedAs != "" && !slices.ContainsFunc(c.JudgedAs, func(s Subject) bool { return s.Address == w.judgedAs }) {
					t.Errorf("%s %s: judged as %+v, want %s among them", w.action, w.address, c.JudgedAs, w.judgedAs)
				}
			}
			for _, a := range tc.absent {
				if _, ok := find(r, a[0], a[1]); ok {
					t.Errorf("%s of %s listed: %+v", a[1], a[0], r.Changes)
				}
			}
		})
	}

	t.Run("protect_imports = false opts out only for unidentified objects", func(t *testing.T) {
		off := mustPolicy(t, "protect_imports = false\n"+movesPolicySrc)
		imp := func(id string) plan.Change {
			c := change("terraform_data.junk", plan.KindReplace)
			c.Importing, c.ImportID, c.PriorID = true, id, id
			return c
		}
		r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{imp("elsewhere")}, Prior: plan.NewPrior(prior)}, Policy: off, Trust: f.trust, Now: now})
		if err != nil || r.Decision != Allow {
			t.Fatalf("unidentified import with protect_imports = false: %v %+v", err, r)
		}
		r, err = Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{imp("db-1")}, Prior: plan.NewPrior(prior)}, Policy: off, Trust: f.trust, Now: now})
		if err != nil || r.Decision != Block {
			t.Fatalf("import of a protected id with protect_imports = false: %v %+v", err, r)
		}
	})

	t.Run("a deferred move is blocked", func(t *testing.T) {
		r, err := Decide(Input{Plan: &plan.Plan{Deferred: []plan.Change{moved(noop("terraform_data.junk"), "terraform_data.prod_db")}}, Policy: pol, Trust: f.trust, Now: now})
		if err != nil || r.Decision != Block {
			t.Fatalf("%v %+v", err, r)
		}
	})

	t.Run("an approval for the old address's delete does not count for the move", func(t *testing.T) {
		p := &plan.Plan{
			Changes:   []plan.Change{moved(noop("terraform_data.junk"), "terraform_data.prod_db")},
			Approvals: []plan.Approval{approve(t, stmt("terraform_data.prod_db", "delete"), f.alice)},
		}
		r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
		if err != nil || r.Decision != Block {
			t.Fatalf("%v %+v", err, r)
		}
	})
}

// TestRenameNeverUnblocks is the property the issue asks for: take a plan
// the gate blocks, rename every resource consistently (each change gets a
// new address, with previous_address the old one); the verdict must still
// be block, whatever the names, rules and approvals.
func TestRenameNeverUnblocks(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, movesPolicySrc)
	rng := rand.New(rand.NewPCG(1, 2))
	addrs := []string{"terraform_data.prod_db", "module.data.terraform_data.db", "module.data.module.x.terraform_data.y[0]",
		"aws_db_instance.main", "terraform_data.settings", "terraform_data.scratch", `module.data.terraform_data.z["a"]`}
	newNames := []string{"terraform_data.junk", "module.tmp.terraform_data.db", "aws_db_instance.other", "module.data.terraform_data.moved",
		"terraform_data.prod_db", "terraform_data.settings", "module.x.aws_db_instance.main", "terraform_data.prod_db2"}
	kinds := []plan.Kind{plan.KindDelete, plan.KindReplace, plan.KindForget, plan.KindUpdate, plan.KindNoOp}
	blocked, checked := 0, 0
	for i := 0; i < 3000; i++ {
		var p plan.Plan
		var prior []plan.PriorObject
		used := map[string]bool{}
		for j := 0; j < 1+rng.IntN(3); j++ {
			a := addrs[rng.IntN(len(addrs))]
			if used[a] {
				continue
			}
			used[a] = true
			c := change(a, kinds[rng.IntN(len(kinds))])
			if c.Kind == plan.KindNoOp {
				c.Actions = []string{"no-op"}
			}
			if strings.Contains(a, "aws_db_instance") {
				c.Type = "aws_db_instance"
			}
			if c.Kind == plan.KindUpdate {
				c.ChangedAttributes = []string{"input"}
			}
			p.Changes = append(p.Changes, c)
			prior = append(prior, plan.PriorObject{Address: a, Type: c.Type, ID: c.PriorID})
			if rng.IntN(3) == 0 && c.Kind != plan.KindNoOp {
				// An approval for the change as it stands.
				p.Approvals = append(p.Approvals, approve(t, stmt(a, string(c.Kind)), f.alice, f.bob))
			}
		}
		p.Prior = plan.NewPrior(prior)
		r, err := Decide(Input{Plan: &p, Policy: pol, Trust: f.trust, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if r.Decision != Block {
			continue
		}
		blocked++
		// Rename every change to a fresh address, types following.
		q := p
		q.Changes = nil
		taken := map[string]bool{}
		for _, c := range p.Changes {
			to := newNames[rng.IntN(len(newNames))]
			for taken[to] || to == c.Address {
				to = fmt.Sprintf("terraform_data.r%d", rng.IntN(1000))
			}
			taken[to] = true
			c.PreviousAddress, c.Address = c.Address, to
			c.Type = typeOf(to, c.Type)
			q.Changes = append(q.Changes, c)
		}
		r2, err := Decide(Input{Plan: &q, Policy: pol, Trust: f.trust, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if r2.Decision != Block {
			t.Fatalf("renaming unblocked a blocked plan:\nbefore %+v\nafter %+v\nreport %+v", p.Changes, q.Changes, r2.Changes)
		}
	}
	if blocked < 500 || checked != blocked {
		t.Fatalf("only %d blocked plans were renamed (%d checked)", blocked, checked)
	}
}
