//go:build unix

package main

import (
	"strings"
	"syscall"
	"testing"
)

// An apply under a file size limit is refused before anything is read:
// terraform would be stopped part way through writing the state (review
// hook136). The limit is the soft one, lowered for this test alone (no
// test runs beside it: it is not parallel) and restored.
func TestApplyRefusesFileSizeLimit(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	lim := old
	lim.Cur = 1 << 30
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", nil, "apply", "--policy", qsPolicy, "missing.tfplan")
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if code != exitError || !strings.Contains(errs, "file size limit") || !strings.Contains(errs, "ulimit -f unlimited") {
		t.Fatalf("apply under ulimit -f: exit %d, want 2 naming the limit\n%s", code, errs)
	}
	// Without the limit the same call gets as far as the plan file.
	if code, _, errs := runCLI(t, "", nil, "apply", "--policy", qsPolicy, "missing.tfplan"); code != exitError || strings.Contains(errs, "file size limit") {
		t.Fatalf("apply without a limit: exit %d\n%s", code, errs)
	}
}
