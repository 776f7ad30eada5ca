package plan

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The identity of the prod database in the hand-built fixtures, in its
// canonical form (RFC 8785: members sorted, no white space).
const prodIdentity = `{"account_id":"123456789012","identifier":"prod-db","region":"eu-west-1"}`

// TestHandbuiltIdentity: Terraform 1.12's resource identities are read
// (before_identity of changes, importing.identity, identity of prior_state
// resources) in their canonical form, by both readers.
func TestHandbuiltIdentity(t *testing.T) {
	p, err := sameAsFull(t, readFixture(t, filepath.Join("handbuilt", "identity_1_12.json")))
	if err != nil {
		t.Fatal(err)
	}
	reports := `{"account_id":"123456789012","identifier":"reports-db","region":"eu-west-1"}`
	if len(p.Changes) != 2 || p.Changes[0].PriorIdentity != prodIdentity || p.Changes[0].PriorID != "db-ABC123" ||
		p.Changes[1].PriorIdentity != reports || p.Changes[0].ImportIdentity != "" {
		t.Errorf("Changes = %+v", p.Changes)
	}
	wantPrior := NewPrior([]PriorObject{
		{Address: "aws_db_instance.reports", Type: "aws_db_instance", ID: "db-REP456", Identity: reports},
		{Address: "aws_db_instance.prod", Type: "aws_db_instance", ID: "db-ABC123", Identity: prodIdentity},
	})
	if !p.Prior.Equal(wantPrior) {
		t.Errorf("Prior = %+v\nwant %+v", p.Prior.Objects(), wantPrior.Objects())
	}
	if got := p.Prior.ByIdentity(reports); len(got) != 1 || got[0].Address != "aws_db_instance.reports" || got[0].ID != "db-REP456" {
		t.Errorf("ByIdentity(reports) = %+v", got)
	}
	if got := p.Prior.ByID("db-ABC123"); len(got) != 1 || got[0].Address != "aws_db_instance.prod" {
		t.Errorf("ByID(db-ABC123) = %+v", got)
	}

	p, err = sameAsFull(t, readFixture(t, filepath.Join("handbuilt", "identity_import_1_12.json")))
	if err != nil {
		t.Fatal(err)
	}
	c := p.Changes[0]
	if c.Address != "aws_db_instance.copy" || c.Kind != KindReplace || !c.Importing || c.ImportID != "" || c.ImportIdentity != prodIdentity || c.PriorIdentity != prodIdentity {
		t.Errorf("import by identity: %+v", c)
	}
}

// TestIdentityShapes: an identity is an object or null; {} and null are no
// identity; anything else, or an object without a canonical form, is an
// edited plan, refused by both readers wherever an identity stands.
func TestIdentityShapes(t *testing.T) {
	withIdentity := func(key, v string) string {
		return planJSON(strings.Replace(rcDelete, `"after":null,`, `"after":null,"`+key+`":`+v+`,`, 1))
	}
	for v, want := range map[string]string{
		`null`:                    "",
		`{}`:                      "",
		`{ "b" : 1.50, "a":"x"}`:  `{"a":"x","b":1.5}`,
		`{"id":"x","n":[1,true]}`: `{"id":"x","n":[1,true]}`,
	} {
		p, err := sameAsFull(t, []byte(withIdentity("before_identity", v)))
		if err != nil || p.Changes[0].PriorIdentity != want {
			t.Errorf("before_identity %s: %v, %+v; want %q", v, err, p, want)
		}
	}
	for _, v := range []string{`"x"`, `1`, `true`, `["a"]`, `{"a":1,"a":2}`, `{"n":12345678901234567891}`} {
		for _, key := range []string{"before_identity", "after_identity"} {
			if _, err := sameAsFull(t, []byte(withIdentity(key, v))); !errors.Is(err, ErrMalformed) {
				t.Errorf("%s %s: %v, want ErrMalformed", key, v, err)
			}
		}
		imp := planJSON(strings.Replace(rcDelete, `"after":null,`, `"after":null,"importing":{"identity":`+v+`},`, 1))
		if _, err := sameAsFull(t, []byte(imp)); !errors.Is(err, ErrMalformed) {
			t.Errorf("importing.identity %s: %v, want ErrMalformed", v, err)
		}
		prior := strings.Replace(planJSON(rcDelete), `"resource_changes":`, `"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":{"id":"x"},"identity":`+v+`}]}}},"resource_changes":`, 1)
		if _, err := sameAsFull(t, []byte(prior)); !errors.Is(err, ErrMalformed) {
			t.Errorf("prior_state identity %s: %v, want ErrMalformed", v, err)
		}
	}
	// A case variant of an identity key is ambiguous, as elsewhere.
	if _, err := sameAsFull(t, []byte(withIdentity("Before_Identity", `{"id":"y"}`))); !errors.Is(err, ErrMalformed) {
		t.Errorf("Before_Identity: %v", err)
	}
}

