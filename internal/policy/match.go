package policy

import (
	"slices"
	"time"
)

// actionSet is a set of actions as bits.
type actionSet uint8

const (
	actDelete actionSet = 1 << iota
	actReplace
	actUpdate
	actForget

	actAll = actDelete | actReplace | actUpdate | actForget
)

// parseAction returns the bit of a known action, or 0.
func parseAction(s string) actionSet {
	switch s {
	case ActionDelete:
		return actDelete
	case ActionReplace:
		return actReplace
	case ActionUpdate:
		return actUpdate
	case ActionForget:
		return actForget
	}
	return 0
}

// index narrows the rules to try for a change. Each rule sits in exactly one
// of its parts, the first it qualifies for, each part in policy order.
type index struct {
	// byType holds rules whose types are all literal names, under each of
	// them; looked up with the change's resource type.
	byType map[string][]*Rule
	// byAddrType holds rules whose address globs all name a literal
	// resource type, under each of them; looked up with the type written in
	// the change's address.
	byAddrType map[string][]*Rule
	// byModule holds rules whose address globs all start with a literal
	// module name, or are for the root module (""), under each of them;
	// looked up with the first module name in the change's address.
	byModule map[string][]*Rule
	// rest holds every other rule; they are tried for every change.
	rest []*Rule
	// built is set by buildIndex.
	built bool
}

func buildIndex(rules []*Rule) index {
	ix := index{byType: map[string][]*Rule{}, byAddrType: map[string][]*Rule{}, byModule: map[string][]*Rule{}, built: true}
	for _, r := range rules {
		if r.idsOnly {
			continue // matched by id only (MatchID)
		}
		if keys, ok := literalTypes(r); ok {
			add(ix.byType, keys, r)
		} else if keys, ok := addrKeys(r, (*addrPattern).literalType); ok {
			add(ix.byAddrType, keys, r)
		} else if keys, ok := addrKeys(r, (*addrPattern).firstModule); ok {
			add(ix.byModule, keys, r)
		} else {
			ix.rest = append(ix.rest, r)
		}
	}
	return ix
}

func add(m map[string][]*Rule, keys []string, r *Rule) {
	for _, k := range keys {
		m[k] = append(m[k], r)
	}
}

// literalTypes returns the types of a rule whose type globs are all literal
// names (distinct: Parse rejects duplicates).
func literalTypes(r *Rule) ([]string, bool) {
	if len(r.types) == 0 {
		return nil, false
	}
	keys := make([]string, 0, len(r.types))
	for _, g := range r.types {
		if !g.literal() {
			return nil, false
		}
		keys = append(keys, g.src)
	}
	return keys, true
}

