package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// FuzzCheckNoAllowOnError runs the whole `planguard check` over arbitrary
// plan JSON (seeded with every real fixture and the quickstart plan) under a
// policy that protects every managed resource for every action. Properties:
//
//   - the exit status is 0, 1 or 2, and nothing panics;
//   - input the plan reader refuses never allows: the exit status is 2;
//   - an allow (0) says "allow" in the JSON report, and the plan holds no
//     destructive change, no update of a guarded attribute and no deferred
//     destructive change: the fuzzer has no trusted key, so no approval it makes
//     up may unblock anything; nor may a plan without configuration, or
//     one that runs a provisioner, be allowed.
func FuzzCheckNoAllowOnError(f *testing.F) {
	seeds, _ := filepath.Glob("../internal/plan/testdata/*/*.json")
	seeds = append(seeds, qsPlan)
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if len(seeds) < 30 {
		f.Fatalf("only %d seeds; run make fixtures", len(seeds))
	}
	dir := f.TempDir()
	as, err := os.ReadFile("../examples/quickstart/allowed_signers")
	if err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600); err != nil {
		f.Fatal(err)
	}
	policyPath := filepath.Join(dir, "planguard.hcl")
	if err := os.WriteFile(policyPath, []byte(protectAll), 0o600); err != nil {
		f.Fatal(err)
	}
	guarded := []string{"input", "triggers_replace"} // protectAll's attributes

	f.Fuzz(func(t *testing.T, data []byte) {
		code, out, errs := runCLI(t, string(data), nil, "check", "--policy", policyPath, "--format", "json", "--now", "2026-11-25T12:00:00Z", "-")
		p, decodeErr := plan.Decode(bytes.NewReader(data))
		switch {
		case code != exitAllow && code != exitBlock && code != exitError:
			t.Fatalf("exit %d", code)
		case decodeErr != nil && code != exitError:
			t.Fatalf("the reader refuses the plan (%v) but check exited %d\n%s", decodeErr, code, out)
		case code == exitError && errs == "":
			t.Fatal("exit 2 without a message")
		}
		if code != exitAllow {
			return
		}
		var r struct{ Decision string }
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.Decision != "allow" {
			t.Fatalf("exit 0 but the report says %q (%v)", r.Decision, err)
		}
		// Code the apply would run: no allow_provisioners, no trusted key.
		if p.NoConfiguration {
			t.Fatal("allowed a plan without configuration: what it runs is unknown")
		}
		if len(p.Provisions) > 0 {
			t.Fatalf("allowed a plan that runs a provisioner with no trusted signer: %+v", p.Provisions[0])
		}
		for _, c := range p.Deferred {
			if c.Kind.Destructive() {
				t.Fatalf("allowed a deferred %s of %s", c.Kind, c.Address)
			}
		}
		for _, c := range p.Changes {
			if c.Kind.Destructive() {
				t.Fatalf("allowed %s %s with no trusted signer", c.Kind, c.Address)
			}
			if c.Kind == plan.KindUpdate && slices.ContainsFunc(c.ChangedAttributes, func(a string) bool { return slices.Contains(guarded, a) }) {
				t.Fatalf("allowed a guarded update of %s (%v)", c.Address, c.ChangedAttributes)
			}
		}
	})
}
