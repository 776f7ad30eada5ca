package check

import (
	"errors"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestProvidersPinned: a providers list pins providers for an apply only
// when each entry names its hostname and namespace without a wildcard
// (registry.*/… matches a registry the plan's author runs, …/*/aws a
// namespace anyone can publish under); lock_file pins them whatever the
// list says.
func TestProvidersPinned(t *testing.T) {
	for _, c := range []struct {
		extra  string
		pinned bool
		entry  string // named in the refusal
	}{
		{"", false, ""},
		{`providers = ["registry.terraform.io/hashicorp/aws", "terraform.io/builtin/terraform", "registry.terraform.io/hashicorp/*"]`, true, ""},
		{`providers = ["registry.*/planguard/planguard"]`, false, "registry.*/planguard/planguard"},
		{`providers = ["terraform.io/builtin/terraform", "*"]`, false, `"*"`},
		{`providers = ["registry.terraform.io/*/aws"]`, false, "registry.terraform.io/*/aws"},
		{`providers = ["registry.terraform.io/hashicorp?/aws"]`, false, "hashicorp?"},
		{"providers = [\"*\"]\nlock_file = \"lock.hcl\"", true, ""},
	} {
		pol, err := policy.Parse([]byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"as\"\n}\nprotect \"db\" {\n  types = [\"x\"]\n}\n"+c.extra+"\n"), "p.hcl")
		if err != nil {
			t.Fatalf("%s: %v", c.extra, err)
		}
		if strings.Contains(c.extra, "lock_file") {
			pol.LockFilePath = "lock.hcl" // Parse resolves it only when loading from disk
		}
		err = RequireProviderPin(pol, "p.hcl")
		if got := ProvidersPinned(pol); got != c.pinned || (err == nil) != c.pinned {
			t.Errorf("%q: pinned %v (%v), want %v", c.extra, got, err, c.pinned)
		}
		if err != nil && (!errors.Is(err, ErrProvidersNotPinned) || !strings.Contains(err.Error(), c.entry) || !strings.Contains(err.Error(), "nothing applied")) {
			t.Errorf("%q: refusal %v does not name %s", c.extra, err, c.entry)
		}
	}
}
