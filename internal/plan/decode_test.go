package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
)

// A resource change as Terraform 1.8 prints it (from testdata/terraform/delete.json).
const rcDelete = `{"address":"terraform_data.db","mode":"managed","type":"terraform_data","name":"db","provider_name":"terraform.io/builtin/terraform","change":{"actions":["delete"],"before":{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null},"after":null,"after_unknown":{},"before_sensitive":{},"after_sensitive":false},"action_reason":"delete_because_no_resource_config"}`

// planJSON builds a minimal plan around the given resource_changes
// elements, with a prior_state that holds each managed change's before
// value (as Terraform writes it) when the change is valid JSON.
func planJSON(changes ...string) string {
	var prior []string
	for _, c := range changes {
		var rc struct {
			Address, Mode, Type, Deposed string
			Change                       struct{ Before json.RawMessage }
		}
		if json.Unmarshal([]byte(c), &rc) != nil || rc.Mode != "managed" || len(rc.Change.Before) == 0 || string(rc.Change.Before) == "null" {
			continue
		}
		r, _ := json.Marshal(map[string]any{"address": rc.Address, "mode": "managed", "type": rc.Type, "deposed_key": rc.Deposed, "values": rc.Change.Before})
		prior = append(prior, string(r))
	}
	ps := ""
	if len(prior) > 0 {
		ps = `"prior_state":{"values":{"root_module":{"resources":[` + strings.Join(prior, ",") + `]}}},`
	}
	return `{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{"root_module":{}},"resource_changes":[` +
		strings.Join(changes, ",") + `],` + ps + `"applyable":true,"complete":true,"errored":false}`
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeBoth decodes s with Decode, checking that the reference decoder
// DecodeFull agrees (see sameAsFull).
func decodeBoth(t testing.TB, s string) (*Plan, error) {
	t.Helper()
	return sameAsFull(t, []byte(s))
}

func TestDecodeMinimal(t *testing.T) {
	p, err := decodeBoth(t, planJSON(rcDelete))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{{
		Address: "terraform_data.db", Type: "terraform_data", Name: "db",
		ProviderName: "terraform.io/builtin/terraform", Actions: []string{"delete"},
		Kind: KindDelete, ActionReason: "delete_because_no_resource_config", PriorID: "5e8f2288",
	}}
	if !reflect.DeepEqual(p.Changes, want) {
		t.Errorf("Changes = %+v\nwant %+v", p.Changes, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	del := string(readFixture(t, "terraform/delete.json"))
	// noChanges is a real plan whose resource_changes key is removed.
	var m map[string]json.RawMessage
	if err := json.Unmarshal(readFixture(t, "terraform/no_changes.json"), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "resource_changes")
	noChanges, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	rc := func(old, repl string) string {
		s := strings.Replace(rcDelete, old, repl, 1)
		if s == rcDelete {
			panic("no replacement of " + old)
		}
		return planJSON(s)
	}

	tests := []struct {
		name, in string
		err      error
		msg      string // a part of the message
	}{
		{"empty", "", ErrNotAPlan, "empty input"},
		{"white space", " \n", ErrNotAPlan, "empty input"},
		{"not an object", `["format_version"]`, ErrNotAPlan, "not an object"},
		{"string", `"plan"`, ErrNotAPlan, "not an object"},
		{"not JSON", `plan`, ErrMalformed, "invalid JSON"},
		{"truncated", del[:len(del)/2], ErrMalformed, "truncated"},
		{"truncated in string", del[:20], ErrMalformed, "truncated"},
		{"truncated at end", strings.TrimSpace(del)[:len(strings.TrimSpace(del))-1], ErrMalformed, "truncated"},
		{"trailing garbage", del + "x", ErrMalformed, "trailing data"},
		{"trailing object", del + "{}", ErrMalformed, "trailing data"},
		{"trailing plan", del + del, ErrMalformed, "trailing data"},
		{"syntax error inside", strings.Replace(del, `"actions":`, `"actions"=`, 1), ErrMalformed, "invalid JSON"},
		{"duplicate top-level key", strings.Replace(del, `{"format_version":"1.2",`, `{"format_version":"1.2","format_version":"1.2",`, 1), ErrMalformed, `duplicate key "format_version"`},
		{"duplicate resource_changes", strings.Replace(del, `"resource_changes":`, `"resource_changes":[],"resource_changes":`, 1), ErrMalformed, `duplicate key "resource_changes"`},
		{"duplicate errored", strings.Replace(del, `"errored":false`, `"errored":true,"errored":false`, 1), ErrErrored, "errored"},
		{"duplicate key in change", rc(`"actions":["delete"]`, `"actions":["delete"],"actions":["no-op"]`), ErrMalformed, `duplicate key "actions"`},
		{"duplicate key in resource change", rc(`"mode":"managed"`, `"mode":"managed","mode":"data"`), ErrMalformed, `duplicate key "mode"`},
		{"duplicate key in before", rc(`"id":"5e8f2288"`, `"id":"5e8f2288","id":"other"`), ErrMalformed, `duplicate key "id"`},
		{"key differing only in case", strings.Replace(del, `"resource_changes":`, `"resource_changes":[],"Resource_Changes":`, 1), ErrMalformed, `"Resource_Changes" in the plan differs from "resource_changes" only in case`},
		{"key differing only in Unicode case", strings.Replace(del, `"resource_changes":`, `"resource_changes":[],"re\u017fource_changes":`, 1), ErrMalformed, "only in case"},
		{"change key differing only in case", rc(`"actions":["delete"]`, `"actions":["no-op"],"ACTIONS":["delete"]`), ErrMalformed, `"ACTIONS" in resource_changes[0].change differs from "actions"`},
		{"resource change key differing only in case", rc(`"mode":"managed"`, `"mode":"data","Mode":"managed"`), ErrMalformed, `"Mode" in resource_changes[0] differs`},
		{"format_version 2.0", strings.Replace(del, `"format_version":"1.2"`, `"format_version":"2.0"`, 1), ErrUnsupportedFormat, `"2.0"`},
		{"format_version 0.0", strings.Replace(del, `"format_version":"1.2"`, `"format_version":"0.0"`, 1), ErrUnsupportedFormat, `"0.0"`},
		{"format_version 1", strings.Replace(del, `"format_version":"1.2"`, `"format_version":"1"`, 1), ErrUnsupportedFormat, "not a version"},
		{"format_version words", strings.Replace(del, `"format_version":"1.2"`, `"format_version":"one.two"`, 1), ErrUnsupportedFormat, "not a version"},
		{"format_version number", strings.Replace(del, `"format_version":"1.2"`, `"format_version":1.2`, 1), ErrMalformed, "format_version must be a string"},
		{"format_version null", strings.Replace(del, `"format_version":"1.2"`, `"format_version":null`, 1), ErrMalformed, "format_version must be a string"},
		{"missing format_version", strings.Replace(del, `"format_version":"1.2",`, ``, 1), ErrNotAPlan, "no format_version"},
		{"errored", strings.Replace(del, `"errored":false`, `"errored":true`, 1), ErrErrored, "plan again"},
		{"errored not bool", strings.Replace(del, `"errored":false`, `"errored":"false"`, 1), ErrMalformed, "errored must be a boolean"},
		{"errored fixture tofu", string(readFixture(t, "tofu/errored.json")), ErrErrored, "errored"},
		{"unknown action", rc(`"actions":["delete"]`, `"actions":["obliterate"]`), ErrMalformed, `unknown action "obliterate"`},
		{"unknown action in pair", rc(`"actions":["delete"]`, `"actions":["delete","recreate"]`), ErrMalformed, `unknown action "recreate"`},
		{"empty actions", rc(`"actions":["delete"]`, `"actions":[]`), ErrMalformed, "empty actions"},
		{"null actions", rc(`"actions":["delete"]`, `"actions":null`), ErrMalformed, "must be a list"},
		{"missing actions", rc(`"actions":["delete"],`, ``), ErrMalformed, "no change.actions"},
		{"action not a string", rc(`"actions":["delete"]`, `"actions":[1]`), ErrMalformed, "must be a string"},
		{"unknown combination", rc(`"actions":["delete"]`, `"actions":["update","create"]`), ErrMalformed, "unknown combination of actions [update,create]"},
		{"delete delete", rc(`"actions":["delete"]`, `"actions":["delete","delete"]`), ErrMalformed, "unknown combination"},
		{"three actions", rc(`"actions":["delete"]`, `"actions":["delete","create","delete"]`), ErrMalformed, "unknown combination"},
		{"missing change", planJSON(`{"address":"terraform_data.db","mode":"managed","type":"terraform_data","name":"db"}`), ErrMalformed, "has no change"},
		{"missing address", rc(`"address":"terraform_data.db",`, ``), ErrMalformed, "resource_changes[0] has no address"},
		{"empty address", rc(`"address":"terraform_data.db"`, `"address":""`), ErrMalformed, "has no address"},
		{"missing type", rc(`"type":"terraform_data",`, ``), ErrMalformed, "has no type"},
		{"missing mode", rc(`"mode":"managed",`, ``), ErrMalformed, "has no mode"},
		{"unknown mode", rc(`"mode":"managed"`, `"mode":"ephemeral"`), ErrMalformed, `unknown mode "ephemeral"`},
		{"address not a string", rc(`"address":"terraform_data.db"`, `"address":["terraform_data.db"]`), ErrMalformed, "address must be a string"},
		{"before not an object", rc(`"before":{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`, `"before":"db"`), ErrMalformed, "before must be an object"},
		{"resource change not an object", planJSON(`"terraform_data.db"`), ErrMalformed, "resource_changes[0] must be an object"},
		{"resource_changes not a list", strings.Replace(del, `"resource_changes":[`, `"resource_changes":{"x":[`, 1), ErrMalformed, ""},
		{"resource_changes null", `{"format_version":"1.2","planned_values":{},"resource_changes":null}`, ErrMalformed, "resource_changes must be a list"},
		{"state not plan", `{"format_version":"1.0","terraform_version":"1.8.5","values":{"root_module":{"resources":[{"address":"terraform_data.db","mode":"managed"}]}}}`, ErrNotAPlan, "no planned_values"},
		{"no resource_changes but resources", string(noChanges), ErrMalformed, "no resource_changes"},
		{"no resource_changes but managed in prior_state", `{"format_version":"1.2","planned_values":{"root_module":{}},"prior_state":{"values":{"root_module":{"child_modules":[{"resources":[{"address":"terraform_data.db","type":"terraform_data","mode":"managed"}]}]}}}}`, ErrMalformed, "no resource_changes"},
		{"managed prior object without address", `{"format_version":"1.2","planned_values":{"root_module":{}},"prior_state":{"values":{"root_module":{"resources":[{"type":"terraform_data","mode":"managed","values":{"id":"x"}}]}}},"resource_changes":[]}`, ErrMalformed, "without an address or type"},
		{"duplicate id in prior values", `{"format_version":"1.2","planned_values":{"root_module":{}},"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.db","type":"terraform_data","mode":"managed","values":{"id":"a","id":"b"}}]}}},"resource_changes":[]}`, ErrMalformed, "duplicate key"},
		{"case variant in prior resource", `{"format_version":"1.2","planned_values":{"root_module":{}},"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.db","Address":"terraform_data.x","type":"terraform_data","mode":"managed","values":{"id":"a"}}]}}},"resource_changes":[]}`, ErrMalformed, "only in case"},
		{"duplicate id in importing", strings.Replace(del, `"actions":["delete"]`, `"actions":["delete"],"importing":{"id":"a","id":"b"}`, 1), ErrMalformed, "duplicate key"},
		{"case variant in importing", strings.Replace(del, `"actions":["delete"]`, `"actions":["delete"],"importing":{"ID":"a"}`, 1), ErrMalformed, "only in case"},
		{"importing not an object", strings.Replace(del, `"actions":["delete"]`, `"actions":["delete"],"importing":"a"`, 1), ErrMalformed, "importing must be an object"},
		{"deferred without resource_change", strings.Replace(del, `"resource_changes":`, `"deferred_changes":[{"reason":"provider_config_unknown"}],"resource_changes":`, 1), ErrMalformed, "no resource_change"},
		{"drift with unknown action", strings.Replace(del, `"resource_changes":`, `"resource_drift":[`+strings.Replace(rcDelete, `["delete"]`, `["vanish"]`, 1)+`],"resource_changes":`, 1), ErrMalformed, `resource_drift[0] (terraform_data.db): malformed plan JSON: unknown action "vanish"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeBoth(t, tt.in)
			if err == nil {
				t.Fatalf("no error; plan %+v", p)
			}
			if p != nil {
				t.Errorf("plan %+v returned with error", p)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %q does not wrap %q", err, tt.err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct{ name, in string }{
		{"format 0.1", strings.Replace(planJSON(rcDelete), `"1.2"`, `"0.1"`, 1)},
		{"format 0.2", strings.Replace(planJSON(rcDelete), `"1.2"`, `"0.2"`, 1)},
		{"format 1.0", strings.Replace(planJSON(rcDelete), `"1.2"`, `"1.0"`, 1)},
		{"format 1.99", strings.Replace(planJSON(rcDelete), `"1.2"`, `"1.99"`, 1)},
		{"format 1.2.0", strings.Replace(planJSON(rcDelete), `"1.2"`, `"1.2.0"`, 1)},
		{"leading and trailing white space", "\n\t " + planJSON(rcDelete) + "\r\n \n"},
		{"unknown keys", strings.Replace(planJSON(rcDelete), `"errored":false`, `"errored":false,"future":{"x":[1,{"y":null}]},"resource_drift":[]`, 1)},
		{"key order", `{"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":` +
			`{"triggers_replace":null,"output":"prod-db","input":"prod-db","id":"5e8f2288"}}]}}},"resource_changes":[` + rcDelete + `],"planned_values":{"root_module":{}},"format_version":"1.2"}`},
		{"no resources at all", `{"format_version":"1.2","planned_values":{"root_module":{}}}`},
		{"only data sources", `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"mode":"data","values":{"mode":"managed"}}]}},"prior_state":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeBoth(t, tt.in); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDataSourcesExcluded(t *testing.T) {
	data := `{"address":"data.terraform_remote_state.x","mode":"data","type":"terraform_remote_state","name":"x","provider_name":"terraform.io/builtin/terraform","change":{"actions":["read"],"before":null,"after":{"backend":"local"},"after_unknown":{"outputs":true}},"action_reason":"read_because_config_unknown"}`
	p, err := decodeBoth(t, planJSON(data, rcDelete, strings.Replace(data, `["read"]`, `["no-op"]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Address != "terraform_data.db" {
		t.Errorf("Changes = %+v", p.Changes)
	}
	// A data source's actions are still validated.
	if _, err := decodeBoth(t, planJSON(strings.Replace(data, `["read"]`, `["fetch"]`, 1))); !errors.Is(err, ErrMalformed) {
		t.Errorf("unknown data source action: %v", err)
	}
	// Terraform only reads data sources: a data source with any other
	// action is an edited plan (in resource_changes, resource_drift and
	// deferred_changes alike), refused by both readers.
	for _, actions := range []string{`["delete"]`, `["create"]`, `["update"]`, `["forget"]`, `["delete","create"]`, `["create","forget"]`} {
		bad := strings.Replace(data, `["read"]`, actions, 1)
		for _, in := range []string{
			planJSON(rcDelete, bad),
			strings.Replace(planJSON(rcDelete), `"resource_changes":`, `"resource_drift":[`+bad+`],"resource_changes":`, 1),
			strings.Replace(planJSON(rcDelete), `"resource_changes":`, `"deferred_changes":[{"reason":"provider_config_unknown","resource_change":`+bad+`}],"resource_changes":`, 1),
		} {
			_, err := decodeBoth(t, in)
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "data source with actions") {
				t.Errorf("data source with actions %s: %v", actions, err)
			}
		}
	}
}

func TestChangedAttributes(t *testing.T) {
	mk := func(actions, before, after, unknown, extra string) string {
		return `{"address":"x_thing.a","mode":"managed","type":"x_thing","name":"a","provider_name":"registry.terraform.io/x/x","change":{"actions":` +
			actions + `,"before":` + before + `,"after":` + after + `,"after_unknown":` + unknown + extra + `}}`
	}
	tests := []struct {
		name string
		rc   string
		want []string
	}{
		{"same values, sensitivity change ignored",
			mk(`["update"]`, `{"id":"i-1","a":"x","b":{"k":[1,2]}}`, `{"id":"i-1","a":"x","b":{"k":[1,2]}}`, `{}`, `,"before_sensitive":{},"after_sensitive":{"a":true}`), nil},
		{"top-level changes",
			mk(`["update"]`, `{"id":"i-1","a":"x","b":{"k":[1,2]},"c":null,"gone":1}`, `{"id":"i-1","a":"y","b":{"k":[1,3]},"c":null,"new":true}`, `{}`, ""), []string{"a", "b", "gone", "new"}},
		{"key order in nested objects does not matter",
			mk(`["update"]`, `{"b":{"k":1,"l":2}}`, `{"b":{"l":2,"k":1}}`, `{}`, ""), nil},
		{"nested unknown",
			mk(`["update"]`, `{"id":"i-1","tags":{"a":"1"},"deletion_protection":true}`, `{"id":"i-1","tags":{},"deletion_protection":true}`, `{"tags":{"a":true}}`, ""), []string{"tags"}},
		{"unknown false markers",
			mk(`["update"]`, `{"id":"i-1","list":["a"]}`, `{"id":"i-1","list":["a"]}`, `{"list":[false]}`, ""), nil},
		{"replace with whole after unknown",
			mk(`["delete","create"]`, `{"id":"i-1","a":"x"}`, `{}`, `true`, ""), []string{"a", "id"}},
		{"delete has none",
			mk(`["delete"]`, `{"id":"i-1"}`, `null`, `{}`, ""), nil},
		{"create has none",
			mk(`["create"]`, `null`, `{"a":"x"}`, `{"id":true}`, ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeBoth(t, planJSON(tt.rc))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Changes[0].ChangedAttributes; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ChangedAttributes = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPriorID(t *testing.T) {
	for before, want := range map[string]string{
		`{"id":"db-1"}`:       "db-1",
		`{"id":12}`:           "",
		`{"id":null}`:         "",
		`{"name":"x"}`:        "",
		`{"id":"a\"b\u00e9"}`: "a\"bé",
	} {
		rc := strings.Replace(rcDelete, `{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`, before, 1)
		p, err := decodeBoth(t, planJSON(rc))
		if err != nil {
			t.Fatalf("%s: %v", before, err)
		}
		if got := p.Changes[0].PriorID; got != want {
			t.Errorf("before %s: PriorID = %q, want %q", before, got, want)
		}
	}
}

// approvalChange builds a planguard_approval resource change.
func approvalChange(name, actions, before, after, unknown string) string {
	return fmt.Sprintf(`{"address":"planguard_approval.%s","mode":"managed","type":"planguard_approval","name":%q,"provider_name":"registry.terraform.io/planguard/planguard","change":{"actions":%s,"before":%s,"after":%s,"after_unknown":%s,"before_sensitive":{},"after_sensitive":{}}}`,
		name, name, actions, before, after, unknown)
}

const approvalValue = `{"id":"ap-1","scope":"prod","target":"module.data.terraform_data.db[\"a\"]","action":"delete","reason":"CHG-1042: retire","expires_at":"2026-12-01T00:00:00Z","identity":null,"signatures":[{"principal":"alice@example.com","signature":"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"},{"principal":"bob@example.com","signature":"sig-b","extra":1}]}`

func TestApprovals(t *testing.T) {
	unknownSigs := strings.Replace(approvalValue, `"signatures":[{"principal":"alice@example.com","signature":"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"},{"principal":"bob@example.com","signature":"sig-b","extra":1}]`, `"signatures":[{"principal":"alice@example.com"}]`, 1)
	unknownTarget := strings.Replace(approvalValue, `"target":"module.data.terraform_data.db[\"a\"]",`, ``, 1)
	moved := strings.Replace(approvalValue, `"identity":null,`, `"identity":null,"from":"terraform_data.old_db","issued_at":"2026-11-24T09:30:00Z",`, 1)
	movedNulls := strings.Replace(approvalValue, `"identity":null,`, `"identity":null,"from":null,"issued_at":null,`, 1)
	fromUnknown := strings.Replace(approvalValue, `"identity":null,`, `"identity":null,"issued_at":"2026-11-24T09:30:00Z",`, 1)
	issuedUnknown := strings.Replace(approvalValue, `"identity":null,`, `"identity":null,"from":"terraform_data.old_db",`, 1)
	p, err := decodeBoth(t, planJSON(
		approvalChange("created", `["create"]`, `null`, approvalValue, `{"id":true}`),
		approvalChange("kept", `["no-op"]`, approvalValue, approvalValue, `{}`),
		approvalChange("replaced", `["delete","create"]`, approvalValue, approvalValue, `{"id":true}`),
		approvalChange("deleted", `["delete"]`, approvalValue, `null`, `{}`),
		approvalChange("forgotten", `["forget"]`, approvalValue, `null`, `{}`),
		approvalChange("sigs_unknown", `["create"]`, `null`, unknownSigs, `{"id":true,"signatures":[{"signature":true}]}`),
		approvalChange("target_unknown", `["create"]`, `null`, unknownTarget, `{"id":true,"target":true}`),
		approvalChange("all_unknown", `["create"]`, `null`, `{}`, `true`),
		approvalChange("nulls", `["create"]`, `null`, `{"scope":null,"signatures":null}`, `{}`),
		approvalChange("moved", `["create"]`, `null`, moved, `{"id":true}`),
		approvalChange("moved_nulls", `["create"]`, `null`, movedNulls, `{"id":true}`),
		approvalChange("from_unknown", `["create"]`, `null`, fromUnknown, `{"id":true,"from":true}`),
		approvalChange("issued_unknown", `["create"]`, `null`, issuedUnknown, `{"id":true,"issued_at":true}`),
		rcDelete,
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 14 {
		t.Errorf("%d changes, want all 14 (approvals are changes too)", len(p.Changes))
	}
	sigs := []Signature{
		{Principal: "alice@example.com", Signature: "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"},
		{Principal: "bob@example.com", Signature: "sig-b"},
	}
	full := func(addr string, kind Kind) Approval {
		return Approval{Address: "planguard_approval." + addr, Kind: kind, Known: true, Statement: approval.Statement{Scope: "prod",
			Target: `module.data.terraform_data.db["a"]`, Action: "delete", Reason: "CHG-1042: retire",
			ExpiresAt: "2026-12-01T00:00:00Z"}, Signatures: sigs}
	}
	sigsUnknown := full("sigs_unknown", KindCreate)
	sigsUnknown.Known, sigsUnknown.Signatures = false, nil
	targetUnknown := full("target_unknown", KindCreate)
	targetUnknown.Known, targetUnknown.Target = false, ""
	withMove := full("moved", KindCreate)
	withMove.From, withMove.IssuedAt = "terraform_data.old_db", "2026-11-24T09:30:00Z"
	withFromUnknown := full("from_unknown", KindCreate)
	withFromUnknown.Known, withFromUnknown.IssuedAt = false, "2026-11-24T09:30:00Z"
	withIssuedUnknown := full("issued_unknown", KindCreate)
	withIssuedUnknown.Known, withIssuedUnknown.From = false, "terraform_data.old_db"
	want := []Approval{
		full("created", KindCreate),
		full("kept", KindNoOp),
		full("replaced", KindReplace),
		sigsUnknown,
		targetUnknown,
		{Address: "planguard_approval.all_unknown", Kind: KindCreate},
		{Address: "planguard_approval.nulls", Kind: KindCreate, Known: true},
		withMove,
		full("moved_nulls", KindCreate),
		withFromUnknown,
		withIssuedUnknown,
	}
	if !reflect.DeepEqual(p.Approvals, want) {
		t.Errorf("Approvals =\n%+v\nwant\n%+v", p.Approvals, want)
	}

	// Wrong types in an approval are errors.
	for _, bad := range []string{
		strings.Replace(approvalValue, `"scope":"prod"`, `"scope":1`, 1),
		strings.Replace(approvalValue, `"identity":null`, `"identity":null,"from":["terraform_data.a"]`, 1),
		strings.Replace(approvalValue, `"identity":null`, `"identity":null,"issued_at":20261124`, 1),
		strings.Replace(approvalValue, `"principal":"bob@example.com"`, `"principal":["bob"]`, 1),
		strings.Replace(approvalValue, `"signatures":[`, `"signatures":{"x":[`, 1) + "}",
	} {
		_, err := decodeBoth(t, planJSON(approvalChange("bad", `["create"]`, `null`, bad, `{}`)))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("approval %s: error %v, want ErrMalformed", bad, err)
		}
	}
}

func TestDeferredAndDrift(t *testing.T) {
	deferred := `{"reason":"provider_config_unknown","resource_change":` + strings.Replace(rcDelete, `"action_reason":"delete_because_no_resource_config"`, `"action_reason":"replace_because_cannot_update"`, 1) + `}`
	deferredData := `{"reason":"resource_config_unknown","resource_change":{"address":"data.x.y","mode":"data","type":"x","name":"y","change":{"actions":["read"]}}}`
	drift := strings.Replace(rcDelete, `"action_reason":"delete_because_no_resource_config"`, `"previous_address":"terraform_data.old"`, 1)
	drift = strings.Replace(drift, `["delete"]`, `["update"]`, 1)
	drift = strings.Replace(drift, `"after":null`, `"after":{"id":"5e8f2288","input":"changed","output":"prod-db","triggers_replace":null}`, 1)
	in := strings.Replace(planJSON(rcDelete), `"resource_changes":`,
		`"resource_drift":[`+drift+`],"deferred_changes":[`+deferred+`,`+deferredData+`],"resource_changes":`, 1)
	p, err := decodeBoth(t, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Deferred) != 1 || p.Deferred[0].Kind != KindDelete || p.Deferred[0].ActionReason != "provider_config_unknown" || p.Deferred[0].PriorID != "5e8f2288" {
		t.Errorf("Deferred = %+v", p.Deferred)
	}
	if len(p.Drift) != 1 || p.Drift[0].Kind != KindUpdate || p.Drift[0].PreviousAddress != "terraform_data.old" ||
		!reflect.DeepEqual(p.Drift[0].ChangedAttributes, []string{"input"}) {
		t.Errorf("Drift = %+v", p.Drift)
	}
	if len(p.Changes) != 1 || len(p.Approvals) != 0 {
		t.Errorf("Changes = %+v, Approvals = %+v", p.Changes, p.Approvals)
	}
}

// TestDecodeLarge checks that many changes and large skipped sections
// decode correctly.
func TestDecodeLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format_version":"1.2","configuration":{"root_module":{"resources":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"address":"terraform_data.r%d","expressions":{"input":{"constant_value":"%s"}}}`, i, strings.Repeat("x", 100))
	}
	b.WriteString(`]}},"planned_values":{"root_module":{"resources":[{"mode":"managed"}]}},"resource_changes":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strings.Replace(rcDelete, `terraform_data.db`, fmt.Sprintf("terraform_data.r%d", i), 1))
	}
	b.WriteString(`],"prior_state":{"values":{"root_module":{"resources":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"address":"terraform_data.r%d","mode":"managed","type":"terraform_data","values":{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}}`, i)
	}
	b.WriteString(`]}}}}`)
	p, err := decodeBoth(t, b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2000 || p.Changes[1999].Address != "terraform_data.r1999" {
		t.Errorf("%d changes", len(p.Changes))
	}
}

func TestDecodeUTF8(t *testing.T) {
	valid := strings.ReplaceAll(planJSON(rcDelete), `"prod-db"`, `"prød-db ✓ 𝄞 \u00e9"`)
	for name, r := range map[string]io.Reader{
		"whole":    strings.NewReader(valid),
		"one byte": iotest.OneByteReader(strings.NewReader(valid)),
		"half":     iotest.HalfReader(strings.NewReader(valid)),
		"data err": iotest.DataErrReader(strings.NewReader(valid)),
	} {
		if _, err := Decode(r); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, in := range map[string]string{
		"invalid byte":      strings.Replace(valid, "ø", "\xff", 1),
		"truncated rune":    strings.Replace(valid, "𝄞", "\xf0\x9d\x84", 1),
		"overlong encoding": strings.Replace(valid, "ø", "\xc0\xaf", 1),
		"surrogate":         strings.Replace(valid, "ø", "\xed\xa0\x80", 1),
		"in a skipped key":  strings.Replace(valid, `"errored":false`, "\"errored\":false,\"x\xfe\":1", 1),
	} {
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			if _, err := Decode(r); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("%s: error %v, want invalid UTF-8", name, err)
			}
		}
		if _, err := DecodeFull(strings.NewReader(in)); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("%s: DecodeFull error %v, want invalid UTF-8", name, err)
		}
	}
}

func TestDecodeReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(planJSON(rcDelete)[:50]), iotest.ErrReader(errors.New("disk on fire")))
	if _, err := Decode(r); err == nil || !strings.Contains(err.Error(), "disk on fire") || errors.Is(err, ErrMalformed) {
		t.Errorf("error %v", err)
	}
}
