package policy

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// This file holds the two languages planguard matches resources with:
// resource instance addresses as Terraform prints them, and the glob
// patterns a policy writes over them. docs/guides/policy.md is the user
// documentation of both; keep the two in step.

// globKind selects the cheapest way to evaluate a glob.
type globKind uint8

const (
	globLiteral globKind = iota // no wildcard: string equality
	globStars                   // prefix, then only '*'s, then suffix
	globGeneral                 // prefix, then a '?' or several '*'s apart, then suffix
)

// glob is a compiled wildcard pattern over one name, type or key.
// '*' matches any run of characters (including none), '?' exactly one
// character (one Unicode code point); every other character matches itself,
// byte for byte, case-sensitively.
type glob struct {
	src    string
	kind   globKind
	prefix string // the literal text before the first wildcard
	middle string // from the first wildcard to the last
	suffix string // the literal text after the last wildcard
}

func compileGlob(s string) glob {
	first := strings.IndexAny(s, "*?")
	if first < 0 {
		return glob{src: s, kind: globLiteral}
	}
	last := strings.LastIndexAny(s, "*?")
	g := glob{src: s, kind: globGeneral, prefix: s[:first], middle: s[first : last+1], suffix: s[last+1:]}
	if strings.Trim(g.middle, "*") == "" {
		g.kind = globStars
	}
	return g
}

// literal reports whether the glob has no wildcard, so it matches only itself.
func (g glob) literal() bool { return g.kind == globLiteral }

func (g glob) match(s string) bool {
	if g.kind == globLiteral {
		return s == g.src
	}
	if len(s) < len(g.prefix)+len(g.suffix) || !strings.HasPrefix(s, g.prefix) || !strings.HasSuffix(s, g.suffix) {
		return false
	}
	return g.kind == globStars || wildMatch(g.middle, s[len(g.prefix):len(s)-len(g.suffix)])
}

// wildMatch matches s against pattern p, where '*' matches any run of
// characters and '?' one character. It backtracks only to the last '*',
// which is enough for these patterns and runs in O(len(p)*len(s)) at worst.
func wildMatch(p, s string) bool {
	pi, si := 0, 0
	star, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				star, starS = pi, si
				pi++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[si:])
				pi++
				si += n
				continue
			default:
				if p[pi] == s[si] {
					pi++
					si++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		pi, si = star+1, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// keyKind says what an instance key is, or in a pattern, what it requires.
type keyKind uint8

const (
	keyNone   keyKind = iota // address: no key; pattern: any key or none
	keyInt                   // [0]
	keyString                // ["a"]; in a pattern the string is a glob
	keyAny                   // pattern only: [*], any key but not none
)

// instanceKey is the key of a module or resource instance in an address.
type instanceKey struct {
	kind keyKind
	n    int
	s    string
}

// keyPattern is the optional index of a step in a pattern.
type keyPattern struct {
	kind keyKind
	n    int
	s    glob
}

func (k keyPattern) match(key instanceKey) bool {
	switch k.kind {
	case keyNone:
		return true
	case keyAny:
		return key.kind != keyNone
	case keyInt:
		return key.kind == keyInt && key.n == k.n
	default:
		return key.kind == keyString && k.s.match(key.s)
	}
}

// resourceMode tells managed resources, the only ones a plan can destroy,
// from data sources and ephemeral resources.
type resourceMode uint8

const (
	modeManaged resourceMode = iota
	modeData
	modeEphemeral
)

// moduleStep is one module call in an address: module.NAME[KEY].
type moduleStep struct {
	name string
	key  instanceKey
}

// address is a parsed resource instance address:
// module.A[KEY].module.B.TYPE.NAME[KEY].
type address struct {
	modules []moduleStep
	mode    resourceMode
	typ     string
	name    string
	key     instanceKey
}

// addrPart is one dot-separated step of an address: a name and its key.
type addrPart struct {
	name   string
	key    instanceKey
	hasKey bool
}

// parseAddress parses a resource instance address the way Terraform does
// (addrs.ParseAbsResourceInstanceStr): as an HCL absolute traversal, so that
// string keys use HCL quoting and may hold dots, brackets and escaped quotes.
// Plain addresses take a fast path that agrees with HCL on all it accepts.
func parseAddress(s string) (address, error) {
	parts, ok := splitPlainAddress(s)
	if !ok {
		var err error
		if parts, err = splitAddress(s); err != nil {
			return address{}, err
		}
	}
	return interpretAddress(s, parts)
}

// splitAddress cuts an address into its steps with HCL's traversal parser.
func splitAddress(s string) ([]addrPart, error) {
	trav, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("invalid resource address %q: %s", s, diags[0].Detail)
	}
	parts := make([]addrPart, 0, len(trav))
	for _, t := range trav {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, addrPart{name: t.Name})
		case hcl.TraverseAttr:
			parts = append(parts, addrPart{name: t.Name})
		case hcl.TraverseIndex:
			last := &parts[len(parts)-1] // a traversal starts with its root
			if last.hasKey {
				return nil, fmt.Errorf("invalid resource address %q: two index keys in a row", s)
			}
			k, err := addressKey(t.Key)
			if err != nil {
				return nil, fmt.Errorf("invalid resource address %q: %w", s, err)
			}
			last.key, last.hasKey = k, true
		default:
			return nil, fmt.Errorf("invalid resource address %q", s)
		}
	}
	return parts, nil
}

