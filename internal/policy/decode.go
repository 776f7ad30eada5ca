package policy

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var (
	rootSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "scope"}, {Name: "protect_imports"}, {Name: "providers"}, {Name: "lock_file"}, {Name: "program_providers"}, {Name: "allow_apply_reads"}, {Name: "host_writers"},
			{Name: "allow_apply_file_reads"}, {Name: "allow_provider_functions"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "trust"},
			{Type: "state"},
			{Type: "protect", LabelNames: []string{"name"}},
			{Type: "allow_provisioners", LabelNames: []string{"name"}},
			{Type: "protect_actions", LabelNames: []string{"name"}},
			{Type: "allow_actions", LabelNames: []string{"name"}},
			{Type: "runner"},
			{Type: "provider_exec"},
			{Type: "remote_state"},
			{Type: "allow_host_writes", LabelNames: []string{"name"}},
		},
	}
	trustSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "allowed_signers"}, {Name: "revoked_keys"}},
	}
	protectSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "types"},
			{Name: "addresses"},
			{Name: "actions"},
			{Name: "approvals"},
			{Name: "max_ttl"},
			{Name: "require_identity"},
			{Name: "attributes"},
			{Name: "ids"},
			{Name: "written_by"},
		},
	}

	// namePattern is what a scope or a rule name may contain: they appear
	// in signed payloads, reports and file names.
	namePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// decode parses src and checks everything Parse promises, collecting every
// problem rather than stopping at the first.
func decode(src []byte, filename string) (*Policy, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, more := file.Body.Content(rootSchema)
	diags = append(diags, more...)
	p := &Policy{Filename: filename}
	// Blocks with the wrong number of labels are left out of content, with
	// a diagnostic of their own; count them here so that they are not also
	// reported as missing.
	written := map[string]int{}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Not native HCL syntax", Subject: file.Body.MissingItemRange().Ptr()}}
	}
	for _, b := range body.Blocks {
		written[b.Type]++
	}

	if attr, ok := content.Attributes["scope"]; ok {
		s, d := stringAttr(attr)
		diags = append(diags, d...)
		if !d.HasErrors() && !namePattern.MatchString(s) {
			diags = append(diags, errorAt(attr.Expr.Range(), "Invalid scope",
				fmt.Sprintf("scope %q may only contain letters, digits, '.', '_' and '-', and must not be empty.", s)))
		}
		p.Scope = s
	} else {
		diags = append(diags, errorAt(content.MissingItemRange, "Missing scope",
			`The policy must set scope = "NAME" (e.g. "prod"): approvals must name this scope, so an approval for another environment cannot be replayed here.`))
	}

	p.ProtectImports = true
	if attr, ok := content.Attributes["protect_imports"]; ok {
		v, d := typedAttr(attr, cty.Bool, "true or false")
		diags = append(diags, d...)
		if !d.HasErrors() {
			p.ProtectImports = v.True()
		}
	}

	var trust, protects, state []*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "trust":
			trust = append(trust, b)
		case "state":
			state = append(state, b)
		case "protect":
			protects = append(protects, b)
		}
	}
	diags = append(diags, decodeState(p, state)...)
	diags = append(diags, decodeRemoteStates(p, content)...)
	diags = append(diags, decodeLockFile(p, content)...)
	diags = append(diags, decodeProvisioning(p, content)...)
	diags = append(diags, decodeProviderExec(p, content)...)
	diags = append(diags, decodeApplyCode(p, content)...)
	diags = append(diags, decodeHostWrites(p, content)...)
	diags = append(diags, decodeActions(p, content)...)
	diags = append(diags, decodeRunner(p, content)...)
	switch {
	case len(trust) == 0 && written["trust"] > 0:
		// A trust block with labels: reported by Content already.
	case len(trust) == 0:
		diags = append(diags, errorAt(content.MissingItemRange, "Missing trust block",
			`The policy must name the keys it trusts: add trust { allowed_signers = "allowed_signers" }, an OpenSSH allowed_signers file relative to the policy file.`))
	default:
		for _, b := range trust[1:] {
			diags = append(diags, errorAt(b.DefRange, "Duplicate trust block",
				fmt.Sprintf("Only one trust block is allowed; the first is at %s. Merge them.", trust[0].DefRange)))
		}
		diags = append(diags, decodeTrust(p, trust[0])...)
	}

	if written["protect"] == 0 {
		diags = append(diags, errorAt(content.MissingItemRange, "No protect block",
			`policy declares no protect block: nothing would be guarded; add one, e.g. protect "databases" { types = ["aws_db_instance"] }.`))
	}
	seen := map[string]*Rule{}
	for _, b := range protects {
		r, d := decodeRule(b)
		diags = append(diags, d...)
		if first, dup := seen[r.Name]; dup {
			diags = append(diags, errorAt(b.LabelRanges[0], "Duplicate protect block",
				fmt.Sprintf("A protect block named %q is already defined at %s; rule names must be unique. Rename or merge one of them.", r.Name, first.Range)))
		} else {
			seen[r.Name] = r
		}
		r.pos = len(p.Rules)
		p.Rules = append(p.Rules, r)
	}

	sortDiags(diags)
	return p, diags
}

