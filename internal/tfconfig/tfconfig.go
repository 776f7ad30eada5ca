// Package tfconfig reads and writes planguard_approval blocks in Terraform
// configuration files, for the commands that work without a plan
// (approve, sign, payload, verify).
package tfconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/nesting"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// ResourceType is the resource type of approvals.
const ResourceType = planformat.ApprovalType

// maxFile bounds a configuration file, and a file() an approval reads.
const maxFile = 64 << 20

// Block is one planguard_approval resource block found in a file.
type Block struct {
	File  string
	Name  string
	Range hcl.Range
	// Approval holds the block's values; Known is false when some attribute
	// is not a literal (or file()) that can be read without Terraform.
	Approval plan.Approval
	// Problem says why the block could not be read fully, or "".
	Problem string
}

// Load reads every planguard_approval block in the given .tf files and
// directories (a directory contributes its *.tf files, not subdirectories).
func Load(paths []string) ([]Block, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.tf"))
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	var out []Block
	for _, f := range files {
		src, err := safefile.ReadFile(f, maxFile)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		bs, err := Parse(src, f)
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	return out, nil
}

// Parse returns the planguard_approval blocks in one file's source.
// file() calls are resolved relative to the file's directory.
func Parse(src []byte, filename string) ([]Block, error) {
	// hclsyntax's parser recurses once per level of nesting: refuse a
	// file nested too deeply for it before it overflows the stack.
	if err := nesting.HCL(src); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, err)
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse %s: %s", filename, diags.Error())
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("parse %s: not native HCL syntax", filename)
	}
	ctx := evalContext(filepath.Dir(filename))
	var out []Block
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != ResourceType {
			continue
		}
		out = append(out, readBlock(b, filename, ctx))
	}
	return out, nil
}

func readBlock(b *hclsyntax.Block, filename string, ctx *hcl.EvalContext) Block {
	blk := Block{File: filename, Name: b.Labels[1], Range: b.DefRange()}
	a := &blk.Approval
	a.Address = ResourceType + "." + blk.Name
	a.Kind = plan.KindCreate
	a.Known = true
	str := func(name string, optional bool) string {
		attr, ok := b.Body.Attributes[name]
		if !ok {
			if !optional {
				a.Known = false
				blk.Problem = fmt.Sprintf("%s: attribute %q is missing", b.DefRange(), name)
			}
			return ""
		}
		v, diags := attr.Expr.Value(ctx)
		if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String {
			a.Known = false
			blk.Problem = fmt.Sprintf("%s: %s is not a literal string planguard can read without terraform", attr.Expr.Range(), name)
			return ""
		}
		return v.AsString()
	}
	a.Scope = str("scope", false)
	a.Target = str("target", false)
	a.Action = str("action", false)
	a.Reason = str("reason", false)
	a.ExpiresAt = str("expires_at", false)
	a.Identity = str("identity", true)
	a.From = str("from", true)
	a.IssuedAt = str("issued_at", true)
	attr, ok := b.Body.Attributes["signatures"]
	if !ok {
		return blk
	}
	v, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		a.Known = false
		blk.Problem = fmt.Sprintf("%s: signatures is not a literal list planguard can read without terraform: %s", attr.Expr.Range(), diags.Error())
		return blk
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.Type().IsObjectType() || !e.Type().HasAttribute("principal") || !e.Type().HasAttribute("signature") ||
			e.GetAttr("principal").Type() != cty.String || e.GetAttr("signature").Type() != cty.String ||
			e.GetAttr("principal").IsNull() || e.GetAttr("signature").IsNull() {
			a.Known = false
			blk.Problem = fmt.Sprintf("%s: each signature must be { principal = \"...\", signature = \"...\" }", attr.Expr.Range())
			return blk
		}
		a.Signatures = append(a.Signatures, plan.Signature{Principal: e.GetAttr("principal").AsString(), Signature: e.GetAttr("signature").AsString()})
	}
	return blk
}

// evalContext offers file() relative to dir, the one function approvals use.
func evalContext(dir string) *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{
		"file": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				p := args[0].AsString()
				if !filepath.IsAbs(p) {
					p = filepath.Join(dir, p)
				}
				b, err := safefile.ReadFile(p, maxFile)
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(string(b)), nil
			},
		}),
	}}
}

