package e2e

// Attacker review r-runner3 of `planguard runner` (issue 17): the agent,
// another Unix user than the runner, uploads a configuration. Each test
// uses the lab of attack_runner2_test.go (two real users, a real runner,
// real Terraform, the e2e test provider from the runner's mirror), asserts
// what the runner must do, and FAILS where the attack works today.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// r3ProgramsPolicy appends program_providers naming the test provider to
// the lab's policy (the runner reads its policy at every request): the
// operator has said that this provider runs programs, as hashicorp/external
// does by default, and allow_apply_reads allows none.
func r3ProgramsPolicy(t *testing.T, l *r2Lab) {
	t.Helper()
	p := filepath.Join(l.rdir, "planguard.hcl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	put(t, p, string(b)+"program_providers = [\""+testbin.TestObjSource+"\"]\n", 0o600, &l.run)
}

// 1. Before init the runner refuses each data source of a program provider
// (program_providers, always hashicorp/external) that allow_apply_reads
// does not list: its program would run at plan time with the runner's
// credentials. It does not look at the other two ways the same provider
// runs a program at plan time, which the gate itself judges in the saved
// plan's configuration snapshot (ConfigCode) — too late, after the plan
// that ran them:
//   - an ephemeral resource (Terraform 1.10+), opened during plan;
//   - a provider-defined function (provider::NAME::FUNCTION, Terraform
//     1.8+), evaluated during plan.
//
// Harm: a program the agent chose runs as the runner's user with the env
// file's apply credentials, at plan time, before the gate has judged
// anything (no approval can stop it); it writes the credential where the
// agent reads it.
func TestAttackRunner3ProgramProviderEphemeralAndFunctionAtPlan(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	r3ProgramsPolicy(t, l)
	// The control: the data source the runner does judge is refused.
	dataLoot := filepath.Join(l.loot, "data-env")
	dir := l.config("data", map[string]string{"main.tf": l.backend + l.testProviderBlock + fmt.Sprintf(`data "planguardtest_program" "x" {
  program = ["/bin/sh", "-c", %q]
}
`, "env > "+dataLoot+"; echo '{}'")})
	code, out := l.client(nil, "plan", dir)
	if code != 2 || !strings.Contains(out, "refused before init") {
		t.Fatalf("control: the data source of a program provider is not refused before init (exit %d):\n%s", code, out)
	}
	if _, err := os.Stat(dataLoot); err == nil {
		t.Fatalf("control: the data source's program ran")
	}
	for _, c := range []struct{ name, src string }{
		{"ephemeral", `ephemeral "planguardtest_program" "token" {
  program = ["/bin/sh", "-c", %q]
}
`},
		{"function", `output "o" {
  value = length(provider::planguardtest::run(["/bin/sh", "-c", %q]))
}
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			took := filepath.Join(l.loot, c.name+"-env")
			dir := l.config(c.name, map[string]string{"main.tf": l.backend + l.testProviderBlock + fmt.Sprintf(c.src, "env > "+took+"; echo ok")})
			code, out := l.client(nil, "plan", dir)
			b, err := os.ReadFile(took)
			if err == nil {
				t.Errorf("the agent's program (%s of a program provider) ran in the runner at plan time (plan exit %d), as the runner's user, with its environment; the credential is in what it wrote: %v\nreply:\n%s",
					c.name, code, bytes.Contains(b, []byte(r2Secret)), out)
			}
			if code != 2 || !strings.Contains(out, "refused before init") {
				t.Errorf("the %s of a program provider is not refused before init (exit %d):\n%s", c.name, code, out)
			}
		})
	}
}

// 2. allow_apply_reads allows a program provider's data source by its
// address alone. In CI that address names reviewed code; through the
// runner, the agent writes the configuration, so the one address the
// policy's owners allowed (a harmless version probe, say) takes whatever
// program the agent puts under it. The runner checks the address before
// init and plans: the program runs as the runner's user with the apply
// credentials, at plan time, before any person has seen the plan.
// Harm: a policy with one allowed read lets the agent run any program
// with the credentials; the runner should judge the program itself
// (exactly, as provider_exec does for provider commands), or refuse such
// reads at plan time.
func TestAttackRunner3AllowedReadAddressRunsAnyProgram(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	p := filepath.Join(l.rdir, "planguard.hcl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The team allows one read: a version probe (`git describe`, say).
	put(t, p, string(b)+"program_providers = [\""+testbin.TestObjSource+"\"]\nallow_apply_reads = [\"data.planguardtest_program.version\"]\n", 0o600, &l.run)
	took := filepath.Join(l.loot, "read-env")
	dir := l.config("read", map[string]string{"main.tf": l.backend + l.testProviderBlock + fmt.Sprintf(`data "planguardtest_program" "version" {
  program = ["/bin/sh", "-c", %q]
}
`, "env > "+took+"; echo '{}'")})
	code, out := l.client(nil, "plan", dir)
	if b, err := os.ReadFile(took); err == nil {
		t.Errorf("a program the agent wrote under the one allowed read address ran in the runner at plan time (plan exit %d), with the runner's environment; the credential is in what it wrote: %v\nreply:\n%s",
			code, bytes.Contains(b, []byte(r2Secret)), out)
	}
	if code != 2 || !strings.Contains(out, "refused before init") {
		t.Errorf("not refused before init (exit %d):\n%s", code, out)
	}
}

// 3. The runner matches provider sources as written, lower-cased
// (normalizeSource); Terraform normalizes each part of a source as a
// hostname is (IDNA mapping: a fullwidth letter is its ASCII letter), so
// `source = "example.com/planguard/ｔestobj"` (U+FF54) is the provider
// example.com/planguard/testobj to Terraform (`terraform providers` says
// so) and another provider to the runner. Under a policy whose providers
// list is a glob (`registry.terraform.io/hashicorp/*` is the natural way to
// write "HashiCorp's providers"), the spelling passes the providers check,
// is not a program provider (program_providers names the ASCII source), so
// its data sources are not judged, and init installs the real provider,
// which the glob also allows after init. The same spelling of
// hashicorp/external (always a program provider) under
// registry.terraform.io/hashicorp/* runs any program at plan time.
// Harm: the agent's program runs as the runner's user with the apply
// credentials at plan time.
func TestAttackRunner3UnicodeProviderSourceEvadesProgramProviders(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	p := filepath.Join(l.rdir, "planguard.hcl")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	pol := strings.Replace(string(b), `"`+testbin.TestObjSource+`"]`, `"example.com/planguard/*"]`, 1)
	if pol == string(b) || !strings.HasPrefix(testbin.TestObjSource, "example.com/planguard/") {
		t.Fatalf("the lab's policy or the test provider's source changed:\n%s", b)
	}
	put(t, p, pol+"program_providers = [\""+testbin.TestObjSource+"\"]\n", 0o600, &l.run)
	prog := func(loot string) string {
		return fmt.Sprintf(`data "planguardtest_program" "x" {
  program = ["/bin/sh", "-c", %q]
}
`, "env > "+loot+"; echo '{}'")
	}
	// The control: written in ASCII, the data source is refused.
	ctl := filepath.Join(l.loot, "ascii-env")
	dir := l.config("ascii", map[string]string{"main.tf": l.backend + l.testProviderBlock + prog(ctl)})
	if code, out := l.client(nil, "plan", dir); code != 2 || !strings.Contains(out, "refused before init") {
		t.Fatalf("control: the program data source is not refused before init (exit %d):\n%s", code, out)
	}
	took := filepath.Join(l.loot, "fullwidth-env")
	spoof := strings.Replace(l.testProviderBlock, testbin.TestObjSource, "example.com/planguard/\uff54"+strings.TrimPrefix(testbin.TestObjSource, "example.com/planguard/t"), 1)
	if spoof == l.testProviderBlock {
		t.Fatalf("the test provider's type does not start with t: %s", testbin.TestObjSource)
	}
	dir = l.config("fullwidth", map[string]string{"main.tf": l.backend + spoof + prog(took)})
	code, out := l.client(nil, "plan", dir)
	if b, err := os.ReadFile(took); err == nil {
		t.Errorf("with the provider source spelled with a fullwidth letter, the program data source was not judged and ran in the runner at plan time (plan exit %d), with the runner's environment; the credential is in what it wrote: %v\nreply:\n%s",
			code, bytes.Contains(b, []byte(r2Secret)), out)
	}
	if code != 2 || !strings.Contains(out, "refused before init") {
		t.Errorf("not refused before init (exit %d):\n%s", code, out)
	}
}

// 4. Terraform applies override files after the main files, whatever
// their names: an override file's required_providers entry replaces the
// main file's source for that local name. The runner's scan of local
// names (requiredLocals, moduleProviders) keeps whichever declaration it
// reads last, in file-name order; a_override.tf sorts before main.tf, so
// the runner takes main.tf's source and Terraform a_override.tf's. Here
// main.tf says the local name planguardtest is the built-in provider
// (allowed, runs no program) and a_override.tf says it is the test
// provider (allowed, but a program provider): the runner does not judge
// the data source as a program provider's, init installs the test
// provider (allowed, so the check of the lock file after init passes), and
// plan runs the data source's program.
// Harm: the agent's program runs as the runner's user with the apply
// credentials at plan time, under a policy that names the provider in
// program_providers and allows no read.
func TestAttackRunner3OverrideRequiredProvidersEvadesProgramProviders(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	r3ProgramsPolicy(t, l)
	prog := func(loot string) string {
		return fmt.Sprintf(`data "planguardtest_program" "x" {
  program = ["/bin/sh", "-c", %q]
}
`, "env > "+loot+"; echo '{}'")
	}
	// The control: without the override, the data source is refused.
	ctl := filepath.Join(l.loot, "plain-env")
	dir := l.config("plain", map[string]string{"main.tf": l.backend + l.testProviderBlock + prog(ctl)})
	if code, out := l.client(nil, "plan", dir); code != 2 || !strings.Contains(out, "refused before init") {
		t.Fatalf("control: the program data source is not refused before init (exit %d):\n%s", code, out)
	}
	took := filepath.Join(l.loot, "override-env")
	builtin := strings.Replace(l.testProviderBlock, testbin.TestObjSource, "terraform.io/builtin/terraform", 1)
	dir = l.config("override", map[string]string{
		"main.tf":       l.backend + builtin + prog(took),
		"a_override.tf": l.testProviderBlock,
	})
	code, out := l.client(nil, "plan", dir)
	if b, err := os.ReadFile(took); err == nil {
		t.Errorf("with the provider's source replaced in a_override.tf, the program data source was not judged and ran in the runner at plan time (plan exit %d), with the runner's environment; the credential is in what it wrote: %v\nreply:\n%s",
			code, bytes.Contains(b, []byte(r2Secret)), out)
	}
	if code != 2 || !strings.Contains(out, "refused before init") {
		t.Errorf("not refused before init (exit %d):\n%s", code, out)
	}
}

// 5. The same mismatch in one file, no override: a required_providers
// entry may name source twice ({ source = A, source = B }); Terraform
// keeps the last (`terraform providers` lists B), the runner's
// requiredSource the first. With A the built-in provider and B the test
// provider (a program provider), the runner judges the data source as the
// built-in provider's and plan runs its program.
func TestAttackRunner3DuplicateSourceKeyEvadesProgramProviders(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	r3ProgramsPolicy(t, l)
	took := filepath.Join(l.loot, "dup-env")
	dir := l.config("dup", map[string]string{"main.tf": l.backend + fmt.Sprintf(`terraform {
  required_providers {
    planguardtest = { source = "terraform.io/builtin/terraform", source = %q }
  }
}
data "planguardtest_program" "x" {
  program = ["/bin/sh", "-c", %q]
}
`, testbin.TestObjSource, "env > "+took+"; echo '{}'")})
	code, out := l.client(nil, "plan", dir)
	if b, err := os.ReadFile(took); err == nil {
		t.Errorf("with source written twice in required_providers, the program data source was not judged and ran in the runner at plan time (plan exit %d), with the runner's environment; the credential is in what it wrote: %v\nreply:\n%s",
			code, bytes.Contains(b, []byte(r2Secret)), out)
	}
	if code != 2 || !strings.Contains(out, "refused before init") {
		t.Errorf("not refused before init (exit %d):\n%s", code, out)
	}
}