func decodeTrust(p *Policy, b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(trustSchema)
	attr, ok := content.Attributes["allowed_signers"]
	if !ok {
		return append(diags, errorAt(b.DefRange, "Missing allowed_signers",
			`The trust block must set allowed_signers = "FILE", the OpenSSH allowed_signers file of trusted keys, relative to the policy file.`))
	}
	s, d := pathAttr(attr, "allowed_signers must be the path of the OpenSSH allowed_signers file, relative to the policy file.")
	diags = append(diags, d...)
	if d.HasErrors() {
		return diags
	}
	p.AllowedSignersPath = resolveTrustPath(p.Filename, s)
	p.trustRaw = s
	p.trustRange = attr.Expr.Range()
	if attr, ok := content.Attributes["revoked_keys"]; ok {
		s, d := pathAttr(attr, "revoked_keys must be the path of an OpenSSH KRL (ssh-keygen -k) or of a list of public keys, relative to the policy file.")
		diags = append(diags, d...)
		if d.HasErrors() {
			return diags
		}
		p.RevokedKeysPath = resolveTrustPath(p.Filename, s)
		p.revokedRaw = s
		p.revokedRange = attr.Expr.Range()
	}
	return diags
}

// pathAttr reads an attribute that names a file: a string that is not
// blank and holds no NUL; detail says what the file is, for the error.
func pathAttr(a *hcl.Attribute, detail string) (string, hcl.Diagnostics) {
	s, diags := stringAttr(a)
	if diags.HasErrors() {
		return "", diags
	}
	if strings.TrimSpace(s) == "" || strings.ContainsRune(s, 0) {
		return "", hcl.Diagnostics{errorAt(a.Expr.Range(), "Invalid "+a.Name, detail)}
	}
	return s, nil
}

