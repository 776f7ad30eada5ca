package gate

import (
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// unknownPlan is the JSON of a plan (review gate32 M1) that creates
// sdkobj_file.x, whose id is unknown at plan (an SDKv2 provider's) and
// whose path, set by its configuration, is unknown too (path =
// "${PROD}${substr(sdkobj_file.seed.id, 0, 0)}"): at apply it is the
// production file's path. sdkobj_file.ok is an ordinary create of the same
// type with a known path; terraform_data.t has an unknown input but a type
// no protected object has; sdkobj_file.tmp is replaced with an unknown
// path. PRIOR is replaced by the prior state's resources.
const unknownPlan = `{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{"root_module":{}},"resource_changes":[` +
	`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
	`"after":{"content":"pwned"},"after_unknown":{"id":true,"path":true},"before_sensitive":false,"after_sensitive":{}}},` +
	`{"address":"sdkobj_file.ok","mode":"managed","type":"sdkobj_file","name":"ok","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
	`"after":{"path":"/srv/scratch/db","content":"db"},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}},` +
	`{"address":"terraform_data.t","mode":"managed","type":"terraform_data","name":"t","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,` +
	`"after":{"triggers_replace":null},"after_unknown":{"id":true,"input":true,"output":true},"before_sensitive":false,"after_sensitive":{}}}TMP` +
	`],"configuration":{"root_module":{"resources":[` +
	`{"address":"sdkobj_file.x","mode":"managed","type":"sdkobj_file","name":"x","expressions":{"path":{"references":["local.prod","sdkobj_file.seed.id","sdkobj_file.seed"]},"content":{"constant_value":"pwned"}}},` +
	`{"address":"sdkobj_file.ok","mode":"managed","type":"sdkobj_file","name":"ok","expressions":{"path":{"constant_value":"/srv/scratch/db"},"content":{"constant_value":"db"}}},` +
	`{"address":"sdkobj_file.tmp","mode":"managed","type":"sdkobj_file","name":"tmp","expressions":{"path":{"references":["var.p"]}}},` +
	`{"address":"terraform_data.t","mode":"managed","type":"terraform_data","name":"t","expressions":{"input":{"references":["sdkobj_file.seed.id"]}}}` +
	`]}},"prior_state":{"values":{"root_module":{"resources":[PRIOR]}}},"applyable":true,"complete":true,"errored":false}`

const unknownTmp = `,{"address":"sdkobj_file.tmp","mode":"managed","type":"sdkobj_file","name":"tmp","provider_name":"example.com/planguard/sdkobj","change":{"actions":["delete","create"],` +
	`"before":{"id":"/srv/tmp","path":"/srv/tmp"},"after":{},"after_unknown":{"id":true,"path":true},"before_sensitive":{},"after_sensitive":{}},"action_reason":"replace_because_cannot_update"}`

const unknownProdDB = `{"address":"sdkobj_file.db","mode":"managed","type":"sdkobj_file","name":"db","values":{"id":"/srv/prod/db","path":"/srv/prod/db","content":"postgres"}}`

// TestUnknownNames (review gate32 M1): a create whose new object's id is
// unknown at plan, of the type of an object an ids rule protects, with an
// attribute its configuration sets unknown at plan, may take that object
// over at apply: judged as a replace of it under its rules (names_id sees
// only known values). An ordinary create of the same type with known
// arguments, and a create of another type, stay allowed. The plan is read
// as planguard check reads it, so this fails if the reader drops the
// unknown attributes or the gate ignores them.
func TestUnknownNames(t *testing.T) {
	f := setup(t)
	read := func(t *testing.T, src, prior, tmp string) (*plan.Plan, *Input) {
		t.Helper()
		pol := mustPolicy(t, src)
		p, err := plan.Read("-", plan.Options{Stdin: strings.NewReader(strings.Replace(strings.Replace(unknownPlan, "PRIOR", prior, 1), "TMP", tmp, 1)), GateOnly: true,
			KeepPrior: KeepPrior(pol), KeepAfterString: KeepAfterString(pol), HostWriter: pol.WritesHost})
		if err != nil {
			t.Fatal(err)
		}
		return p, &Input{Plan: p, Policy: pol, Trust: f.trust, Now: now}
	}
	t.Run("the protected object in this state", func(t *testing.T) {
		_, in := read(t, namesPolicySrc, unknownProdDB, "")
		r, err := Decide(*in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Decision != Block || len(r.Changes) != 1 {
			t.Fatalf("decision %s, changes %+v: want the create of sdkobj_file.x blocked, and only it", r.Decision, r.Changes)
		}
		c := r.Changes[0]
		if c.Address != "sdkobj_file.x" || c.Action != "replace" || !slices.Equal(c.Rules, []string{"prod-db", "prod-db-id"}) || c.RequiredApprovals != 2 {
			t.Fatalf("change %+v, want replace of sdkobj_file.x under prod-db, prod-db-id", c)
		}
		if c.UnknownAttribute != "path" || c.TakesID != "/srv/prod/db" || len(c.JudgedAs) != 1 || c.JudgedAs[0].Why != SubjectUnknownNames || c.JudgedAs[0].Address != "sdkobj_file.db" {
			t.Errorf("unknown %q, takes %q, judged as %+v", c.UnknownAttribute, c.TakesID, c.JudgedAs)
		}
		if !slices.ContainsFunc(c.Problems, func(s string) bool {
			return strings.Contains(s, "attribute path of the new object is unknown at plan and the configuration sets it") &&
				strings.Contains(s, `"/srv/prod/db" (sdkobj_file.db)`) && strings.Contains(s, "approved as action replace of sdkobj_file.x")
		}) {
			t.Errorf("not explained: %q", c.Problems)
		}
		// Approved by two as a replace of sdkobj_file.x, bound to the one
		// object it may take over or to none: allowed; to another: not.
		for _, tc := range []struct {
			identity string
			want     Decision
		}{{"/srv/prod/db", Allow}, {"", Allow}, {"/srv/other", Block}} {
			st := stmt("sdkobj_file.x", "replace")
			st.Identity = tc.identity
			in.Plan.Approvals = []plan.Approval{approve(t, st, f.alice, f.bob)}
			if r, err := Decide(*in); err != nil || r.Decision != tc.want {
				t.Errorf("approval bound to %q: %v, %+v; want %s", tc.identity, err, r, tc.want)
			}
		}
	})
	t.Run("a replace whose new path is unknown", func(t *testing.T) {
		_, in := read(t, namesPolicySrc, unknownProdDB+`,{"address":"sdkobj_file.tmp","mode":"managed","type":"sdkobj_file","name":"tmp","values":{"id":"/srv/tmp","path":"/srv/tmp"}}`, unknownTmp)
		r, err := Decide(*in)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := find(r, "sdkobj_file.tmp", "replace")
		if !ok || !c.Protected || c.UnknownAttribute != "path" || r.Decision != Block {
			t.Errorf("replace: %+v (found %v), decision %s", c, ok, r.Decision)
		}
	})
	t.Run("no protected object of that type in this state", func(t *testing.T) {
		p, in := read(t, namesPolicySrc, "", "")
		r, err := Decide(*in)
		if err != nil || r.Decision != Allow || len(r.Changes) != 0 {
			t.Errorf("%v, decision %s, changes %+v: want allowed", err, r.Decision, r.Changes)
		}
		if len(p.Changes) == 0 {
			t.Errorf("the reader dropped the creates with unknown attributes")
		}
	})
	t.Run("an ids rule naming the type", func(t *testing.T) {
		_, in := read(t, namesPolicySrc+"protect \"files\" {\n  types = [\"sdkobj_*\"]\n  ids = [\"/srv/prod/*\"]\n}\n", "", "")
		r, err := Decide(*in)
		if err != nil || r.Decision != Block || len(r.Changes) != 1 {
			t.Fatalf("%v, decision %s, changes %+v: want the create of sdkobj_file.x blocked, and only it", err, r.Decision, r.Changes)
		}
		c := r.Changes[0]
		if c.Address != "sdkobj_file.x" || !slices.Equal(c.Rules, []string{"files"}) || c.UnknownAttribute != "path" || c.TakesID != "" {
			t.Errorf("change %+v", c)
		}
		if !slices.ContainsFunc(c.Problems, func(s string) bool {
			return strings.Contains(s, "the id of any protected object of type sdkobj_file")
		}) {
			t.Errorf("not explained: %q", c.Problems)
		}
	})
	t.Run("no ids rules", func(t *testing.T) {
		_, in := read(t, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"sdkobj_file.db\"]\n}\n", unknownProdDB, "")
		if r, err := Decide(*in); err != nil || r.Decision != Allow {
			t.Errorf("%v, %+v: want allowed (an address rule does not follow ids)", err, r)
		}
	})
	t.Run("another type listed in written_by (review gate33 H1)", func(t *testing.T) {
		src := strings.Replace(namesPolicySrc, "approvals = 2\n", "approvals = 2\n  written_by = [\"terraform_data\"]\n", 1)
		_, in := read(t, src, unknownProdDB, "")
		r, err := Decide(*in)
		if err != nil || r.Decision != Block {
			t.Fatalf("%v, decision %s", err, r.Decision)
		}
		c, ok := find(r, "terraform_data.t", "replace")
		if !ok || !slices.Equal(c.Rules, []string{"prod-db", "prod-db-id"}) || c.UnknownAttribute != "input" || len(c.JudgedAs) != 1 || c.JudgedAs[0].Address != "sdkobj_file.db" || c.JudgedAs[0].Why != SubjectUnknownNames {
			t.Errorf("terraform_data.t: %+v (found %v): want a replace of sdkobj_file.db for its unknown input", c, ok)
		}
		if _, ok := find(r, "sdkobj_file.x", "replace"); !ok {
			t.Errorf("sdkobj_file.x no longer judged: %+v", r.Changes)
		}
		// Another type listed: terraform_data is not a writer.
		src = strings.Replace(namesPolicySrc, "approvals = 2\n", "approvals = 2\n  written_by = [\"sdkother_file\"]\n", 1)
		_, in = read(t, src, unknownProdDB, "")
		r, err = Decide(*in)
		if err != nil || len(r.Changes) != 1 || r.Changes[0].Address != "sdkobj_file.x" {
			t.Errorf("%v, changes %+v: want only sdkobj_file.x judged", err, r.Changes)
		}
	})
	t.Run("a block a dynamic block writes (review gate33 H2)", func(t *testing.T) {
		// The plan JSON leaves dynamic blocks out of expressions: sdkobj_file.d
		// shows only content, while after_unknown has target[0].path.
		dyn := `,{"address":"sdkobj_file.d","mode":"managed","type":"sdkobj_file","name":"d","provider_name":"example.com/planguard/sdkobj","change":{"actions":["create"],"before":null,` +
			`"after":{"content":"pwned","target":[{}]},"after_unknown":{"id":true,"arn":true,"target":[{"path":true}]},"before_sensitive":false,"after_sensitive":{}}}`
		src := strings.Replace(unknownPlan, `"resources":[{"address":"sdkobj_file.x"`, `"resources":[{"address":"sdkobj_file.d","mode":"managed","type":"sdkobj_file","name":"d","expressions":{"content":{"constant_value":"pwned"}}},{"address":"sdkobj_file.x"`, 1)
		if src == unknownPlan {
			t.Fatal("fixture not edited")
		}
		pol := mustPolicy(t, namesPolicySrc)
		p, err := plan.Read("-", plan.Options{Stdin: strings.NewReader(strings.Replace(strings.Replace(src, "PRIOR", unknownProdDB, 1), "TMP", dyn, 1)), GateOnly: true,
			KeepPrior: KeepPrior(pol), KeepAfterString: KeepAfterString(pol), HostWriter: pol.WritesHost})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
		if err != nil || r.Decision != Block {
			t.Fatalf("%v, decision %s", err, r.Decision)
		}
		if c, ok := find(r, "sdkobj_file.d", "replace"); !ok || c.UnknownAttribute != "target" || c.JudgedAs[0].Address != "sdkobj_file.db" {
			t.Errorf("sdkobj_file.d: %+v (found %v): want a replace of sdkobj_file.db for its unknown target", c, ok)
		}
	})
}
