//go:build linux

package tfexec

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The pin race (r17hook4): the pinned copy was a file in a directory of
// the user's temporary directory, which a process of the same user (the
// agent's, started earlier) could replace between the check and
// `terraform apply`. On Linux the copy is a sealed memfd: whoever opens
// it (here through /proc, as another process of the same user would,
// /proc/PID/fd/N) cannot write, truncate or grow it, and a child process
// started with ForChild reads exactly the pinned bytes, whatever happened
// to the original meanwhile.
func TestPinPlanSealedMemfd(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "tfplan")
	judged := []byte(ZipMagic + "the plan the gate judged")
	os.WriteFile(plan, judged, 0o600)
	p, err := PinPlan(context.Background(), plan, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Cleanup()
	if p.dir != "" || !strings.HasPrefix(p.Path, "/proc/self/fd/") {
		t.Fatalf("pinned as %s (dir %q), want a memfd", p.Path, p.dir)
	}
	if target, _ := os.Readlink(p.Path); !strings.HasPrefix(target, "/memfd:planguard-pin") {
		t.Errorf("%s leads to %s, want a memfd", p.Path, target)
	}
	evil := []byte(ZipMagic + "a plan that deletes the database")
	// The original is replaced after pinning.
	os.WriteFile(plan, evil, 0o600)
	// Another opener tries to rewrite the pinned copy every way it can.
	if f, err := os.OpenFile(p.Path, os.O_WRONLY, 0); err == nil {
		if _, err := f.WriteAt(evil, 0); err == nil {
			t.Error("wrote into the pinned plan")
		}
		if err := f.Truncate(0); err == nil {
			t.Error("truncated the pinned plan")
		}
		if _, err := f.WriteAt([]byte("x"), int64(len(judged))); err == nil {
			t.Error("grew the pinned plan")
		}
		f.Close()
	}
	if f, err := os.OpenFile(p.Path, os.O_WRONLY|os.O_TRUNC, 0); err == nil {
		f.Close()
		t.Error("opened the pinned plan with O_TRUNC")
	}
	// A child process reads exactly the judged bytes.
	arg, extra := p.ForChild(nil)
	if arg != "/dev/fd/3" || len(extra) != 1 {
		t.Fatalf("ForChild: %s %v", arg, extra)
	}
	cmd := exec.Command("cat", arg)
	cmd.ExtraFiles = extra
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cat %s: %v", arg, err)
	}
	if !bytes.Equal(out, judged) {
		t.Errorf("the child read %q, want the judged %q", out, judged)
	}
	// And this process too, as often as it reads.
	if got, _ := os.ReadFile(p.Path); !bytes.Equal(got, judged) {
		t.Errorf("read back %q", got)
	}
	// A second file given first moves the plan to descriptor 4.
	if arg, extra := p.ForChild([]*os.File{os.Stdin}); arg != "/dev/fd/4" || len(extra) != 2 {
		t.Errorf("ForChild after one file: %s %d", arg, len(extra))
	}
}
