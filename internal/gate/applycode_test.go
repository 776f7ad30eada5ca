package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestConfigCode: a file read that may happen only during the apply, and
// one in a provider block, block unless allow_apply_file_reads names the
// block; an ephemeral block of a provider that runs programs blocks unless
// allow_apply_reads names it (one of another provider is not reported); a
// provider function of such a provider blocks unless
// allow_provider_functions names the block, one of a host writer with an
// argument unknown at plan is a file read, any other is listed; what
// cannot be read never passes.
func TestConfigCode(t *testing.T) {
	f := setup(t)
	pol, err := policy.Parse([]byte(policySrc+`
program_providers      = ["example.com/x/prog"]
allow_apply_file_reads = ["module.app.local.cfg", "provider.k8s*"]
allow_apply_reads      = ["ephemeral.external.ok"]
allow_provider_functions = ["terraform_data.ok"]
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	read := func(addr string, refs ...string) plan.ConfigCode {
		return plan.ConfigCode{Kind: plan.CodeFileRead, Address: addr, File: "main.tf", Line: 3, Function: "file", References: refs}
	}
	inProvider := read("provider.aws")
	inProvider.InProvider = true
	k8s := read("provider.k8s.west")
	k8s.InProvider = true
	eph := func(addr, provider string, implied bool) plan.ConfigCode {
		return plan.ConfigCode{Kind: plan.CodeEphemeral, Address: addr, File: "main.tf", Line: 9, Provider: provider, Implied: implied}
	}
	fn := func(addr, provider string, refs ...string) plan.ConfigCode {
		return plan.ConfigCode{Kind: plan.CodeProviderFunction, Address: addr, File: "main.tf", Line: 7, Function: "provider::p::f", Provider: provider, References: refs}
	}
	for _, c := range []struct {
		name     string
		code     plan.ConfigCode
		decision Decision
		listed   bool
		problem  string
	}{
		{"file read at apply", read("terraform_data.x", "terraform_data.seed.id"), Block, true, `allow_apply_file_reads = ["terraform_data.x"]`},
		{"allowed file read", read("module.app.local.cfg", "local.x"), Allow, true, ""},
		{"file read in a provider block", inProvider, Block, true, "a provider block is evaluated again"},
		{"allowed by a glob", k8s, Allow, true, ""},
		{"external's ephemeral", eph("ephemeral.external.x", "registry.terraform.io/hashicorp/external", false), Block, true, `allow_apply_reads = ["ephemeral.external.x"]`},
		{"implied external on OpenTofu's registry", eph("ephemeral.external.x", "registry.terraform.io/hashicorp/external", true), Block, true, "runs the program"},
		{"allowed ephemeral", eph("ephemeral.external.ok", "registry.terraform.io/hashicorp/external", false), Allow, true, ""},
		{"another provider's ephemeral", eph("ephemeral.vault_x.y", "registry.terraform.io/hashicorp/vault", false), Allow, false, ""},
		{"program provider's function", fn("terraform_data.x", "example.com/x/prog"), Block, true, `allow_provider_functions = ["terraform_data.x"]`},
		{"allowed function", fn("terraform_data.ok", "example.com/x/prog"), Allow, true, ""},
		{"host writer's function unknown at plan", fn("terraform_data.x", "registry.terraform.io/hashicorp/local", "terraform_data.seed.id"), Block, true, "allow_apply_file_reads"},
		// Evaluated again during the apply whatever its arguments (r16e).
		{"host writer's function known at plan", fn("terraform_data.x", "registry.terraform.io/hashicorp/local"), Block, true, "evaluate the configuration again during the apply"},
		{"file read known at plan", plan.ConfigCode{Kind: plan.CodeFileRead, Address: "check.notes", File: "main.tf", Line: 3, Function: "file"}, Block, true, `check.notes calls file at main.tf:3: Terraform and OpenTofu evaluate the configuration again during the apply`},
		{"file read unknown at plan", plan.ConfigCode{Kind: plan.CodeFileRead, Address: "x.y", File: "main.tf", Line: 3, Function: "file", References: []string{"x.seed.id"}}, Block, true, `unknown until then: x.seed.id`},
		{"another provider's function", fn("terraform_data.x", "registry.terraform.io/hashicorp/aws", "terraform_data.seed.id"), Allow, true, ""},
		{"unreadable", plan.ConfigCode{Kind: plan.CodeUnreadable, Address: "module.m", File: "m/a.tf", Unreadable: "does not parse"}, Block, true, "no policy can allow it"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &plan.Plan{ConfigCode: []plan.ConfigCode{c.code}}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Errorf("decision %s, want %s: %+v", r.Decision, c.decision, r.ConfigCode)
			}
			if got := len(r.ConfigCode) == 1; got != c.listed {
				t.Fatalf("reported %+v, want listed %v", r.ConfigCode, c.listed)
			}
			if c.listed && !strings.Contains(r.ConfigCode[0].Problem, c.problem) {
				t.Errorf("problem %q lacks %q", r.ConfigCode[0].Problem, c.problem)
			}
		})
	}
}

// TestRefuseSnapshotCode: before the room, a file read the policy does not
// allow and an unreadable file are refused, each named; an allowed read,
// an ephemeral block and a provider function are left to Decide.
func TestRefuseSnapshotCode(t *testing.T) {
	pol, err := policy.Parse([]byte(policySrc+`
program_providers      = ["example.com/x/prog"]
allow_apply_file_reads = ["module.app.local.cfg"]
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	read := plan.ConfigCode{Kind: plan.CodeFileRead, Address: "terraform_data.x", File: "main.tf", Line: 3, Function: "file"}
	allowed := plan.ConfigCode{Kind: plan.CodeFileRead, Address: "module.app.local.cfg", File: "app/main.tf", Line: 2, Function: "file"}
	bad := plan.ConfigCode{Kind: plan.CodeUnreadable, Address: "module.app", File: "app/x.tf", Unreadable: "does not parse"}
	eph := plan.ConfigCode{Kind: plan.CodeEphemeral, Address: "ephemeral.prog_x.y", File: "main.tf", Line: 9, Provider: "example.com/x/prog"}
	fn := plan.ConfigCode{Kind: plan.CodeProviderFunction, Address: "terraform_data.f", File: "main.tf", Line: 5, Function: "provider::prog::run", Provider: "example.com/x/prog"}
	if err := RefuseSnapshotCode(pol, []plan.ConfigCode{allowed, eph, fn}); err != nil {
		t.Errorf("refused what Decide judges or the policy allows: %v", err)
	}
	err = RefuseSnapshotCode(pol, []plan.ConfigCode{allowed, read, eph, bad})
	var refused *SnapshotCodeRefused
	if !errors.As(err, &refused) || len(refused.Problems) != 2 {
		t.Fatalf("error %v, want a SnapshotCodeRefused with 2 problems", err)
	}
	for _, want := range []string{"terraform_data.x calls file at main.tf:3", `allow_apply_file_reads = ["terraform_data.x"]`, "app/x.tf cannot be read", "before any terraform command ran"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "module.app.local.cfg") {
		t.Errorf("the allowed read is named: %v", err)
	}
}
