package plan

// What a saved plan's configuration snapshot shows of code the apply runs
// and its JSON does not (planformat.ConfigCode):
//
//   - calls of the functions that read files on the host that evaluates
//     them (file, templatefile, fileset, …), wherever they are and whether
//     or not their arguments are known at plan: Terraform and OpenTofu
//     evaluate the configuration again during the apply (a resource's or
//     data source's arguments, locals, outputs, check blocks, conditions,
//     provider blocks), where the host's files are the apply job's
//     (/proc/self/environ is terraform's own environment, with the
//     apply's credentials), and print or store what they read (an error
//     message, the "inconsistent final plan" error, the state, a
//     provider's settings). Only a call that reads a file of the
//     configuration itself (readsConfigFile) is not listed;
//   - ephemeral blocks (Terraform 1.10+): opened in every plan and apply
//     that needs them, in no resource_changes;
//   - calls of provider-defined functions (provider::NAME::FUNCTION),
//     evaluated at plan and again at apply.
//
// A file read's References (for its message) are what its arguments
// refer to that may be unknown at plan, so that it reads only during the
// apply. An argument is known at plan when all it refers to is: literals,
// path.*, terraform.workspace, count.index, each.key, each.value of a
// for_each that is itself known at plan, var.* of the root module, and a
// child module's var.* whose argument in the module call is known at plan
// (by the same rule, in the parent). Anything else (a resource, data
// source, ephemeral resource, local value, module output, self) may be
// unknown until the apply.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// FileFunctions are Terraform's and OpenTofu's functions that read the
// files (or the file names) of the host that evaluates them, and
// templatestring, whose template (a string of the configuration, built
// with escapes that hide its calls from a reader of the configuration)
// might call them: Terraform 1.11 refuses that ("cannot use
// filesystem"), but planguard does not rely on every version of both
// tools doing so.
var FileFunctions = []string{
	"file", "filebase64", "fileexists", "fileset", "filemd5", "filesha1", "filesha256", "filesha512",
	"filebase64sha256", "filebase64sha512", "templatefile", "templatestring",
}

// readsConfigFile reports whether a call of the file function name reads
// only a file of the configuration (localPath), which the apply's room
// holds as the snapshot's regular files: not for templatefile or
// templatestring, whose template may itself call file("/proc/self/environ")
// where planguard does not look (a comment of a .tf file read as a
// template, an escaped "$${" string).
func readsConfigFile(name string, n *hclsyntax.FunctionCallExpr) bool {
	switch {
	case name == "templatefile" || name == "templatestring" || len(n.Args) == 0:
		return false
	case name == "fileset":
		// fileset(path, pattern): the pattern is a path below it, and
		// one without alternatives or classes ("{.,x}{.,x}" spells ..).
		return len(n.Args) == 2 && localPath(n.Args[0]) && localPath(n.Args[1]) && !literalHas(n.Args[1], "{}[]", "..")
	}
	return localPath(n.Args[0])
}

func isFileFunction(name string) bool {
	for _, f := range FileFunctions {
		if f == name {
			return true
		}
	}
	return false
}

// scanBlock is a block of a configuration file in a form common to the
// native and the JSON syntax.
type scanBlock struct {
	typ    string
	labels []string
	line   int
	attrs  []scanAttr
	blocks []*scanBlock
}

// scanAttr is an attribute: one expression in native syntax; in JSON
// syntax, each string of its value, read as a template.
type scanAttr struct {
	name  string
	line  int
	exprs []hclsyntax.Expression
	// literal is the attribute's value when it is a literal string (the
	// provider of an ephemeral block, a required_providers source).
	literal string
	// value is the native attribute's constant value, when it has one.
	value cty.Value
}

func (b *scanBlock) attr(name string) *scanAttr {
	for i := range b.attrs {
		if b.attrs[i].name == name {
			return &b.attrs[i]
		}
	}
	return nil
}

