package planformat

// This file holds the code a plan runs at apply time through its providers
// rather than through a resource change: the commands provider
// configurations run (the kubernetes and helm providers' exec block, an
// AWS-style credential_process, …) and the data sources read during the
// apply (whose provider may run a program: hashicorp/external).
//
// What the plan JSON holds (Terraform 1.8.5 and 1.11.4, OpenTofu 1.6.2):
// configuration.provider_config[KEY].expressions maps each argument the
// provider block sets to an expression ({"constant_value": …} when
// constant, {"references": [...]} when not), and each nested block to a
// list of such maps, one per block. Provider configurations of modules are
// in the same map, under keys like module.m:kubernetes.

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
)

// CommandArgument reports whether a provider argument or nested block of
// that name runs a command: exec, command, program, credential_process, or
// a name ending in _command.
func CommandArgument(name string) bool {
	switch name {
	case "exec", "command", "program", "credential_process":
		return true
	}
	return strings.HasSuffix(name, "_command")
}

// execBlockSettings are the arguments of an exec-like block (a nested
// exec block, or a block that sets command) that planguard reads: the
// command line (command, args, env) and the harmless api_version. Any
// other argument of such a block may change what runs, so the command
// cannot be allowed.
var execBlockSettings = []string{"api_version", "args", "command", "env"}

// ProviderCommand is a setting of a provider configuration that runs a
// command when the provider is configured, at plan and at apply (with the
// apply's credentials in its environment).
type ProviderCommand struct {
	// Name is the configuration's key in configuration.provider_config:
	// kubernetes, aws.west (an alias), module.m:helm (in a module).
	Name string `json:"name"`
	// Provider is the provider's local name, such as kubernetes.
	Provider string `json:"provider"`
	// Source is the provider source address (full_name), "" when absent.
	Source string `json:"source"`
	// Setting is the path of the setting in the provider block: exec,
	// kubernetes.exec (a block nested in a block), credential_process.
	// Blocks repeated are numbered: exec[1].
	Setting string `json:"setting"`
	// Constant is true when the command, its arguments and environment
	// are all constants in the configuration, so the plan says exactly
	// what runs. Only a constant command can be allowed by the policy.
	Constant bool `json:"constant"`
	// Command is the program (the command argument, or the first element
	// of a list-valued setting such as program), or the whole string of a
	// string-valued setting such as credential_process; "" when unknown.
	Command string `json:"command,omitempty"`
	// Args are the command's arguments, when constant.
	Args []string `json:"args,omitempty"`
	// Env is the environment the setting adds (an exec block's env), when
	// constant.
	Env map[string]string `json:"env,omitempty"`
	// Unreadable says, for a command that is not constant, what is not:
	// the references of a computed value, a value of a type planguard does
	// not read, or an argument of the block planguard does not know.
	Unreadable []string `json:"unreadable,omitempty"`
}

// CommandLine renders the command for messages: the command and its
// arguments, each quoted when it is not a plain word.
func (c *ProviderCommand) CommandLine() string {
	if !c.Constant {
		return "(not constant: " + strings.Join(c.Unreadable, "; ") + ")"
	}
	parts := make([]string, 0, 1+len(c.Args)+len(c.Env))
	keys := make([]string, 0, len(c.Env))
	for k := range c.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, shellWord(k+"="+c.Env[k]))
	}
	parts = append(parts, shellWord(c.Command))
	for _, a := range c.Args {
		parts = append(parts, shellWord(a))
	}
	return strings.Join(parts, " ")
}

// shellWord quotes s for display unless it is a plain word.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+") == "" {
		return s
	}
	return quoteJSON(s)
}

// ProviderCommands finds the command-running settings of one provider
// configuration from its expressions, decoded as generic JSON (maps,
// slices, strings, json.Number or float64, bools, nil): each expression an
// object with constant_value and references, each nested block a list of
// maps. The result is sorted by setting.
func ProviderCommands(key, local, source string, exprs map[string]any) []ProviderCommand {
	var out []ProviderCommand
	walkCommands(exprs, "", false, func(setting string, pc ProviderCommand) {
		pc.Name, pc.Provider, pc.Source, pc.Setting = key, local, source, setting
		pc.Constant = len(pc.Unreadable) == 0
		if !pc.Constant {
			pc.Command, pc.Args, pc.Env = "", nil, nil
		}
		out = append(out, pc)
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Setting < out[j].Setting })
	return out
}

// walkCommands visits the settings of one block (its expressions m, at
// path prefix); execBlock is set for a nested block named exec.
func walkCommands(m map[string]any, prefix string, execBlock bool, found func(string, ProviderCommand)) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	_, hasCommand := m["command"]
	if execBlock || hasCommand {
		setting := strings.TrimSuffix(prefix, ".")
		if setting == "" {
			setting = "command"
		}
		found(setting, execCommand(m))
	}
	for _, k := range keys {
		v := m[k]
		if blocks, ok := v.([]any); ok {
			for i, b := range blocks {
				path := prefix + k
				if len(blocks) > 1 {
					path += "[" + strconv.Itoa(i) + "]"
				}
				bm, ok := b.(map[string]any)
				if !ok {
					// Not a block as Terraform writes one: unreadable when
					// it may run something.
					if CommandArgument(k) {
						found(path, ProviderCommand{Unreadable: []string{k + ": not an expression or a block"}})
					}
					continue
				}
				walkCommands(bm, path+".", k == "exec", found)
			}
			continue
		}
		if (execBlock || hasCommand) && slices.Contains(execBlockSettings, k) {
			continue
		}
		if CommandArgument(k) {
			found(prefix+k, valueCommand(k, v))
		}
	}
}

