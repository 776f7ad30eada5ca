package tfsource

import (
	"errors"
	"strings"
	"testing"
)

// TestFileNames: which names are configuration, override files, and
// files Terraform ignores.
func TestFileNames(t *testing.T) {
	for name, want := range map[string][3]bool{ // configuration, JSON (with OpenTofu's), override
		"main.tf":            {true, false, false},
		"main.tf.json":       {true, true, false},
		"override.tf":        {true, false, true},
		"x_override.tf.json": {true, true, true},
		"xoverride.tf":       {true, false, false},
		"override.tofu":      {false, false, true},
		"a.tofu.json":        {false, true, false},
		".tf":                {false, false, false},
		"main.tfvars":        {false, false, false},
	} {
		_, ok := Kind(name, false)
		isJSON, _ := Kind(name, true)
		if ok != want[0] || isJSON != want[1] || IsOverride(name) != want[2] {
			t.Errorf("%s: configuration %v, JSON %v, override %v; want %v", name, ok, isJSON, IsOverride(name), want)
		}
	}
	for _, name := range []string{".a.tf", "#a.tf#", "a.tf~"} {
		if !Ignored(name) {
			t.Errorf("%s is not ignored", name)
		}
	}
}

// TestReadModule: in memory, the order is Terraform's whatever the
// order given, an override entry replaces, and an error names its file.
func TestReadModule(t *testing.T) {
	parse := func(p, src string) *File {
		f, err := Parse(p, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	rp := func(s string) string { return "terraform {\n  required_providers {\n    " + s + "\n  }\n}\n" }
	m, err := ReadModule([]*File{
		parse("d/override.tf", rp(`p = { source = "Acme/Good" }`)),
		parse("d/z.tf", rp(`p = { source = "example.com/acme/evil" }`)),
		parse("d/a.tf", ``),
	}, OpenTofuRegistry)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, f := range m.Files {
		order = append(order, f.Name)
	}
	if strings.Join(order, " ") != "a.tf z.tf override.tf" {
		t.Errorf("order %v", order)
	}
	if p, _ := m.Resolve("p"); p != (Provider{Source: "registry.opentofu.org/acme/good", DefaultHost: true}) {
		t.Errorf("p is %+v", p)
	}
	if p, _ := m.Resolve("terraform"); p != (Provider{Source: BuiltinTerraform}) {
		t.Errorf("terraform is %+v", p)
	}
	_, err = ReadModule([]*File{parse("d/a.tf", ``), parse("d/b.tf", rp(`p = { source = "a/b", source = "c/d" }`))}, TerraformRegistry)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Path != "d/b.tf" || !strings.Contains(err.Error(), "written twice") {
		t.Errorf("error %v, want one of d/b.tf", err)
	}
	if _, err := Parse("d/x.tf.json", []byte(`{"a": 1, "a": 2}`)); err == nil || !strings.Contains(err.Error(), "d/x.tf.json") {
		t.Errorf("JSON duplicate key: %v", err)
	}
}
