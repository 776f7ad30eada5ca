package address

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	good := map[string]string{
		"terraform_data.db":                            "",
		"terraform_data.db[0]":                         "",
		`terraform_data.db["eu-west"]`:                 "",
		`module.data.aws_db_instance.legacy`:           "module.data",
		`module.a["x"].module.b[3].terraform_data.c`:   `module.a["x"].module.b[3]`,
		`terraform_data.db["a.b[\"c\"]"]`:              "",
		`terraform_data.db["tab\there"]`:               "",
		`terraform_data.db["日本"]`:                      "",
		`module.m.terraform_data.db["$${not_interp}"]`: "module.m",
	}
	for in, mod := range good {
		a, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if a.String() != in {
			t.Errorf("Parse(%q).String() = %q", in, a.String())
		}
		if a.ModulePath() != mod {
			t.Errorf("Parse(%q).ModulePath() = %q, want %q", in, a.ModulePath(), mod)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	bad := []string{
		"", "db", "terraform_data", "terraform_data.", ".terraform_data.db",
		"data.terraform_remote_state.x", "module.a", "module.a.module.b",
		"module[0].a.terraform_data.db", "terraform_data.db.extra",
		"terraform_data[0].db", "terraform_data.db[0][1]", "terraform_data.db[-1]",
		"terraform_data.db[1.5]", "terraform_data.db[true]", "terraform_data.db['x']",
		"terraform_data.db[ 0]", " terraform_data.db", "terraform_data.db ",
		`terraform_data.db["a"`, "terraform_data.db[\"\xff\"]", "terraform_data.db[00]",
		"terraform_data.db[99999999999999999999]", "module..terraform_data.db",
		"terraform_data.db # comment", "terraform_data.db\n",
	}
	for _, in := range bad {
		if a, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted: %+v", in, a)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"terraform_data.db", `module.a["x"].terraform_data.b[0]`, "data.x.y", `t.n["\u0000"]`} {
		f.Add(s)
	}
	// Every address in the real plan fixtures (Terraform and OpenTofu).
	fixtures, _ := filepath.Glob("../plan/testdata/*/*.json")
	if len(fixtures) == 0 {
		f.Fatal("no plan fixtures in ../plan/testdata")
	}
	addr := regexp.MustCompile(`"(?:address|previous_address)":("(?:[^"\\]|\\.)*")`)
	for _, fx := range fixtures {
		b, err := os.ReadFile(fx)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range addr.FindAllSubmatch(b, -1) {
			var s string
			if err := json.Unmarshal(m[1], &s); err != nil {
				f.Fatal(err)
			}
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		// Accepted addresses are canonical: they render to themselves and re-parse equal.
		if a.String() != s {
			t.Fatalf("accepted %q renders as %q", s, a.String())
		}
		if b, err := Parse(a.String()); err != nil || b.String() != s {
			t.Fatalf("round trip of %q: %v", s, err)
		}
	})
}

// TestParseAction: action addresses (Terraform 1.14+), canonical only.
func TestParseAction(t *testing.T) {
	for _, s := range []string{`action.aws_ec2_stop_instance.db`, `action.x_y.z[0]`, `module.ops["eu"].module.b.action.aws_lambda_invoke.notify["a"]`} {
		a, err := ParseAction(s)
		if err != nil || ActionString(a) != s {
			t.Errorf("ParseAction(%s) = %+v, %v", s, a, err)
		}
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%s) accepts an action address as a resource", s)
		}
	}
	for _, s := range []string{``, `aws_instance.x`, `action.x`, `action.x.y.z`, `action["a"].x.y`, `action.x[0].y`, `action.x.y[00]`, `module.m.action.x`, `data.action.x`, `action.x.y["a" ]`} {
		if a, err := ParseAction(s); err == nil {
			t.Errorf("ParseAction(%q) = %+v, want an error", s, a)
		}
	}
}
