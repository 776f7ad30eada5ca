//go:build unix

package tfexec

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTerraform writes a script that announces itself in dir/started and
// then waits; onInt is what it does on SIGINT.
func fakeTerraform(t *testing.T, dir, onInt string) string {
	t.Helper()
	bin := filepath.Join(dir, "terraform")
	script := "#!/bin/sh\ntrap '" + onInt + "' INT\necho $$ > " + dir + "/started\nwhile :; do sleep 0.05; done\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

func waitStarted(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(filepath.Join(dir, "started")); strings.HasSuffix(string(b), "\n") {
			return
		}
	}
	t.Fatal("fake terraform did not start")
}

func TestApplyInterrupts(t *testing.T) {
	dir := t.TempDir()
	bin := fakeTerraform(t, dir, "echo INT > "+dir+"/got; exit 3")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Apply(ctx, ApplyOptions{Bin: bin, Args: []string{"apply"}, Grace: time.Minute}) }()
	waitStarted(t, dir)
	cancel()
	err := <-errc
	var ie *InterruptedError
	var ee *exec.ExitError
	if !errors.As(err, &ie) || !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("Apply = %v, want an InterruptedError of exit status 3", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "got")); string(got) != "INT\n" {
		t.Errorf("terraform got %q, want SIGINT", got)
	}
}

func TestApplyKillsAfterGrace(t *testing.T) {
	dir := t.TempDir()
	bin := fakeTerraform(t, dir, "echo INT > "+dir+"/got") // and goes on
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- Apply(ctx, ApplyOptions{Bin: bin, Args: []string{"apply"}, Grace: 300 * time.Millisecond})
	}()
	waitStarted(t, dir)
	cancel()
	select {
	case err := <-errc:
		var ie *InterruptedError
		if !errors.As(err, &ie) {
			t.Fatalf("Apply = %v, want an InterruptedError", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Apply did not kill terraform after the grace period")
	}
}

func TestApplyRuns(t *testing.T) {
	var out strings.Builder
	if err := Apply(context.Background(), ApplyOptions{Bin: "sh", Args: []string{"-c", "echo applied"}, Stdout: &out}); err != nil || out.String() != "applied\n" {
		t.Fatalf("Apply = %v, %q", err, out.String())
	}
	var ee *exec.ExitError
	if err := Apply(context.Background(), ApplyOptions{Bin: "sh", Args: []string{"-c", "exit 5"}}); !errors.As(err, &ee) || ee.ExitCode() != 5 {
		t.Fatalf("Apply = %v, want exit status 5", err)
	}
}
