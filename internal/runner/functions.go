package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Terraform's filesystem functions read the runner's files while the
// configuration is evaluated, at plan time, with no provider involved:
// file("/proc/self/environ") would print the credentials, base64-encoded
// past any redaction. The configuration the client sends holds no file
// they could legitimately read (only *.tf, *.tf.json and *.tfvars files
// are sent), so a configuration that calls one is refused.

// fileFunction matches the names of the functions that read files:
// file, filebase64, fileexists, fileset, filemd5, filesha*, filebase64sha*,
// templatefile, and templatestring (whose template could call them).
var fileFunction = regexp.MustCompile(`^(file[a-z0-9]*|templatefile|templatestring)$`)

// fileCallText finds such a call in a JSON string, which Terraform reads as
// a template: conservative (a word boundary, any spacing).
var fileCallText = regexp.MustCompile(`\b(file[A-Za-z0-9]*|templatefile|templatestring)\s*\(`)

// FileFunctionCalls returns where the configuration in dir calls a
// function that reads files ("main.tf:3,11-15: file"), reading it with
// ReadConfiguration. A file it cannot read is an error.
func FileFunctionCalls(dir string) ([]string, error) {
	c, err := ReadConfiguration(dir, TerraformRegistry)
	if err != nil {
		return nil, err
	}
	return c.FileFunctionCalls()
}

// FileFunctionCalls returns where the configuration calls a function that
// reads files ("main.tf:3,11-15: file"), in every file of every module.
func (c *Configuration) FileFunctionCalls() ([]string, error) {
	var found []string
	for _, m := range c.modules {
		for _, f := range m.files {
			calls, err := functionCalls(f)
			if err != nil {
				return nil, err
			}
			for _, fc := range calls {
				if fileFunction.MatchString(strings.TrimPrefix(fc.name, "core::")) {
					found = append(found, fmt.Sprintf("%s: %s", fc.where, fc.name))
				}
			}
		}
	}
	sort.Strings(found)
	return found, nil
}

// funcCall is one function call of a configuration file.
type funcCall struct {
	where string // file:line,column, or the file of a JSON string
	name  string // as written: file, core::file, provider::NAME::FUNCTION
}

// functionCalls lists the function calls of one file: in native syntax
// every call expression; in JSON syntax every call in each string and
// object key, read as Terraform reads them, as a template (with a text
// search as a second check, see templateCalls).
func functionCalls(f *configFile) ([]funcCall, error) {
	var found []funcCall
	if !f.JSON {
		body, ok := f.HCL.Body.(*hclsyntax.Body)
		if !ok {
			return nil, fmt.Errorf("read %s: not native syntax", f.Path)
		}
		_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
				found = append(found, funcCall{where: fc.NameRange.String(), name: fc.Name})
			}
			return nil
		})
		return found, nil
	}
	names, err := jsonFunctionCalls(f.Src)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	for _, n := range names {
		found = append(found, funcCall{where: f.Path, name: n})
	}
	return found, nil
}

// fileNameText finds a file function's name as a word, for a string that
// does not parse as a template: refused rather than read wrong.
var fileNameText = regexp.MustCompile(`\b(file[A-Za-z0-9]*|templatefile|templatestring)\b`)

// providerFunctionText finds the provider:: namespace in a string, for the
// text search of templateCalls.
var providerFunctionText = regexp.MustCompile(`\bprovider\s*::`)

// templateCalls reports the function calls in one JSON string, read as
// Terraform reads it: an HCL template, whose expressions may hold
// comments and line breaks between a function's name and its parenthesis
// (file/**/("x")). The text search stays as a second check: a string
// that does not parse, or in which no call of a file function or of a
// namespace is found, still reports a file function's name and a
// namespaced name ("provider::", which no runner check allows unread)
// that its text holds, and a template sequence (${ or %{) with
// "provider::" in its text is reported as a call of a namespace no check
// knows.
func templateCalls(s string) []string {
	var found []string
	expr, diags := hclsyntax.ParseTemplate([]byte(s), "", hcl.InitialPos)
	if !diags.HasErrors() {
		_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
			if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
				found = append(found, fc.Name)
			}
			return nil
		})
	}
	fileFound, nsFound := false, false
	for _, n := range found {
		name := strings.TrimPrefix(n, "core::")
		fileFound = fileFound || fileFunction.MatchString(name)
		nsFound = nsFound || strings.Contains(name, "::")
	}
	text := fileCallText
	if diags.HasErrors() {
		text = fileNameText
	}
	if m := text.FindStringSubmatch(s); m != nil && !fileFound {
		found = append(found, m[1])
	}
	unmaskFound := false
	for _, n := range found {
		unmaskFound = unmaskFound || unmaskFunction.MatchString(strings.TrimPrefix(n, "core::"))
	}
	unmask := unmaskCallText
	if diags.HasErrors() {
		unmask = unmaskNameText
	}
	if m := unmask.FindStringSubmatch(s); m != nil && !unmaskFound {
		found = append(found, m[1])
	}
	template := strings.Contains(s, "${") || strings.Contains(s, "%{")
	if template && !nsFound && providerFunctionText.MatchString(s) {
		found = append(found, "unread::"+strconv.Quote(s))
	}
	return found
}

// jsonFunctionCalls decodes a JSON document and reports the function
// calls of every key or string (templateCalls), after JSON unescaping.
func jsonFunctionCalls(src []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var found []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return found, nil
		}
		if err != nil {
			return nil, err
		}
		if s, ok := tok.(string); ok {
			found = append(found, templateCalls(s)...)
		}
	}
}
