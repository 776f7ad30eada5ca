package planref

// The configuration, read by the reference decoder: the strictness walk
// (checking it as strictly as plan.Decode) and the terraform-json
// derivation of the configuration fields, both resolved by planformat.ConfigInfo.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// configuration checks the configuration as strictly as the decoder.
func (d *jsonReader) configuration() error {
	var ci planformat.ConfigInfo
	_, err := d.object("configuration", true, func(key string) error {
		switch key {
		case "provider_config":
			_, err := d.object("configuration.provider_config", true, func(key string) error {
				what := "configuration.provider_config[" + strconv.Quote(key) + "]"
				_, err := d.object(what, false, func(key string) error {
					var err error
					switch key {
					case "full_name", "name":
						_, err = d.str(what+"."+key, true)
					case "expressions":
						_, err = d.object(what+".expressions", true, func(key string) error {
							raw, err := d.raw()
							if err != nil {
								return err
							}
							_, err = planformat.DecodeExpression(raw, name(what+".expressions."+key))
							return err
						})
					default:
						if err = planformat.CaseVariant([]byte(key), planformat.Keys.ProviderConfig, name(what)); err == nil {
							err = d.skip()
						}
					}
					return err
				})
				return err
			})
			return err
		case "root_module":
			return d.configModule(&ci, "configuration.root_module", "")
		}
		if err := planformat.CaseVariant([]byte(key), planformat.Keys.Config, name("configuration")); err != nil {
			return err
		}
		return d.skip()
	})
	return err
}

func (d *jsonReader) configModule(ci *planformat.ConfigInfo, what, prefix string) error {
	_, err := d.object(what, true, func(key string) error {
		switch key {
		case "resources":
			return d.array(what+".resources", true, func(i int) error {
				rw := fmt.Sprintf("%s.resources[%d]", what, i)
				var typ, nam string
				var provs []planformat.Provisioner
				var exprs []byte
				_, err := d.object(rw, false, func(key string) error {
					var err error
					switch key {
					case "type":
						typ, err = d.str(rw+".type", true)
					case "name":
						nam, err = d.str(rw+".name", true)
					case "mode":
						_, err = d.str(rw+".mode", true)
					case "expressions":
						exprs, err = d.raw()
					case "provisioners":
						err = d.array(rw+".provisioners", true, func(j int) error {
							pw := fmt.Sprintf("%s.provisioners[%d]", rw, j)
							provs = append(provs, planformat.Provisioner{})
							_, err := d.object(pw, false, func(key string) error {
								switch key {
								case "type":
									_, err := d.str(pw+".type", true)
									return err
								case "expressions":
									_, err := d.object(pw+".expressions", true, func(key string) error {
										if key != "command" && !planformat.IsExecOption(key) {
											return d.skip()
										}
										return d.commandExpr(pw + ".expressions." + key)
									})
									return err
								}
								if err := planformat.CaseVariant([]byte(key), planformat.Keys.Provisioner, name(pw)); err != nil {
									return err
								}
								return d.skip()
							})
							return err
						})
					default:
						if err = planformat.CaseVariant([]byte(key), planformat.Keys.ConfigResource, name(rw)); err == nil {
							err = d.skip()
						}
					}
					return err
				})
				if err != nil {
					return err
				}
				if typ == planformat.RemoteStateType && exprs != nil {
					v, err := planformat.DecodeExpression(exprs, name(rw+".expressions"))
					if err != nil {
						return err
					}
					if _, ok := v.(map[string]any); !ok && v != nil {
						return fmt.Errorf("%w: %s.expressions is not an object", planformat.ErrMalformed, rw)
					}
				}
				return ci.AddResource(prefix, typ, nam, provs, name(rw))
			})
		case "module_calls":
			_, err := d.object(what+".module_calls", true, func(call string) error {
				cw := what + ".module_calls[" + strconv.Quote(call) + "]"
				_, err := d.object(cw, false, func(key string) error {
					if key != "module" {
						if err := planformat.CaseVariant([]byte(key), planformat.Keys.ModuleCall, name(cw)); err != nil {
							return err
						}
						return d.skip()
					}
					return d.configModule(ci, cw+".module", prefix+"module."+call+".")
				})
				return err
			})
			return err
		}
		if err := planformat.CaseVariant([]byte(key), planformat.Keys.ConfigModule, name(what)); err != nil {
			return err
		}
		return d.skip()
	})
	return err
}

func (d *jsonReader) commandExpr(what string) error {
	raw, err := d.raw()
	if err != nil {
		return err
	}
	if t := strings.TrimSpace(string(raw)); t == "" || t[0] != '{' {
		return nil
	}
	sub := newJSONReader(strings.NewReader(string(raw)))
	_, err = sub.object(what, false, func(key string) error {
		switch key {
		case "constant_value":
			return sub.skip()
		case "references":
			return sub.array(what+".references", true, func(i int) error {
				_, err := sub.str(fmt.Sprintf("%s.references[%d]", what, i), false)
				return err
			})
		}
		if err := planformat.CaseVariant([]byte(key), planformat.Keys.Expression, name(what)); err != nil {
			return err
		}
		return sub.skip()
	})
	return err
}