// scanModule is one module of the snapshot.
type scanModule struct {
	key, dir string
	// prefix is its module path in addresses: "" or "module.a.module.b.".
	prefix string
	// local is what its local provider names stand for, read as the
	// runner reads them (tfsource): required_providers of the primary
	// files, then of the override files, sources normalized by
	// Terraform's library.
	local *tfsource.Module
	// calls are its module blocks by name, in Terraform's load order (an
	// override file's after the primary file's).
	calls map[string][]*scanBlock
	// entries are its files in the snapshot, by name.
	entries map[string]*zip.File
	// order is the names of its parsed files in Terraform's load order;
	// files holds their blocks.
	order []string
	files map[string][]*scanBlock
}

// blockCtx is what the references of a block's expressions mean.
type blockCtx struct {
	mod     *scanModule
	address string
	file    string
	// forEach are the for_each expressions of the top-level block (what
	// each.value comes from).
	forEach    []hclsyntax.Expression
	inProvider bool
	// iterators are the dynamic blocks' iterator names around, with what
	// their for_each refers to that may be unknown at plan.
	iterators map[string][]string
}

type codeScanner struct {
	mods      map[string]*scanModule
	providers []string // the plan's provider source addresses
	out       []ConfigCode
	varMemo   map[string][]string
	varBusy   map[string]bool
}

// snapshotCode returns what the configuration snapshot of the saved plan
// at zipPath shows of code the apply runs (see the file comment); a file
// it cannot read is a CodeUnreadable finding, and so is a module whose
// provider local names tfsource cannot read as Terraform does (a key
// written twice, a source Terraform's library refuses). providers are
// the plan's provider source addresses (Plan.Providers), for sources
// written without a host.
func snapshotCode(zipPath string, providers []string) []ConfigCode {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return []ConfigCode{{Kind: CodeUnreadable, Address: "(configuration snapshot)", File: "tfconfig", Unreadable: "the saved plan's configuration snapshot cannot be read: " + err.Error()}}
	}
	defer func() { _ = zr.Close() }()
	s := &codeScanner{mods: map[string]*scanModule{}, providers: providers, varMemo: map[string][]string{}, varBusy: map[string]bool{}}
	var manifest []struct{ Key, Dir string }
	for _, f := range zr.File {
		if f.Name != "tfconfig/modules.json" {
			continue
		}
		src, err := readSnapshotFile(f)
		if err == nil {
			err = json.Unmarshal(src, &manifest)
		}
		if err != nil {
			return []ConfigCode{{Kind: CodeUnreadable, Address: "(configuration snapshot)", File: f.Name, Unreadable: "the module manifest cannot be read: " + err.Error()}}
		}
	}
	for _, m := range manifest {
		prefix := ""
		if m.Key != "" {
			prefix = "module." + strings.ReplaceAll(m.Key, ".", ".module.") + "."
		}
		s.mods[m.Key] = &scanModule{key: m.Key, dir: path.Clean(m.Dir), prefix: prefix, calls: map[string][]*scanBlock{}, entries: map[string]*zip.File{}, files: map[string][]*scanBlock{}}
	}
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, "tfconfig/m-")
		if !ok {
			continue
		}
		key, name, ok := strings.Cut(rest, "/")
		mod := s.mods[key]
		if !ok || mod == nil {
			s.out = append(s.out, ConfigCode{Kind: CodeUnreadable, Address: "(configuration snapshot)", File: f.Name, Unreadable: "belongs to no module of the manifest"})
			continue
		}
		if _, ok := tfsource.Kind(name, true); !ok {
			continue // not configuration: planfile refuses the plan
		}
		if mod.entries[name] != nil {
			s.out = append(s.out, ConfigCode{Kind: CodeUnreadable, Address: strings.TrimSuffix(mod.prefix, "."), File: path.Join(mod.dir, name), Unreadable: "the snapshot holds this file twice"})
			continue
		}
		mod.entries[name] = f
	}
	keys := make([]string, 0, len(s.mods))
	for k := range s.mods {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s.readModule(s.mods[k])
	}
	for _, k := range keys {
		mod := s.mods[k]
		for _, n := range mod.order {
			for _, b := range mod.files[n] {
				s.topBlock(mod, path.Join(mod.dir, n), b)
			}
		}
	}
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := s.out[i], s.out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Address < b.Address
	})
	return s.out
}

