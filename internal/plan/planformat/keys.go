package planformat

import (
	"bytes"
	"fmt"
)

// KeyLists are the keys planguard interprets in each kind of object that
// terraform-json decodes into structs. encoding/json matches such keys
// case-insensitively (with Unicode folding: "ſ" is "s", the Kelvin sign is
// "k"), so "Resource_Changes" means resource_changes to it and nothing to a
// reader that matches exactly. Both of planguard's readers reject a key of
// these objects that differs from one of these only in case (CaseVariant):
// such JSON is ambiguous, as duplicate keys are.
type KeyLists struct {
	Plan, ResourceChange, Change, Importing, Deferred                []string
	State, Values, Module, Resource                                  []string
	Config, ProviderConfig, ConfigModule, ModuleCall, ConfigResource []string
	Provisioner, Expression, ActionInvocation, ActionTrigger         []string
}

// Keys are the key lists every reader interprets.
var Keys = KeyLists{
	Plan: []string{"format_version", "terraform_version", "errored", "resource_changes",
		"resource_drift", "deferred_changes", "planned_values", "prior_state", "configuration",
		"action_invocations"},
	ResourceChange: []string{"address", "previous_address", "module_address", "mode", "type",
		"name", "provider_name", "deposed", "action_reason", "change"},
	Change:    []string{"actions", "before", "after", "after_unknown", "after_sensitive", "importing", "before_identity", "after_identity"},
	Importing: []string{"id", "identity"},
	Deferred:  []string{"reason", "resource_change"},
	// The keys read in planned_values and prior_state, to find managed
	// resources when resource_changes is absent, and prior objects.
	State:    []string{"values"},
	Values:   []string{"root_module"},
	Module:   []string{"resources", "child_modules"},
	Resource: []string{"mode", "address", "type", "values", "identity", "deposed_key"},
	// The keys read in the configuration.
	Config:         []string{"provider_config", "root_module"},
	ProviderConfig: []string{"expressions", "full_name", "name"},
	ConfigModule:   []string{"resources", "module_calls"},
	ModuleCall:     []string{"module"},
	ConfigResource: []string{"type", "name", "mode", "provisioners", "expressions"},
	Provisioner:    []string{"type", "expressions"},
	Expression:     []string{"constant_value", "references"},
	// The keys read in an action invocation and its lifecycle trigger.
	ActionInvocation: []string{"address", "type", "name", "provider_name", "lifecycle_action_trigger", "invoke_action_trigger"},
	ActionTrigger:    []string{"triggering_resource_address", "action_trigger_event"},
}

// CaseVariant returns an error wrapping ErrMalformed when key, which is none
// of known, equals one of them ignoring case (encoding/json would read it as
// that key); what names the object, built only then.
func CaseVariant(key []byte, known []string, what func() string) error {
	plain := true
	for _, c := range key {
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		// Lower-case ASCII folds to itself only: it is not a variant.
		return nil
	}
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return fmt.Errorf("%w: key %q in %s differs from %q only in case; decoders that match keys case-insensitively (encoding/json, terraform-json) read it as %q, so the JSON is ambiguous; write it again with `terraform show -json PLANFILE`", ErrMalformed, key, what(), k, k)
		}
	}
	return nil
}
