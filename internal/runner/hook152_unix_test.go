//go:build unix

package runner

import (
	"strings"
	"testing"
)

// TestLockStateDir: one runner at a time uses a state directory, so that
// one starting does not remove another's plans as leftovers.
func TestLockStateDir(t *testing.T) {
	dir := t.TempDir()
	release, err := LockStateDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockStateDir(dir); err == nil || !strings.Contains(err.Error(), "another runner uses the state directory") {
		t.Fatalf("a second lock: %v", err)
	}
	release()
	release, err = LockStateDir(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release()
}
