package check

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/lockfile"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/planfile/planfiletest"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// statePolicy is the quickstart policy with a state block.
func statePolicy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(qsPolicy)
	if err != nil {
		t.Fatal(err)
	}
	signers, err := os.ReadFile(filepath.Join(filepath.Dir(qsPolicy), "allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "planguard.hcl")
	if err := os.WriteFile(p, append(src, "\nstate {\n  backend = \"s3\"\n  config  = { bucket = \"acme-tf\", key = \"prod.tfstate\" }\n}\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), signers, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlanJSONUnderStatePin: plan JSON records no backend, so under a
// state block it is an error, unless the front door pinned the state itself.
func TestPlanJSONUnderStatePin(t *testing.T) {
	pol, trust, err := LoadPolicy(statePolicy(t), "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := &Checker{}
	_, err = c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: qsPlan}})
	if !errors.Is(err, ErrPlanJSONUnderStatePin) {
		t.Fatalf("plan JSON under a state block: %v", err)
	}
	if _, err := c.Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Plan: PlanSource{Path: qsPlan}, StatePinnedElsewhere: true}); err != nil {
		t.Fatalf("state pinned elsewhere: %v", err)
	}
}

// TestCheckState: the saved plan's backend, settings and workspace against the pin.
func TestCheckState(t *testing.T) {
	pol, _, err := LoadPolicy(statePolicy(t), "")
	if err != nil {
		t.Fatal(err)
	}
	ok := planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"prod.tfstate","profile":null}`, Workspace: "default"}
	for _, tt := range []struct {
		name string
		b    planfile.Backend
		want string
	}{
		{"pinned", ok, ""},
		{"other key", planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"other.tfstate"}`, Workspace: "default"}, `config.key is "other.tfstate"`},
		{"extra setting", planfile.Backend{Type: "s3", Config: `{"bucket":"acme-tf","key":"prod.tfstate","profile":"x"}`, Workspace: "default"}, "config.profile"},
		{"workspace", planfile.Backend{Type: "s3", Config: ok.Config, Workspace: "evil"}, `workspace is "evil"`},
		{"local", planfile.Backend{Type: "local", Config: `{"path":"x"}`, Workspace: "default"}, `backend is "local"`},
		{"state store", planfile.Backend{StateStore: true, Type: "s3", Config: ok.Config, Workspace: "default"}, "state_store"},
	} {
		err := checkState(pol, &planfile.File{Backend: tt.b}, false)
		var m *policy.StateMismatch
		if (err == nil) != (tt.want == "") || (err != nil && (!errors.As(err, &m) || !strings.Contains(err.Error(), tt.want))) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if err := checkState(pol, &planfile.File{Backend: tt.b}, true); err != nil {
			t.Errorf("%s, pinned elsewhere: %v", tt.name, err)
		}
	}
}

