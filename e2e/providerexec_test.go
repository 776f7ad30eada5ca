package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Code a plan runs through providers, with real plans and applies and the
// test provider, whose configuration's exec block runs its command when
// the provider is configured (as the kubernetes and helm providers run a
// credential plugin) and whose planguardtest_program data source runs its
// program when read (as hashicorp/external does):
//   - (a) a provider exec block blocks until a provider_exec block allows
//     exactly its command line; a command from a variable (in a module's
//     provider configuration) can never be allowed; planguard apply of a
//     blocked plan runs nothing; an allowed command runs at apply; a
//     changed argument blocks again;
//   - (b) a data source of a program-running provider whose read is
//     deferred to the apply (its query names an object the plan creates)
//     blocks until allow_apply_reads lists it; the blocked apply runs no
//     program.

func TestProviderCodeTerraform(t *testing.T) {
	providerCodeStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestProviderCodeTerraformLatest(t *testing.T) {
	providerCodeStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestProviderCodeOpenTofu(t *testing.T) {
	providerCodeStory(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func providerCodeStory(t *testing.T, tf string) {
	root := t.TempDir()
	mirror := filepath.Join(root, "mirror")
	testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", testObjProvider(t))
	cfg := filepath.Join(root, "terraformrc")
	writeFile(t, cfg, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR=", "NO_COLOR=1", "TF_LOG=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=")
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	policyDir := filepath.Join(root, "policy")
	os.MkdirAll(policyDir, 0o755)
	keys := &world{t: t, keys: filepath.Join(root, "keys")}
	os.MkdirAll(keys.keys, 0o700)
	pub, _ := os.ReadFile(keys.key("alice") + ".pub")
	writeFile(t, filepath.Join(policyDir, "allowed_signers"), `alice@example.com namespaces="planguard-approval" `+string(pub))
	policy := func(extra string) {
		writeFile(t, filepath.Join(policyDir, "planguard.hcl"), `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  addresses = ["planguardtest_object.db"]
}
program_providers = ["`+testbin.TestObjSource+`"]
`+applyPins+extra)
	}
	pol := "--policy=" + filepath.Join(policyDir, "planguard.hcl")
	newDir := func(name string) *world {
		w := &world{t: t, tf: tf, dir: filepath.Join(root, name), env: env}
		os.MkdirAll(w.dir, 0o755)
		return w
	}

	// --- (a) The provider's exec block. ---
	marker := filepath.Join(root, "exec-ran")
	ns := filepath.Join(root, "objects", "ns")
	providerBlock := func(script string) string {
		return fmt.Sprintf(`provider "planguardtest" {
  host = "https://cluster.example"
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "sh"
    args        = ["-c", %q]
  }
}
`, script)
	}
	script := "echo ran >> " + marker
	infra := newDir("infra")
	os.MkdirAll(filepath.Join(infra.dir, "modules", "m"), 0o755)
	writeFile(t, filepath.Join(infra.dir, "modules", "m", "main.tf"), idsProviders+`variable "cmd" {
  type    = string
  default = "true"
}
provider "planguardtest" {
  exec {
    command = var.cmd
  }
}
`+objBlock("m", filepath.Join(root, "objects", "m")))
	infra.write("main.tf", idsProviders+providerBlock(script)+objBlock("ns", ns)+"module \"m\" {\n  source = \"./modules/m\"\n}\n")
	infra.must(0, tf, "init", "-input=false", "-no-color")
	policy("")
	infra.plan()
	out := infra.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"provider_commands": [`, `"name": "planguardtest"`, `"setting": "exec"`, `"command": "sh"`, `"constant": true`,
		`"name": "module.m:planguardtest"`, `"constant": false`, `"command: computed from var.cmd"`, `"decision": "block"`)
	out = infra.pg(1, "check", pol, "tfplan")
	contains(t, out, "planguardtest (example.com/planguard/testobj) exec: sh -c", "add a provider_exec block to the policy with provider = \"example.com/planguard/testobj\", command = \"sh\", args = [\"-c\", ",
		"module.m:planguardtest", "no policy can allow it")
	os.Remove(marker) // the plan ran it, with the plan job's credentials
	code, out := infra.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code == 0 || exists(marker) || exists(ns) {
		t.Fatalf("apply of a plan whose provider runs an unallowed command (exit %d): command ran %v, object created %v:\n%s", code, exists(marker), exists(ns), out)
	}

	// Allowed exactly: the module (a command from a variable) is gone.
	infra.write("main.tf", idsProviders+providerBlock(script)+objBlock("ns", ns))
	policy(fmt.Sprintf(`provider_exec {
  provider = %q
  command  = "sh"
  args     = ["-c", %q]
}
`, testbin.TestObjSource, script))
	infra.plan()
	out = infra.pg(0, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"setting": "exec"`, `"allowed": true`, `"decision": "allow"`)
	os.Remove(marker)
	infra.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	if !exists(marker) || !exists(ns) {
		t.Fatalf("the allowed apply: command ran %v, object created %v", exists(marker), exists(ns))
	}

	// One argument changed: blocked again.
	infra.write("main.tf", idsProviders+providerBlock(script+"; echo more >> "+marker)+objBlock("ns", ns))
	infra.plan()
	out = infra.pg(1, "check", pol, "tfplan")
	contains(t, out, "no provider_exec block of the policy allows it")

	// A dynamic exec block: the plan JSON shows no exec at all (Terraform
	// writes a provider's expressions from the raw configuration), but the
	// saved plan's snapshot does; it can never be allowed.
	infra.write("main.tf", idsProviders+`provider "planguardtest" {
  dynamic "exec" {
    for_each = ["x"]
    content {
      command = "sh"
      args    = ["-c", "echo dynamic >> `+marker+`"]
    }
  }
}
`+objBlock("ns2", ns+"2"))
	infra.plan()
	os.Remove(marker)
	out = infra.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"setting": "dynamic \"exec\""`, `"constant": false`, `"decision": "block"`)
	code, out = infra.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code == 0 || exists(marker) || exists(ns+"2") {
		t.Fatalf("apply of a plan whose provider has a dynamic exec block (exit %d): command ran %v:\n%s", code, exists(marker), out)
	}

	// --- (b) A data source read during the apply. ---
	pmarker := filepath.Join(root, "program-ran")
	obj := filepath.Join(root, "objects", "a")
	reads := newDir("reads")
	reads.write("main.tf", idsProviders+objBlock("a", obj)+fmt.Sprintf(`data "planguardtest_program" "later" {
  program = ["sh", "-c", %q]
  query   = { id = planguardtest_object.a.id }
}
`, "echo ran >> "+pmarker+"; echo ok"))
	reads.must(0, tf, "init", "-input=false", "-no-color")
	policy("")
	reads.plan()
	if exists(pmarker) {
		t.Fatal("the data source was read at plan: its read is not deferred to the apply")
	}
	out = reads.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, out, `"apply_reads": [`, `"address": "data.planguardtest_program.later"`, `"action_reason": "read_because_config_unknown"`, `"allowed": false`)
	out = reads.pg(1, "check", pol, "tfplan")
	contains(t, out, `allow_apply_reads = ["data.planguardtest_program.later"]`)
	code, out = reads.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code == 0 || exists(pmarker) || exists(obj) {
		t.Fatalf("apply of a plan that reads a program data source at apply (exit %d): program ran %v:\n%s", code, exists(pmarker), out)
	}
	policy(`allow_apply_reads = ["data.planguardtest_program.later"]` + "\n")
	out = reads.pg(0, "check", pol, "tfplan")
	if !strings.Contains(out, "data.planguardtest_program.later") {
		t.Fatalf("the allowed read is not reported:\n%s", out)
	}
	reads.pg(0, "apply", pol, "tfplan", "--", "-no-color")
	if !exists(pmarker) {
		t.Fatal("the allowed apply did not read the data source")
	}
}