// execCommand reads the command line of an exec-like block.
func execCommand(m map[string]any) ProviderCommand {
	var pc ProviderCommand
	cmd, ok := m["command"]
	if !ok {
		pc.Unreadable = append(pc.Unreadable, "command: not set")
	} else if s, why := exprString(cmd); why != "" {
		pc.Unreadable = append(pc.Unreadable, "command: "+why)
	} else {
		pc.Command = s
	}
	if args, ok := m["args"]; ok {
		list, why := exprStrings(args)
		if why != "" {
			pc.Unreadable = append(pc.Unreadable, "args: "+why)
		}
		pc.Args = list
	}
	if env, ok := m["env"]; ok {
		e, why := exprEnv(env)
		if why != "" {
			pc.Unreadable = append(pc.Unreadable, "env: "+why)
		}
		pc.Env = e
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, isBlock := m[k].([]any); !isBlock && !slices.Contains(execBlockSettings, k) {
			pc.Unreadable = append(pc.Unreadable, k+": an argument planguard does not know, which may change what runs")
		}
	}
	return pc
}

// valueCommand reads a command-running argument: a string is the whole
// command, a list the program and its arguments.
func valueCommand(name string, v any) ProviderCommand {
	var pc ProviderCommand
	c, refs, ok := expr(v)
	switch {
	case !ok:
		pc.Unreadable = []string{name + ": not an expression"}
	case len(refs) > 0:
		pc.Unreadable = []string{name + ": computed from " + strings.Join(refs, ", ")}
	default:
		switch t := c.(type) {
		case string:
			pc.Command = t
		case []any:
			list, why := stringsOf(t)
			if why != "" || len(list) == 0 {
				pc.Unreadable = []string{name + ": a list that is not of strings, or empty"}
				break
			}
			pc.Command, pc.Args = list[0], list[1:]
		default:
			pc.Unreadable = []string{name + ": not a constant string or list of strings"}
		}
	}
	return pc
}

// expr splits an expression into its constant value and references; ok is
// false when v is not an expression object. A constant_value of null, or
// none, is not a constant (c is nil).
func expr(v any) (c any, refs []string, ok bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, false
	}
	if rs, isList := m["references"].([]any); isList {
		for _, r := range rs {
			s, _ := r.(string)
			refs = append(refs, s)
		}
	}
	return m["constant_value"], refs, true
}

func exprString(v any) (string, string) {
	c, refs, ok := expr(v)
	switch {
	case !ok:
		return "", "not an expression"
	case len(refs) > 0:
		return "", "computed from " + strings.Join(refs, ", ")
	}
	s, isString := c.(string)
	if !isString {
		return "", "not a constant string"
	}
	return s, ""
}

func exprStrings(v any) ([]string, string) {
	c, refs, ok := expr(v)
	switch {
	case !ok:
		return nil, "not an expression"
	case len(refs) > 0:
		return nil, "computed from " + strings.Join(refs, ", ")
	}
	list, isList := c.([]any)
	if !isList {
		return nil, "not a constant list of strings"
	}
	return stringsOf(list)
}

func stringsOf(list []any) ([]string, string) {
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, "not a constant list of strings"
		}
		out = append(out, s)
	}
	return out, ""
}

func exprEnv(v any) (map[string]string, string) {
	c, refs, ok := expr(v)
	switch {
	case !ok:
		return nil, "not an expression"
	case len(refs) > 0:
		return nil, "computed from " + strings.Join(refs, ", ")
	}
	m, isMap := c.(map[string]any)
	if !isMap {
		return nil, "not a constant map of strings"
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		s, ok := e.(string)
		if !ok {
			return nil, "not a constant map of strings"
		}
		out[k] = s
	}
	return out, ""
}

// ApplyRead is a data source that the plan reads during the apply (a
// resource_changes entry of mode data with action read: its configuration
// is known only at apply, or it depends on a pending change, or a check
// block nests it). Its provider runs with the apply's credentials; a
// provider such as hashicorp/external runs the data source's program.
type ApplyRead struct {
	// Address is the data source instance address, e.g. data.external.x.
	Address string `json:"address"`
	// Type is the data source type, e.g. external.
	Type string `json:"type"`
	// ProviderName is the provider source address.
	ProviderName string `json:"provider"`
	// ActionReason is Terraform's action_reason, e.g.
	// read_because_config_unknown.
	ActionReason string `json:"action_reason,omitempty"`
}

// NoteApplyRead records a resource_changes entry of a data source with
// action read.
func (ci *ConfigInfo) NoteApplyRead(h *Header, kind Kind) {
	if h.Mode == "data" && kind == KindRead {
		ci.reads = append(ci.reads, ApplyRead{Address: h.Address, Type: h.Type, ProviderName: h.ProviderName, ActionReason: h.ActionReason})
	}
}

// NoteProviderCommands records the command-running settings of one
// provider configuration (see ProviderCommands) and, when its arguments
// refer to what may be unknown until the apply, the configuration as an
// ApplyTimeProvider (hostwrites.go).
func (ci *ConfigInfo) NoteProviderCommands(key, local, source string, exprs map[string]any) {
	ci.commands = append(ci.commands, ProviderCommands(key, local, source, exprs)...)
	ci.noteApplyTimeProvider(key, local, source, exprs)
}

// DecodeExpression decodes one value of a provider configuration's
// expressions as generic JSON for ProviderCommands. A value with
// duplicate member names is malformed: which one a program would use is
// not defined, so neither is what runs.
func DecodeExpression(raw []byte, what func() string) (any, error) {
	if _, err := canonjson.Transform(raw); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what(), err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrMalformed, what(), err)
	}
	return v, nil
}
