//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }

// fifoPolicy writes the quickstart policy and trust file into dir.
func fifoPolicy(t *testing.T, dir string) string {
	t.Helper()
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol, _ := os.ReadFile("../examples/quickstart/planguard.hcl")
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, pol, 0o600)
	return policyPath
}

// runAtOnce runs the CLI and fails when it has not answered in 20 s (a
// FIFO opened for reading waits for a writer forever).
func runAtOnce(t *testing.T, args ...string) (int, string) {
	t.Helper()
	done := make(chan struct{})
	var code int
	var errs string
	go func() {
		defer close(done)
		code, _, errs = runCLI(t, "", nil, args...)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("planguard %s waited on a FIFO", strings.Join(args, " "))
	}
	return code, errs
}

// TestCheckRefusesAFIFO: a FIFO named as the plan (or as approve's --plan)
// is refused at once, like apply refuses it.
func TestCheckRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "plan.json")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	policyPath := fifoPolicy(t, dir)
	for _, args := range [][]string{
		{"check", "--policy", policyPath, fifo},
		{"approve", "--policy", policyPath, "--plan", fifo, "--target", "terraform_data.prod_db", "--action", "delete", "--principal", "alice@example.com", "--reason", "r"},
	} {
		code, errs := runAtOnce(t, args...)
		if code != exitError || !strings.Contains(errs, "not a regular file") {
			t.Fatalf("%s of a FIFO: exit %d\n%s", args[0], code, errs)
		}
	}
}

// TestVerifyAttestationRefusesAFIFO: the attestation and its signers file
// are read without waiting on a FIFO.
func TestVerifyAttestationRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	att, plan := filepath.Join(dir, "check.att"), filepath.Join(dir, "tfplan")
	if err := mkfifo(att); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.WriteFile(plan, []byte("PK\x03\x04"), 0o600)
	code, errs := runAtOnce(t, "verify-attestation", "--attestation", att, "--attestation-signers", filepath.Join(dir, "signers"), "--policy-sha256", strings.Repeat("a", 64), plan)
	if code != exitError || !strings.Contains(errs, "not a regular file") {
		t.Fatalf("verify-attestation of a FIFO: exit %d\n%s", code, errs)
	}
}

// TestApplyRefusesAFIFO: a FIFO named as the plan is refused at once
// (opening it would wait for a writer forever).
func TestApplyRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "tfplan")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol, _ := os.ReadFile("../examples/quickstart/planguard.hcl")
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, pol, 0o600)
	done := make(chan struct{})
	var code int
	var errs string
	go func() {
		defer close(done)
		code, _, errs = runCLI(t, "", nil, "apply", "--policy", policyPath, fifo)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("planguard apply waited on a FIFO")
	}
	if code != exitError || !strings.Contains(errs, "not a regular file") {
		t.Fatalf("apply of a FIFO: exit %d\n%s", code, errs)
	}
}
