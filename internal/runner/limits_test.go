//go:build linux

package runner

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeBin writes an executable script that stands in for terraform.
func fakeBin(t *testing.T, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "terraform")
	write(t, p, script)
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// hog is a script whose child (in terraform's process group, as a
// provider is) takes about 200 MiB and keeps it; the script records the
// child's pid.
func hog(t *testing.T, pidFile string) string {
	t.Helper()
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not found")
	}
	return fakeBin(t, "#!/bin/sh\n"+perl+" -e '$x = \"x\" x (200 << 20); sleep 60' &\necho $! > "+pidFile+"\nwait\n")
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return !strings.Contains(string(b), ") Z ")
}

// TestMemoryBoundKillsThePlan: a plan whose process group (terraform and
// the providers it starts) holds more than MaxMemory is killed, the whole
// group, and the error says why.
func TestMemoryBoundKillsThePlan(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	tf := &ExecTerraform{Bin: hog(t, pidFile), MaxMemory: 64 << 20, StopGrace: time.Second}
	start := time.Now()
	err := tf.Plan(context.Background(), t.TempDir(), "plan.tfplan", io.Discard)
	var me *MemoryError
	if !errors.As(err, &me) || me.Op != "plan" || !strings.Contains(err.Error(), "--max-memory 64MiB") {
		t.Fatalf("plan: %v", err)
	}
	if time.Since(start) > 30*time.Second {
		t.Errorf("the plan ran %s before it was stopped", time.Since(start))
	}
	b, _ := os.ReadFile(pidFile)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	for deadline := time.Now().Add(5 * time.Second); pid > 0 && alive(pid); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the child holding the memory (pid %d) is still running", pid)
		}
	}
}

// TestMemoryBoundInterruptsTheApply: an apply over the bound is
// interrupted (SIGINT: Terraform's graceful stop), not killed outright.
func TestMemoryBoundInterruptsTheApply(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "interrupted")
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not found")
	}
	bin := fakeBin(t, "#!/bin/sh\nexec "+perl+" -e '$SIG{INT} = sub { open(my $f, \">\", \""+marker+"\"); close($f); exit 1 }; my @x; for (1..100) { push @x, \"x\" x (4 << 20); select(undef, undef, undef, 0.05) } sleep 60'\n")
	tf := &ExecTerraform{Bin: bin, MaxMemory: 64 << 20, StopGrace: 5 * time.Second}
	err = tf.Apply(context.Background(), dir, "plan.tfplan", io.Discard)
	var me *MemoryError
	if !errors.As(err, &me) || me.Op != "apply" {
		t.Fatalf("apply: %v", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the apply was not interrupted gracefully first: %v", err)
	}
}

// TestMemoryBoundInterruptsThePlanFirst: a plan over the bound gets
// SIGINT first, so that Terraform releases the state lock it holds (a
// remote backend's lock would otherwise stay until force-unlock); a group
// that ignores the interrupt is killed after the grace period.
func TestMemoryBoundInterruptsThePlanFirst(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "interrupted")
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not found")
	}
	grow := "my @x; for (1..100) { push @x, \"x\" x (4 << 20); select(undef, undef, undef, 0.05) } sleep 60"
	for _, tc := range []struct {
		name, handler string
		wantMarker    bool
	}{
		{"stops on the interrupt", `$SIG{INT} = sub { open(my $f, ">", "` + marker + `"); close($f); exit 1 };`, true},
		{"ignores the interrupt", `$SIG{INT} = "IGNORE";`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(marker)
			bin := fakeBin(t, "#!/bin/sh\nexec "+perl+" -e '"+tc.handler+" "+grow+"'\n")
			tf := &ExecTerraform{Bin: bin, MaxMemory: 64 << 20, StopGrace: time.Second}
			start := time.Now()
			err := tf.Plan(context.Background(), dir, "plan.tfplan", io.Discard)
			var me *MemoryError
			if !errors.As(err, &me) || me.Op != "plan" || !strings.Contains(err.Error(), "releases the state lock") {
				t.Fatalf("plan: %v", err)
			}
			_, statErr := os.Stat(marker)
			if got := statErr == nil; got != tc.wantMarker {
				t.Errorf("interrupt handler ran: %v, want %v", got, tc.wantMarker)
			}
			if time.Since(start) > 30*time.Second {
				t.Errorf("the plan ran %s before it was stopped", time.Since(start))
			}
		})
	}
}

// TestPlanTimeoutKillsTheGroup: when a plan's context ends (its time is
// up, its client hung up), terraform gets SIGINT, and the whole process
// group is killed after the grace period: a provider that ignores the
// interrupt does not outlive the plan.
func TestPlanTimeoutKillsTheGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	bin := fakeBin(t, "#!/bin/sh\ntrap '' INT\n(trap '' INT; sleep 120) &\necho $! > "+pidFile+"\nwait\nwait\n")
	tf := &ExecTerraform{Bin: bin, StopGrace: 500 * time.Millisecond}
	ctx, cancel := context.WithTimeoutCause(context.Background(), 500*time.Millisecond, errors.New("time is up"))
	defer cancel()
	start := time.Now()
	err := tf.Plan(ctx, t.TempDir(), "plan.tfplan", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "time is up") {
		t.Fatalf("plan: %v", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("the plan took %s to stop", time.Since(start))
	}
	b, _ := os.ReadFile(pidFile)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	for deadline := time.Now().Add(5 * time.Second); pid > 0 && alive(pid); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the group's other process (pid %d) outlived the plan", pid)
		}
	}
}