// TestHandbuiltActions: Terraform 1.14's action_invocations are read, with
// their trigger, by both readers; their providers count as used.
func TestHandbuiltActions(t *testing.T) {
	p, err := sameAsFull(t, readFixture(t, filepath.Join("handbuilt", "actions_1_14.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []ActionInvocation{
		{Address: "action.aws_ec2_stop_instance.prod_db_host", Type: "aws_ec2_stop_instance", Name: "prod_db_host",
			ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: TriggerInvoke},
		{Address: "action.aws_lambda_invoke.notify", Type: "aws_lambda_invoke", Name: "notify",
			ProviderName: "registry.terraform.io/hashicorp/aws", Trigger: TriggerLifecycle,
			TriggeringResource: "terraform_data.deploy", Event: "after_create"},
	}
	if !reflect.DeepEqual(p.ActionInvocations, want) {
		t.Errorf("ActionInvocations = %+v\nwant %+v", p.ActionInvocations, want)
	}
	if !reflect.DeepEqual(p.Providers, []string{"registry.terraform.io/hashicorp/aws", "terraform.io/builtin/terraform"}) {
		t.Errorf("Providers = %q", p.Providers)
	}
}

// TestActionShapes: an invocation this reader does not understand is an
// error, not something to read past: the gate could not judge it.
func TestActionShapes(t *testing.T) {
	inv := `{"address":"action.x_act.a","type":"x_act","name":"a","provider_name":"registry.terraform.io/x/x","invoke_action_trigger":{}}`
	plan := func(list string) string {
		return strings.Replace(planJSON(rcDelete), `"resource_changes":`, `"action_invocations":`+list+`,"resource_changes":`, 1)
	}
	for _, list := range []string{`null`, `[]`, `[` + inv + `]`,
		`[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"invoke_action_trigger":{},"config_values":{"a":1},"new_key":1`, 1) + `]`} {
		if _, err := sameAsFull(t, []byte(plan(list))); err != nil {
			t.Errorf("%s: %v", list, err)
		}
	}
	for name, list := range map[string]string{
		"not a list":              `{}`,
		"element not an object":   `[1]`,
		"no address":              `[` + strings.Replace(inv, `"address":"action.x_act.a",`, ``, 1) + `]`,
		"no type":                 `[` + strings.Replace(inv, `"type":"x_act",`, ``, 1) + `]`,
		"address not a string":    `[` + strings.Replace(inv, `"action.x_act.a"`, `5`, 1) + `]`,
		"no trigger":              `[` + strings.Replace(inv, `,"invoke_action_trigger":{}`, ``, 1) + `]`,
		"null trigger":            `[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"invoke_action_trigger":null`, 1) + `]`,
		"unknown trigger":         `[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"timer_action_trigger":{"every":"1h"}`, 1) + `]`,
		"two triggers":            `[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"invoke_action_trigger":{},"lifecycle_action_trigger":{"triggering_resource_address":"x.y","action_trigger_event":"after_create"}`, 1) + `]`,
		"lifecycle without event": `[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"lifecycle_action_trigger":{"triggering_resource_address":"x.y"}`, 1) + `]`,
		"trigger not an object":   `[` + strings.Replace(inv, `"invoke_action_trigger":{}`, `"invoke_action_trigger":true`, 1) + `]`,
		"case variant":            `[` + strings.Replace(inv, `"type":"x_act"`, `"Type":"y_act","type":"x_act"`, 1) + `]`,
		"duplicate key":           `[` + strings.Replace(inv, `"type":"x_act"`, `"type":"y_act","type":"x_act"`, 1) + `]`,
	} {
		if _, err := sameAsFull(t, []byte(plan(list))); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	if _, err := sameAsFull(t, []byte(strings.Replace(plan(`[]`), `"action_invocations"`, `"Action_Invocations"`, 1))); !errors.Is(err, ErrMalformed) {
		t.Errorf("Action_Invocations: %v", err)
	}
}