// splitPlainAddress cuts an address into its steps without the HCL scanner
// when it is plain: ASCII names that start with a letter, whole-number keys
// without leading zeros, and string keys of printable ASCII with nothing HCL
// would unescape. For anything else it reports false and leaves the address
// to splitAddress. Plan addresses are nearly always plain, and matching a
// plan against a policy parses every one of them.
func splitPlainAddress(s string) ([]addrPart, bool) {
	parts := make([]addrPart, 0, 4)
	i := 0
	for {
		if i == len(s) || !isASCIILetter(s[i]) {
			return nil, false
		}
		j := i + 1
		for j < len(s) && (isASCIILetter(s[j]) || isDigit(s[j]) || s[j] == '_' || s[j] == '-') {
			j++
		}
		p := addrPart{name: s[i:j]}
		if j < len(s) && s[j] == '[' {
			j++
			k := j
			if j < len(s) && s[j] == '"' {
				for k = j + 1; k < len(s) && s[k] >= 0x20 && s[k] < 0x7f && !strings.ContainsRune(`"\$%`, rune(s[k])); k++ {
				}
				if k+1 >= len(s) || s[k] != '"' || s[k+1] != ']' {
					return nil, false
				}
				p.key = instanceKey{kind: keyString, s: s[j+1 : k]}
				j = k + 2
			} else {
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				if k == j || k-j > 18 || (s[j] == '0' && k-j > 1) || k == len(s) || s[k] != ']' {
					return nil, false
				}
				n, _ := strconv.Atoi(s[j:k])
				p.key = instanceKey{kind: keyInt, n: n}
				j = k + 1
			}
			p.hasKey = true
		}
		parts = append(parts, p)
		if j == len(s) {
			return parts, true
		}
		if s[j] != '.' {
			return nil, false
		}
		i = j + 1
	}
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }

// interpretAddress reads the steps of an address as Terraform does:
// module.NAME[KEY] steps, then [data.|ephemeral.]TYPE.NAME[KEY].
func interpretAddress(s string, parts []addrPart) (address, error) {
	var a address
	i := 0
	for i < len(parts) && parts[i].name == "module" {
		if parts[i].hasKey || i+1 == len(parts) {
			return a, fmt.Errorf("invalid resource address %q: \"module\" must be followed by a module name", s)
		}
		a.modules = append(a.modules, moduleStep{name: parts[i+1].name, key: parts[i+1].key})
		i += 2
	}
	rest := parts[i:]
	if len(rest) > 0 && !rest[0].hasKey {
		switch rest[0].name {
		case "data":
			a.mode, rest = modeData, rest[1:]
		case "ephemeral":
			a.mode, rest = modeEphemeral, rest[1:]
		}
	}
	if len(rest) != 2 || rest[0].hasKey {
		return a, fmt.Errorf("invalid resource address %q: want [module.NAME.]...TYPE.NAME[KEY]", s)
	}
	a.typ, a.name, a.key = rest[0].name, rest[1].name, rest[1].key
	return a, nil
}

// addressKey converts an index of an address to an instance key: a string,
// or a number that is a whole int (as Terraform's gocty conversion requires).
func addressKey(v cty.Value) (instanceKey, error) {
	switch v.Type() {
	case cty.String:
		return instanceKey{kind: keyString, s: v.AsString()}, nil
	case cty.Number:
		n, ok := wholeInt(v.AsBigFloat())
		if !ok {
			return instanceKey{}, fmt.Errorf("instance key %s is not a whole number", v.AsBigFloat().Text('g', -1))
		}
		return instanceKey{kind: keyInt, n: n}, nil
	}
	return instanceKey{}, errors.New("instance key must be a string or a whole number")
}

// wholeInt returns f as an int when it is exactly one.
func wholeInt(f *big.Float) (int, bool) {
	if f.IsInf() || !f.IsInt() {
		return 0, false
	}
	n, acc := f.Int64()
	if acc != big.Exact || n < math.MinInt || n > math.MaxInt {
		return 0, false
	}
	return int(n), true
}

