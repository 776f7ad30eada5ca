package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestInitWritesAPolicyCheckAccepts: init's files load, check judges a
// real plan with them (and counts an approval signed by the key it lists),
// and init never overwrites.
func TestInitWritesAPolicyCheckAccepts(t *testing.T) {
	keys := t.TempDir()
	alice := sshKeygen(t, keys, "alice")
	dir := filepath.Join(t.TempDir(), "policy")
	code, out, errs := runCLI(t, "", nil, "init", "--scope", "prod", "--signer", "alice@example.com="+alice+".pub",
		"--protect", "terraform_data.prod_db", "--protect", "aws_db_*", "--provider", "registry.terraform.io/hashicorp/aws", dir)
	if code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	polPath := filepath.Join(dir, "planguard.hcl")
	for _, want := range []string{"Wrote " + polPath, "cannot write them", "planguard check --policy "} {
		if !strings.Contains(out, want) {
			t.Errorf("init output lacks %q:\n%s", want, out)
		}
	}
	pol, err := policy.Load(polPath)
	if err != nil {
		t.Fatalf("policy.Load: %v\n%s", err, readFile(t, polPath))
	}
	if pol.Scope != "prod" || len(pol.Rules) != 2 || !pol.Protects("terraform_data.prod_db", "terraform_data") || !pol.Protects("aws_db_instance.x", "aws_db_instance") ||
		pol.Protects("terraform_data.cache", "terraform_data") || pol.Rules[0].MaxTTL == 0 || !pol.Rules[0].RequireIdentity {
		t.Fatalf("policy: %+v %+v", pol, pol.Rules[0])
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "allowed_signers")), `alice@example.com namespaces="planguard-approval" ssh-ed25519 `) {
		t.Errorf("allowed_signers:\n%s", readFile(t, filepath.Join(dir, "allowed_signers")))
	}
	// A state block: planguard apply refuses a policy without one. It pins
	// the local backend with no settings, so plan JSON (which records no
	// backend) is refused under it.
	if pol.State == nil || pol.State.Backend != "local" || len(pol.State.Config) != 0 || pol.State.Workspace != "default" {
		t.Fatalf("state: %+v", pol.State)
	}
	// A providers list (planguard apply refuses a policy with neither it
	// nor lock_file): the built-in provider, planguard's, and --provider.
	for src, want := range map[string]bool{
		"terraform.io/builtin/terraform":            true,
		"registry.terraform.io/planguard/planguard": true,
		"registry.opentofu.org/planguard/planguard": true,
		"registry.terraform.io/hashicorp/aws":       true,
		"registry.terraform.io/hashicorp/external":  false,
		"registry.terraform.io/evil/planguard":      false,
	} {
		if pol.AllowsProvider(src) != want {
			t.Errorf("init's providers list %q: allows %s = %v, want %v", pol.Providers, src, !want, want)
		}
	}
	if code, _, errs := runCLI(t, "", nil, "check", "--policy", polPath, qsPlan); code != exitError || !strings.Contains(errs, "the plan given is JSON") {
		t.Fatalf("check of plan JSON under init's state block: exit %d %s", code, errs)
	}
	// check runs with them (the state block taken out, for the plan JSON):
	// the quickstart plan deletes prod_db, blocked.
	src := readFile(t, polPath)
	unpinned := strings.Replace(src, "state {\n  backend = \"local\"\n}\n", "", 1)
	if unpinned == src {
		t.Fatalf("no state block to take out:\n%s", src)
	}
	polPath = filepath.Join(dir, "json.hcl")
	os.WriteFile(polPath, []byte(unpinned), 0o600)
	now := "2026-11-25T12:00:00Z"
	code, out, errs = runCLI(t, "", nil, "check", "--policy", polPath, "--now", now, qsPlan)
	if code != exitBlock || !strings.Contains(out, "BLOCKED: 1 of 1") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	// alice's approval (checked by approve against these files) allows it.
	approvals := filepath.Join(t.TempDir(), "approvals.json")
	if code, _, errs := runCLI(t, "", nil, "approve", "--policy", polPath, "--plan", qsPlan, "--target", "terraform_data.prod_db",
		"--reason", "r", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", approvals+".tf"); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	if code, vout, errs := runCLI(t, "", nil, "verify", "--policy", polPath, "--now", now, approvals+".tf"); code != 0 {
		t.Fatalf("verify: %d %s %s", code, vout, errs)
	}
	// Never overwritten; refused before anything is written.
	polPath = filepath.Join(dir, "planguard.hcl")
	before := readFile(t, polPath)
	if code, _, errs := runCLI(t, "", nil, "init", "--signer", "alice@example.com="+alice+".pub", dir); code != exitError || !strings.Contains(errs, "exists") {
		t.Fatalf("init over existing files: %d %s", code, errs)
	}
	if readFile(t, polPath) != before {
		t.Fatal("init changed an existing policy")
	}
	// Refused: no signer, a private key as signer, a bad glob, a bad scope.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{t.TempDir()}, "at least one --signer"},
		{[]string{"--signer", "alice@example.com=" + alice, t.TempDir()}, "not an OpenSSH public key"},
		{[]string{"--signer", "alice@example.com", t.TempDir()}, "PRINCIPAL=PUBKEYFILE"},
		{[]string{"--signer", "a=" + alice + ".pub", "--protect", "module.[", t.TempDir()}, "--protect"},
		{[]string{"--signer", "a=" + alice + ".pub", "--scope", "pr od", t.TempDir()}, "--scope"},
		{[]string{"--signer", "a=" + alice + ".pub", "--provider", "hashicorp/aws", t.TempDir()}, "not a provider source address"},
		{[]string{"--signer", "a=" + alice + ".pub", "--provider", "registry.terraform.io/HashiCorp/aws", t.TempDir()}, "lower case"},
	} {
		d := c.args[len(c.args)-1]
		if code, _, errs := runCLI(t, "", nil, append([]string{"init"}, c.args...)...); code != exitError || !strings.Contains(errs, c.want) {
			t.Errorf("init %v: exit %d %s, want %q", c.args, code, errs, c.want)
		}
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("init %v wrote files", c.args)
		}
	}
	// Without --protect every resource is protected, with 2 approvals for 2 signers.
	bob := sshKeygen(t, keys, "bob")
	all := t.TempDir()
	if code, _, errs := runCLI(t, "", nil, "init", "--signer", "alice@example.com="+alice+".pub", "--signer", "bob@example.com="+bob+".pub", all); code != 0 {
		t.Fatal(errs)
	}
	pol, err = policy.Load(filepath.Join(all, "planguard.hcl"))
	if err != nil || !pol.Protects("module.x.aws_s3_bucket.y", "aws_s3_bucket") || pol.Rules[0].Approvals != 2 {
		t.Fatalf("default policy: %v %+v", err, pol)
	}
}
