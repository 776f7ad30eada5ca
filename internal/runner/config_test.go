package runner

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// TestReadConfiguration: the runner's one reading of a configuration
// follows Terraform's: override files merged last whatever their names,
// an override entry replacing its local name's entry whole, sources
// normalized by Terraform's library, and everything it cannot follow (a
// key written twice, a .tf.json duplicate key, a source the library
// refuses, a file Terraform ignores) refused.
func TestReadConfiguration(t *testing.T) {
	rp := func(entries string) string {
		return "terraform {\n  required_providers {\n" + entries + "\n  }\n}\n"
	}
	for _, c := range []struct {
		name  string
		host  string
		files map[string]string
		local string // the local name to resolve
		want  string // its source; "" when err is set
		err   string
	}{
		{name: "plain", files: map[string]string{"main.tf": rp(`p = { source = "Example.com/Acme/Cloud" }`)}, local: "p", want: "example.com/acme/cloud"},
		{name: "no host, Terraform", files: map[string]string{"main.tf": rp(`p = { source = "acme/cloud" }`)}, local: "p", want: "registry.terraform.io/acme/cloud"},
		{name: "no host, OpenTofu", host: OpenTofuRegistry, files: map[string]string{"main.tf": rp(`p = { source = "acme/cloud" }`)}, local: "p", want: "registry.opentofu.org/acme/cloud"},
		{name: "type only", files: map[string]string{"main.tf": rp(`p = { source = "cloud" }`)}, local: "p", want: "registry.terraform.io/hashicorp/cloud"},
		{name: "version only", files: map[string]string{"main.tf": rp(`aws = "~> 5.0"`)}, local: "aws", want: "registry.terraform.io/hashicorp/aws"},
		{name: "version only, terraform", files: map[string]string{"main.tf": rp(`terraform = { version = "1" }`)}, local: "terraform", want: tfsource.BuiltinTerraform},
		{name: "implied", files: map[string]string{"main.tf": `data "aws_region" "r" {}`}, local: "aws", want: "registry.terraform.io/hashicorp/aws"},
		{name: "implied terraform", files: map[string]string{"main.tf": ``}, local: "terraform", want: tfsource.BuiltinTerraform},
		{name: "explicit source terraform is not the built-in", files: map[string]string{"main.tf": rp(`terraform = { source = "terraform" }`)}, local: "terraform", want: "registry.terraform.io/hashicorp/terraform"},
		// U+FF54 FULLWIDTH LATIN SMALL LETTER T: Terraform maps it to t
		// (IDNA/UTS-46), so this is example.com/planguard/testobj.
		{name: "fullwidth type", files: map[string]string{"main.tf": rp(`p = { source = "example.com/planguard/ｔestobj" }`)}, local: "p", want: "example.com/planguard/testobj"},
		{name: "fullwidth host and namespace", files: map[string]string{"main.tf": rp(`p = { source = "ｒegistry.terraform.io/ＨashiCorp/external" }`)}, local: "p", want: "registry.terraform.io/hashicorp/external"},
		{name: "host with the default port", files: map[string]string{"main.tf": rp(`p = { source = "Example.com:443/acme/cloud" }`)}, local: "p", want: "example.com/acme/cloud"},
		{name: "fullwidth implied", files: map[string]string{"main.tf": ``}, local: "ｅxternal", want: "registry.terraform.io/hashicorp/external"},
		{name: "override file wins, sorted first", files: map[string]string{
			"a_override.tf": rp(`p = { source = "acme/b" }`),
			"main.tf":       rp(`p = { source = "acme/a" }`),
		}, local: "p", want: "registry.terraform.io/acme/b"},
		{name: "override.tf wins", files: map[string]string{
			"override.tf": rp(`p = { source = "acme/b" }`),
			"z.tf":        rp(`p = { source = "acme/a" }`),
		}, local: "p", want: "registry.terraform.io/acme/b"},
		{name: "override JSON wins", files: map[string]string{
			"main.tf":            rp(`p = { source = "acme/a" }`),
			"x_override.tf.json": `{"terraform": {"required_providers": {"p": {"source": "acme/b"}}}}`,
		}, local: "p", want: "registry.terraform.io/acme/b"},
		{name: "later override file wins", files: map[string]string{
			"main.tf":       rp(`p = { source = "acme/a" }`),
			"a_override.tf": rp(`p = { source = "acme/b" }`),
			"b_override.tf": rp(`p = { source = "acme/c" }`),
		}, local: "p", want: "registry.terraform.io/acme/c"},
		{name: "override entry replaces whole: version alone is implied", files: map[string]string{
			"main.tf":     rp(`p = { source = "acme/a" }`),
			"override.tf": rp(`p = { version = "1.0" }`),
		}, local: "p", want: "registry.terraform.io/hashicorp/p"},
		{name: "override entry for another name leaves this one", files: map[string]string{
			"main.tf":     rp(`p = { source = "acme/a" }`),
			"override.tf": rp(`q = { source = "acme/b" }`),
		}, local: "p", want: "registry.terraform.io/acme/a"},
		{name: "override in a module stays in it", files: map[string]string{
			"main.tf":           rp(`p = { source = "acme/a" }`),
			"m/override.tf":     rp(`p = { source = "acme/b" }`),
			"m/main.tf":         ``,
			"other/x.tf":        ``,
			"other/override.tf": rp(`p = { source = "acme/c" }`),
		}, local: "p", want: "registry.terraform.io/acme/a"},
		{name: "source written twice", files: map[string]string{"main.tf": rp(`p = { source = "terraform.io/builtin/terraform", source = "acme/a" }`)}, err: "source is written twice"},
		{name: "source written twice, quoted key", files: map[string]string{"main.tf": rp(`p = { source = "acme/b", "source" = "acme/a" }`)}, err: "written twice"},
		{name: "version written twice", files: map[string]string{"main.tf": rp(`p = { source = "acme/a", version = "1", version = "2" }`)}, err: "version is written twice"},
		{name: "unknown key", files: map[string]string{"main.tf": rp(`p = { source = "acme/a", sauce = "acme/b" }`)}, err: "unknown key"},
		{name: "JSON duplicate key", files: map[string]string{"main.tf.json": `{"terraform": {"required_providers": {"p": {"source": "terraform.io/builtin/terraform", "source": "acme/a"}}}}`}, err: `the key "source" twice`},
		{name: "JSON duplicate key anywhere", files: map[string]string{"main.tf.json": `{"locals": {"a": 1, "a": 2}}`}, err: `the key "a" twice`},
		{name: "JSON trailing data", files: map[string]string{"main.tf.json": `{} {}`}, err: "main.tf.json"},
		{name: "local name declared twice in main files", files: map[string]string{"a.tf": rp(`p = { source = "acme/a" }`), "b.tf": rp(`p = { source = "acme/b" }`)}, err: "again"},
		{name: "local name declared twice in one override file", files: map[string]string{"main.tf": ``, "override.tf": rp(`p = { source = "acme/a" }`) + rp(`p = { source = "acme/b" }`)}, err: "twice"},
		{name: "source the library refuses", files: map[string]string{"main.tf": rp(`p = { source = "acme/a/b/c" }`)}, err: "not a provider source"},
		{name: "source with a dot in the type", files: map[string]string{"main.tf": rp(`p = { source = "acme/a.b" }`)}, err: "not a provider source"},
		{name: "source with a space", files: map[string]string{"main.tf": rp(`p = { source = "acme /a" }`)}, err: "not a provider source"},
		{name: "source punycode prefix", files: map[string]string{"main.tf": rp(`p = { source = "acme/xn--a" }`)}, err: "not a provider source"},
		{name: "empty source", files: map[string]string{"main.tf": rp(`p = { source = "" }`)}, err: "empty"},
		{name: "source not literal", files: map[string]string{"main.tf": rp(`p = { source = var.s }`)}, err: "literal"},
		{name: "hidden file", files: map[string]string{"main.tf": ``, ".a_override.tf": rp(`p = { source = "acme/a" }`)}, err: "Terraform ignores"},
		{name: "native attribute twice", files: map[string]string{"main.tf": "terraform {\n  required_providers {\n    p = { source = \"acme/a\" }\n    p = { source = \"acme/b\" }\n  }\n}\n"}, err: "main.tf"},
		{name: "syntax error", files: map[string]string{"main.tf": `terraform {`}, err: "read main.tf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, s := range c.files {
				write(t, filepath.Join(dir, filepath.FromSlash(p)), s)
			}
			host := c.host
			if host == "" {
				host = TerraformRegistry
			}
			conf, err := ReadConfiguration(dir, host)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one naming %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			root := conf.root()
			if root == nil {
				t.Fatal("no root module")
			}
			got, err := root.source(c.local)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s is %s, want %s", c.local, got, c.want)
			}
		})
	}
}

// TestReadConfigurationOrder: primary files in name order, then override
// files in name order, per module, as Terraform loads them.
func TestReadConfigurationOrder(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"z.tf", "a_override.tf", "b.tf.json", "override.tf.json", "m/override.tf", "m/a.tf", "a.tf"} {
		src := ""
		if strings.HasSuffix(p, ".json") {
			src = "{}"
		}
		write(t, filepath.Join(dir, filepath.FromSlash(p)), src)
	}
	conf, err := ReadConfiguration(dir, TerraformRegistry)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range conf.modules {
		for _, f := range m.files {
			got = append(got, f.Path)
		}
	}
	want := "a.tf b.tf.json z.tf a_override.tf override.tf.json m/a.tf m/override.tf"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
