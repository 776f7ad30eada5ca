package tfsource

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckLoadTime: the settings Terraform and OpenTofu evaluate when
// they load a configuration pass as literals and are refused otherwise,
// in both syntaxes, with the file and line named.
func TestCheckLoadTime(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		child           bool
		want            string // "" = allowed; else a substring of the error
	}{
		// Allowed: what Terraform itself requires, and literals.
		{name: "local module", file: "main.tf", src: "module \"a\" {\n  source = \"./a\"\n  n      = file(\"x\")\n}\n"},
		{name: "registry module", file: "main.tf", src: "module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.1.0\"\n}\n"},
		{name: "remote module", file: "main.tf", src: "module \"g\" {\n  source = \"git::https://example.com/m.git//sub?ref=v1\"\n}\n"},
		{name: "heredoc source", file: "main.tf", src: "module \"a\" {\n  source = <<EOT\n./a\nEOT\n}\n"},
		{name: "literal backend", file: "main.tf", src: "terraform {\n  required_version = \">= 1.8\"\n  backend \"s3\" {\n    bucket = \"b\"\n    key    = \"k\"\n    endpoints = { s3 = \"https://s3\" }\n    retries = -1\n    list = [\"a\", (\"b\")]\n  }\n}\n"},
		{name: "literal cloud", file: "main.tf", src: "terraform {\n  cloud {\n    organization = \"o\"\n    workspaces {\n      tags = [\"a\"]\n    }\n  }\n}\n"},
		{name: "no experiments", file: "main.tf", src: "terraform {\n  experiments = []\n}\n"},
		{name: "provider_meta", file: "main.tf", src: "terraform {\n  provider_meta \"p\" {\n    module_name = \"x\"\n  }\n}\n"},
		{name: "provider for_each literal", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = { a = \"us-east-1\", \"b\" = \"eu-west-1\" }\n  region   = each.value\n}\n"},
		{name: "provider for_each root var", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = var.regions\n}\n"},
		{name: "provider for_each root var template", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = \"${var.regions}\"\n}\n"},
		{name: "root const variable", file: "main.tf", src: "variable \"v\" {\n  const = true\n}\n"},
		{name: "child const false", file: "main.tf", src: "variable \"v\" {\n  const = false\n}\n", child: true},
		{name: "resource reads are not load time", file: "main.tf", src: "resource \"x\" \"y\" {\n  a = file(\"/etc/passwd\")\n}\nlocals {\n  k = file(\"/k\")\n}\n"},
		{name: "json literal", file: "main.tf.json", src: `{"module":{"a":{"source":"./a","version":"1.0.0"}},"terraform":{"backend":{"local":{"path":"x"}},"required_version":">= 1"},"provider":{"aws":{"for_each":{"a":"b"}}}}`},

		// Refused.
		{name: "source local", file: "main.tf", src: "locals {\n  k = file(\"/proc/self/environ\")\n}\nmodule \"a\" {\n  source = \"./${local.k}\"\n}\n", want: "main.tf:5,3-26: module \"a\" source is not a literal string"},
		{name: "source var", file: "main.tf", src: "module \"a\" {\n  source = var.s\n}\n", want: "module \"a\" source is not a literal string"},
		{name: "source function", file: "main.tf", src: "module \"a\" {\n  source = trimspace(\" ./a \")\n}\n", want: "module \"a\" source is not a literal string"},
		{name: "source not a string", file: "main.tf", src: "module \"a\" {\n  source = 1\n}\n", want: "source is not a literal string"},
		{name: "source null", file: "main.tf", src: "module \"a\" {\n  source = null\n}\n", want: "source is not a literal string"},
		{name: "no source", file: "main.tf", src: "module \"a\" {\n}\n", want: "module \"a\" has no source"},
		{name: "version local", file: "main.tf", src: "module \"a\" {\n  source  = \"x/y/z\"\n  version = local.v\n}\n", want: "module \"a\" version is not a literal string"},
		{name: "source conditional", file: "main.tf", src: "module \"a\" {\n  source = true ? \"./a\" : \"./b\"\n}\n", want: "not a literal string"},
		{name: "source template directive", file: "main.tf", src: "module \"a\" {\n  source = \"%{if true}./a%{endif}\"\n}\n", want: "not a literal string"},
		{name: "backend local", file: "main.tf", src: "terraform {\n  backend \"s3\" {\n    bucket = local.b\n  }\n}\n", want: "main.tf:3,5-21: a setting of the terraform block's backend \"s3\" is not a literal"},
		{name: "backend nested", file: "main.tf", src: "terraform {\n  cloud {\n    workspaces {\n      name = file(\"/k\")\n    }\n  }\n}\n", want: "cloud is not a literal"},
		{name: "backend object value", file: "main.tf", src: "terraform {\n  backend \"s3\" {\n    endpoints = { s3 = var.e }\n  }\n}\n", want: "backend \"s3\" is not a literal"},
		{name: "backend object key", file: "main.tf", src: "terraform {\n  backend \"s3\" {\n    endpoints = { (var.k) = \"x\" }\n  }\n}\n", want: "backend \"s3\" is not a literal"},
		{name: "backend for", file: "main.tf", src: "terraform {\n  backend \"s3\" {\n    l = [for x in [\"a\"] : x]\n  }\n}\n", want: "not a literal"},
		{name: "provider_meta function", file: "main.tf", src: "terraform {\n  provider_meta \"p\" {\n    x = file(\"/k\")\n  }\n}\n", want: "provider_meta \"p\" is not a literal"},
		{name: "experiments", file: "main.tf", src: "terraform {\n  experiments = [foo]\n}\n", want: "terraform experiments are set"},
		{name: "required_version", file: "main.tf", src: "terraform {\n  required_version = var.v\n}\n", want: "required_version is not a literal string"},
		{name: "provider for_each local", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = local.regions\n}\n", want: "provider \"aws\" for_each is not a literal"},
		{name: "provider for_each function", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = toset(var.regions)\n}\n", want: "provider \"aws\" for_each is not a literal"},
		{name: "provider for_each child var", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = var.regions\n}\n", child: true, want: "for_each is not a literal"},
		{name: "provider for_each var index", file: "main.tf", src: "provider \"aws\" {\n  alias    = \"r\"\n  for_each = var[\"regions\"]\n}\n", want: "for_each is not a literal"},
		{name: "child const", file: "main.tf", src: "variable \"v\" {\n  const = true\n}\n", child: true, want: "variable \"v\" const is set in a child module"},
		{name: "json source template", file: "main.tf.json", src: `{"module":{"a":{"source":"./${file(\"/k\")}"}}}`, want: "module \"a\" source is not a literal string"},
		{name: "json source escaped", file: "main.tf.json", src: `{"module":{"a":{"source":"./$${x}"}}}`, want: "not a literal string"},
		{name: "json backend template", file: "main.tf.json", src: `{"terraform":{"backend":{"s3":{"bucket":"${local.b}"}}}}`, want: "backend \"s3\" is not a literal"},
		{name: "json backend key template", file: "main.tf.json", src: `{"terraform":{"backend":{"s3":{"endpoints":{"%{if true}s3%{endif}":"x"}}}}}`, want: "backend \"s3\" is not a literal"},
		{name: "json provider for_each", file: "main.tf.json", src: `{"provider":{"aws":[{"alias":"r","for_each":"${var.r}"}]}}`, want: "for_each is not a literal"},
		{name: "json experiments", file: "main.tf.json", src: `{"terraform":{"experiments":["x"]}}`, want: "experiments are set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.file, []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			err = CheckLoadTime(f, !tc.child)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("allowed, want an error with %q", tc.want)
			}
			var le *LoadTimeError
			var fe *FileError
			if !errors.As(err, &le) || !errors.As(err, &fe) || fe.Path != tc.file {
				t.Errorf("error %T %v: want a *FileError for %s wrapping a *LoadTimeError", err, err, tc.file)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file+":") {
				t.Errorf("error %q lacks %q or the file and line", err, tc.want)
			}
		})
	}
}

