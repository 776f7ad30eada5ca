package plan

import (
	"strings"
	"testing"
)

// TestNoResourceChangesCaseVariantRefused: a plan without a resource_changes
// key is accepted (as a plan with no changes) only when planned_values and
// prior_state hold no managed resource. Both readers look for the keys
// root_module, resources, child_modules, mode and values by exact match,
// while terraform-json (encoding/json) matches them case-insensitively; so
// managed resources under case-variant keys (found in an attacker's review)
// would have made such JSON look change-free. Both readers refuse it.
func TestNoResourceChangesCaseVariantRefused(t *testing.T) {
	res := `{"address":"terraform_data.db","mode":"managed","type":"terraform_data","name":"db"}`
	for _, pv := range []string{
		`"planned_values":{"Root_Module":{"resources":[` + res + `]}}`,
		`"planned_values":{"root_module":{"Resources":[` + res + `]}}`,
		`"planned_values":{"root_module":{"resources":[` + strings.Replace(res, `"mode"`, `"Mode"`, 1) + `]}}`,
		`"planned_values":{},"prior_state":{"Values":{"root_module":{"resources":[` + res + `]}}}`,
		`"planned_values":{"root_module":{"Child_Modules":[{"resources":[` + res + `]}]}}`,
	} {
		in := `{"format_version":"1.2",` + pv + `}`
		for _, gateOnly := range []bool{false, true} {
			if p, err := decodeWithOptions(strings.NewReader(in), Options{GateOnly: gateOnly}); err == nil {
				t.Errorf("GateOnly=%v: accepted as a plan with %d changes, although terraform-json reads a managed resource: %s", gateOnly, len(p.Changes), pv)
			}
		}
		if _, err := DecodeFull(strings.NewReader(in)); err == nil {
			t.Errorf("DecodeFull (the reference) accepts it: %s", pv)
		}
	}
}