func decodeRule(b *hcl.Block) (*Rule, hcl.Diagnostics) {
	r := &Rule{
		Name:      b.Labels[0],
		Range:     b.DefRange,
		Approvals: 1,
	}
	var diags hcl.Diagnostics
	if !namePattern.MatchString(r.Name) {
		diags = append(diags, errorAt(b.LabelRanges[0], "Invalid protect name",
			fmt.Sprintf("protect %q: a rule name may only contain letters, digits, '.', '_' and '-', and must not be empty.", r.Name)))
	}
	content, more := b.Body.Content(protectSchema)
	diags = append(diags, more...)
	attrs := content.Attributes

	if a, ok := attrs["types"]; ok {
		var ranges []hcl.Range
		r.Types, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, t := range r.Types {
			g, err := nameGlob(t, "type glob")
			if err != nil {
				diags = append(diags, errorAt(ranges[i], "Invalid type glob", fmt.Sprintf("types[%d]: %s.", i, err)))
				continue
			}
			r.types = append(r.types, g)
		}
	}
	if a, ok := attrs["addresses"]; ok {
		var ranges []hcl.Range
		r.Addresses, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range r.Addresses {
			pat, err := compileAddrPattern(s)
			if err != nil {
				diags = append(diags, errorAt(ranges[i], "Invalid address glob", fmt.Sprintf("addresses[%d] %q: %s.", i, s, err)))
				continue
			}
			r.addrs = append(r.addrs, pat)
		}
	}
	if a, ok := attrs["ids"]; ok {
		var ranges []hcl.Range
		r.IDs, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range r.IDs {
			if strings.Trim(s, "*?") == "" {
				diags = append(diags, errorAt(ranges[i], "Invalid id glob",
					fmt.Sprintf("ids[%d] %q matches every object; name the protected objects' ids (wildcards * and ? may stand for part of one), or use types to protect every object of a type.", i, s)))
				continue
			}
			r.ids = append(r.ids, compileIDGlob(s))
		}
	}
	_, hasTypes := attrs["types"]
	_, hasAddrs := attrs["addresses"]
	_, hasIDs := attrs["ids"]
	if !hasTypes && !hasAddrs && !hasIDs {
		diags = append(diags, errorAt(b.DefRange, "Rule matches nothing",
			fmt.Sprintf("protect %q sets neither types, addresses nor ids; set at least one (e.g. types = [\"aws_db_instance\"], or ids = [\"prod-db-1\"]) to say what it protects.", r.Name)))
	}
	r.idsOnly = hasIDs && !hasTypes && !hasAddrs
	if a, ok := attrs["written_by"]; ok {
		var ranges []hcl.Range
		r.WrittenBy, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range r.WrittenBy {
			if !hclsyntax.ValidIdentifier(s) || !strings.Contains(s, "_") {
				diags = append(diags, errorAt(ranges[i], "Invalid resource type",
					fmt.Sprintf("written_by[%d] %q: want a resource type name, written out (no wildcards), such as \"aws_s3_object\".", i, s)))
			}
		}
		if !hasIDs {
			diags = append(diags, errorAt(a.NameRange, "written_by without ids",
				fmt.Sprintf("protect %q sets written_by, which only applies to the objects an ids rule protects; add ids = [...] or remove written_by.", r.Name)))
		}
	}

	r.Actions = []string{ActionDelete, ActionReplace, ActionForget}
	actionsOK := true
	if a, ok := attrs["actions"]; ok {
		var ranges []hcl.Range
		r.Actions, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		actionsOK = !more.HasErrors()
		for i, s := range r.Actions {
			bit := parseAction(s)
			if bit == 0 {
				diags = append(diags, errorAt(ranges[i], "Unknown action",
					fmt.Sprintf("actions[%d] %q: want delete, replace, update or forget.", i, s)))
				actionsOK = false
			}
			r.actions |= bit
		}
	} else {
		r.actions = actDelete | actReplace | actForget
	}

	if a, ok := attrs["approvals"]; ok {
		n, d := approvalsAttr(a)
		diags = append(diags, d...)
		r.Approvals = n
	}

	if a, ok := attrs["max_ttl"]; ok {
		ttl, d := ttlAttr(a)
		diags = append(diags, d...)
		r.MaxTTL = ttl
	}

	if a, ok := attrs["require_identity"]; ok {
		v, d := typedAttr(a, cty.Bool, "true or false")
		diags = append(diags, d...)
		if !d.HasErrors() {
			r.RequireIdentity = v.True()
		}
	}

	a, hasAttrs := attrs["attributes"]
	if hasAttrs {
		var ranges []hcl.Range
		r.Attributes, ranges, more = stringListAttr(a)
		diags = append(diags, more...)
		for i, s := range r.Attributes {
			if !hclsyntax.ValidIdentifier(s) {
				diags = append(diags, errorAt(ranges[i], "Invalid attribute name",
					fmt.Sprintf("attributes[%d] %q: want a top-level attribute name of the resource, such as \"deletion_protection\".", i, s)))
			}
		}
	}
	switch {
	case !actionsOK:
		// The actions are wrong already; whether attributes fit them is moot.
	case r.actions&actUpdate != 0 && !hasAttrs:
		diags = append(diags, errorAt(b.DefRange, "Update needs attributes",
			fmt.Sprintf("protect %q guards \"update\", but update needs attributes: which changes count? Add attributes = [\"...\"], e.g. [\"deletion_protection\"].", r.Name)))
	case r.actions&actUpdate == 0 && hasAttrs:
		diags = append(diags, errorAt(a.NameRange, "Attributes without update",
			fmt.Sprintf("protect %q sets attributes, which only apply to updates; add \"update\" to actions or remove attributes.", r.Name)))
	}
	return r, diags
}

// approvalsAttr reads an approvals attribute: a whole number, at least 1.
func approvalsAttr(a *hcl.Attribute) (int, hcl.Diagnostics) {
	n, diags := intAttr(a)
	if !diags.HasErrors() && n < 1 {
		diags = append(diags, errorAt(a.Expr.Range(), "Invalid approvals",
			fmt.Sprintf("approvals = %d: at least 1 trusted principal must sign; remove the rule to stop protecting these resources.", n)))
	}
	return n, diags
}

// ttlAttr reads a max_ttl attribute (see parseTTL).
func ttlAttr(a *hcl.Attribute) (time.Duration, hcl.Diagnostics) {
	s, diags := stringAttr(a)
	if diags.HasErrors() {
		return 0, diags
	}
	ttl, err := parseTTL(s)
	if err != nil {
		diags = append(diags, errorAt(a.Expr.Range(), "Invalid max_ttl", fmt.Sprintf("max_ttl %q: %s.", s, err)))
	}
	return ttl, diags
}