// readModule parses the files of one module, and reads what its local
// provider names stand for and its module calls, in Terraform's load
// order (tfsource.ReadModule). What it cannot read is a CodeUnreadable
// finding.
func (s *codeScanner) readModule(mod *scanModule) {
	addr := strings.TrimSuffix(mod.prefix, ".")
	bad := func(file, why string) {
		s.out = append(s.out, ConfigCode{Kind: CodeUnreadable, Address: addr, File: file, Unreadable: why})
	}
	names := make([]string, 0, len(mod.entries))
	for n := range mod.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var parsed []*tfsource.File
	blocks := map[string][]*scanBlock{}
	for _, name := range names {
		file := path.Join(mod.dir, name)
		if tfsource.Ignored(name) {
			bad(file, tfsource.IgnoredError(file).Error())
			continue
		}
		src, err := readSnapshotFile(mod.entries[name])
		var tf *tfsource.File
		if err == nil {
			tf, err = tfsource.Parse(file, src)
		}
		var bs []*scanBlock
		if err == nil {
			if tf.JSON {
				bs, err = jsonBlocks(src, file)
			} else {
				bs, err = nativeBlocks(src, file)
			}
		}
		if err != nil {
			bad(file, err.Error())
			continue
		}
		blocks[name] = bs
		if shadow, ok := tofuAlternative(name); ok && mod.entries[shadow] != nil {
			// OpenTofu reads NAME.tofu instead of NAME.tf, Terraform only
			// NAME.tf: which the apply reads depends on the tool. Its code
			// is scanned all the same.
			bad(file, fmt.Sprintf("OpenTofu reads %s instead of this file and Terraform reads this file and not %s, so which configuration the apply runs depends on the tool; remove one of them", shadow, shadow))
			continue
		}
		parsed = append(parsed, tf)
	}
	local, err := tfsource.ReadModule(parsed, tfsource.TerraformRegistry)
	if err != nil {
		file := mod.dir
		var fe *tfsource.FileError
		if errors.As(err, &fe) {
			file = fe.Path
		}
		bad(file, "its required_providers cannot be read as Terraform reads them: "+err.Error())
		// The module is unreadable; its local names resolve as implied.
		local, _ = tfsource.ReadModule(nil, tfsource.TerraformRegistry)
	}
	mod.local = local
	ordered := append([]*tfsource.File(nil), parsed...)
	tfsource.Sort(ordered)
	seen := map[string]bool{}
	for _, f := range ordered {
		mod.order = append(mod.order, f.Name)
		seen[f.Name] = true
	}
	for _, name := range names { // parsed, but shadowed by a .tofu file
		if blocks[name] != nil && !seen[name] {
			mod.order = append(mod.order, name)
		}
	}
	for _, n := range mod.order {
		mod.files[n] = blocks[n]
		for _, b := range blocks[n] {
			if b.typ == "module" && len(b.labels) == 1 {
				mod.calls[b.labels[0]] = append(mod.calls[b.labels[0]], b)
			}
		}
	}
}

// tofuAlternative is the OpenTofu file that replaces the Terraform file
// name in OpenTofu's reading of a module (x.tofu for x.tf, x.tofu.json for
// x.tf.json).
func tofuAlternative(name string) (string, bool) {
	if base, ok := strings.CutSuffix(name, ".tf.json"); ok {
		return base + ".tofu.json", true
	}
	if base, ok := strings.CutSuffix(name, ".tf"); ok {
		return base + ".tofu", true
	}
	return "", false
}