// modulePattern is one module step of a pattern: module.NAMEGLOB[KEY], or
// "**" (anyDepth), which matches zero or more module steps.
type modulePattern struct {
	anyDepth bool
	name     glob
	key      keyPattern
}

// addrPattern is a compiled address glob; see docs/guides/policy.md.
type addrPattern struct {
	src     string
	modules []modulePattern
	anyRes  bool // the resource step is "*" (or the pattern ended in "**")
	typ     glob
	name    glob
	key     keyPattern
}

// literalType returns the resource type the pattern requires, when it is a
// plain name rather than a glob; the policy indexes rules by it.
func (p *addrPattern) literalType() (string, bool) {
	if p.anyRes || !p.typ.literal() {
		return "", false
	}
	return p.typ.src, true
}

// firstModule returns the module name the pattern's addresses start with,
// "" for a pattern of the root module, when it is a plain name; the policy
// indexes rules by it.
func (p *addrPattern) firstModule() (string, bool) {
	if len(p.modules) == 0 {
		return "", true
	}
	if m := p.modules[0]; !m.anyDepth && m.name.literal() {
		return m.name.src, true
	}
	return "", false
}

func (p *addrPattern) match(a *address) bool {
	if !p.anyRes && !(p.typ.match(a.typ) && p.name.match(a.name) && p.key.match(a.key)) {
		return false
	}
	return matchModules(p.modules, a.modules)
}

// matchModules matches the module path of an address against the module
// steps of a pattern, where a "**" step matches any number of module steps.
// Like wildMatch, it backtracks only to the last "**".
func matchModules(ps []modulePattern, ms []moduleStep) bool {
	pi, mi := 0, 0
	star, starM := -1, 0
	for mi < len(ms) {
		if pi < len(ps) {
			if ps[pi].anyDepth {
				star, starM = pi, mi
				pi++
				continue
			}
			if ps[pi].name.match(ms[mi].name) && ps[pi].key.match(ms[mi].key) {
				pi++
				mi++
				continue
			}
		}
		if star < 0 {
			return false
		}
		starM++
		pi, mi = star+1, starM
	}
	for pi < len(ps) && ps[pi].anyDepth {
		pi++
	}
	return pi == len(ps)
}

// rawPart is one dot-separated step of a pattern before interpretation:
// a name and, when it has one, the text between its index brackets.
type rawPart struct {
	name   string
	key    string
	hasKey bool
}

// splitPattern cuts a pattern into its dot-separated steps. A dot or bracket
// inside a quoted index key is part of the key.
func splitPattern(s string) ([]rawPart, error) {
	var parts []rawPart
	i := 0
	for {
		j := i
		for j < len(s) && s[j] != '.' && s[j] != '[' {
			if s[j] == ']' || s[j] == '"' {
				return nil, fmt.Errorf("unexpected %q at offset %d", s[j], j)
			}
			j++
		}
		if j == i {
			if j < len(s) && s[j] == '[' {
				return nil, fmt.Errorf("index at offset %d follows no name", j)
			}
			return nil, errors.New("empty step: a dot at the start, at the end, or next to another dot")
		}
		p := rawPart{name: s[i:j]}
		if j < len(s) && s[j] == '[' {
			k, err := closingBracket(s, j)
			if err != nil {
				return nil, err
			}
			p.key, p.hasKey = s[j+1:k], true
			j = k + 1
		}
		parts = append(parts, p)
		if j == len(s) {
			return parts, nil
		}
		if s[j] != '.' {
			return nil, fmt.Errorf("unexpected %q after index at offset %d: want a dot", s[j], j)
		}
		i = j + 1
	}
}

// closingBracket returns the offset of the ']' closing the '[' at open,
// skipping over one quoted HCL string and its escapes.
func closingBracket(s string, open int) (int, error) {
	for k := open + 1; k < len(s); k++ {
		switch s[k] {
		case ']':
			return k, nil
		case '[':
			return 0, fmt.Errorf("nested '[' at offset %d", k)
		case '"':
			for k++; k < len(s) && s[k] != '"'; k++ {
				if s[k] == '\\' {
					k++
				}
			}
			if k >= len(s) {
				return 0, fmt.Errorf("unterminated string in index at offset %d", open)
			}
		}
	}
	return 0, fmt.Errorf("unclosed '[' at offset %d", open)
}

