package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestObj is the tests' provider whose objects are files outside the state
// (e2e/testprovider), source address TestObjSource.
var TestObj = Bin{Name: "terraform-provider-testobj", Pkg: "./e2e/testprovider"}

// TestObjSource is TestObj's source address in required_providers.
const TestObjSource = "example.com/planguard/testobj"

// Platform is this machine's provider platform, such as linux_amd64.
func Platform() string { return runtime.GOOS + "_" + runtime.GOARCH }

// Mirror copies the provider binary bin into mirror, an unpacked
// filesystem mirror (HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/), as source at
// version, and returns the directory it wrote. Terraform and OpenTofu
// install from it with a provider_installation { filesystem_mirror } block,
// or without any CLI configuration when mirror is an implied local mirror
// (terraform.d/plugins beside the configuration, ~/.terraform.d/plugins).
func Mirror(t testing.TB, mirror, source, version, bin string) string {
	t.Helper()
	dir := filepath.Join(mirror, filepath.FromSlash(source), version, Platform())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("terraform-provider-%s_v%s", filepath.Base(source), version)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// LockFrom writes dir/.terraform.lock.hcl for source with the hashes of
// the packages in mirror (`providers lock -fs-mirror`), as a reviewer
// would produce the trusted lock file, and returns its content.
func LockFrom(t testing.TB, tf, dir, mirror, source string, env []string) []byte {
	t.Helper()
	cmd := exec.Command(tf, "providers", "lock", "-fs-mirror="+mirror, "-platform="+Platform(), source)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s providers lock: %v\n%s", tf, err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
