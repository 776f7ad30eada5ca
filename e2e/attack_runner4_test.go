package e2e

// Attacker review r-runner4 of `planguard runner` (issue 17 part 1): the
// attacker is the agent, another Unix user than the runner, with no
// credentials. These tests use the two real users and the real runner of
// attack_runner2_test.go (newR2Lab) and real Terraform, and FAIL where the
// attack works today.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestAttackRunner4SharedPluginCache: the operator's --cli-config is "the
// provider installation the operator trusts", and the runner guide
// suggests a plugin cache in it (plans take hundreds of MB of providers
// each without one). The runner never looks at the directories that
// configuration names. A plugin cache (or a filesystem mirror) the agent
// can write — a shared /tmp or /var/cache directory, a group both use — is
// provider installation the agent controls: it puts its own build of an
// allowed provider (the test provider, at the version the mirror offers)
// in the cache, uploads a .terraform.lock.hcl holding that build's hash,
// and `terraform init` links the cached build (the lock file's hash
// matches, so Terraform trusts it over the mirror). `terraform plan` then
// starts it with the runner's environment: the env file's credential
// lands in the agent's hands before the gate has seen anything. The
// policy has no lock_file, which the runner accepts (the gate only warns
// that the uploaded lock file chooses "among those the runner's
// --cli-config installs").
//
// Expected: serve refuses (or plan refuses before init) a CLI
// configuration whose plugin cache or filesystem mirror directories
// someone other than the runner (or root) can write, as it refuses such a
// socket directory; the planted build never runs.
func TestAttackRunner4SharedPluginCache(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	l := newR2Lab(t, r2Options{tf: tf, testProvider: true})

	// The operator adds a shared plugin cache to the runner's CLI
	// configuration (Terraform reads it on every run; serve checked only
	// that the file exists).
	cache := filepath.Join(l.root, "plugin-cache")
	mkdirOwned(t, cache, 0o777|os.ModeSticky, 0, 0) // like /tmp
	mirror := filepath.Join(l.root, "mirror")
	put(t, filepath.Join(l.rdir, "cli.tfrc"), fmt.Sprintf("plugin_cache_dir = %q\nprovider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", cache, mirror), 0o600, &l.run)

	// The agent's build of the allowed provider: it writes the
	// environment it was started with where the agent can read it.
	took := filepath.Join(l.loot, "provider-env")
	evil := filepath.Join(t.TempDir(), "evil")
	put(t, evil, "#!/bin/sh\nenv > "+took+"\nexit 1\n", 0o755, nil)
	evilMirror := filepath.Join(t.TempDir(), "evil-mirror")
	testbin.Mirror(t, evilMirror, testbin.TestObjSource, "0.1.0", evil)
	// Planted in the cache as the agent (the cache is writable by all).
	planted := testbin.Mirror(t, cache, testbin.TestObjSource, "0.1.0", evil)
	for p := planted; p != cache; p = filepath.Dir(p) {
		if err := os.Chown(p, l.agent.uid, l.agent.gid); err != nil {
			t.Fatal(err)
		}
	}
	chownTree(t, planted, l.agent)
	// The lock file the agent uploads names its build's hash.
	lockDir := t.TempDir()
	put(t, filepath.Join(lockDir, "main.tf"), l.testProviderBlock, 0o644, nil)
	lock := testbin.LockFrom(t, tf, lockDir, evilMirror, testbin.TestObjSource, []string{"PATH=/usr/bin:/bin", "HOME=" + lockDir, "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null"})

	dir := l.config("cache", map[string]string{
		"main.tf":             l.backend + l.testProviderBlock + fmt.Sprintf("resource \"planguardtest_object\" \"a\" {\n  path    = %q\n  content = \"hello\"\n}\n", filepath.Join(l.loot, "obj")),
		".terraform.lock.hcl": string(lock),
	})
	code, out := l.client(nil, "plan", dir)
	if b, err := os.ReadFile(took); err == nil {
		t.Fatalf("the agent's provider build, planted in the runner's plugin cache, ran in the runner at plan time (exit %d); it wrote the runner's environment (%d bytes, credential included: %v)\nreply:\n%s",
			code, len(b), bytes.Contains(b, []byte(r2Secret)), out)
	}
	if code != 2 {
		t.Fatalf("exit %d, want 2 (a CLI configuration with a cache others can write refused)\n%s", code, out)
	}
	if !strings.Contains(out, cache) {
		t.Errorf("the refusal does not name the cache directory %s:\n%s", cache, out)
	}
}