// fullConfig derives the configuration fields of p from a tfjson.Plan.
func fullConfig(tp *tfjson.Plan, p *planformat.Plan) error {
	var ci planformat.ConfigInfo
	note := func(rc *tfjson.ResourceChange) {
		if rc != nil {
			ci.NoteProvider(rc.ProviderName)
		}
	}
	for _, rc := range tp.ResourceChanges {
		note(rc)
		if err := fullHostWrite(&ci, rc); err != nil {
			return err
		}
		if rc != nil && rc.Change != nil && rc.Mode == tfjson.DataResourceMode {
			// fromTFJSON checked the change: a data source reads or does nothing.
			h := planformat.Header{Address: rc.Address, Mode: string(rc.Mode), Type: rc.Type, ProviderName: rc.ProviderName, ActionReason: string(rc.ActionReason)}
			if rc.Change.Actions.Read() {
				ci.NoteApplyRead(&h, planformat.KindRead)
			}
		}
	}
	for _, rc := range tp.ResourceDrift {
		note(rc)
	}
	for _, dc := range tp.DeferredChanges {
		if dc != nil {
			note(dc.ResourceChange)
		}
	}
	for _, a := range p.ActionInvocations {
		ci.NoteProvider(a.ProviderName)
	}
	for i := range p.Changes {
		ci.NoteChange(&p.Changes[i])
	}
	if tp.Config != nil {
		for key, pc := range tp.Config.ProviderConfigs {
			if pc != nil {
				ci.NoteProvider(pc.FullName)
				exprs := make(map[string]any, len(pc.Expressions))
				for arg, e := range pc.Expressions {
					exprs[arg] = genericExpr(e)
				}
				ci.NoteProviderConfig(key, pc.Name, exprs)
				if pc.Expressions == nil {
					exprs = nil
				}
				ci.NoteProviderCommands(key, pc.Name, pc.FullName, exprs)
			}
		}
		if tp.Config.RootModule != nil {
			ci.Have = true
			if err := fullModule(&ci, tp.Config.RootModule, ""); err != nil {
				return err
			}
		}
	}
	return ci.Finish(p)
}

// fullHostWrite records a resource change that may write on the host
// (planformat.NoteHostWrite).
func fullHostWrite(ci *planformat.ConfigInfo, rc *tfjson.ResourceChange) error {
	if rc == nil || rc.Change == nil {
		return nil
	}
	h := planformat.Header{Address: rc.Address, Mode: string(rc.Mode), Type: rc.Type, ProviderName: rc.ProviderName,
		Deposed: rc.DeposedKey, ActionReason: string(rc.ActionReason)}
	actions := make([]string, len(rc.Change.Actions))
	for i, a := range rc.Change.Actions {
		actions[i] = string(a)
	}
	kind, err := planformat.Classify(actions)
	if err != nil {
		return err // fromTFJSON refused the change already
	}
	if !ci.WantsHostWrite(&h, kind) {
		return nil
	}
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	return ci.NoteHostWrite(&h, kind, planformat.MapHostWriteValues(before, after, unknown, rc.Change.AfterUnknown == true))
}

func fullModule(ci *planformat.ConfigInfo, m *tfjson.ConfigModule, prefix string) error {
	for i, r := range m.Resources {
		if r == nil {
			continue
		}
		var provs []planformat.Provisioner
		for _, pr := range r.Provisioners {
			var p planformat.Provisioner
			if pr != nil {
				p.Type = pr.Type
				if e := pr.Expressions["command"]; e != nil && e.ExpressionData != nil {
					s, ok := e.ConstantValue.(string)
					planformat.SetCommand(&p, s, ok, e.References)
				}
				for _, k := range planformat.ExecOptions() {
					e, ok := pr.Expressions[k]
					if !ok {
						continue
					}
					if e == nil || e.ExpressionData == nil {
						p.Options = append(p.Options, planformat.OptionText(k, "", false, nil))
						continue
					}
					have := e.ConstantValue != nil && e.ConstantValue != tfjson.UnknownConstantValue
					p.Options = append(p.Options, planformat.OptionText(k, planformat.RenderConstant(e.ConstantValue), have, e.References))
				}
				sort.Strings(p.Options)
			}
			provs = append(provs, p)
		}
		keys := make([]string, 0, len(r.Expressions))
		for k := range r.Expressions {
			keys = append(keys, k)
		}
		ci.NoteSetAttributes(prefix, string(r.Mode), r.Type, r.Name, keys)
		if err := ci.AddResource(prefix, r.Type, r.Name, provs, name(fmt.Sprintf("resources[%d]", i))); err != nil {
			return err
		}
		if r.Type == planformat.RemoteStateType {
			var exprs map[string]any
			if r.Expressions != nil {
				exprs = make(map[string]any, len(r.Expressions))
				for k, e := range r.Expressions {
					exprs[k] = genericExpr(e)
				}
			}
			ci.NoteRemoteState(prefix, string(r.Mode), r.Type, r.Name, exprs)
		}
	}
	for call, mc := range m.ModuleCalls {
		if mc == nil || mc.Module == nil {
			continue
		}
		if err := fullModule(ci, mc.Module, prefix+"module."+call+"."); err != nil {
			return err
		}
	}
	return nil
}

// genericExpr turns a terraform-json expression back into the generic JSON
// planformat.ProviderCommands reads: an object with constant_value and
// references, or a list of nested blocks.
func genericExpr(e *tfjson.Expression) any {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	if e.NestedBlocks != nil {
		blocks := make([]any, len(e.NestedBlocks))
		for i, b := range e.NestedBlocks {
			m := make(map[string]any, len(b))
			for k, v := range b {
				m[k] = genericExpr(v)
			}
			blocks[i] = m
		}
		return blocks
	}
	m := map[string]any{}
	if e.ConstantValue != tfjson.UnknownConstantValue {
		m["constant_value"] = e.ConstantValue
	}
	if e.References != nil {
		refs := make([]any, len(e.References))
		for i, r := range e.References {
			refs[i] = r
		}
		m["references"] = refs
	}
	return m
}