func readSnapshotFile(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxSnapshotFile {
		return nil, fmt.Errorf("too large to read (more than %d bytes)", maxSnapshotFile)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	src, err := io.ReadAll(io.LimitReader(rc, maxSnapshotFile+1))
	if err == nil && len(src) > maxSnapshotFile {
		err = fmt.Errorf("too large to read (more than %d bytes)", maxSnapshotFile)
	}
	return src, err
}

// resolve returns the source address of a local provider name in mod, as
// Terraform resolves it (tfsource), and whether its host is the tool's
// default registry (see ConfigCode.Implied): then the plan's provider on
// either default registry when it has one.
func (s *codeScanner) resolve(mod *scanModule, local string) (string, bool, error) {
	p, err := mod.local.Resolve(local)
	if err != nil {
		return "", false, fmt.Errorf("the provider of the local name %q cannot be read as Terraform reads it: %w", local, err)
	}
	if !p.DefaultHost {
		return p.Source, false, nil
	}
	rest := strings.TrimPrefix(p.Source, tfsource.TerraformRegistry+"/")
	for _, host := range []string{tfsource.TerraformRegistry, tfsource.OpenTofuRegistry} {
		for _, q := range s.providers {
			if q == host+"/"+rest {
				return q, true, nil
			}
		}
	}
	return p.Source, true, nil
}

// topBlock scans a top-level block of a module.
func (s *codeScanner) topBlock(mod *scanModule, file string, b *scanBlock) {
	ctx := &blockCtx{mod: mod, file: file}
	addr := b.typ + "." + strings.Join(b.labels, ".")
	switch b.typ {
	case "resource":
		addr = strings.Join(b.labels, ".")
	case "variable":
		addr = "var." + strings.Join(b.labels, ".")
	case "provider":
		ctx.inProvider = true
		if a := b.attr("alias"); a != nil {
			if a.literal != "" {
				addr += "." + a.literal
			} else {
				// Terraform evaluates it; only a literal is (nativeBody).
				addr += ".(an alias that is not a literal string)"
			}
		}
	case "locals":
		for _, a := range b.attrs {
			c := *ctx
			c.address = mod.prefix + "local." + a.name
			s.attrCode(&c, a)
		}
		for _, nb := range b.blocks { // JSON: a local whose value is an object
			c := *ctx
			c.address = mod.prefix + "local." + nb.typ
			s.body(&c, nb)
		}
		return
	}
	if len(b.labels) == 0 {
		addr = b.typ
	}
	ctx.address = mod.prefix + addr
	if fe := b.attr("for_each"); fe != nil {
		ctx.forEach = fe.exprs
	}
	if b.typ == "ephemeral" && len(b.labels) == 2 {
		local := b.labels[0]
		if i := strings.IndexByte(local, '_'); i > 0 {
			local = local[:i]
		}
		if p := b.attr("provider"); p != nil {
			if p.literal != "" {
				local, _, _ = strings.Cut(p.literal, ".")
			} else if len(p.exprs) == 1 {
				if t, d := hcl.AbsTraversalForExpr(p.exprs[0]); !d.HasErrors() {
					local = t.RootName()
				}
			}
		}
		c := ConfigCode{Kind: CodeEphemeral, Address: ctx.address, File: file, Line: b.line}
		var err error
		if c.Provider, c.Implied, err = s.resolve(mod, local); err != nil {
			c.Kind, c.Unreadable = CodeUnreadable, err.Error()
		}
		s.out = append(s.out, c)
	}
	s.body(ctx, b)
}

// body scans a block's attributes and nested blocks.
func (s *codeScanner) body(ctx *blockCtx, b *scanBlock) {
	for _, a := range b.attrs {
		s.attrCode(ctx, a)
	}
	for _, nb := range b.blocks {
		if nb.typ != "dynamic" {
			s.body(ctx, nb)
			continue
		}
		// for_each and iterator belong to the outer scope; content sees
		// the iterator.
		inner := *ctx
		inner.iterators = map[string][]string{}
		for k, v := range ctx.iterators {
			inner.iterators[k] = v
		}
		name := strings.Join(nb.labels, ".")
		if it := nb.attr("iterator"); it != nil {
			if it.literal != "" {
				name = it.literal
			} else if len(it.exprs) == 1 {
				if t, d := hcl.AbsTraversalForExpr(it.exprs[0]); !d.HasErrors() {
					name = t.RootName()
				}
			}
		}
		var refs []string
		for _, a := range nb.attrs {
			s.attrCode(ctx, a)
			if a.name == "for_each" {
				for _, e := range a.exprs {
					refs = append(refs, s.refs(ctx, e, nil)...)
				}
			}
		}
		if len(refs) == 0 {
			refs = []string{}
		}
		inner.iterators[name] = refs
		for _, c := range nb.blocks {
			s.body(&inner, c)
		}
	}
}

// attrCode scans the expressions of one attribute for function calls.
func (s *codeScanner) attrCode(ctx *blockCtx, a scanAttr) {
	for _, e := range a.exprs {
		w := &callWalker{s: s, ctx: ctx}
		_ = hclsyntax.Walk(e, w)
	}
}

// scope is the local names of a for expression, with what its collection
// refers to that may be unknown at plan.
type scope struct {
	names map[string]struct{}
	refs  []string
}

// callWalker finds the function calls of an expression, knowing the for
// expressions' local names around each.
type callWalker struct {
	s      *codeScanner
	ctx    *blockCtx
	fors   [][]string
	scopes []scope
}

func (w *callWalker) Enter(node hclsyntax.Node) hcl.Diagnostics {
	switch n := node.(type) {
	case *hclsyntax.ForExpr:
		w.fors = append(w.fors, w.s.refs(w.ctx, n.CollExpr, w.scopes))
	case hclsyntax.ChildScope:
		refs := []string{"(a for expression)"}
		if len(w.fors) > 0 {
			refs = w.fors[len(w.fors)-1]
		}
		w.scopes = append(w.scopes, scope{names: n.LocalNames, refs: refs})
	case *hclsyntax.FunctionCallExpr:
		w.call(n)
	}
	return nil
}

func (w *callWalker) Exit(node hclsyntax.Node) hcl.Diagnostics {
	switch node.(type) {
	case *hclsyntax.ForExpr:
		w.fors = w.fors[:len(w.fors)-1]
	case hclsyntax.ChildScope:
		w.scopes = w.scopes[:len(w.scopes)-1]
	}
	return nil
}

func (w *callWalker) call(n *hclsyntax.FunctionCallExpr) {
	name := strings.TrimPrefix(n.Name, "core::")
	line := n.NameRange.Start.Line
	var refs []string
	for _, a := range n.Args {
		refs = append(refs, w.s.refs(w.ctx, a, w.scopes)...)
	}
	refs = dedupe(refs)
	c := ConfigCode{Address: w.ctx.address, File: w.ctx.file, Line: line, Function: name, References: refs, InProvider: w.ctx.inProvider}
	switch {
	case strings.HasPrefix(name, "provider::"):
		parts := strings.Split(name, "::")
		if len(parts) != 3 {
			c.Kind, c.Unreadable = CodeUnreadable, fmt.Sprintf("the function name %q is not provider::NAME::FUNCTION", n.Name)
			break
		}
		c.Kind = CodeProviderFunction
		var err error
		if c.Provider, c.Implied, err = w.s.resolve(w.ctx.mod, parts[1]); err != nil {
			c.Kind, c.Unreadable = CodeUnreadable, err.Error()
		}
	case isFileFunction(name) && !readsConfigFile(name, n):
		c.Kind = CodeFileRead
	case strings.Contains(name, "::"):
		c.Kind, c.Unreadable = CodeUnreadable, fmt.Sprintf("the function %q is of a namespace planguard does not know", n.Name)
	default:
		return
	}
	w.s.out = append(w.s.out, c)
}

// literalHas reports whether the string literal or template e holds one
// of chars or sub in its literal parts.
func literalHas(e hclsyntax.Expression, chars, sub string) bool {
	has := false
	_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok && lit.Val.IsKnown() && !lit.Val.IsNull() && lit.Val.Type() == cty.String {
			v := lit.Val.AsString()
			has = has || strings.ContainsAny(v, chars) || strings.Contains(v, sub)
		}
		return nil
	})
	return has
}

