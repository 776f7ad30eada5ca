package planformat

// This file holds what the gate needs from the plan's configuration: the
// provisioners of every resource (code the apply will run) and the provider
// sources the plan uses. The three readers share the types and the
// resolution below (ConfigInfo): plan.Decode (the streaming decoder) and the
// reference decoder of package planref (its strictness walk and its
// terraform-json derivation).
//
// What the plan JSON holds (Terraform 1.8.5 and 1.11.4, OpenTofu 1.6.2):
// configuration.root_module.resources[].provisioners[] has only "type" and
// "expressions"; neither `when` nor `on_failure` is in the JSON, so a
// destroy-time provisioner cannot be told from a creation-time one. Each
// expression is {"constant_value": …} when constant, else
// {"references": [...]}. Module resources are under
// module_calls.NAME.module, with module-relative addresses. The provisioners
// of `removed` blocks (Terraform 1.9+) are not in the JSON at all.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/address"
)

// Provisioner is one provisioner block of a resource, as the configuration
// in the plan JSON holds it.
type Provisioner struct {
	// Type is the provisioner type as written: local-exec, remote-exec,
	// file, or another (which the gate refuses).
	Type string
	// Command is a local-exec command when the configuration writes it as
	// a constant string, else "".
	Command string
	// CommandRefs are the references of a local-exec command that is not
	// constant (its value is known only at apply time).
	CommandRefs []string
	// Options are the other arguments that change what runs or what is
	// sent: local-exec's interpreter, environment and working_dir, file's
	// source, content and destination, remote-exec's inline, script and
	// scripts (review runner36 M2), each as "NAME = VALUE" with a constant
	// value in JSON (non-string scalars as ?), or "NAME = (computed at
	// apply from REFS)". The interpreter runs before the command and may
	// be any program: a command alone does not say what the provisioner
	// runs.
	Options []string
}

// execOptions are the provisioner arguments recorded in Options, in order.
var execOptions = []string{"content", "destination", "environment", "inline", "interpreter", "script", "scripts", "source", "working_dir"}

func isExecOption(key string) bool {
	for _, k := range execOptions {
		if k == key {
			return true
		}
	}
	return false
}

// optionText renders one exec option from its constant text (already
// rendered by constantText) or its references.
func optionText(name, constant string, haveConstant bool, refs []string) string {
	switch {
	case len(refs) > 0:
		return name + " = (computed at apply from " + strings.Join(refs, ", ") + ")"
	case haveConstant:
		return name + " = " + constant
	}
	return name + " = (not shown in the plan)"
}

