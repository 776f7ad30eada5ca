package plan

import (
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// This file lends the gate's reading of provider command settings to a
// reader of a configuration that has not been planned yet (planguard
// runner, before init): the same names, the same walk over a provider
// block's expressions, the same dynamic-block rule. There is one copy of
// each rule, in planformat and in snapshot_providers.go.

// CommandArgument reports whether a provider argument or nested block of
// that name runs a command (planformat.CommandArgument).
func CommandArgument(name string) bool { return planformat.CommandArgument(name) }

// FileArgument reports whether a provider argument of that name names a
// file, directory or profile the gate judges as a command
// (planformat.FileArgument).
func FileArgument(name string) bool { return planformat.FileArgument(name) }

// ProviderCommands finds the command settings of one provider
// configuration from its expressions in the plan JSON's generic form (each
// argument an object with constant_value and references, each nested block
// a list of such maps): planformat.ProviderCommands, which the plan readers
// use on configuration.provider_config.
func ProviderCommands(key, local, source string, exprs map[string]any) []ProviderCommand {
	return planformat.ProviderCommands(key, local, source, exprs)
}

// ConfigProviderDynamics returns a ProviderCommand that cannot be read for
// each provider block of one configuration file (native syntax, or JSON
// when the name ends in .json) that has a dynamic block at any depth, as
// the gate does for a saved plan's configuration snapshot; ok is false when
// the file does not parse.
func ConfigProviderDynamics(src []byte, filename string) ([]ProviderCommand, bool) {
	if strings.HasSuffix(filename, ".json") {
		found, err := jsonProviderDynamics(src, filename)
		return found, err == nil
	}
	return nativeProviderDynamics(src, filename)
}
