package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// A value the configuration fixes can be made unknown at plan time
// (`input = "${local.policy}${terraform_data.salt.output}"`): `terraform
// plan` prints "(known after apply)" and never the configuration, so a
// plan approval would sign content nobody saw (runner33 M1). So every
// plan reply and every `runner show` lists the attributes the
// configuration sets of each created or updated resource instance that
// are unknown at plan (address and attribute: the plan JSON's
// after_unknown against the configuration's expressions), with a warning
// to read the configuration (`runner show --config ID`) before signing.

// unknownSet is one configuration-set attribute unknown at plan.
type unknownSet struct {
	Address, Attribute string
}

// cfgModule is what unknownConfigured reads of the plan JSON's
// configuration.
type cfgModule struct {
	Resources []struct {
		Address     string         `json:"address"`
		Mode        string         `json:"mode"`
		Expressions map[string]any `json:"expressions"`
	} `json:"resources"`
	ModuleCalls map[string]struct {
		Module *cfgModule `json:"module"`
	} `json:"module_calls"`
}

// unknownConfigured lists them. A resource change whose configuration
// block is not found lists every unknown attribute (it errs on the side
// of listing).
func unknownConfigured(src []byte) ([]unknownSet, error) {
	var p struct {
		ResourceChanges []struct {
			Address       string `json:"address"`
			ModuleAddress string `json:"module_address"`
			Mode          string `json:"mode"`
			Type          string `json:"type"`
			Name          string `json:"name"`
			Change        struct {
				Actions      []string `json:"actions"`
				AfterUnknown any      `json:"after_unknown"`
			} `json:"change"`
		} `json:"resource_changes"`
		Configuration struct {
			RootModule *cfgModule `json:"root_module"`
		} `json:"configuration"`
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("read the plan's JSON: %w", err)
	}
	exprs := map[string]map[string]any{} // configuration address → expressions
	var walk func(m *cfgModule, prefix string)
	walk = func(m *cfgModule, prefix string) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			if r.Mode == "managed" {
				exprs[prefix+r.Address] = r.Expressions
			}
		}
		for name, c := range m.ModuleCalls {
			walk(c.Module, prefix+"module."+name+".")
		}
	}
	walk(p.Configuration.RootModule, "")
	var out []unknownSet
	for _, rc := range p.ResourceChanges {
		if rc.Mode != "managed" || !changesContent(rc.Change.Actions) {
			continue
		}
		unknown, ok := rc.Change.AfterUnknown.(map[string]any)
		if !ok {
			if rc.Change.AfterUnknown == true {
				out = append(out, unknownSet{rc.Address, "(the whole object)"})
			}
			continue
		}
		cfgAddr := rc.Type + "." + rc.Name
		if rc.ModuleAddress != "" {
			cfgAddr = stripKeys(rc.ModuleAddress) + "." + cfgAddr
		}
		set, found := exprs[cfgAddr]
		keys := make([]string, 0, len(unknown))
		for k := range unknown {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !hasTrue(unknown[k]) {
				continue
			}
			if _, configured := set[k]; found && !configured && !hasDynamic(set) {
				continue
			}
			out = append(out, unknownSet{rc.Address, k})
		}
	}
	return out, nil
}

// changesContent: a create, an update or a replace.
func changesContent(actions []string) bool {
	for _, a := range actions {
		if a == "create" || a == "update" {
			return true
		}
	}
	return false
}

// hasDynamic: a configuration with a dynamic block may set any block
// attribute; every unknown attribute is listed.
func hasDynamic(exprs map[string]any) bool {
	_, ok := exprs["dynamic"]
	return ok
}

// hasTrue reports whether an after_unknown structure marks anything.
func hasTrue(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case map[string]any:
		for _, e := range t {
			if hasTrue(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasTrue(e) {
				return true
			}
		}
	}
	return false
}

// stripKeys removes the instance keys of a module address
// (module.a["x]"].module.b[0] → module.a.module.b), quotes respected.
func stripKeys(s string) string {
	var b strings.Builder
	depth, quoted, escaped := 0, false, false
	for _, r := range s {
		switch {
		case quoted:
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				quoted = false
			}
		case r == '"' && depth > 0:
			quoted = true
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// printUnknown writes the warning and the list.
func printUnknown(w io.Writer, vals []unknownSet, id string) {
	if len(vals) == 0 {
		return
	}
	fmt.Fprintf(w, "\nplanguard runner: WARNING: %d attribute(s) the configuration sets are unknown at plan, \"(known after apply)\" above: each value is decided at apply from the configuration, and a plan approval signs it unseen; read the configuration before signing ('planguard runner show --config %s'):\n", len(vals), id)
	for _, v := range vals {
		fmt.Fprintf(w, "  %s: %s\n", v.Address, v.Attribute)
	}
}
