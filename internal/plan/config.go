package plan

// This file is the streaming reader of the plan's configuration (see
// planformat's config.go for what it collects and how it is resolved).

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// configuration reads the plan's configuration.
func (d *decoder) configuration() error {
	ci := &d.cfg
	_, err := d.object(name("configuration"), true, func(key []byte) error {
		switch string(key) {
		case "provider_config":
			_, err := d.object(name("configuration.provider_config"), true, func(key []byte) error {
				what := "configuration.provider_config[" + strconv.Quote(string(key)) + "]"
				cfgKey := string(key)
				var full, local string
				var exprs map[string]any
				_, err := d.object(name(what), false, func(key []byte) error {
					var err error
					switch string(key) {
					case "full_name":
						full, err = d.str(name(what+".full_name"), true)
					case "name":
						local, err = d.str(name(what+".name"), true)
					case "expressions":
						// The arguments it sets, and their values for the
						// commands it may run.
						exprs = map[string]any{}
						_, err = d.object(name(what+".expressions"), true, func(key []byte) error {
							raw, err := d.rawValue()
							if err != nil {
								return err
							}
							exprs[string(key)], err = planformat.DecodeExpression(raw, name(what+".expressions."+string(key)))
							return err
						})
					default:
						if err = planformat.CaseVariant(key, planformat.Keys.ProviderConfig, name(what)); err == nil {
							err = d.s.skipValue()
						}
					}
					return err
				})
				// A configuration without full_name is noted as "": a
				// provider the gate cannot name.
				ci.NoteProvider(full)
				ci.NoteProviderConfig(cfgKey, local, exprs)
				ci.NoteProviderCommands(cfgKey, local, full, exprs)
				return err
			})
			return err
		case "root_module":
			isNull, err := d.configModule("configuration.root_module", "")
			ci.Have = ci.Have || !isNull
			return err
		}
		if err := planformat.CaseVariant(key, planformat.Keys.Config, name("configuration")); err != nil {
			return err
		}
		return d.s.skipValue()
	})
	return err
}

// configModule reads a configuration module; prefix is its module path
// ("module.a.module.b.") for resource addresses.
func (d *decoder) configModule(what, prefix string) (bool, error) {
	return d.object(name(what), true, func(key []byte) error {
		switch string(key) {
		case "resources":
			rl := loc{list: what + ".resources"}
			return d.array(name(what+".resources"), true, func(i int) error {
				rl.i = i
				var typ, nam, mode string
				var provs []Provisioner
				var exprs []byte     // a terraform_remote_state's expressions
				var setKeys []string // the attributes its configuration sets
				haveType := false
				_, err := d.object(rl.String, false, func(key []byte) error {
					var err error
					switch string(key) {
					case "type":
						typ, err = d.str(func() string { return rl.field(".type") }, true)
						haveType = true
					case "name":
						nam, err = d.str(func() string { return rl.field(".name") }, true)
					case "mode":
						mode, err = d.str(func() string { return rl.field(".mode") }, true)
					case "provisioners":
						provs, err = d.provisioners(rl.field(".provisioners"))
					case "expressions":
						// Kept only when the resource may be a
						// terraform_remote_state (Terraform writes its
						// type first).
						if haveType && typ != planformat.RemoteStateType {
							if d.keepAfter == nil {
								return d.s.skipValue()
							}
							// Only its keys, for UnknownAttributes.
							_, err = d.object(func() string { return rl.field(".expressions") }, true, func(key []byte) error {
								setKeys = append(setKeys, string(key))
								return d.s.skipValue()
							})
						} else {
							exprs, err = d.rawValue()
							if err == nil && d.keepAfter != nil {
								setKeys, err = expressionKeys(exprs, rl.field(".expressions"))
							}
						}
					default:
						if err = planformat.CaseVariant(key, planformat.Keys.ConfigResource, rl.String); err == nil {
							err = d.s.skipValue()
						}
					}
					return err
				})
				if err != nil {
					return err
				}
				if typ == planformat.RemoteStateType {
					m, err := remoteStateExpressions(exprs, rl.field(".expressions"))
					if err != nil {
						return err
					}
					d.cfg.NoteRemoteState(prefix, mode, typ, nam, m)
				}
				d.cfg.NoteSetAttributes(prefix, mode, typ, nam, setKeys)
				return d.cfg.AddResource(prefix, typ, nam, provs, rl.String)
			})
		case "module_calls":
			_, err := d.object(name(what+".module_calls"), true, func(key []byte) error {
				call := string(key)
				cw := what + ".module_calls[" + strconv.Quote(call) + "]"
				_, err := d.object(name(cw), false, func(key []byte) error {
					if string(key) != "module" {
						if err := planformat.CaseVariant(key, planformat.Keys.ModuleCall, name(cw)); err != nil {
							return err
						}
						return d.s.skipValue()
					}
					_, err := d.configModule(cw+".module", prefix+"module."+call+".")
					return err
				})
				return err
			})
			return err
		}
		if err := planformat.CaseVariant(key, planformat.Keys.ConfigModule, name(what)); err != nil {
			return err
		}
		return d.s.skipValue()
	})
}