// TestRequiredProviders: the providers a file's required_providers name,
// normalized, hosts as written.
func TestRequiredProviders(t *testing.T) {
	f, err := Parse("versions.tf", []byte("terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n    evil = { source = \"evil.example.com/x/evil\" }\n    random = \"~> 3.0\"\n    terraform = { source = \"terraform.io/builtin/terraform\" }\n  }\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := RequiredProviders(f, TerraformRegistry)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		s := p.Source
		if p.DefaultHost {
			s += " (default host)"
		}
		got = append(got, s)
	}
	want := "registry.terraform.io/hashicorp/aws (default host), evil.example.com/x/evil, registry.terraform.io/hashicorp/random (default host), terraform.io/builtin/terraform"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, ", "), want)
	}
}

// FuzzCheckLoadTime: whatever a configuration file holds (native or JSON
// syntax), parsing it and judging its load-time settings returns a result
// or an error and never panics; a malformed file is refused by Parse.
func FuzzCheckLoadTime(f *testing.F) {
	f.Add("main.tf", []byte("module \"a\" {\n  source = \"./${local.k}\"\n}\nterraform {\n  backend \"s3\" {\n    k = { a = [1, -2, \"x\"] }\n  }\n}\n"))
	f.Add("main.tf", []byte("provider \"p\" {\n  for_each = var.x\n}\nvariable \"v\" {\n  const = true\n}\n"))
	f.Add("main.tf.json", []byte(`{"module":{"a":{"source":"./a","version":"${v}"}},"terraform":[{"cloud":{"workspaces":{"name":"x"}}}]}`))
	f.Add("main.tf", []byte("terraform {\n  required_providers {\n    a = { source = \"h.example/a/b\" }\n  }\n}\n"))
	f.Add("main.tf", []byte("module \"a\" {\n  source = \"${\n"))
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		if !strings.HasSuffix(name, ".tf") && !strings.HasSuffix(name, ".tf.json") {
			name = "main.tf"
		}
		file, err := Parse(name, src)
		if err != nil {
			return
		}
		for _, root := range []bool{true, false} {
			if err := CheckLoadTime(file, root); err != nil && err.Error() == "" {
				t.Fatal("an error without a message")
			}
		}
		_, _ = RequiredProviders(file, TerraformRegistry)
		_ = CheckTerraformBlocks(file)
	})
}
