package e2e

// The pins that take back what the change's author writes besides
// resources (issue 16): the backend block, override files, the workspace
// (the policy's state block), and which provider builds run (lock_file,
// checked before any provider runs), with `planguard apply` working from
// the plan file alone in a room of its own. The objects are those of the
// test provider (e2e/testprovider): files outside the state, so that a
// gate judging the wrong state would really lose one.

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

func TestStatePinsTerraform(t *testing.T) {
	statePins(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestStatePinsOpenTofu(t *testing.T) {
	statePins(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestStatePinsTerraformLatest(t *testing.T) {
	statePins(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// The test provider, built twice: the trusted build, and the swapped one
// that writes swappedMarker when it starts.
var (
	objOnce                      sync.Once
	objErr                       error
	objBin, swapBin, swappedMark string
)

func testObjBins(t *testing.T) {
	t.Helper()
	objOnce.Do(func() {
		dir := binDir // built once, removed by TestMain
		objBin, swapBin, swappedMark = filepath.Join(dir, "trusted"), filepath.Join(dir, "swapped"), filepath.Join(dir, "swapped-provider-ran")
		for _, b := range [][]string{{"-o", objBin}, {"-ldflags", "-X main.marker=" + swappedMark, "-o", swapBin}} {
			cmd := exec.Command("go", append(append([]string{"build", "-trimpath"}, b...), "./e2e/testprovider")...)
			cmd.Dir = ".."
			if out, err := cmd.CombinedOutput(); err != nil {
				objErr = fmt.Errorf("go build testprovider: %v\n%s", err, out)
				return
			}
		}
	})
	if objErr != nil {
		t.Fatal(objErr)
	}
}

type pinLab struct {
	*world
	root, mirror, rc, prodState, prodObj, policy string
	alice                                        string // alice's key, in policy/allowed_signers
}

// newPinLab makes the lab of the state-pin tests in a new world: the
// directories state, objects and policy; the trusted build of the test
// provider in the job's filesystem mirror and the job's CLI configuration
// (rc) that installs from it; alice's key in policy/allowed_signers. The
// production objects, the trusted lock file and the policy are the
// caller's.
func newPinLab(t *testing.T, tf string) *pinLab {
	t.Helper()
	toolVersion(t, tf)
	testObjBins(t)
	w, root := newWorld(t, tf, "prod", "agent@example.com")
	l := &pinLab{world: w, root: root, mirror: filepath.Join(root, "mirror"), rc: filepath.Join(root, "job.tfrc"),
		prodState: filepath.Join(root, "state", "prod.tfstate"), prodObj: filepath.Join(root, "objects", "prod-db"), policy: filepath.Join(root, "policy", "planguard.hcl")}
	for _, d := range []string{"state", "objects", "policy"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	testbin.Mirror(t, l.mirror, testbin.TestObjSource, "0.1.0", objBin)
	// The job's CLI configuration: an explicit provider_installation.
	writeFile(t, l.rc, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", l.mirror))
	l.alice = w.key("alice")
	writeFile(t, filepath.Join(root, "policy", "allowed_signers"), "alice@example.com "+readFile(t, l.alice+".pub"))
	return l
}

// trustLock locks the test provider from the job's mirror (in the lab's
// directory lock) and writes that lock file as policy/trusted.lock.hcl,
// the reviewed one; it returns the lock file.
func (l *pinLab) trustLock() []byte {
	l.t.Helper()
	dir := l.dir("lock", "")
	lock := testbin.LockFrom(l.t, l.tf, dir.dir, l.mirror, testbin.TestObjSource, dir.env)
	writeFile(l.t, filepath.Join(l.root, "policy", "trusted.lock.hcl"), string(lock))
	return lock
}

const objRequired = `terraform {
  required_providers {
    planguardtest = {
      source  = "example.com/planguard/testobj"
      version = "0.1.0"
    }
  }
}
`

func localBackend(path string) string {
	return fmt.Sprintf("terraform {\n  backend \"local\" {\n    path = %q\n  }\n}\n", path)
}

func object(name, path string) string {
	return fmt.Sprintf("resource \"planguardtest_object\" %q {\n  path = %q\n}\n", name, path)
}

// dir makes a new working directory under the lab with main.tf src and
// returns a world in it (the job's environment: the lab's CLI config).
func (l *pinLab) dir(name, src string) *world {
	l.t.Helper()
	w := *l.world
	w.dir = filepath.Join(l.root, name)
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		l.t.Fatal(err)
	}
	w.env = append(append([]string(nil), l.env...), "TF_CLI_CONFIG_FILE="+l.rc)
	w.write("main.tf", objRequired+src)
	return &w
}

func (l *pinLab) exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func statePins(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root

	// Production: the database object, in the pinned state.
	prodSrc := localBackend(l.prodState) + object("db", l.prodObj)
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	if !l.exists(l.prodObj) {
		t.Fatal("the production object was not created")
	}
	// The reviewed lock file, and the policy that pins it and the state.
	lock := l.trustLock()
	// A reviewed lock file lists more hashes than one init records (other
	// platforms' packages): the plan's lock is a subset, which the apply
	// must accept (Terraform applies a plan only with its own lock file).
	trusted := strings.Replace(string(lock), "hashes = [", "hashes = [\n    \"zh:"+strings.Repeat("0", 64)+"\",", 1)
	if trusted == string(lock) {
		t.Fatalf("unexpected lock file:\n%s", lock)
	}
	writeFile(t, filepath.Join(root, "policy", "trusted.lock.hcl"), trusted)
	base := `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
protect "database" {
  addresses = ["planguardtest_object.db"]
}
`
	writeFile(t, filepath.Join(root, "policy", "unpinned.hcl"), base)
	writeFile(t, l.policy, base+fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nlock_file = \"trusted.lock.hcl\"\n", l.prodState))
	// Steps share the lab; a failure ends the test.
	step := func(name string, f func()) {
		t.Helper()
		t.Logf("--- %s", name)
		f()
	}
	pg := func(w *world, want int, args ...string) string {
		t.Helper()
		return w.pg(want, append([]string{args[0], "--policy=" + l.policy}, args[1:]...)...)
	}
	planIn := func(w *world, initArgs ...string) {
		t.Helper()
		w.must(0, tf, append([]string{"init", "-input=false", "-no-color"}, initArgs...)...)
		w.plan()
	}
	prodIntact := func(what string) {
		t.Helper()
		if !l.exists(l.prodObj) {
			t.Fatalf("%s: the production object is gone", what)
		}
	}

	step("matching backend and trusted build allowed", func() {
		w := l.dir("honest", prodSrc+object("cache", filepath.Join(root, "objects", "cache")))
		planIn(w)
		pg(w, 0, "check", "tfplan")
		if l.exists(swappedMark) {
			t.Fatal("the swapped provider ran")
		}
	})

	step("a: a state the change brings", func() {
		// The author makes a state of its own in which the production
		// object (by its path) is old_tmp, points the backend at it and
		// drops old_tmp: deleting it deletes the production object.
		fake := filepath.Join(root, "attacker", "fake.tfstate")
		mk := l.dir("attacker", localBackend(fake)+object("old_tmp", l.prodObj))
		mk.must(0, tf, "init", "-input=false", "-no-color")
		mk.must(0, tf, "import", "-input=false", "-no-color", "planguardtest_object.old_tmp", l.prodObj)
		mk.write("main.tf", objRequired+localBackend(fake))
		mk.plan()
		// The gate without the pin judges the attacker's state: allowed.
		mk.pg(0, "check", "--policy="+filepath.Join(root, "policy", "unpinned.hcl"), "tfplan")
		out := pg(mk, 2, "check", "tfplan")
		contains(t, out, "config.path", fake, l.prodState)
		out = pg(mk, 2, "apply", "tfplan")
		contains(t, out, "config.path")
		prodIntact("apply of the fake-state plan")
	})

	step("b: state moved to a fresh file, plan 1 adopts the production id", func() {
		fresh := filepath.Join(root, "fresh", "new.tfstate")
		w := l.dir("fresh", localBackend(fresh)+object("adopted", l.prodObj)+fmt.Sprintf("import {\n  to = planguardtest_object.adopted\n  id = %q\n}\n", l.prodObj))
		planIn(w)
		contains(t, pg(w, 2, "check", "tfplan"), "config.path")
	})

	step("backend_override.tf", func() {
		w := l.dir("override", prodSrc)
		w.write("backend_override.tf", localBackend(filepath.Join(root, "override.tfstate")))
		planIn(w)
		contains(t, pg(w, 2, "check", "tfplan"), "config.path", "override.tfstate")
	})

	step("-backend-config", func() {
		w := l.dir("backendconfig", prodSrc)
		planIn(w, "-backend-config=path="+filepath.Join(root, "flag.tfstate"))
		contains(t, pg(w, 2, "check", "tfplan"), "config.path", "flag.tfstate")
	})

	step("workspace_dir beyond the pin", func() {
		w := l.dir("wsdir", fmt.Sprintf("terraform {\n  backend \"local\" {\n    path          = %q\n    workspace_dir = %q\n  }\n}\n", l.prodState, filepath.Join(root, "wsdir.d"))+object("db", l.prodObj))
		planIn(w)
		contains(t, pg(w, 2, "check", "tfplan"), "config.workspace_dir")
	})

	step("another workspace", func() {
		w := l.dir("workspace", prodSrc)
		w.must(0, tf, "init", "-input=false", "-no-color")
		w.must(0, tf, "workspace", "new", "-no-color", "evil")
		w.plan()
		contains(t, pg(w, 2, "check", "tfplan"), `workspace is "evil"`)
		// TF_WORKSPACE selects it too.
		w.must(0, tf, "workspace", "select", "-no-color", "default")
		w.env = append(w.env, "TF_WORKSPACE=evil")
		w.plan()
		contains(t, pg(w, 2, "check", "tfplan"), `workspace is "evil"`)
	})

	step("provider swapped in terraform.d/plugins", func() {
		w := l.dir("swap", prodSrc+object("cache", filepath.Join(root, "objects", "cache2")))
		testbin.Mirror(t, filepath.Join(w.dir, "terraform.d", "plugins"), testbin.TestObjSource, "0.1.0", swapBin)
		// The author plans without the job's provider_installation, so the
		// implied mirror terraform.d/plugins is used and locked.
		empty := filepath.Join(w.dir, "author.tfrc")
		writeFile(t, empty, "")
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+empty)
		planIn(w)
		if !l.exists(swappedMark) {
			t.Fatal("the author's plan did not use the swapped build (the test proves nothing)")
		}
		_ = os.Remove(swappedMark)
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+l.rc) // the gate's job
		contains(t, pg(w, 2, "check", "tfplan"), "not in the trusted lock file")
		contains(t, pg(w, 2, "apply", "tfplan"), "not in the trusted lock file")
		if l.exists(swappedMark) {
			t.Fatal("the swapped provider ran in the gate")
		}
		prodIntact("apply of the swapped-provider plan")
	})

	step("provider swapped in the plugin cache", func() {
		w := l.dir("cache", prodSrc+object("cache", filepath.Join(root, "objects", "cache3")))
		cache := filepath.Join(root, "plugin-cache")
		testbin.Mirror(t, cache, testbin.TestObjSource, "0.1.0", swapBin)
		// The author's CLI configuration: the job's mirror, and a plugin
		// cache holding the swapped build, taken and locked at init.
		rc := filepath.Join(w.dir, "author.tfrc")
		writeFile(t, rc, fmt.Sprintf("plugin_cache_dir = %q\nprovider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", cache, l.mirror))
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+rc, "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE=true")
		planIn(w)
		if !l.exists(swappedMark) {
			t.Fatal("the author's plan did not use the cached swapped build (the test proves nothing)")
		}
		_ = os.Remove(swappedMark)
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+l.rc)
		contains(t, pg(w, 2, "check", "tfplan"), "not in the trusted lock file")
		if l.exists(swappedMark) {
			t.Fatal("the swapped provider ran in the gate")
		}
	})

	step("dev_overrides in the CLI configuration", func() {
		w := l.dir("devoverrides", prodSrc)
		planIn(w)
		devDir := filepath.Join(root, "dev")
		if err := os.MkdirAll(devDir, 0o755); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(swapBin)
		writeFile(t, filepath.Join(devDir, "terraform-provider-testobj"), string(b))
		if err := os.Chmod(filepath.Join(devDir, "terraform-provider-testobj"), 0o755); err != nil {
			t.Fatal(err)
		}
		dev := filepath.Join(root, "dev.tfrc")
		writeFile(t, dev, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  filesystem_mirror {\n    path = %q\n  }\n}\n", testbin.TestObjSource, devDir, l.mirror))
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+dev)
		contains(t, pg(w, 2, "check", "tfplan"), "dev_overrides")
		contains(t, pg(w, 2, "apply", "tfplan"), "dev_overrides")
		w.env = append(w.env, "TF_CLI_CONFIG_FILE="+l.rc, "TF_REATTACH_PROVIDERS={}")
		contains(t, pg(w, 2, "check", "tfplan"), "TF_REATTACH_PROVIDERS")
		if l.exists(swappedMark) {
			t.Fatal("the dev_overrides provider ran")
		}
	})

	step("apply --attestation refuses dev_overrides of a locked provider, applies from the plan alone", func() {
		newObj := filepath.Join(root, "objects", "attested")
		w := l.dir("attested", prodSrc+object("attested", newObj))
		planIn(w)
		gateKey := w.key("gate")
		writeFile(t, filepath.Join(root, "gate_signers"), "planguard-gate namespaces=\"planguard-attestation\" "+readFile(t, gateKey+".pub"))
		pg(w, 0, "check", "--attest=attest.json", "--attest-key="+gateKey, "tfplan")
		pin := "--policy-sha256=" + strings.TrimSpace(w.pg(0, "policy-hash", "--policy="+l.policy))
		apply := []string{"apply", "--attestation=" + filepath.Join(w.dir, "attest.json"), "--attestation-signers=" + filepath.Join(root, "gate_signers"), pin, "tfplan"}
		dev := filepath.Join(root, "attest-dev.tfrc")
		writeFile(t, dev, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", testbin.TestObjSource, filepath.Dir(swapBin)))
		bare := l.dir("attested-apply", "")
		_ = os.Remove(filepath.Join(bare.dir, "main.tf"))
		writeFile(t, filepath.Join(bare.dir, "tfplan"), readFile(t, filepath.Join(w.dir, "tfplan")))
		devEnv := *bare
		devEnv.env = append(append([]string(nil), bare.env...), "TF_CLI_CONFIG_FILE="+dev)
		contains(t, devEnv.pg(2, apply...), "dev_overrides replace provider")
		bare.pg(0, apply...)
		if l.exists(swappedMark) || !l.exists(newObj) || !strings.Contains(readFile(t, l.prodState), newObj) {
			t.Fatal("the attested apply did not apply the plan to the pinned state with the trusted build")
		}
	})

	step("apply from the plan file alone", func() {
		newObj := filepath.Join(root, "objects", "one")
		w := l.dir("plan1", prodSrc+object("one", newObj))
		planIn(w)
		bare := l.dir("bare", "")
		_ = os.Remove(filepath.Join(bare.dir, "main.tf"))
		b, _ := os.ReadFile(filepath.Join(w.dir, "tfplan"))
		writeFile(t, filepath.Join(bare.dir, "tfplan"), string(b))
		// The job's TF_WORKSPACE does not choose the state either: the
		// plan's recorded workspace does.
		bare.env = append(bare.env, "TF_WORKSPACE=evil")
		pg(bare, 0, "apply", "tfplan")
		if !l.exists(newObj) || !strings.Contains(readFile(t, l.prodState), newObj) {
			t.Fatal("the plan was not applied to the pinned state")
		}
		if ents, _ := os.ReadDir(bare.dir); len(ents) != 1 {
			t.Fatalf("apply wrote into the directory it ran in: %v", ents)
		}
	})

	step("apply beside hostile files uses none of them", func() {
		newObj := filepath.Join(root, "objects", "two")
		w := l.dir("plan2", prodSrc+object("two", newObj))
		planIn(w)
		h := l.dir("hostile", "")
		b, _ := os.ReadFile(filepath.Join(w.dir, "tfplan"))
		writeFile(t, filepath.Join(h.dir, "tfplan"), string(b))
		hostileState := filepath.Join(root, "hostile.tfstate")
		h.write("backend_override.tf", localBackend(hostileState))
		testbin.Mirror(t, filepath.Join(h.dir, "terraform.d", "plugins"), testbin.TestObjSource, "0.1.0", swapBin)
		testbin.Mirror(t, filepath.Join(h.dir, ".terraform", "providers"), testbin.TestObjSource, "0.1.0", swapBin)
		h.write(".terraformrc", fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", filepath.Join(h.dir, "terraform.d", "plugins")))
		h.write(".terraform.lock.hcl", "# not the trusted one\n")
		pg(h, 0, "apply", "tfplan")
		if l.exists(swappedMark) {
			t.Fatal("a provider beside the plan ran")
		}
		if l.exists(hostileState) || !l.exists(newObj) || !strings.Contains(readFile(t, l.prodState), newObj) {
			t.Fatal("the apply did not write the pinned state")
		}
		prodIntact("apply beside hostile files")
	})
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