// provisioners reads a resource's provisioners list.
func (d *decoder) provisioners(what string) ([]Provisioner, error) {
	var out []Provisioner
	err := d.array(name(what), true, func(i int) error {
		pw := what + "[" + strconv.Itoa(i) + "]"
		var p Provisioner
		_, err := d.object(name(pw), false, func(key []byte) error {
			var err error
			switch string(key) {
			case "type":
				p.Type, err = d.str(name(pw+".type"), true)
			case "expressions":
				_, err = d.object(name(pw+".expressions"), true, func(key []byte) error {
					if planformat.IsExecOption(string(key)) {
						return d.optionExpr(pw+".expressions."+string(key), string(key), &p)
					}
					if string(key) != "command" {
						return d.s.skipValue()
					}
					return d.commandExpr(pw+".expressions.command", &p)
				})
			default:
				if err = planformat.CaseVariant(key, planformat.Keys.Provisioner, name(pw)); err == nil {
					err = d.s.skipValue()
				}
			}
			return err
		})
		sort.Strings(p.Options)
		out = append(out, p)
		return err
	})
	return out, err
}

// references reads an expression's references list (null is none).
func (d *decoder) references(what string) ([]string, error) {
	var refs []string
	err := d.array(name(what+".references"), true, func(i int) error {
		r, err := d.str(func() string { return fmt.Sprintf("%s.references[%d]", what, i) }, false)
		refs = append(refs, r)
		return err
	})
	return refs, err
}

// optionExpr reads the expression of a local-exec option into p.Options.
func (d *decoder) optionExpr(what, key string, p *Provisioner) error {
	c, err := d.s.next()
	if err != nil {
		return err
	}
	if c != '{' {
		p.Options = append(p.Options, planformat.OptionText(key, "", false, nil))
		return d.s.skipValue()
	}
	var constant string
	var haveConstant bool
	var refs []string
	_, err = d.object(name(what), false, func(k []byte) error {
		switch string(k) {
		case "constant_value":
			c, err := d.s.next()
			if err != nil || c == 'n' {
				haveConstant = false
				if err != nil {
					return err
				}
				return d.s.skipValue()
			}
			constant, err = d.constantText(what+".constant_value", 0)
			haveConstant = err == nil
			return err
		case "references":
			var err error
			refs, err = d.references(what)
			return err
		}
		if err := planformat.CaseVariant(k, planformat.Keys.Expression, name(what)); err != nil {
			return err
		}
		return d.s.skipValue()
	})
	p.Options = append(p.Options, planformat.OptionText(key, constant, haveConstant, refs))
	return err
}

// maxConstantDepth bounds the nesting constantText follows.
const maxConstantDepth = 8

// constantText renders a constant JSON value as renderConstant does.
func (d *decoder) constantText(what string, depth int) (string, error) {
	c, err := d.s.next()
	if err != nil {
		return "", err
	}
	if depth > maxConstantDepth {
		return "?", d.s.skipValue()
	}
	switch c {
	case '"':
		b, err := d.s.stringBytes()
		return planformat.RenderConstant(string(b)), err
	case '[':
		var parts []string
		err := d.array(name(what), false, func(int) error {
			t, err := d.constantText(what, depth+1)
			parts = append(parts, t)
			return err
		})
		return "[" + strings.Join(parts, ",") + "]", err
	case '{':
		m := map[string]string{}
		_, err := d.object(name(what), false, func(k []byte) error {
			t, err := d.constantText(what, depth+1)
			m[string(k)] = t
			return err
		})
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = planformat.RenderConstant(k) + ":" + m[k]
		}
		return "{" + strings.Join(parts, ",") + "}", err
	}
	return "?", d.s.skipValue()
}

// commandExpr reads a command expression: an object with constant_value
// and references; anything else leaves the command unknown.
func (d *decoder) commandExpr(what string, p *Provisioner) error {
	c, err := d.s.next()
	if err != nil {
		return err
	}
	if c != '{' {
		return d.s.skipValue()
	}
	var constant string
	var isString bool
	var refs []string
	_, err = d.object(name(what), false, func(key []byte) error {
		switch string(key) {
		case "constant_value":
			c, err := d.s.next()
			if err != nil {
				return err
			}
			if c != '"' {
				isString = false
				return d.s.skipValue()
			}
			b, err := d.s.stringBytes()
			constant, isString = string(b), true
			return err
		case "references":
			var err error
			refs, err = d.references(what)
			return err
		}
		if err := planformat.CaseVariant(key, planformat.Keys.Expression, name(what)); err != nil {
			return err
		}
		return d.s.skipValue()
	})
	planformat.SetCommand(p, constant, isString, refs)
	return err
}

// remoteStateExpressions decodes a terraform_remote_state's expressions
// (nil when absent) as generic JSON: an object, or null.
func remoteStateExpressions(raw []byte, what string) (map[string]any, error) {
	if raw == nil {
		return nil, nil
	}
	v, err := planformat.DecodeExpression(raw, name(what))
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok && v != nil {
		return nil, fmt.Errorf("%w: %s is not an object", ErrMalformed, what)
	}
	return m, nil
}

// expressionKeys returns the keys of a resource's raw expressions (none
// when null); an error when they are not an object.
func expressionKeys(raw []byte, what string) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	v, err := planformat.DecodeExpression(raw, name(what))
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok && v != nil {
		return nil, fmt.Errorf("%w: %s is not an object", ErrMalformed, what)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}