// parseTTL parses max_ttl: a Go duration ("72h", "90m", "1h30m"), optionally
// led by whole days ("7d", "1d12h"), which must come out greater than zero.
func parseTTL(s string) (time.Duration, error) {
	hint := errors.New(`want a duration like "72h", "90m", "1h30m" or "7d" (units: d, h, m, s)`)
	var days time.Duration
	rest := s
	if i := strings.IndexByte(s, 'd'); i > 0 && strings.Trim(s[:i], "0123456789") == "" {
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || n > int64(math.MaxInt64/(24*time.Hour)) {
			return 0, errors.New("too long")
		}
		days, rest = time.Duration(n)*24*time.Hour, s[i+1:]
		if rest != "" && (rest[0] == '-' || rest[0] == '+') {
			return 0, hint
		}
	}
	var d time.Duration
	if rest != "" || rest == s {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, hint
		}
	}
	if d > math.MaxInt64-days {
		return 0, errors.New("too long")
	}
	if d+days <= 0 {
		return 0, errors.New("must be greater than zero; remove max_ttl for no limit")
	}
	return d + days, nil
}

// typedAttr evaluates an attribute without variables or functions and
// requires a known, non-null value of exactly type want.
func typedAttr(a *hcl.Attribute, want cty.Type, wantText string) (cty.Value, hcl.Diagnostics) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if v.IsNull() || !v.IsWhollyKnown() || !v.Type().Equals(want) {
		return cty.NilVal, hcl.Diagnostics{errorAt(a.Expr.Range(), "Invalid "+a.Name,
			fmt.Sprintf("%s must be %s.", a.Name, wantText))}
	}
	return v, nil
}

func stringAttr(a *hcl.Attribute) (string, hcl.Diagnostics) {
	v, diags := typedAttr(a, cty.String, "a string")
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), nil
}

func intAttr(a *hcl.Attribute) (int, hcl.Diagnostics) {
	v, diags := typedAttr(a, cty.Number, "a whole number")
	if diags.HasErrors() {
		return 0, diags
	}
	n, ok := wholeInt(v.AsBigFloat())
	if !ok || n > math.MaxInt32 || n < math.MinInt32 {
		return 0, hcl.Diagnostics{errorAt(a.Expr.Range(), "Invalid "+a.Name,
			fmt.Sprintf("%s must be a whole number, got %s.", a.Name, v.AsBigFloat().Text('g', 10)))}
	}
	return n, nil
}

// stringListAttr decodes a non-empty list of distinct, non-empty strings,
// with the range of each element for messages.
func stringListAttr(a *hcl.Attribute) ([]string, []hcl.Range, hcl.Diagnostics) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		return nil, nil, hcl.Diagnostics{errorAt(a.Expr.Range(), "Invalid "+a.Name,
			fmt.Sprintf(`%s must be a list of strings, like ["a", "b"].`, a.Name))}
	}
	if v.LengthInt() == 0 {
		return nil, nil, hcl.Diagnostics{errorAt(a.Expr.Range(), "Empty "+a.Name,
			fmt.Sprintf("%s = [] lists nothing; list at least one value or remove %s.", a.Name, a.Name))}
	}
	exprs, d := hcl.ExprList(a.Expr)
	rangeOf := func(i int) hcl.Range {
		if d.HasErrors() || len(exprs) != v.LengthInt() {
			return a.Expr.Range()
		}
		return exprs[i].Range()
	}
	var out []string
	var ranges []hcl.Range
	first := map[string]int{}
	for i, e := range v.AsValueSlice() {
		rng := rangeOf(i)
		switch {
		case e.IsNull() || e.Type() != cty.String:
			diags = append(diags, errorAt(rng, "Invalid "+a.Name,
				fmt.Sprintf("%s[%d] must be a string.", a.Name, i)))
		case e.AsString() == "":
			diags = append(diags, errorAt(rng, "Empty string in "+a.Name,
				fmt.Sprintf("%s[%d] is an empty string; remove it or write a value.", a.Name, i)))
		default:
			s := e.AsString()
			if j, dup := first[s]; dup {
				diags = append(diags, errorAt(rng, "Duplicate value in "+a.Name,
					fmt.Sprintf("%s[%d] %q repeats %s[%d]; remove one.", a.Name, i, s, a.Name, j)))
				continue
			}
			first[s] = i
			out = append(out, s)
			ranges = append(ranges, rng)
		}
	}
	if diags.HasErrors() {
		return nil, nil, diags
	}
	return out, ranges, nil
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}

// sortDiags orders diagnostics by position in the file, so a user reads them
// top to bottom.
func sortDiags(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
}