// TestLockCheckCoversProvidersThePlanUses: under lock_file, every provider
// the plan uses (other than the built-in one) must be locked in the saved
// plan's lock file, not only the providers that lock file happens to list.
// The stand-in terraform shows a plan that uses an aws provider the saved
// plan's lock file does not lock (as a provider Terraform was told to run
// without a lock entry would be).
func TestLockCheckCoversProvidersThePlanUses(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(qsPolicy)
	if err != nil {
		t.Fatal(err)
	}
	signers, err := os.ReadFile(filepath.Join(filepath.Dir(qsPolicy), "allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite := func(p string, b []byte, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(filepath.Join(dir, "allowed_signers"), signers, 0o600)
	mustWrite(filepath.Join(dir, "trusted.lock.hcl"), []byte(planfiletest.LockFile), 0o600)
	mustWrite(filepath.Join(dir, "planguard.hcl"), append(src, "\nlock_file = \"trusted.lock.hcl\"\n"...), 0o600)
	mustWrite(filepath.Join(dir, "plan.tfplan"), planfiletest.Archive(t,
		planfiletest.Entry{Name: "tfplan", Data: planfiletest.Record(planfiletest.LocalBackend(t, "terraform.tfstate", "default"), 0)},
		planfiletest.Entry{Name: "tfstate", Data: []byte(`{"version":4}`)},
		planfiletest.Entry{Name: "tfstate-prev", Data: []byte(`{"version":4}`)},
		planfiletest.Entry{Name: "tfconfig/m-/main.tf", Data: []byte(`resource "terraform_data" "x" {}`)},
		planfiletest.Entry{Name: "tfconfig/modules.json", Data: []byte(`[{"Key":"","Source":"","Dir":"."}]`)},
		planfiletest.Entry{Name: ".terraform.lock.hcl", Data: []byte(planfiletest.LockFile)},
	), 0o600)
	js, err := os.ReadFile(qsPlan)
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	if err := json.Unmarshal(js, &plan); err != nil {
		t.Fatal(err)
	}
	cfg := plan["configuration"].(map[string]any)
	pc := cfg["provider_config"].(map[string]any)
	for name, full := range map[string]string{"aws": "registry.terraform.io/hashicorp/aws", "planguard": "registry.terraform.io/planguard/planguard"} {
		pc[name] = map[string]any{"name": name, "full_name": full}
	}
	js, _ = json.Marshal(plan)
	mustWrite(filepath.Join(dir, "plan.json"), js, 0o600)
	tf := filepath.Join(dir, "terraform")
	mustWrite(tf, []byte("#!/bin/sh\ncase \"$1\" in\nshow) cat "+filepath.Join(dir, "plan.json")+" ;;\n*) exit 0 ;;\nesac\n"), 0o755)

	pol, trust, err := LoadPolicy(filepath.Join(dir, "planguard.hcl"), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&Checker{}).Check(context.Background(), Request{Policy: pol, Trust: trust, Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Plan: PlanSource{Path: filepath.Join(dir, "plan.tfplan"), TerraformBin: tf, Dir: dir, Env: []string{"PATH=/usr/bin:/bin", "HOME=" + dir}}})
	var untrusted *lockfile.Untrusted
	if !errors.As(err, &untrusted) || !strings.Contains(err.Error(), "registry.terraform.io/hashicorp/aws is used by the plan but not locked") {
		t.Fatalf("a provider the plan uses but its lock file does not lock: %v", err)
	}
	if strings.Contains(err.Error(), "builtin") {
		t.Errorf("the built-in provider is never locked: %v", err)
	}
}

// Review ci21 (F1): a state block pinning GitLab-managed Terraform state
// (an http backend under /api/v4/projects/…/terraform/state/) is warned
// about in every report: the job token of any pipeline a maintainer starts
// can write that state around the gate.
func TestGitLabManagedStateWarning(t *testing.T) {
	src, err := os.ReadFile(qsPolicy)
	if err != nil {
		t.Fatal(err)
	}
	signers, err := os.ReadFile(filepath.Join(filepath.Dir(qsPolicy), "allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, state string
		want        bool
	}{
		{"GitLab-managed", `state {
  backend = "http"
  config  = { address = "https://gitlab.example.com/api/v4/projects/42/terraform/state/production" }
}`, true},
		{"GitLab-managed, project by path", `state {
  backend = "http"
  config  = { address = "https://gitlab.example.com/api/v4/projects/group%2Finfra/terraform/state/production", lock_address = "https://gitlab.example.com/api/v4/projects/group%2Finfra/terraform/state/production/lock" }
}`, true},
		{"another http state", `state {
  backend = "http"
  config  = { address = "https://state.example.com/terraform/state/production" }
}`, false},
		{"s3", `state {
  backend = "s3"
  config  = { bucket = "api/v4/projects/1/terraform/state/x", key = "prod.tfstate", region = "eu-west-1" }
}`, false},
		{"no state block", ``, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "allowed_signers"), signers, 0o600)
			p := filepath.Join(dir, "planguard.hcl")
			os.WriteFile(p, append(append([]byte{}, src...), "\n"+c.state+"\n"...), 0o600)
			pol, trust, err := LoadPolicy(p, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := gitLabManagedState(pol); got != c.want {
				t.Errorf("gitLabManagedState = %v, want %v", got, c.want)
			}
			// In the report: a plan JSON checked with the state judged
			// elsewhere (serve), so that no saved plan is needed here.
			res, err := (&Checker{}).Check(context.Background(), Request{Policy: pol, Trust: trust, Now: time.Now(), StatePinnedElsewhere: true, Plan: PlanSource{Path: qsPlan}})
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range res.Report.Warnings {
				warned = warned || w == GitLabStateWarning
			}
			if warned != c.want {
				t.Errorf("report warns about GitLab-managed state: %v, want %v (%q)", warned, c.want, res.Report.Warnings)
			}
		})
	}
}

// TestLockedProvidersJudgedBeforeShow (review ci21b, G1): the providers the
// saved plan's own lock file names are judged against the policy's
// providers list before anything runs. Without lock_file the room (apply)
// or the plan's directory (check) would otherwise start them in the show,
// with the job's credentials, before the report blocked them. The stand-in
// terraform records every run.
func TestLockedProvidersJudgedBeforeShow(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(qsPolicy)
	if err != nil {
		t.Fatal(err)
	}
	signers, err := os.ReadFile(filepath.Join(filepath.Dir(qsPolicy), "allowed_signers"))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite := func(p string, b []byte, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(filepath.Join(dir, "allowed_signers"), signers, 0o600)
	mustWrite(filepath.Join(dir, "plan.tfplan"), planfiletest.Archive(t,
		planfiletest.Entry{Name: "tfplan", Data: planfiletest.Record(planfiletest.LocalBackend(t, "terraform.tfstate", "default"), 0)},
		planfiletest.Entry{Name: "tfstate", Data: []byte(`{"version":4}`)},
		planfiletest.Entry{Name: "tfstate-prev", Data: []byte(`{"version":4}`)},
		planfiletest.Entry{Name: "tfconfig/m-/main.tf", Data: []byte(`resource "terraform_data" "x" {}`)},
		planfiletest.Entry{Name: "tfconfig/modules.json", Data: []byte(`[{"Key":"","Source":"","Dir":"."}]`)},
		planfiletest.Entry{Name: ".terraform.lock.hcl", Data: []byte(planfiletest.LockFile)},
	), 0o600)
	ran := filepath.Join(dir, "TERRAFORM-RAN")
	tf := filepath.Join(dir, "terraform")
	planJSON, err := filepath.Abs(qsPlan)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(tf, []byte("#!/bin/sh\necho \"$@\" >> "+ran+"\ncase \"$1\" in\nshow) cat "+planJSON+" ;;\n*) exit 0 ;;\nesac\n"), 0o755)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, providers string
		apply, refused  bool
	}{
		{"check, not listed", `["terraform.io/builtin/terraform", "registry.terraform.io/hashicorp/aws"]`, false, true},
		{"apply, not listed", `["terraform.io/builtin/terraform", "registry.terraform.io/hashicorp/aws"]`, true, true},
		{"check, listed", `["terraform.io/builtin/terraform", "registry.terraform.io/planguard/*"]`, false, false},
	} {
		os.Remove(ran)
		mustWrite(filepath.Join(dir, "planguard.hcl"), append(append([]byte{}, src...), "\nproviders = "+tt.providers+"\n"...), 0o600)
		pol, trust, err := LoadPolicy(filepath.Join(dir, "planguard.hcl"), "")
		if err != nil {
			t.Fatal(err)
		}
		res, err := (&Checker{}).Check(context.Background(), Request{Policy: pol, Trust: trust, Now: now, Apply: tt.apply,
			Plan: PlanSource{Path: filepath.Join(dir, "plan.tfplan"), TerraformBin: tf, Dir: dir, Env: []string{"PATH=/usr/bin:/bin", "HOME=" + dir}}})
		if res != nil && res.Room != nil {
			res.Room.Cleanup()
		}
		b, _ := os.ReadFile(ran)
		if !tt.refused {
			if len(b) == 0 {
				t.Errorf("%s: terraform did not run (the stand-in records nothing; the test would prove nothing): %v", tt.name, err)
			}
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var na *ProviderNotAllowed
		if !errors.As(err, &na) || !strings.Contains(err.Error(), "registry.terraform.io/planguard/planguard") || !strings.Contains(err.Error(), "refused before any provider or terraform command ran") {
			t.Errorf("%s: %v, want the provider refused by name", tt.name, err)
		}
		if len(b) != 0 {
			t.Errorf("%s: terraform ran before the providers list was judged:\n%s", tt.name, b)
		}
	}
}

// TestCheckLockedProviders: the lock file's providers (short or mixed-case
// labels normalized as Terraform does) and a state store's provider.
func TestCheckLockedProviders(t *testing.T) {
	pol, err := policy.Parse([]byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"as\"\n}\nprotect \"db\" {\n  types = [\"x\"]\n}\nproviders = [\"registry.terraform.io/hashicorp/*\", \"terraform.io/builtin/terraform\"]\n"), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		locks lockfile.Locks
		store *planfile.StoreProvider
		want  string
	}{
		{"none", nil, nil, ""},
		{"allowed", lockfile.Locks{"registry.terraform.io/hashicorp/aws": {}}, nil, ""},
		{"mixed case", lockfile.Locks{"registry.terraform.io/HashiCorp/aws": {}}, nil, ""},
		{"other", lockfile.Locks{"registry.terraform.io/hashicorp/aws": {}, "registry.terraform.io/attacker/evil": {}, "example.com/a/b": {}}, nil, "example.com/a/b, registry.terraform.io/attacker/evil"},
		{"state store", nil, &planfile.StoreProvider{Source: "registry.terraform.io/attacker/store"}, "registry.terraform.io/attacker/store"},
		{"state store allowed", nil, &planfile.StoreProvider{Source: "registry.terraform.io/hashicorp/aws"}, ""},
	} {
		err := checkLockedProviders(pol, &planfile.File{Locks: tt.locks, Backend: planfile.Backend{Provider: tt.store}})
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), ": "+tt.want+"; refused")) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	open, err := policy.Parse([]byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"as\"\n}\nprotect \"db\" {\n  types = [\"x\"]\n}\n"), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkLockedProviders(open, &planfile.File{Locks: lockfile.Locks{"registry.terraform.io/attacker/evil": {}}}); err != nil {
		t.Errorf("a policy without a providers list: %v", err)
	}
}