// compileAddrPattern parses and compiles an address glob.
func compileAddrPattern(s string) (*addrPattern, error) {
	parts, err := splitPattern(s)
	if err != nil {
		return nil, err
	}
	p := &addrPattern{src: s}
	i := 0
	for i < len(parts) {
		part := parts[i]
		if part.name == "**" {
			if part.hasKey {
				return nil, errors.New(`"**" stands for whole module steps and cannot take an index`)
			}
			if n := len(p.modules); n == 0 || !p.modules[n-1].anyDepth {
				p.modules = append(p.modules, modulePattern{anyDepth: true})
			}
			i++
			continue
		}
		if part.name != "module" || part.hasKey || i+1 == len(parts) {
			break
		}
		name := parts[i+1]
		g, err := nameGlob(name.name, "module name")
		if err != nil {
			return nil, err
		}
		k, err := compileKey(name)
		if err != nil {
			return nil, err
		}
		p.modules = append(p.modules, modulePattern{name: g, key: k})
		i += 2
	}
	rest := parts[i:]
	switch {
	case len(rest) == 0:
		if n := len(p.modules); n > 0 && p.modules[n-1].anyDepth {
			p.anyRes = true // a trailing "**" means everything below
			return p, nil
		}
		return nil, fmt.Errorf("it names a module, not resources: write %q for the resources directly in it, or %q for everything inside it", s+".*", s+".**")
	case !rest[0].hasKey && (rest[0].name == "data" || rest[0].name == "ephemeral") && len(rest) > 1:
		what := map[string]string{"data": "data sources", "ephemeral": "ephemeral resources"}[rest[0].name]
		return nil, fmt.Errorf("%s are never destroyed by a plan, so they cannot be protected; remove %q", what, rest[0].name+".")
	case len(rest) == 1 && rest[0].name == "*" && !rest[0].hasKey:
		p.anyRes = true
		return p, nil
	case len(rest) == 2 && !rest[0].hasKey:
		if p.typ, err = nameGlob(rest[0].name, "resource type"); err != nil {
			return nil, err
		}
		if p.name, err = nameGlob(rest[1].name, "resource name"); err != nil {
			return nil, err
		}
		if p.key, err = compileKey(rest[1]); err != nil {
			return nil, err
		}
		return p, nil
	}
	return nil, errors.New(`want [module.NAME.]...TYPE.NAME: the resource as TYPE.NAME (e.g. aws_db_instance.main or aws_db_instance.*), "*" for any resource, or "**" for everything below, after any module steps`)
}

// nameGlob validates and compiles a glob over a name: an HCL identifier in
// which '*' and '?' may stand for characters.
func nameGlob(s, what string) (glob, error) {
	if strings.Contains(s, "**") {
		return glob{}, fmt.Errorf(`%s %q: "**" must be a step of its own (e.g. "**.aws_db_instance.main"); within a name, "*" already matches any run of characters`, what, s)
	}
	if !hclsyntax.ValidIdentifier(strings.NewReplacer("*", "a", "?", "a").Replace(s)) {
		return glob{}, fmt.Errorf("%s %q: want letters, digits, '_' and '-' (not first), with '*' and '?' as wildcards", what, s)
	}
	return compileGlob(s), nil
}

// compileKey compiles the index of a pattern step: none, [*], [N] or
// ["glob"], the string in HCL quoting like Terraform prints it.
func compileKey(p rawPart) (keyPattern, error) {
	if !p.hasKey {
		return keyPattern{kind: keyNone}, nil
	}
	k := p.key
	switch {
	case k == "*":
		return keyPattern{kind: keyAny}, nil
	case strings.HasPrefix(k, `"`):
		trav, diags := hclsyntax.ParseTraversalAbs([]byte("x["+k+"]"), "", hcl.InitialPos)
		if diags.HasErrors() || len(trav) != 2 {
			return keyPattern{}, fmt.Errorf("index [%s]: want a quoted string like Terraform prints it, e.g. [\"prod-*\"]", k)
		}
		idx, ok := trav[1].(hcl.TraverseIndex)
		if !ok || idx.Key.Type() != cty.String {
			return keyPattern{}, fmt.Errorf("index [%s]: want a quoted string", k)
		}
		return keyPattern{kind: keyString, s: compileGlob(idx.Key.AsString())}, nil
	case k != "" && strings.Trim(k, "0123456789") == "" && (k == "0" || k[0] != '0'):
		n, err := strconv.Atoi(k)
		if err != nil {
			return keyPattern{}, fmt.Errorf("index [%s]: %w", k, err)
		}
		return keyPattern{kind: keyInt, n: n}, nil
	}
	return keyPattern{}, fmt.Errorf(`index [%s]: want [*], a whole number like [0], or a quoted string like ["prod-*"]`, k)
}
