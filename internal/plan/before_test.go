package plan

import (
	"errors"
	"strings"
	"testing"
)

// TestBeforeIsPrior: a managed change's before value must be prior_state's
// object at its address and deposed key (both readers). Real plans of all
// tools pass (TestDecodeFullFixtures reads them all); each edit of the
// before value, or of the prior object, is refused with ErrEdited naming
// the address.
func TestBeforeIsPrior(t *testing.T) {
	deposed := string(readFixture(t, "terraform/deposed.json"))
	const depBefore = `"before":{"id":"34c02027-6c72-0553-f539-9fef0d93cfbf"`
	const depPrior = `"values":{"id":"34c02027-6c72-0553-f539-9fef0d93cfbf"`
	if strings.Count(deposed, depBefore) != 1 || strings.Count(deposed, depPrior) != 1 {
		t.Fatal("fixture changed")
	}
	prior := func(values string) string {
		return strings.Replace(planJSON(), `"applyable"`, `"prior_state":{"values":{"root_module":{"resources":[`+
			`{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":`+values+`}]}}},"applyable"`, 1)
	}
	// prior_state first: the decoder has not seen the changes yet, so it
	// digests every prior object (after them it digests only those a
	// change's before names).
	priorFirst := func(values string) string {
		return strings.Replace(planJSON(), `{`, `{"prior_state":{"values":{"root_module":{"resources":[`+
			`{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":`+values+`}]}}},`, 1)
	}
	withChange := func(plan string) string {
		return strings.Replace(plan, `"resource_changes":[]`, `"resource_changes":[`+rcDelete+`]`, 1)
	}
	good := map[string]string{
		"the same value":           withChange(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`)),
		"another key order":        withChange(prior(`{"triggers_replace":null,"output":"prod-db","input":"prod-db","id":"5e8f2288"}`)),
		"other escapes and spaces": withChange(prior(`{ "id" : "5e8f2288", "input":"prod\u002ddb","output":"prod-db","triggers_replace":null }`)),
		"a data source change": strings.Replace(planJSON(), `"resource_changes":[]`, `"resource_changes":[`+
			strings.NewReplacer(`"mode":"managed"`, `"mode":"data"`, `"terraform_data.db"`, `"data.terraform_data.db"`, `["delete"]`, `["read"]`).Replace(rcDelete)+`]`, 1),
		"the deposed fixture": deposed,
		"prior_state first":   withChange(priorFirst(`{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`)),
		// A no-op's before is not compared: the apply does nothing with it.
		"a no-op with another before": strings.Replace(prior(`{"id":"5e8f2288","input":"prod-db","output":"other","triggers_replace":null}`), `"resource_changes":[]`, `"resource_changes":[`+
			strings.NewReplacer(`["delete"]`, `["no-op"]`, `"after":null`, `"after":{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`, `,"action_reason":"delete_because_no_resource_config"`, ``).Replace(rcDelete)+`]`, 1),
	}
	for name, in := range good {
		if _, err := decodeBoth(t, in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]string{
		"an edited id":                     withChange(prior(`{"id":"5e8f2289","input":"prod-db","output":"prod-db","triggers_replace":null}`)),
		"an edited other attribute":        withChange(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod/db","triggers_replace":null}`)),
		"an attribute the prior lacks":     withChange(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod-db"}`)),
		"a number for a string":            withChange(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":0}`)),
		"no prior object":                  strings.Replace(planJSON(), `"resource_changes":[]`, `"resource_changes":[`+rcDelete+`]`, 1),
		"a prior object elsewhere":         withChange(strings.Replace(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`), `"address":"terraform_data.db"`, `"address":"terraform_data.dbx"`, 1)),
		"prior_state first, edited":        withChange(priorFirst(`{"id":"5e8f2289","input":"prod-db","output":"prod-db","triggers_replace":null}`)),
		"a deposed object's edited before": strings.Replace(deposed, depBefore, `"before":{"id":"34c02027-6c72-0553-f539-9fef0d93cfbe"`, 1),
		"a deposed object's edited prior":  strings.Replace(deposed, depPrior, `"values":{"id":"34c02027-6c72-0553-f539-9fef0d93cfbe"`, 1),
		"a deposed key that differs":       strings.Replace(deposed, `"deposed_key":"6ddd1a14"`, `"deposed_key":"6ddd1a15"`, 1),
		"the deposed change as current":    strings.Replace(deposed, `"deposed":"6ddd1a14",`, ``, 1),
	}
	for name, in := range bad {
		_, err := decodeBoth(t, in)
		if !errors.Is(err, ErrEdited) || !strings.Contains(err.Error(), "terraform_data.db") || !strings.Contains(err.Error(), "edited after Terraform wrote it") {
			t.Errorf("%s: error %v, want ErrEdited naming terraform_data.db", name, err)
		}
	}
	// Two prior objects at one address and deposed key.
	dup := withChange(strings.Replace(prior(`{"id":"5e8f2288","input":"prod-db","output":"prod-db","triggers_replace":null}`), `"resources":[`,
		`"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":{"id":"other"}},`, 1))
	if _, err := decodeBoth(t, dup); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate prior object: error %v", err)
	}
}