// localPath reports whether the path argument e of a file function is a
// file of the configuration: a relative path without "..", written as a
// literal, path.module or path.root, or a template starting with one of
// these. During the apply (in planguard apply's room, where terraform
// runs in the root module's directory and every file is one planguard
// wrote from the snapshot) such a read is the configuration's own file (a
// file the room does not hold fails the apply); anything else reads the
// apply machine's.
func localPath(e hclsyntax.Expression) bool {
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = w.Wrapped
	}
	var parts []hclsyntax.Expression
	switch t := e.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		parts = []hclsyntax.Expression{t}
	case *hclsyntax.TemplateExpr:
		parts = t.Parts
	default:
		return false
	}
	var b strings.Builder
	for i, p := range parts {
		if st, ok := p.(*hclsyntax.ScopeTraversalExpr); ok && i == 0 {
			if r := renderTraversal(st.Traversal); r == "path.module" || r == "path.root" {
				b.WriteString(".")
				continue
			}
			return false
		}
		lit, ok := p.(*hclsyntax.LiteralValueExpr)
		if !ok || !lit.Val.IsKnown() || lit.Val.IsNull() || lit.Val.Type() != cty.String {
			return false
		}
		b.WriteString(lit.Val.AsString())
	}
	s := b.String()
	if s == "" || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") || strings.ContainsAny(s, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == ".." {
			return false
		}
	}
	return true
}