// addrKeys returns the distinct keys of a rule's address globs, when every
// one of them has a key.
func addrKeys(r *Rule, key func(*addrPattern) (string, bool)) ([]string, bool) {
	if len(r.addrs) == 0 {
		return nil, false
	}
	var keys []string
	for _, p := range r.addrs {
		k, ok := key(p)
		if !ok {
			return nil, false
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys, true
}

// Match returns the rules that apply to a change of the resource instance at
// address, of type resourceType, by action (delete, replace, update or
// forget), in policy order. A rule applies when its types are empty or one
// matches resourceType, its addresses are empty or one matches the address,
// and it guards action. For "update" the caller must further check the
// rule's Attributes against what changed; Require does.
//
// An empty resourceType is taken from the address. Addresses of data
// sources and ephemeral resources match nothing: a plan never destroys
// them. An unknown action matches nothing. An address that does not parse
// as a Terraform resource instance address fails closed: every address glob
// is taken to match it, so only types and action decide.
func (p *Policy) Match(address, resourceType, action string) []*Rule {
	act := parseAction(action)
	if act == 0 {
		return nil
	}
	return p.match(address, resourceType, act)
}

// Protects reports whether any rule matches the address and type, whatever
// the action.
func (p *Policy) Protects(address, resourceType string) bool {
	return len(p.match(address, resourceType, actAll)) > 0
}

// RulesFor returns the rules that match the address and type, whatever
// their actions, in policy order: the rules an object at that address
// is under.
func (p *Policy) RulesFor(address, resourceType string) []*Rule {
	return p.match(address, resourceType, actAll)
}

// RequirementOf merges rules into one requirement, the strictest of them,
// as Require does for the rules that apply to a change.
func RequirementOf(rules []*Rule) Requirement {
	var req Requirement
	for _, r := range rules {
		req.add(r)
	}
	return req
}

// Strictest is the strictest requirement of all the policy's rules.
func (p *Policy) Strictest() Requirement {
	return RequirementOf(p.Rules)
}

// Merge adds the rules of o to req, keeping the strictest of each bound.
func (req *Requirement) Merge(o Requirement) {
	for _, n := range o.Rules {
		if !slices.Contains(req.Rules, n) {
			req.Rules = append(req.Rules, n)
		}
	}
	req.Approvals = max(req.Approvals, o.Approvals)
	if o.MaxTTL > 0 && (req.MaxTTL == 0 || o.MaxTTL < req.MaxTTL) {
		req.MaxTTL = o.MaxTTL
	}
	req.RequireIdentity = req.RequireIdentity || o.RequireIdentity
}

func (req *Requirement) add(r *Rule) {
	req.Merge(Requirement{Rules: []string{r.Name}, Approvals: r.Approvals, MaxTTL: r.MaxTTL, RequireIdentity: r.RequireIdentity})
}

func (p *Policy) match(address, resourceType string, act actionSet) []*Rule {
	if !p.index.built && len(p.Rules) > 0 {
		// Rules made by hand have no compiled globs and would match wrongly.
		panic("policy: Match on a Policy not made by Parse or Load")
	}
	addr, err := parseAddress(address)
	if err != nil {
		// Fail closed: try every rule, with the address part granted.
		var out []*Rule
		for _, r := range p.Rules {
			if !r.idsOnly && r.actions&act != 0 && r.matchType(resourceType) {
				out = append(out, r)
			}
		}
		return out
	}
	if addr.mode != modeManaged {
		return nil
	}
	if resourceType == "" {
		resourceType = addr.typ
	}
	firstModule := ""
	if len(addr.modules) > 0 {
		firstModule = addr.modules[0].name
	}
	lists := [...][]*Rule{p.index.byType[resourceType], p.index.byAddrType[addr.typ], p.index.byModule[firstModule], p.index.rest}
	var out []*Rule
	for {
		// Take the next rule in policy order from the sorted lists.
		next := -1
		for i, l := range lists {
			if len(l) > 0 && (next < 0 || l[0].pos < lists[next][0].pos) {
				next = i
			}
		}
		if next < 0 {
			return out
		}
		r := lists[next][0]
		lists[next] = lists[next][1:]
		if r.actions&act != 0 && r.matchType(resourceType) && r.matchAddress(&addr) {
			out = append(out, r)
		}
	}
}

func (r *Rule) matchType(t string) bool {
	if len(r.types) == 0 {
		return true
	}
	for _, g := range r.types {
		if g.match(t) {
			return true
		}
	}
	return false
}

func (r *Rule) matchAddress(a *address) bool {
	if len(r.addrs) == 0 {
		return true
	}
	for _, p := range r.addrs {
		if p.match(a) {
			return true
		}
	}
	return false
}

// guards reports whether an update changing changedAttrs is one the rule
// guards: whether one of its Attributes is among them.
func (r *Rule) guards(changedAttrs []string) bool {
	for _, a := range r.Attributes {
		if slices.Contains(changedAttrs, a) {
			return true
		}
	}
	return false
}

// Requirement is what approvals of a change must satisfy: the strictest of
// every rule that applies to it.
type Requirement struct {
	// Rules are the names of the rules that apply, in policy order.
	Rules []string
	// Approvals is the greatest number of approvals they require.
	Approvals int
	// MaxTTL is the shortest non-zero max_ttl among them; 0 for no limit.
	MaxTTL time.Duration
	// RequireIdentity is set when any of them requires the prior identity.
	RequireIdentity bool
}

// Require returns the merged requirement for a change, and false when no
// rule protects it. Rules apply as in Match; for action "update" a rule
// applies only when one of its Attributes is in changedAttrs, the top-level
// attributes the update changes (count an attribute whose new value is
// unknown until apply as changed). changedAttrs is ignored for other
// actions.
func (p *Policy) Require(address, resourceType, action string, changedAttrs []string) (Requirement, bool) {
	var req Requirement
	for _, r := range p.Match(address, resourceType, action) {
		if action == ActionUpdate && !r.guards(changedAttrs) {
			continue
		}
		req.add(r)
	}
	return req, len(req.Rules) > 0
}

// MatchID returns the rules whose ids globs match one of ids (an object's
// id and the values of its resource identity) and that guard action, in
// policy order. Such a rule protects the object wherever it is: under any
// address, of any type, in any state.
func (p *Policy) MatchID(ids []string, action string) []*Rule {
	act := parseAction(action)
	if act == 0 {
		return nil
	}
	return p.matchID(ids, act)
}

// RequireID is Require for the rules whose ids globs match one of ids (see
// MatchID): their merged requirement for a change by action, and false
// when none applies. For "update" a rule applies only when one of its
// Attributes is in changedAttrs.
func (p *Policy) RequireID(ids []string, action string, changedAttrs []string) (Requirement, bool) {
	var req Requirement
	for _, r := range p.MatchID(ids, action) {
		if action == ActionUpdate && !r.guards(changedAttrs) {
			continue
		}
		req.add(r)
	}
	return req, len(req.Rules) > 0
}

// MatchNamedID returns the rules that guard action and whose ids globs a
// known string value of a new object's attributes names as a whole (see
// idGlob.namedBy: the id, a longer path or ARN ending in it, or a relative
// path or partial ARN of two segments or more; not a short name), in
// policy order. The gate asks it for a create or replace whose new
// object's id is unknown at plan: an attribute that names a protected
// object's id (a file's path, an object's key) may make the provider take
// that object over.
func (p *Policy) MatchNamedID(value, action string) []*Rule {
	act := parseAction(action)
	n := normID(value)
	if act == 0 || n == "" {
		return nil
	}
	tails := idTails(n)
	var out []*Rule
	for _, r := range p.Rules {
		if r.actions&act == 0 {
			continue
		}
		if slices.ContainsFunc(r.ids, func(g idGlob) bool { return g.namedBy(n, tails) }) {
			out = append(out, r)
		}
	}
	return out
}

// RequireNamedID is the merged requirement of MatchNamedID's rules, and
// false when none applies.
func (p *Policy) RequireNamedID(value, action string) (Requirement, bool) {
	var req Requirement
	for _, r := range p.MatchNamedID(value, action) {
		req.add(r)
	}
	return req, len(req.Rules) > 0
}

// NamesProtectedID reports whether value names the id of an object that
// an ids rule protects against a delete or a replace (MatchNamedID): the
// values of new objects' attributes the gate needs from a plan.
func (p *Policy) NamesProtectedID(value string) bool {
	return len(p.MatchNamedID(value, ActionDelete)) > 0 || len(p.MatchNamedID(value, ActionReplace)) > 0
}

// RulesForID returns the rules whose ids globs match one of ids, whatever
// their actions, in policy order: the rules the object is under wherever
// it is.
func (p *Policy) RulesForID(ids []string) []*Rule {
	return p.matchID(ids, actAll)
}

// ProtectsID reports whether a rule's ids globs match one of ids, whatever
// the action.
func (p *Policy) ProtectsID(ids []string) bool {
	return len(p.matchID(ids, actAll)) > 0
}

// HasIDRules reports whether any rule names ids.
func (p *Policy) HasIDRules() bool {
	for _, r := range p.Rules {
		if len(r.ids) > 0 {
			return true
		}
	}
	return false
}

func (p *Policy) matchID(ids []string, act actionSet) []*Rule {
	var out []*Rule
	for _, r := range p.Rules {
		if r.actions&act == 0 || len(r.ids) == 0 {
			continue
		}
		if r.matchID(ids) {
			out = append(out, r)
		}
	}
	return out
}

func (r *Rule) matchID(ids []string) bool {
	for _, id := range ids {
		n := normID(id)
		if n == "" {
			continue
		}
		tails := idTails(n)
		for _, g := range r.ids {
			if g.matchNorm(n, tails) {
				return true
			}
		}
	}
	return false
}

// MatchIDType returns the rules that name ids, guard action and name
// resourceType in their types (a rule without types names none), in policy
// order: the gate asks it for a create or replace of that type whose new
// object the plan cannot tell from a protected one (its id unknown, and an
// attribute its configuration sets unknown too).
func (p *Policy) MatchIDType(resourceType, action string) []*Rule {
	act := parseAction(action)
	if act == 0 {
		return nil
	}
	var out []*Rule
	for _, r := range p.Rules {
		if r.actions&act != 0 && len(r.ids) > 0 && len(r.types) > 0 && r.matchType(resourceType) {
			out = append(out, r)
		}
	}
	return out
}

// WrittenByType reports whether resourceType is the object's own type
// objectType, or a type that one of rules (rules by id that match the
// object) lists in written_by: a create of it with an unknown attribute may
// then write the object.
func WrittenByType(rules []*Rule, objectType, resourceType string) bool {
	if objectType == resourceType {
		return true
	}
	for _, r := range rules {
		if slices.Contains(r.WrittenBy, resourceType) {
			return true
		}
	}
	return false
}
