package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
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
// function that reads files ("main.tf:3,11: file"), reading every *.tf and
// *.tf.json file below dir. A file it cannot read is an error.
func FileFunctionCalls(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case strings.HasSuffix(p, ".tf"):
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f, diags := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
			if diags.HasErrors() {
				return fmt.Errorf("read %s: %s", rel, diags.Error())
			}
			body, ok := f.Body.(*hclsyntax.Body)
			if !ok {
				return fmt.Errorf("read %s: not native syntax", rel)
			}
			_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
				if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
					name := strings.TrimPrefix(fc.Name, "core::")
					if fileFunction.MatchString(name) {
						found = append(found, fmt.Sprintf("%s: %s", fc.NameRange, fc.Name))
					}
				}
				return nil
			})
		case strings.HasSuffix(p, ".tf.json"):
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			calls, err := jsonFileCalls(src)
			if err != nil {
				return fmt.Errorf("read %s: %w", rel, err)
			}
			for _, c := range calls {
				found = append(found, fmt.Sprintf("%s: %s", rel, c))
			}
		}
		return nil
	})
	sort.Strings(found)
	return found, err
}

// fileNameText finds a file function's name as a word, for a string that
// does not parse as a template: refused rather than read wrong.
var fileNameText = regexp.MustCompile(`\b(file[A-Za-z0-9]*|templatefile|templatestring)\b`)

// templateFileCalls reports the file function calls in one JSON string,
// read as Terraform reads it: an HCL template, whose expressions may hold
// comments and line breaks between a function's name and its parenthesis
// (file/**/("x")). The text search stays as a second check.
func templateFileCalls(s string) []string {
	var found []string
	expr, diags := hclsyntax.ParseTemplate([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		if m := fileNameText.FindStringSubmatch(s); m != nil {
			found = append(found, m[1])
		}
		return found
	}
	_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			if name := strings.TrimPrefix(fc.Name, "core::"); fileFunction.MatchString(name) {
				found = append(found, fc.Name)
			}
		}
		return nil
	})
	if len(found) == 0 {
		if m := fileCallText.FindStringSubmatch(s); m != nil {
			found = append(found, m[1])
		}
	}
	return found
}

// jsonFileCalls decodes a JSON document and reports every key or string
// that looks like a call to a file function, after JSON unescaping.
func jsonFileCalls(src []byte) ([]string, error) {
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
			found = append(found, templateFileCalls(s)...)
		}
	}
}