func dedupe(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	sort.Strings(list)
	out := list[:1]
	for _, s := range list[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// refs returns what expr refers to that may be unknown at plan, in ctx
// with the for expressions' scopes around it.
func (s *codeScanner) refs(ctx *blockCtx, expr hclsyntax.Expression, scopes []scope) []string {
	var out []string
	for _, t := range hclsyntax.Variables(expr) {
		root := t.RootName()
		local := false
		for i := len(scopes) - 1; i >= 0; i-- {
			if _, ok := scopes[i].names[root]; ok {
				out = append(out, scopes[i].refs...)
				local = true
				break
			}
		}
		if local {
			continue
		}
		if refs, ok := ctx.iterators[root]; ok {
			out = append(out, refs...)
			continue
		}
		attr := ""
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				attr = a.Name
			}
		}
		switch root {
		case "path", "count":
		case "terraform":
			if attr != "workspace" {
				out = append(out, renderTraversal(t))
			}
		case "each":
			switch attr {
			case "key":
			case "value":
				noEach := *ctx
				noEach.forEach = nil
				for _, fe := range ctx.forEach {
					for _, r := range s.refs(&noEach, fe, nil) {
						out = append(out, "each.value ("+r+")")
					}
				}
			default:
				out = append(out, renderTraversal(t))
			}
		case "var":
			if ctx.mod.key != "" {
				for _, r := range s.varRefs(ctx.mod, attr) {
					out = append(out, "var."+attr+" ("+r+")")
				}
			}
		default:
			out = append(out, renderTraversal(t))
		}
	}
	return out
}

// varRefs returns what a child module's variable is set from that may be
// unknown at plan: its argument in the parent's module call.
func (s *codeScanner) varRefs(mod *scanModule, name string) []string {
	memo := mod.key + "\x00" + name
	if r, ok := s.varMemo[memo]; ok {
		return r
	}
	if s.varBusy[memo] {
		return []string{"a cycle of module variables"}
	}
	s.varBusy[memo] = true
	defer delete(s.varBusy, memo)
	parentKey, call := "", mod.key
	if i := strings.LastIndexByte(mod.key, '.'); i >= 0 {
		parentKey, call = mod.key[:i], mod.key[i+1:]
	}
	var out []string
	var blocks []*scanBlock
	parent := s.mods[parentKey]
	if parent != nil {
		blocks = parent.calls[call]
	}
	if len(blocks) == 0 {
		out = []string{"its module call, which planguard cannot find"}
	} else {
		// An override file's module block replaces the arguments it
		// sets: each is the last block's that sets it, in load order.
		last := func(name string) *scanAttr {
			var found *scanAttr
			for _, b := range blocks {
				if a := b.attr(name); a != nil {
					found = a
				}
			}
			return found
		}
		ctx := &blockCtx{mod: parent, address: parent.prefix + "module." + call}
		if fe := last("for_each"); fe != nil {
			ctx.forEach = fe.exprs
		}
		if a := last(name); a != nil {
			for _, e := range a.exprs {
				for _, r := range s.refs(ctx, e, nil) {
					out = append(out, "module."+call+" sets it from "+r)
				}
			}
		}
	}
	out = dedupe(out)
	s.varMemo[memo] = out
	return out
}

// renderTraversal writes a reference as configuration does, up to its
// first two attributes.
func renderTraversal(t hcl.Traversal) string {
	var b strings.Builder
	b.WriteString(t.RootName())
	n := 0
	for _, step := range t[1:] {
		if n == 2 {
			break
		}
		switch s := step.(type) {
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
			n++
		case hcl.TraverseIndex:
			b.WriteString("[…]")
		}
	}
	return b.String()
}

