package lockfile

import (
	"errors"
	"strings"
	"testing"
)

const trustedSrc = `# This file is maintained automatically by "terraform init".
provider "example.com/planguard/testobj" {
  version = "1.0.0"
  hashes = [
    "h1:PEH5LDFfPmxi1CLK7V+SV8F+eNfomUYlSb3ad1HVPf0=",
    "zh:0123",
  ]
}

provider "registry.terraform.io/hashicorp/null" {
  version     = "3.2.2"
  constraints = "~> 3.0"
  hashes      = ["h1:aaa="]
}
`

func TestParseAndCheck(t *testing.T) {
	trusted, err := Parse([]byte(trustedSrc), "trusted.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if len(trusted) != 2 || trusted["registry.terraform.io/hashicorp/null"].Version != "3.2.2" {
		t.Fatalf("parsed %+v", trusted)
	}
	same, _ := Parse([]byte(trustedSrc), "plan")
	if err := Check(trusted, same, []string{"hashicorp/null", "example.com/planguard/testobj"}, "the saved plan"); err != nil {
		t.Fatalf("identical lock refused: %v", err)
	}
	subset, _ := Parse([]byte(`provider "example.com/planguard/testobj" {
  version = "1.0.0"
  hashes  = ["h1:PEH5LDFfPmxi1CLK7V+SV8F+eNfomUYlSb3ad1HVPf0="]
}`), "plan")
	if err := Check(trusted, subset, nil, "the saved plan"); err != nil {
		t.Fatalf("a subset of the trusted hashes refused: %v", err)
	}
	cases := []struct{ name, src, want string }{
		{"relocked", `provider "example.com/planguard/testobj" {
  version = "1.0.0"
  hashes  = ["h1:PEH5LDFfPmxi1CLK7V+SV8F+eNfomUYlSb3ad1HVPf0=", "h1:evil="]
}`, "hash h1:evil= is not in the trusted lock file"},
		{"other version", `provider "example.com/planguard/testobj" {
  version = "1.0.1"
  hashes  = ["h1:PEH5LDFfPmxi1CLK7V+SV8F+eNfomUYlSb3ad1HVPf0="]
}`, "is locked at 1.0.1, the trusted lock file has 1.0.0"},
		{"unknown provider", `provider "example.com/evil/x" {
  version = "1.0.0"
  hashes  = ["h1:x="]
}`, "example.com/evil/x 1.0.0 is not in the trusted lock file"},
		{"no hashes", `provider "example.com/planguard/testobj" {
  version = "1.0.0"
}`, "lists no hashes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse([]byte(c.src), "plan")
			if err != nil {
				t.Fatal(err)
			}
			err = Check(trusted, got, nil, "the saved plan")
			var u *Untrusted
			if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "the saved plan's lock file") {
				t.Fatalf("Check = %v, want %q", err, c.want)
			}
		})
	}
	if err := Check(trusted, subset, []string{"hashicorp/null"}, "the working directory"); err == nil || !strings.Contains(err.Error(), "used by the plan but not locked") {
		t.Errorf("unlocked used provider: %v", err)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":        `provider "a/b/c" {`,
		"short address": `provider "hashicorp/null" { version = "1" }`,
		"no version":    `provider "a/b/c" { hashes = [] }`,
		"number hashes": `provider "a/b/c" {
  version = "1"
  hashes = [1]
}`,
		"no scheme": `provider "a/b/c" {
  version = "1"
  hashes = ["abc"]
}`,
		"twice": `provider "a/b/c" { version = "1" }
provider "A/b/c" { version = "1" }`,
		"unknown attr": `provider "a/b/c" {
  version = "1"
  url = "x"
}`,
		"module block": `module "x" {}`,
		"other block":  `terraform {}`,
	} {
		if _, err := Parse([]byte(src), "l.hcl"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseLockFile(f *testing.F) {
	f.Add([]byte(trustedSrc))
	f.Fuzz(func(t *testing.T, b []byte) {
		locks, err := Parse(b, "f.hcl")
		if err != nil {
			return
		}
		hashless := false
		for _, p := range locks {
			hashless = hashless || len(p.Hashes) == 0
		}
		if err := Check(locks, locks, nil, "x"); (err != nil) != hashless {
			t.Fatalf("a lock file checked against itself: %v (a provider without hashes: %v)", err, hashless)
		}
	})
}

// TestSubset: the trusted lock file cut down to some providers, byte for
// byte, in its order; a source it does not lock is left out; a lock file
// Parse refuses is refused.
func TestSubset(t *testing.T) {
	src := []byte(`# header
provider "registry.terraform.io/hashicorp/aws" {
  version = "5.0.0"
  hashes  = ["h1:aaa="]
}

provider "registry.terraform.io/hashicorp/null" {
  version = "3.0.0"
  hashes  = ["h1:nnn="]
}
`)
	got, err := Subset(src, "trusted.lock.hcl", []string{"hashicorp/null", "example.com/x/y"})
	if err != nil {
		t.Fatal(err)
	}
	want := "provider \"registry.terraform.io/hashicorp/null\" {\n  version = \"3.0.0\"\n  hashes  = [\"h1:nnn=\"]\n}\n"
	if string(got) != want {
		t.Errorf("subset:\n%s\nwant:\n%s", got, want)
	}
	locks, err := Parse(got, "subset")
	if err != nil || len(locks) != 1 {
		t.Errorf("the subset does not parse as one lock: %v %v", locks, err)
	}
	if got, err := Subset(src, "trusted.lock.hcl", nil); err != nil || len(got) != 0 {
		t.Errorf("no providers: %q %v", got, err)
	}
	if _, err := Subset([]byte("module \"x\" {}\n"), "bad.lock.hcl", nil); err == nil {
		t.Error("a lock file Parse refuses was accepted")
	}
}

// TestParseRefusesDeepNesting: 100000 levels of nesting are refused before
// hclsyntax parses them (it would overflow the stack and end the process),
// also where a byte count of brackets is fooled: closers inside strings,
// and operators, which nest without brackets.
func TestParseRefusesDeepNesting(t *testing.T) {
	const n = 100000
	for name, src := range map[string]string{
		"brackets":           "provider \"a/b/c\" {\n  version = \"1\"\n  hashes = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n}\n",
		"closers in strings": "provider \"a/b/c\" {\n  version = \"1\"\n  hashes = " + strings.Repeat(`["]", `, n) + "\n}\n",
		"operators":          "provider \"a/b/c\" {\n  version = " + strings.Repeat("!", n) + "true\n}\n",
	} {
		_, err := Parse([]byte(src), "l.hcl")
		if err == nil || !strings.Contains(err.Error(), "lock file l.hcl: ") || !strings.Contains(err.Error(), "nested more than 512 levels deep") {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := Subset([]byte(src), "l.hcl", []string{"a/b/c"}); err == nil {
			t.Errorf("%s: Subset accepted it", name)
		}
	}
}
