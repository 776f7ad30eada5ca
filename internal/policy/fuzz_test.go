package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary bytes: it must not panic, must return
// exactly one of a policy and an error, and a policy it returns must hold
// what Parse promises and answer Match without panicking.
func FuzzParse(f *testing.F) {
	f.Add([]byte(designExample))
	f.Add([]byte(matchPolicy))
	f.Add([]byte(manyRules(7)))
	f.Add([]byte(head + "protect \"r\" {\n  addresses = [\"module.a[\\\"k.1\\\"].**.x.y[\\\"p-*\\\"]\"]\n  actions = [\"update\"]\n  attributes = [\"a\"]\n  max_ttl = \"1d2h\"\n}\n"))
	f.Add([]byte(head))
	f.Add([]byte("scope = \"p\"\ntrust { allowed_signers = \"a\" }\ntrust {}\nprotect \"\" {}\n"))
	f.Add([]byte("scope = [\"a\"]\nprotect \"r\" \"s\" {\n  approvals = 1e400\n  max_ttl = -1\n}\n"))
	f.Add([]byte("scope = \"${\""))
	f.Add([]byte{0xff, 0xfe, '{'})
	// The real policies the examples ship.
	examples, _ := filepath.Glob("../../examples/*/planguard.hcl")
	if len(examples) < 2 {
		f.Fatalf("found %d example policies", len(examples))
	}
	for _, e := range examples {
		b, err := os.ReadFile(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tt := range addressGlobTests {
		f.Add([]byte(head + "protect \"r\" { addresses = [" + quoteHCL(tt.pattern) + "] }\n"))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse(src, "fuzz.hcl")
		if err != nil {
			if p != nil {
				t.Fatalf("Parse returned a policy with error %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if p == nil {
			t.Fatal("Parse returned neither a policy nor an error")
		}
		if !namePattern.MatchString(p.Scope) || p.AllowedSignersPath == "" || len(p.Rules) == 0 {
			t.Fatalf("accepted policy breaks its invariants: %+v", p)
		}
		for _, r := range p.Rules {
			if r.Approvals < 1 || r.MaxTTL < 0 || r.actions == 0 || len(r.Types)+len(r.Addresses) == 0 ||
				(r.actions&actUpdate != 0) != (len(r.Attributes) > 0) {
				t.Fatalf("accepted rule breaks its invariants: %+v", r)
			}
		}
		for _, a := range []string{"aws_db_instance.main", `module.a["k.1"].module.b[0].x.y["p-1"]`, "x", ""} {
			for _, act := range []string{"delete", "replace", "update", "forget"} {
				p.Match(a, "aws_db_instance", act)
				p.Require(a, "", act, []string{"a"})
			}
		}
	})
}

// FuzzMatchAddress checks the glob and address languages on arbitrary
// input: no panics, the fast address path agrees with HCL's, and every
// address that parses is matched by "**".
func FuzzMatchAddress(f *testing.F) {
	for _, tt := range addressGlobTests {
		f.Add(tt.pattern, tt.address)
	}
	f.Add("x.y[\"a\"]", "x.y[\"a\\\"\"]")
	f.Add("x.y[0]", "x.y[00]")
	f.Add("*.*", "_x.y")
	f.Fuzz(func(t *testing.T, pattern, addr string) {
		pat, perr := compileAddrPattern(pattern)
		a, aerr := parseAddress(addr)
		if fast, ok := splitPlainAddress(addr); ok {
			slow, err := splitAddress(addr)
			if err != nil || len(fast) != len(slow) {
				t.Fatalf("%q: fast path %+v, HCL %+v, %v", addr, fast, slow, err)
			}
			for i := range fast {
				if fast[i] != slow[i] {
					t.Fatalf("%q: fast path %+v, HCL %+v", addr, fast, slow)
				}
			}
		}
		if aerr != nil {
			return
		}
		if a.mode == modeManaged && !strings.Contains(addr, "\x00") {
			all, _ := compileAddrPattern("**")
			if !all.match(&a) {
				t.Fatalf("** does not match %q", addr)
			}
		}
		if perr == nil {
			pat.match(&a)
		}
	})
}