// nativeBlocks reads a native-syntax file.
func nativeBlocks(src []byte, filename string) ([]*scanBlock, error) {
	if err := nesting.HCL(src); err != nil {
		return nil, err
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("does not parse: %s", diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("not native syntax")
	}
	return nativeBody(body).blocks, nil
}

func nativeBody(body *hclsyntax.Body) *scanBlock {
	out := &scanBlock{}
	names := make([]string, 0, len(body.Attributes))
	for n := range body.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := body.Attributes[n]
		sa := scanAttr{name: n, exprs: []hclsyntax.Expression{a.Expr}}
		// Only a literal is evaluated (tfsource.LiteralValue): a for
		// expression with no references would be run in the gate's
		// process, unbounded (review hook152 H1).
		if v, err := tfsource.LiteralValue(a.Expr); err == nil {
			sa.value = v
			if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
				sa.literal = v.AsString()
			}
		} else {
			sa.value = cty.DynamicVal
		}
		out.attrs = append(out.attrs, sa)
	}
	for _, b := range body.Blocks {
		nb := nativeBody(b.Body)
		nb.typ, nb.labels, nb.line = b.Type, b.Labels, b.TypeRange.Start.Line
		out.blocks = append(out.blocks, nb)
	}
	return out
}

// jnode is a JSON value with the line it starts on; an object keeps its
// members in order, duplicates included (HCL's JSON reader keeps them).
type jnode struct {
	kind byte // 'o' object, 'a' array, 's' string, 'x' other
	keys []string
	vals []*jnode
	str  string
	line int
}

// parseJSON reads src into a jnode tree.
func parseJSON(src []byte) (*jnode, error) {
	if err := nesting.HCLJSON(src); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	lineAt := func() int { return 1 + bytes.Count(src[:dec.InputOffset()], []byte{'\n'}) }
	var value func(tok json.Token) (*jnode, error)
	value = func(tok json.Token) (*jnode, error) {
		n := &jnode{line: lineAt()}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				n.kind = 'o'
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					k, ok := kt.(string)
					if !ok {
						return nil, fmt.Errorf("an object key is not a string")
					}
					vt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := value(vt)
					if err != nil {
						return nil, err
					}
					n.keys, n.vals = append(n.keys, k), append(n.vals, v)
				}
			case '[':
				n.kind = 'a'
				for dec.More() {
					vt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := value(vt)
					if err != nil {
						return nil, err
					}
					n.vals = append(n.vals, v)
				}
			default:
				return nil, fmt.Errorf("unexpected %q", t)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
		case string:
			n.kind, n.str = 's', t
		default:
			n.kind = 'x'
		}
		return n, nil
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	root, err := value(tok)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return root, nil
}

// jsonLabels is how many labels each top-level block type has in JSON
// syntax (the levels of object keys before the block's body).
var jsonLabels = map[string]int{
	"resource": 2, "data": 2, "ephemeral": 2, "action": 2, "list": 2,
	"provider": 1, "module": 1, "output": 1, "variable": 1, "check": 1,
}