// quoteJSON quotes a string as JSON, without HTML escaping.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// renderConstant renders a decoded JSON value as constantText renders the
// stream: strings quoted, arrays and objects (keys sorted) recursively,
// other scalars as ?.
func renderConstant(v any) string {
	switch t := v.(type) {
	case string:
		return quoteJSON(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = renderConstant(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteJSON(k) + ":" + renderConstant(t[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return "?"
}

// IsExecOption reports whether key is a local-exec argument recorded in
// Options; ExecOptions lists them in order; OptionText and RenderConstant
// render them. Exported for the reference decoder (planref), which must
// render options exactly as the reader does.
func IsExecOption(key string) bool { return isExecOption(key) }

// ExecOptions returns the local-exec arguments recorded in Options.
func ExecOptions() []string { return slices.Clone(execOptions) }

// OptionText renders one exec option (see Provisioner.Options).
func OptionText(name, constant string, haveConstant bool, refs []string) string {
	return optionText(name, constant, haveConstant, refs)
}

// RenderConstant renders a decoded constant value as Options shows it.
func RenderConstant(v any) string { return renderConstant(v) }

// ConfigResource is a resource of the configuration that has provisioners.
type ConfigResource struct {
	// Address is the resource address without instance keys, with its
	// module path: module.a.module.b.terraform_data.x.
	Address string
	// Provisioners are its provisioner blocks, in configuration order.
	Provisioners []Provisioner
}

// When values of a ProvisionerRun: the events of the change at which the
// provisioner may run.
const (
	WhenCreate        = "create"
	WhenDestroy       = "destroy"
	WhenCreateDestroy = "create,destroy"
)

// TypeRemovedBlock is the Type of a ProvisionerRun that stands for the
// provisioners a `removed` block may declare: Terraform 1.9 and later run
// them when the resource is destroyed, and the plan JSON does not show them.
const TypeRemovedBlock = "removed-block"

// ProvisionerRun is a provisioner that applying the plan may run: a
// provisioner of a resource whose instance the plan creates, replaces or
// destroys. The plan JSON does not say whether a provisioner is a
// creation-time or a destroy-time one, so every provisioner of the resource
// is listed for each such instance (a creation-time provisioner listed for
// a destroy does not run; the list errs on the side of listing).
type ProvisionerRun struct {
	// Address is the resource instance address of the change.
	Address string
	// ConfigAddress is the resource address in the configuration.
	ConfigAddress string
	// ResourceType is the resource's type.
	ResourceType string
	// Kind is the change's kind.
	Kind Kind
	// Deposed is the deposed key when the change is to a deposed object.
	Deposed string
	// When is WhenCreate, WhenDestroy or WhenCreateDestroy.
	When string
	// Provisioner is the provisioner; its Type is TypeRemovedBlock for the
	// unseen provisioners of a removed block.
	Provisioner Provisioner
}

// ProviderEndpoint is a provider configuration of the plan that sets an
// argument naming where the provider connects (see EndpointArgument): the
// apply's credentials reach whatever endpoint it names.
type ProviderEndpoint struct {
	// Provider is the provider's local name, such as aws.
	Provider string `json:"provider"`
	// Name is the configuration's key in configuration.provider_config:
	// aws, aws.west (an alias), module.m:aws (in a module).
	Name string `json:"name"`
	// Arguments are the endpoint-like arguments it sets (as a constant or
	// from references), sorted.
	Arguments []string `json:"arguments"`
}

// EndpointArgument reports whether a provider argument (or nested block)
// name decides where the provider connects or which server it trusts:
// endpoint, endpoints, address, host, one ending in _url, or one with a
// word (between underscores) of routeTokens: http_proxy, custom_ca_bundle,
// metadata_host, storage_custom_endpoint, insecure. The runner refuses
// these before init; the gate reports them (review gate34 L1: the report
// named fewer than the runner refuses).
func EndpointArgument(name string) bool {
	name = strings.ToLower(name)
	switch name {
	case "endpoint", "endpoints", "address", "host":
		return true
	}
	if strings.HasSuffix(name, "_url") {
		return true
	}
	for _, w := range strings.Split(name, "_") {
		if routeTokens[w] {
			return true
		}
	}
	return false
}

// routeTokens are the words of a provider argument name that route or
// trust traffic (EndpointArgument).
var routeTokens = map[string]bool{
	"endpoint": true, "endpoints": true, // endpoints { sts = … }, sts_endpoint, ec2_metadata_service_endpoint
	"proxy": true,                            // http_proxy, https_proxy, no_proxy, proxy_url
	"url":   true, "urls": true, "uri": true, // base_url, url
	"host": true, "hosts": true, "hostname": true, "address": true, "addr": true, // kubernetes host, vault address, metadata_host
	"domain": true, "server": true, "servers": true, // google universe_domain, tls_server_name, bootstrap_servers
	"insecure": true, "tls": true, "ssl": true, "verify": true, // insecure, skip_tls_verify, ssl_verify
	"ca": true, "cacert": true, "cacerts": true, "certificate": true, "certificates": true, "bundle": true, // custom_ca_bundle, cluster_ca_certificate
}

// EndpointPaths lists the endpoint-like settings (EndpointArgument) of a
// provider configuration's expressions, in the plan JSON's form, as paths:
// endpoints, kubernetes.host (helm's nested block), sorted and distinct.
func EndpointPaths(exprs map[string]any) []string {
	var out []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			p := prefix + k
			if EndpointArgument(k) {
				if !slices.Contains(out, p) {
					out = append(out, p)
				}
				continue
			}
			// A nested block is a list of objects of expressions.
			if l, ok := v.([]any); ok {
				for _, e := range l {
					if b, ok := e.(map[string]any); ok && !isExpression(b) {
						walk(p+".", b)
					}
				}
			}
		}
	}
	walk("", exprs)
	sort.Strings(out)
	return out
}

// isExpression reports whether m is one expression of the plan JSON
// (constant_value, references), not a nested block's arguments.
func isExpression(m map[string]any) bool {
	for k := range m {
		if k != "constant_value" && k != "references" {
			return false
		}
	}
	return true
}

// ConfigInfo is what a reader collects from the plan for the
// configuration fields of the Plan (Finish). The reference decoder uses it
// too, so that both readers resolve provisioners and providers alike.
type ConfigInfo struct {
	// Have is set when a configuration with a root_module was read.
	Have      bool
	resources []ConfigResource
	providers map[string]struct{}
	endpoints []ProviderEndpoint
	commands  []ProviderCommand
	reads     []ApplyRead
	cands     []runCand
	// remoteStates are the terraform_remote_state data sources.
	remoteStates []RemoteState
	// HostWriter selects the providers whose changes NoteHostWrite
	// records (hostwrites.go); nil selects every provider.
	HostWriter    func(source string) bool
	hostWrites    []HostWrite
	lateProviders []ApplyTimeProvider
	// setAttrs are the attributes the configuration sets, by managed
	// resource address (NoteSetAttributes).
	setAttrs map[string][]string
}

// NoteProviderConfig records a provider configuration (its key in
// provider_config, its local name and its expressions) when it sets an
// endpoint-like argument (EndpointPaths).
func (ci *ConfigInfo) NoteProviderConfig(key, name string, exprs map[string]any) {
	if set := EndpointPaths(exprs); len(set) > 0 {
		ci.endpoints = append(ci.endpoints, ProviderEndpoint{Provider: name, Name: key, Arguments: set})
	}
}

// runCand is a managed change that may run provisioners.
type runCand struct {
	address, deposed, reason string
	kind                     Kind
	actions                  []string
}

// NoteProvider records a provider source address the plan uses.
func (ci *ConfigInfo) NoteProvider(p string) {
	if ci.providers == nil {
		ci.providers = map[string]struct{}{}
	}
	ci.providers[p] = struct{}{}
}

// NoteChange records a managed resource_changes entry that creates or
// destroys an object.
func (ci *ConfigInfo) NoteChange(c *Change) {
	create, destroy := events(c.Actions)
	if create || destroy {
		ci.cands = append(ci.cands, runCand{address: c.Address, deposed: c.Deposed, reason: c.ActionReason, kind: c.Kind, actions: c.Actions})
	}
}

func events(actions []string) (create, destroy bool) {
	for _, a := range actions {
		switch a {
		case "create":
			create = true
		case "delete":
			destroy = true
		}
	}
	return create, destroy
}

// configAddress strips the instance keys of a resource instance address;
// it also returns the resource type.
func configAddress(s string) (string, string, error) {
	a, err := address.Parse(s)
	if err != nil {
		return "", "", err
	}
	var b strings.Builder
	for _, m := range a.Module {
		b.WriteString("module.")
		b.WriteString(m.Name)
		b.WriteByte('.')
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	b.WriteString(a.Resource.Name)
	return b.String(), a.Type, nil
}

// removedBlocksPossible reports whether the tool that wrote the plan may
// run provisioners of removed blocks: Terraform 1.9 and later. An
// unparseable version is taken to.
func removedBlocksPossible(version string) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return true
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return true
	}
	return major > 1 || (major == 1 && minor >= 9)
}

// Finish fills the plan's configuration fields from what was read.
func (ci *ConfigInfo) Finish(p *Plan) error {
	p.NoConfiguration = !ci.Have
	ci.resolveUnknown(p)
	sort.SliceStable(ci.resources, func(i, j int) bool {
		return resourceKey(&ci.resources[i]) < resourceKey(&ci.resources[j])
	})
	p.Provisioned = ci.resources
	for prov := range ci.providers {
		p.Providers = append(p.Providers, prov)
	}
	sort.Strings(p.Providers)
	sort.Slice(ci.endpoints, func(i, j int) bool { return ci.endpoints[i].Name < ci.endpoints[j].Name })
	p.ProviderEndpoints = ci.endpoints
	sort.SliceStable(ci.commands, func(i, j int) bool { return ci.commands[i].Name < ci.commands[j].Name })
	p.ProviderCommands = ci.commands
	p.ApplyReads = ci.reads
	sort.SliceStable(ci.remoteStates, func(i, j int) bool { return ci.remoteStates[i].Address < ci.remoteStates[j].Address })
	p.RemoteStates = ci.remoteStates
	p.HostWrites = ci.hostWrites
	sort.SliceStable(ci.lateProviders, func(i, j int) bool { return ci.lateProviders[i].Name < ci.lateProviders[j].Name })
	p.ApplyTimeProviders = ci.lateProviders
	byAddr := map[string][]Provisioner{}
	for _, r := range ci.resources {
		byAddr[r.Address] = append(byAddr[r.Address], r.Provisioners...)
	}
	removed := removedBlocksPossible(p.TerraformVersion)
	for _, c := range ci.cands {
		create, destroy := events(c.actions)
		when := WhenCreate
		switch {
		case create && destroy:
			when = WhenCreateDestroy
		case destroy:
			when = WhenDestroy
		}
		// A removed block's unseen destroy-time provisioner may run for any
		// delete whose resource is not in the configuration: a resource or
		// module that left it, an object moved to an address that has no
		// configuration (delete_because_no_move_target), a destroy-mode
		// plan (terraform plan -destroy records no reason), a reason this
		// planguard does not know. Only reasons that imply the resource is
		// still configured, or provisioners of its own in the configuration,
		// rule it out. The snapshot of a saved plan prunes these runs when
		// no removed block declares a provisioner.
		noConfig := false
		if removed && c.kind == KindDelete && !configuredReason(c.reason) {
			ca, _, err := configAddress(c.address)
			noConfig = err != nil || byAddr[ca] == nil
		}
		if noConfig {
			ca, typ, _ := configAddress(c.address)
			p.Provisions = append(p.Provisions, ProvisionerRun{Address: c.address, ConfigAddress: ca, ResourceType: typ, Kind: c.kind, Deposed: c.deposed, When: WhenDestroy, Provisioner: Provisioner{Type: TypeRemovedBlock}})
			continue
		}
		if len(byAddr) == 0 {
			continue
		}
		ca, typ, err := configAddress(c.address)
		if err != nil {
			return fmt.Errorf("%w: resource change %s: %w", ErrMalformed, c.address, err)
		}
		for _, pr := range byAddr[ca] {
			p.Provisions = append(p.Provisions, ProvisionerRun{Address: c.address, ConfigAddress: ca, ResourceType: typ, Kind: c.kind, Deposed: c.deposed, When: when, Provisioner: pr})
		}
	}
	return nil
}

// configuredReason reports whether a delete's action_reason implies that
// its resource is still in the configuration (so no removed block names it).
func configuredReason(reason string) bool {
	switch reason {
	case "delete_because_count_index", "delete_because_each_key", "delete_because_wrong_repetition":
		return true
	}
	return false
}

func resourceKey(r *ConfigResource) string {
	var b strings.Builder
	b.WriteString(r.Address)
	for _, p := range r.Provisioners {
		fmt.Fprintf(&b, "\x00%q %q %q %q", p.Type, p.Command, p.CommandRefs, p.Options)
	}
	return b.String()
}

// AddResource records a configuration resource that has provisioners. Its
// address is built from the module path, type and name (not from the
// JSON's module-relative "address"), so that it compares with the
// instance addresses of resource_changes whatever form "address" takes.
func (ci *ConfigInfo) AddResource(module, typ, nam string, provs []Provisioner, what func() string) error {
	if len(provs) == 0 {
		return nil
	}
	if typ == "" || nam == "" {
		return fmt.Errorf("%w: %s has provisioners but no type or name", ErrMalformed, what())
	}
	ci.resources = append(ci.resources, ConfigResource{Address: module + typ + "." + nam, Provisioners: provs})
	return nil
}

// SetCommand sets a local-exec command by terraform-json's rule: references make the constant
// unknown.
func SetCommand(p *Provisioner, constant string, isString bool, refs []string) {
	p.Command, p.CommandRefs = "", nil
	if len(refs) > 0 {
		p.CommandRefs = refs
		return
	}
	if isString {
		p.Command = constant
	}
}
