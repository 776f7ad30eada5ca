package gate

import (
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// namesPlan is the JSON of a plan (as an SDKv2 provider makes it: the new
// object's id is unknown until the apply) that creates sdkobj_file.x with
// the path of the protected object, the production file /srv/prod/db.
// PRIOR is replaced by the prior state's resources.
const namesPlan = `{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{"root_module":{}},"resource_changes":[` +
	`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
	`"after":{"path":"/srv/prod/db","content":"pwned"},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}},` +
	`{"address":"sdkobj_file.ok","mode":"managed","type":"sdkobj_file","name":"ok","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
	`"after":{"path":"/srv/scratch/db","content":"db"},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}}` +
	`],"configuration":{"root_module":{"resources":[` +
	`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","expressions":{"path":{"constant_value":"/srv/prod/db"},"content":{"constant_value":"pwned"}}},` +
	`{"address":"sdkobj_file.ok","mode":"managed","type":"sdkobj_file","name":"ok","expressions":{"path":{"constant_value":"/srv/scratch/db"},"content":{"constant_value":"db"}}}` +
	`]}},"prior_state":{"values":{"root_module":{"resources":[PRIOR]}}},"applyable":true,"complete":true,"errored":false}`

const namesPolicySrc = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "prod-db" {
  addresses = ["sdkobj_file.db"]
}
protect "prod-db-id" {
  ids       = ["/srv/prod/db", "arn:aws:rds:*:*:db:prod-m*"]
  approvals = 2
}
`

// TestIDsNamedByAttribute (review gate30 F1): a create whose new object's
// id is unknown at plan, and a known value of whose attributes names a
// protected id (a file's path), takes that object over at the apply: the
// provider writes over the production file. The plan is read as planguard
// check reads it (GateOnly, with the gate's filters), so this fails if the
// reader drops the values or the gate ignores them. Judged as a replace of
// the protected object under the ids rule, with or without a prior object
// of that id in this state (then under that object's rules too).
func TestIDsNamedByAttribute(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, namesPolicySrc)
	read := func(t *testing.T, prior string) *plan.Plan {
		t.Helper()
		p, err := plan.Read("-", plan.Options{Stdin: strings.NewReader(strings.Replace(namesPlan, "PRIOR", prior, 1)), GateOnly: true,
			KeepPrior: KeepPrior(pol), KeepAfterString: KeepAfterString(pol), HostWriter: pol.WritesHost})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	const prodDB = `{"address":"sdkobj_file.db","mode":"managed","type":"sdkobj_file","name":"db","values":{"id":"/srv/prod/db","path":"/srv/prod/db","content":"postgres"}}`
	for _, tc := range []struct {
		name, prior string
		rules       []string
		judgedAs    []Subject
	}{
		{"no object of that id in this state", "", []string{"prod-db-id"}, nil},
		{"the production object in this state", prodDB, []string{"prod-db", "prod-db-id"}, []Subject{{Address: "sdkobj_file.db", Type: "sdkobj_file", Why: SubjectNamesID}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: read(t, tc.prior), Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != Block || len(r.Changes) != 1 {
				t.Fatalf("decision %s, changes %+v: want the create blocked, and only it", r.Decision, r.Changes)
			}
			c, ok := find(r, "sdkobj_file.x", "replace")
			if !ok || !c.Protected || !slices.Equal(c.Rules, tc.rules) || c.RequiredApprovals != 2 {
				t.Fatalf("change %+v (found %v), want replace under %v", c, ok, tc.rules)
			}
			if c.TakesID != "/srv/prod/db" || c.TakesIDAttribute != "path" {
				t.Errorf("takes_id %q from %q, want /srv/prod/db from path", c.TakesID, c.TakesIDAttribute)
			}
			if len(c.JudgedAs) != len(tc.judgedAs) || (len(tc.judgedAs) > 0 && (c.JudgedAs[0].Address != tc.judgedAs[0].Address || c.JudgedAs[0].Why != SubjectNamesID)) {
				t.Errorf("judged as %+v, want %+v", c.JudgedAs, tc.judgedAs)
			}
			if !slices.ContainsFunc(c.Problems, func(s string) bool {
				return strings.Contains(s, `attribute path = "/srv/prod/db" names the protected id`) && strings.Contains(s, "approved as action replace of sdkobj_file.x")
			}) {
				t.Errorf("the takeover is not explained: %q", c.Problems)
			}
		})
	}

	// Approved as a replace of the new address by two: allowed, bound to
	// the named id or to no object; bound to another object: not.
	p := read(t, prodDB)
	for _, tc := range []struct {
		identity string
		want     Decision
	}{{"/srv/prod/db", Allow}, {"", Allow}, {"/srv/other", Block}} {
		st := stmt("sdkobj_file.x", "replace")
		st.Identity = tc.identity
		p.Approvals = []plan.Approval{approve(t, st, f.alice, f.bob)}
		if r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); err != nil || r.Decision != tc.want {
			t.Errorf("approval bound to %q: %v, %+v; want %s", tc.identity, err, r, tc.want)
		}
	}
	p.Approvals = []plan.Approval{approve(t, stmt("sdkobj_file.x", "replace"), f.alice)}
	if r, _ := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); r.Decision != Block {
		t.Errorf("one of two approvals allowed the takeover")
	}
}

// TestIDsNamedByAttributeCases: what counts as naming a protected id, and
// what does not (the false-positive cost is kept to ids rules, creates and
// replaces whose id is unknown, and values that name the whole id).
func TestIDsNamedByAttributeCases(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, namesPolicySrc)
	named := func(c plan.Change, attr, v string) plan.Change {
		c.Type = "sdkobj_file"
		c.AfterStrings = append(c.AfterStrings, plan.AfterString{Attribute: attr, Value: v})
		return c
	}
	create := func(addr string) plan.Change { return withID(change(addr, plan.KindCreate), "", "") }
	replace := withID(change("sdkobj_file.tmp", plan.KindReplace), "/srv/tmp", "")
	update := withID(change("sdkobj_file.u", plan.KindUpdate), "/srv/u", "")
	knownID := create("sdkobj_file.k")
	knownID.AfterID = "/srv/new"
	for _, tc := range []struct {
		name   string
		pc     plan.Change
		action string // "": not reported
	}{
		{"path names the protected file", named(create("sdkobj_file.x"), "path", "/srv/prod/db"), "replace"},
		{"another spelling of it", named(create("sdkobj_file.x"), "path", "/SRV//prod/./db/"), "replace"},
		{"a relative path to it", named(create("sdkobj_file.x"), "path", "../../srv/prod/db"), "replace"},
		{"nested, an ARN", named(create("aws_db_snapshot.s"), "source[0].arn", "arn:aws:rds:eu-west-1:1:db:prod-main"), "replace"},
		{"a replace whose new object names it", named(replace, "path", "/srv/prod/db"), "replace"},
		{"a short name alone", named(create("sdkobj_file.x"), "name", "db"), ""},
		{"a short name of a protected ARN", named(create("aws_security_group.web"), "name", "prod-main"), ""},
		{"another file", named(create("sdkobj_file.x"), "path", "/srv/prod/db2"), ""},
		{"a create whose id is known (judged by that id)", named(knownID, "path", "/srv/prod/db"), ""},
		{"an update", named(update, "content", "/srv/prod/db"), ""},
		{"no values kept (a reader without the filter)", create("sdkobj_file.x"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: &plan.Plan{Changes: []plan.Change{tc.pc}}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if tc.action == "" {
				for _, c := range r.Changes {
					if c.Protected || c.TakesID != "" {
						t.Errorf("reported: %+v", c)
					}
				}
				if r.Decision != Allow {
					t.Errorf("decision %s", r.Decision)
				}
				return
			}
			c, ok := find(r, tc.pc.Address, tc.action)
			if !ok || !c.Protected || !slices.Contains(c.Rules, "prod-db-id") || c.TakesIDAttribute == "" || r.Decision != Block {
				t.Fatalf("change %+v (found %v), decision %s", c, ok, r.Decision)
			}
		})
	}

	// A deferred create naming the id: blocked (it cannot be approved yet).
	p := &plan.Plan{Deferred: []plan.Change{named(create("sdkobj_file.x"), "path", "/srv/prod/db")}}
	if r, _ := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}); r.Decision != Block || len(r.Changes) != 1 || !r.Changes[0].Deferred {
		t.Errorf("deferred: %+v", r.Changes)
	}

	// The filter is nil without ids rules (nothing is kept), and keeps
	// exactly what the gate judges.
	if KeepAfterString(f.pol) != nil {
		t.Error("KeepAfterString of a policy without ids rules is not nil")
	}
	keep := KeepAfterString(pol)
	for v, want := range map[string]bool{"/srv/prod/db": true, "db": false, "pwned": false, "arn:aws:rds:x:1:db:prod-main": true} {
		if keep(v) != want {
			t.Errorf("KeepAfterString(%q) = %v", v, !want)
		}
	}
}