// jsonBlocks reads a JSON-syntax file.
func jsonBlocks(src []byte, filename string) ([]*scanBlock, error) {
	root, err := parseJSON(src)
	if err != nil {
		return nil, fmt.Errorf("does not parse: %w", err)
	}
	if root.kind != 'o' {
		return nil, fmt.Errorf("is not a JSON object")
	}
	var out []*scanBlock
	var labelled func(typ string, labels []string, n *jnode, depth int) error
	labelled = func(typ string, labels []string, n *jnode, depth int) error {
		if depth == 0 {
			bodies := []*jnode{n}
			if n.kind == 'a' {
				bodies = n.vals
			}
			for _, b := range bodies {
				sb, err := jsonBody(b, filename)
				if err != nil {
					return err
				}
				sb.typ, sb.labels, sb.line = typ, labels, b.line
				out = append(out, sb)
			}
			return nil
		}
		if n.kind != 'o' {
			return fmt.Errorf("%s: line %d: %s block labels are not an object", filename, n.line, typ)
		}
		for i, k := range n.keys {
			if err := labelled(typ, append(append([]string(nil), labels...), k), n.vals[i], depth-1); err != nil {
				return err
			}
		}
		return nil
	}
	for i, k := range root.keys {
		if k == "//" {
			continue
		}
		if err := labelled(k, nil, root.vals[i], jsonLabels[k]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// jsonBody reads a block body of JSON syntax: strings are attributes (read
// as templates), objects nested blocks (a map attribute, read as a block,
// is scanned alike), "dynamic" dynamic blocks.
func jsonBody(n *jnode, filename string) (*scanBlock, error) {
	out := &scanBlock{line: n.line}
	if n.kind != 'o' {
		exprs, err := jsonExprs(n, filename)
		out.attrs = append(out.attrs, scanAttr{name: "", line: n.line, exprs: exprs})
		return out, err
	}
	for i, k := range n.keys {
		v := n.vals[i]
		if k == "//" {
			continue
		}
		if k == "dynamic" && v.kind == 'o' {
			for j, label := range v.keys {
				bodies := []*jnode{v.vals[j]}
				if v.vals[j].kind == 'a' {
					bodies = v.vals[j].vals
				}
				for _, b := range bodies {
					sb, err := jsonBody(b, filename)
					if err != nil {
						return nil, err
					}
					sb.typ, sb.labels, sb.line = "dynamic", []string{label}, b.line
					out.blocks = append(out.blocks, sb)
				}
			}
			continue
		}
		switch v.kind {
		case 'o':
			sb, err := jsonBody(v, filename)
			if err != nil {
				return nil, err
			}
			sb.typ = k
			out.blocks = append(out.blocks, sb)
		case 'a':
			var strs []*jnode
			for _, e := range v.vals {
				if e.kind == 'o' {
					sb, err := jsonBody(e, filename)
					if err != nil {
						return nil, err
					}
					sb.typ = k
					out.blocks = append(out.blocks, sb)
				} else {
					strs = append(strs, e)
				}
			}
			exprs, err := jsonExprs(&jnode{kind: 'a', vals: strs}, filename)
			if err != nil {
				return nil, err
			}
			out.attrs = append(out.attrs, scanAttr{name: k, line: v.line, exprs: exprs})
		default:
			exprs, err := jsonExprs(v, filename)
			if err != nil {
				return nil, err
			}
			a := scanAttr{name: k, line: v.line, exprs: exprs}
			if v.kind == 's' {
				a.literal = v.str
			}
			out.attrs = append(out.attrs, a)
		}
	}
	return out, nil
}

// jsonExprs reads every string of a JSON value (and every key of its
// objects) as a template, as Terraform reads JSON expressions.
func jsonExprs(n *jnode, filename string) ([]hclsyntax.Expression, error) {
	var out []hclsyntax.Expression
	var walk func(n *jnode) error
	tmpl := func(s string, line int) error {
		if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
			return nil
		}
		if err := nesting.HCLTemplate([]byte(s)); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		e, diags := hclsyntax.ParseTemplate([]byte(s), filename, hcl.Pos{Line: line, Column: 1, Byte: 0})
		if diags.HasErrors() {
			return fmt.Errorf("line %d: %s", line, diags.Error())
		}
		out = append(out, e)
		return nil
	}
	walk = func(n *jnode) error {
		switch n.kind {
		case 's':
			return tmpl(n.str, n.line)
		case 'o':
			for i, k := range n.keys {
				if err := tmpl(k, n.vals[i].line); err != nil {
					return err
				}
				if err := walk(n.vals[i]); err != nil {
					return err
				}
			}
		case 'a':
			for _, v := range n.vals {
				if err := walk(v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return out, walk(n)
}

// addSnapshotCode sets p.ConfigCode from the saved plan's configuration
// snapshot.
func addSnapshotCode(p *Plan, zipPath string) {
	p.ConfigCode = snapshotCode(zipPath, p.Providers)
}

// SnapshotCode returns what the configuration snapshot of the saved plan
// at zipPath shows of code the apply runs (ConfigCode), read before any
// tool runs on the plan: a provider whose source no required_providers
// entry names is hashicorp/NAME on Terraform's registry (the plan's own
// providers are not known yet).
func SnapshotCode(zipPath string) []ConfigCode {
	return snapshotCode(zipPath, nil)
}