// Render returns a planguard_approval block with the given signatures. The
// optional from and issued_at are written only when set: from before
// target, issued_at before expires_at.
func Render(name string, st approval.Statement, sigs []plan.Signature) []byte {
	f := hclwrite.NewEmptyFile()
	b := f.Body().AppendNewBlock("resource", []string{ResourceType, name}).Body()
	b.SetAttributeValue("scope", cty.StringVal(st.Scope))
	if st.From != "" {
		b.SetAttributeValue("from", cty.StringVal(st.From))
	}
	b.SetAttributeValue("target", cty.StringVal(st.Target))
	b.SetAttributeValue("action", cty.StringVal(st.Action))
	b.SetAttributeValue("reason", cty.StringVal(st.Reason))
	if st.IssuedAt != "" {
		b.SetAttributeValue("issued_at", cty.StringVal(st.IssuedAt))
	}
	b.SetAttributeValue("expires_at", cty.StringVal(st.ExpiresAt))
	if st.Identity != "" {
		b.SetAttributeValue("identity", cty.StringVal(st.Identity))
	}
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, nl()}
	for _, s := range sigs {
		toks = append(toks, signatureTokens(s)...)
	}
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
	b.SetAttributeRaw("signatures", toks)
	return hclwrite.Format(f.Bytes())
}

func nl() *hclwrite.Token { return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")} }

// signatureTokens renders one `{ principal = ..., signature = ... },`
// element. An armored signature is written as an indented heredoc, one
// line of the armor per line, so that diffs of approvals stay readable.
func signatureTokens(s plan.Signature) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}, nl()}
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("principal")}, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
	toks = append(toks, hclwrite.TokensForValue(cty.StringVal(s.Principal))...)
	toks = append(toks, nl(), &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("signature")}, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
	toks = append(toks, signatureValue(s.Signature)...)
	return append(toks, nl(), &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")},
		&hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, nl())
}

// heredocIndent is the indentation of heredoc lines inside a
// resource > signatures > { } nesting, as terraform fmt lays it out.
const heredocIndent = "        "

// signatureValue renders an armored signature as a heredoc when it consists
// of armor and base64 only (what ssh-keygen and planguard write), and as a
// quoted string otherwise.
func signatureValue(sig string) hclwrite.Tokens {
	body := strings.TrimSpace(sig)
	if body == "" || strings.Trim(body, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n -") != "" {
		return hclwrite.TokensForValue(cty.StringVal(sig))
	}
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOHeredoc, Bytes: []byte("<<-EOT\n")}}
	for _, line := range strings.Split(body, "\n") {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenStringLit, Bytes: []byte(heredocIndent + strings.TrimSpace(line) + "\n")})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCHeredoc, Bytes: []byte(heredocIndent[2:] + "EOT")})
}

// AddSignature returns src with sig appended to the signatures of the
// planguard_approval block named name. Everything else is kept as written.
func AddSignature(src []byte, filename, name string, sig plan.Signature) ([]byte, error) {
	if err := nesting.HCL(src); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filename, err)
	}
	f, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse %s: %s", filename, diags.Error())
	}
	blk := f.Body().FirstMatchingBlock("resource", []string{ResourceType, name})
	if blk == nil {
		return nil, fmt.Errorf("%s has no resource %q %q", filename, ResourceType, name)
	}
	attr := blk.Body().GetAttribute("signatures")
	if attr == nil {
		blk.Body().SetAttributeRaw("signatures", append(hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, nl()},
			append(signatureTokens(sig), &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})...))
		return hclwrite.Format(f.Bytes()), nil
	}
	toks := attr.Expr().BuildTokens(nil)
	end := len(toks) - 1
	for end >= 0 && (toks[end].Type == hclsyntax.TokenNewline || toks[end].Type == hclsyntax.TokenComment) {
		end--
	}
	if end < 0 || toks[end].Type != hclsyntax.TokenCBrack {
		return nil, fmt.Errorf("%s: signatures of %s.%s is not a [ ... ] list; add the signature by hand", filename, ResourceType, name)
	}
	prev := end - 1
	for prev >= 0 && (toks[prev].Type == hclsyntax.TokenNewline || toks[prev].Type == hclsyntax.TokenComment) {
		prev--
	}
	var ins hclwrite.Tokens
	if prev >= 0 && toks[prev].Type != hclsyntax.TokenComma && toks[prev].Type != hclsyntax.TokenOBrack {
		ins = append(ins, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")})
	}
	if len(ins) > 0 || toks[end-1].Type != hclsyntax.TokenNewline {
		ins = append(ins, nl())
	}
	ins = append(ins, signatureTokens(sig)...)
	out := append(hclwrite.Tokens{}, toks[:end]...)
	out = append(out, ins...)
	out = append(out, toks[end:]...)
	blk.Body().SetAttributeRaw("signatures", out)
	return hclwrite.Format(f.Bytes()), nil
}

// ResourceName derives a block name from a target and action, e.g.
// module.data.aws_db_instance.legacy → delete_module_data_aws_db_instance_legacy.
func ResourceName(target, action string) string {
	var b strings.Builder
	b.WriteString(action)
	b.WriteByte('_')
	last := byte('_')
	for i := 0; i < len(target); i++ {
		c := target[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
		if !ok {
			c = '_'
		}
		if c == '_' && last == '_' {
			continue
		}
		b.WriteByte(c)
		last = c
	}
	return strings.TrimRight(b.String(), "_")
}
