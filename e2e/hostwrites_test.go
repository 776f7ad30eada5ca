package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Files the apply writes on its machine, with real plans and applies: the
// test provider examples/integrations/testdata/credproc, served under
// hashicorp/local's address (its credproc_file is local_file; its
// provider configuration reads AWS-style shared config files and runs a
// profile's credential_process), in a filesystem mirror, under the
// policy's providers and lock_file:
//   - a plan that only creates a file, and a provider configuration that
//     refers to it, is blocked under a policy that says nothing of host
//     writes (hashicorp/local is known), in every format; planguard apply
//     writes nothing;
//   - an allow_host_writes block naming the addresses and an absolute
//     directory allows it, and the apply writes the files;
//   - the same allowance never allows a relative filename (Terraform's
//     working directory, where the providers it launches are installed).

func TestHostWritesTerraform(t *testing.T) {
	hostWritesStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestHostWritesTerraformLatest(t *testing.T) {
	hostWritesStory(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestHostWritesOpenTofu(t *testing.T) {
	hostWritesStory(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

var credprocBuild struct {
	once sync.Once
	path string
	err  error
}

// credprocProvider builds the credproc test provider once.
func credprocProvider(t *testing.T) string {
	t.Helper()
	b := &credprocBuild
	b.once.Do(func() {
		b.path = filepath.Join(binDir, "terraform-provider-credproc")
		cmd := exec.Command("go", "build", "-trimpath", "-o", b.path, "./examples/integrations/testdata/credproc")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build credproc: %w\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

func hostWritesStory(t *testing.T, tf string) {
	const local = "registry.terraform.io/hashicorp/local"
	root := t.TempDir()
	mirror := filepath.Join(root, "mirror")
	testbin.Mirror(t, mirror, local, "0.1.0", credprocProvider(t))
	cli := filepath.Join(root, "cli")
	os.MkdirAll(cli, 0o755)
	cfg := filepath.Join(cli, "terraformrc")
	writeFile(t, cfg, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror))
	// The environment of a job that is not a CI runner's: the directories
	// the gate refuses are the test's own.
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "GITHUB_") && !strings.HasPrefix(k, "RUNNER_") && !strings.HasPrefix(k, "CI_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"PLANGUARD_TERRAFORM="+tf, "PLANGUARD_AUTHOR=", "NO_COLOR=1", "TF_LOG=", "TF_CLI_ARGS=", "TF_CLI_ARGS_plan=", "TF_CLI_ARGS_apply=")
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	providers := "terraform {\n  required_providers {\n    credproc = { source = \"" + local + "\" }\n  }\n}\n"

	// The reviewed lock file and the policy.
	lockDir := &world{t: t, tf: tf, dir: filepath.Join(root, "lock"), env: env}
	os.MkdirAll(lockDir.dir, 0o755)
	lockDir.write("main.tf", providers)
	lockDir.must(0, tf, "init", "-input=false", "-no-color")
	lock, err := os.ReadFile(filepath.Join(lockDir.dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	policyDir := filepath.Join(root, "policy")
	os.MkdirAll(policyDir, 0o755)
	keys := &world{t: t, keys: filepath.Join(root, "keys")}
	os.MkdirAll(keys.keys, 0o700)
	pub, _ := os.ReadFile(keys.key("alice") + ".pub")
	writeFile(t, filepath.Join(policyDir, "allowed_signers"), `alice@example.com namespaces="planguard-approval" `+string(pub))
	writeFile(t, filepath.Join(policyDir, "terraform.lock.hcl"), string(lock))
	policy := func(extra string) {
		writeFile(t, filepath.Join(policyDir, "planguard.hcl"), `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "db" {
  addresses = ["credproc_file.db"]
}
providers = ["`+local+`"]
lock_file = "terraform.lock.hcl"
`+localStatePin+extra)
	}
	pol := "--policy=" + filepath.Join(policyDir, "planguard.hcl")

	out := filepath.Join(root, "out")
	os.MkdirAll(out, 0o755)
	marker := filepath.Join(root, "credential-process-ran")
	config := func(dir string) string {
		return providers + fmt.Sprintf(`resource "credproc_file" "kube" {
  filename = %q
  content  = "[profile late]\ncredential_process = sh -c 'echo ran > %s'\n"
}
provider "credproc" {
  alias               = "late"
  shared_config_files = split(",", credproc_file.kube.id) # unknown until the file exists
  profile             = "late"
}
resource "credproc_file" "app" {
  provider = credproc.late
  filename = %q
  content  = "hello"
}
`, dir+"kubeconfig", marker, dir+"app.txt")
	}
	infra := &world{t: t, tf: tf, dir: filepath.Join(root, "infra"), env: env}
	os.MkdirAll(infra.dir, 0o755)
	infra.write("main.tf", config(out+"/"))
	infra.write(".terraform.lock.hcl", string(lock))
	infra.must(0, tf, "init", "-input=false", "-no-color", "-lockfile=readonly")
	infra.plan()

	// No word of host writes in the policy: blocked, in every format.
	policy("")
	rep := infra.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, rep, `"host_writes": [`, `"address": "credproc_file.kube"`, `"path_attribute": "filename"`, `"path": "`+out+`/kubeconfig"`, `"allowed": false`,
		`"apply_time_providers": [`, `"name": "credproc.late"`, `"credproc_file.kube"`, `"decision": "block"`)
	text := infra.pg(1, "check", pol, "tfplan")
	contains(t, text, "Files the apply writes on the machine it runs on", "create credproc_file.kube ("+local+")", "BLOCKED",
		`allow_host_writes "NAME" { addresses = ["credproc_file.kube"], paths = ["`+out+`/kubeconfig"] }`,
		"credproc.late ("+local+") refers to credproc_file.kube", "2 of 2 write(s) on the apply machine not allowed")
	for _, f := range []string{"markdown", "github", "sarif", "junit"} {
		contains(t, infra.pg(1, "check", pol, "--format="+f, "tfplan"), "credproc_file.kube")
	}
	code, o := infra.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code != 1 || exists(out+"/kubeconfig") || exists(out+"/app.txt") || exists(marker) {
		t.Fatalf("apply of a plan with unallowed host writes (exit %d): kubeconfig %v, app.txt %v, credential_process ran %v:\n%s",
			code, exists(out+"/kubeconfig"), exists(out+"/app.txt"), exists(marker), o)
	}

	// Allowed by address and absolute path: the writes are allowed, but the
	// provider configured during the apply from the file the apply writes
	// (profile, shared_config_files computed from it) is still blocked by
	// the provider-file rule (no provider_exec can allow an unreadable
	// value): nothing is applied, the credential_process never runs.
	allow := fmt.Sprintf("allow_host_writes \"out\" {\n  addresses = [\"credproc_file.kube\", \"credproc_file.app\"]\n  paths     = [%q]\n}\n", out+"/*")
	policy(allow)
	rep = infra.pg(1, "check", pol, "--format=json", "tfplan")
	contains(t, rep, `"allowed_by": [`, `"setting": "shared_config_files"`, `"setting": "profile"`, `"decision": "block"`)
	code, o = infra.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code != 1 || exists(out+"/kubeconfig") || exists(out+"/app.txt") || exists(marker) {
		t.Fatalf("apply with host writes allowed but a provider configured from them (exit %d): kubeconfig %v, app.txt %v, credential_process ran %v:\n%s",
			code, exists(out+"/kubeconfig"), exists(out+"/app.txt"), exists(marker), o)
	}

	// A relative filename is never allowed, whatever the allowance.
	rel := &world{t: t, tf: tf, dir: filepath.Join(root, "rel"), env: env}
	os.MkdirAll(rel.dir, 0o755)
	rel.write("main.tf", config(""))
	rel.write(".terraform.lock.hcl", string(lock))
	rel.must(0, tf, "init", "-input=false", "-no-color", "-lockfile=readonly")
	rel.plan()
	policy(strings.Replace(allow, `"credproc_file.kube", "credproc_file.app"`, `"credproc_file.*"`, 1))
	os.Remove(marker)
	text = rel.pg(1, "check", pol, "tfplan")
	contains(t, text, "a relative path is written in Terraform's working directory", "no policy can allow it")
	code, o = rel.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	if code != 1 || exists(filepath.Join(rel.dir, "kubeconfig")) || exists(marker) {
		t.Fatalf("apply of a plan writing relative paths (exit %d):\n%s", code, o)
	}
}
