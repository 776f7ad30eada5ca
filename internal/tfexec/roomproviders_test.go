package tfexec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageHashesOpenTofuLockFiles: OpenTofu 1.10 writes OS_ARCH.lock
// beside each installed package; it is no package. A directory of that
// name, or a file at a package's place that is not such a lock file, is
// still refused or hashed as before.
func TestPackageHashesOpenTofuLockFiles(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "example.com", "acme", "cloud", "1.0.0", "linux_amd64")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "terraform-provider-cloud"), []byte("binary"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pkg+".lock", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := packageHashes(dir)
	if err != nil {
		t.Fatalf("with OpenTofu's lock file: %v", err)
	}
	if len(got) != 1 || !strings.HasPrefix(got["example.com/acme/cloud/1.0.0/linux_amd64"], "h1:") {
		t.Fatalf("hashes %v, want the one package", got)
	}

	// Another regular file where a package directory belongs is refused.
	if err := os.WriteFile(filepath.Join(filepath.Dir(pkg), "linux_arm64"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := packageHashes(dir); err == nil {
		t.Fatal("a regular file at a package's place was passed over")
	}
}
