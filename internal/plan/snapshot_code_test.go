package plan

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// writeSnapshot writes a zip holding files (name to content) and returns
// its path.
func writeSnapshot(t *testing.T, files map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, src := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSnapshotCode: file reads wherever they are, their arguments known at
// plan or not (Terraform evaluates them again during the apply), except a
// read of a file of the configuration that is not a template; ephemeral
// blocks and provider functions; in native and JSON syntax, in the root
// and in modules.
func TestSnapshotCode(t *testing.T) {
	p := writeSnapshot(t, map[string]string{
		"tfconfig/modules.json": `[{"Key":"","Dir":"."},{"Key":"m","Dir":"../shared"},{"Key":"m.n","Dir":"../shared/n"}]`,
		"tfconfig/m-/main.tf": `terraform {
  required_providers {
    late = { source = "example.com/x/late", version = "1.0.0" }
  }
}
resource "x_object" "a" {
  known   = file("${path.module}/a.txt")
  known2  = file(var.path)
  known3  = templatefile("t.tpl", { x = x_object.b.id })
  leaks   = file("${trimsuffix(x_object.seed.id, x_object.seed.id)}/proc/self/environ")
  core    = core::filebase64(local.p)
  loop    = [for f in var.files : file(f)]
  loop2   = [for f in x_object.b.files : filemd5(f)]
  fn      = provider::late::run(["sh"])
  implied = provider::external::thing(1)
  tpl     = templatefile("${path.module}/main.tf", {})
  tstr    = templatestring(local.t, {})
  set     = fileset(path.module, "*.tf")
  set2    = fileset(path.module, "{.,x}{.,x}/*")
  set3    = fileset("/etc", "*")
}
resource "x_object" "each" {
  for_each = { a = x_object.b.id }
  content  = file(each.value)
  name     = file(each.key)
}
resource "x_object" "eachknown" {
  for_each = toset(var.files)
  content  = file(each.value)
}
provider "aws" {
  alias = "west"
  token = file("~/.aws/token")
  a     = file("policy/allowed_signers")
  b     = file("${path.module}/ca.pem")
  c     = file("${path.module}/../x")
  d     = file(var.f)
}
ephemeral "late_program" "p" {
  provider = late.two
  program  = ["sh"]
}
ephemeral "external_x" "q" {
}
module "m" {
  source = "../shared"
  known  = "lit"
  dyn    = x_object.a.id
}
locals {
  l = fileset(path.module, x_object.a.pattern)
}
resource "x_object" "dyn" {
  dynamic "setting" {
    for_each = x_object.a.list
    content {
      v = file(setting.value)
    }
  }
}
`,
		"tfconfig/m-m/s.tf": `module "n" {
  source = "./n"
  p      = var.dyn
  q      = var.known
}
resource "x_object" "m" {
  a = file(var.known)
  b = file(var.dyn)
}
`,
		"tfconfig/m-m.n/n.tf.json": `{"resource":{"x_object":{"n":{"a":"${file(var.q)}","b":"${file(var.p)}","c":{"d":"${provider::late::run(1)}"}}}},
"ephemeral":{"late_e":{"e":[{"provider":"late.x"}]}}}`,
	})
	got := snapshotCode(p, []string{"registry.opentofu.org/hashicorp/external"})
	type row struct{ Kind, Address, Where, Function, Provider, Refs string }
	var rows []row
	for _, c := range got {
		rows = append(rows, row{c.Kind, c.Address, c.File + ":" + itoa(c.Line), c.Function, c.Provider, strings.Join(c.References, "; ")})
	}
	want := []row{
		{CodeFileRead, "module.m.module.n.x_object.n", "../shared/n/n.tf.json:1", "file", "", ""},
		{CodeFileRead, "module.m.module.n.x_object.n", "../shared/n/n.tf.json:1", "file", "", "var.p (module.n sets it from var.dyn (module.m sets it from x_object.a.id))"},
		{CodeProviderFunction, "module.m.module.n.x_object.n", "../shared/n/n.tf.json:1", "provider::late::run", "registry.terraform.io/hashicorp/late", ""},
		{CodeEphemeral, "module.m.module.n.ephemeral.late_e.e", "../shared/n/n.tf.json:2", "", "registry.terraform.io/hashicorp/late", ""},
		{CodeFileRead, "module.m.x_object.m", "../shared/s.tf:7", "file", "", ""},
		{CodeFileRead, "module.m.x_object.m", "../shared/s.tf:8", "file", "", "var.dyn (module.m sets it from x_object.a.id)"},
		{CodeFileRead, "x_object.a", "main.tf:8", "file", "", ""},
		{CodeFileRead, "x_object.a", "main.tf:9", "templatefile", "", "x_object.b.id"},
		{CodeFileRead, "x_object.a", "main.tf:10", "file", "", "x_object.seed.id"},
		{CodeFileRead, "x_object.a", "main.tf:11", "filebase64", "", "local.p"},
		{CodeFileRead, "x_object.a", "main.tf:12", "file", "", ""},
		{CodeFileRead, "x_object.a", "main.tf:13", "filemd5", "", "x_object.b.files"},
		{CodeProviderFunction, "x_object.a", "main.tf:14", "provider::late::run", "example.com/x/late", ""},
		{CodeProviderFunction, "x_object.a", "main.tf:15", "provider::external::thing", "registry.opentofu.org/hashicorp/external", ""},
		{CodeFileRead, "x_object.a", "main.tf:16", "templatefile", "", ""},
		{CodeFileRead, "x_object.a", "main.tf:17", "templatestring", "", "local.t"},
		{CodeFileRead, "x_object.a", "main.tf:19", "fileset", "", ""},
		{CodeFileRead, "x_object.a", "main.tf:20", "fileset", "", ""},
		{CodeFileRead, "x_object.each", "main.tf:24", "file", "", "each.value (x_object.b.id)"},
		{CodeFileRead, "x_object.each", "main.tf:25", "file", "", ""},
		{CodeFileRead, "x_object.eachknown", "main.tf:29", "file", "", ""},
		{CodeFileRead, "provider.aws.west", "main.tf:33", "file", "", ""},
		{CodeFileRead, "provider.aws.west", "main.tf:36", "file", "", ""},
		{CodeFileRead, "provider.aws.west", "main.tf:37", "file", "", ""},
		{CodeEphemeral, "ephemeral.late_program.p", "main.tf:39", "", "example.com/x/late", ""},
		{CodeEphemeral, "ephemeral.external_x.q", "main.tf:43", "", "registry.opentofu.org/hashicorp/external", ""},
		{CodeFileRead, "local.l", "main.tf:51", "fileset", "", "x_object.a.pattern"},
		{CodeFileRead, "x_object.dyn", "main.tf:57", "file", "", "x_object.a.list"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got\n%s\nwant\n%s", dump(rows), dump(want))
	}
	for _, c := range got {
		if c.Address == "provider.aws.west" && !c.InProvider {
			t.Errorf("%+v: not marked as in a provider block", c)
		}
	}
}

// TestSnapshotCodeUnreadable: a file that does not parse, and a function
// of an unknown namespace, are findings that cannot be read.
func TestSnapshotCodeUnreadable(t *testing.T) {
	p := writeSnapshot(t, map[string]string{
		"tfconfig/modules.json": `[{"Key":"","Dir":"."}]`,
		"tfconfig/m-/a.tf":      `resource "x" {`,
		"tfconfig/m-/b.tf":      `locals { x = other::ns::f(1) }`,
		"tfconfig/m-/c.tf.json": `{"resource": [1`,
	})
	got := snapshotCode(p, nil)
	if len(got) != 3 {
		t.Fatalf("got %+v, want 3 unreadable findings", got)
	}
	for _, c := range got {
		if c.Kind != CodeUnreadable || c.Unreadable == "" {
			t.Errorf("%+v: want an unreadable finding with its problem", c)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func dump(rows any) string {
	var b strings.Builder
	v := reflect.ValueOf(rows)
	for i := 0; i < v.Len(); i++ {
		b.WriteString("  ")
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(fmt.Sprintf("%+v", v.Index(i).Interface())), "\n", " "))
		b.WriteString("\n")
	}
	return b.String()
}
