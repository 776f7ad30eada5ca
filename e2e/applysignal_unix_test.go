//go:build unix

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestApplyForwardsSignals: a SIGTERM (or SIGINT) to `planguard apply`
// reaches terraform as SIGINT, Terraform's own graceful stop (finish what
// runs, release the state lock), and planguard waits for it to exit, then
// exits 2. A planguard killed by CI must never leave terraform running,
// holding the state lock.
func TestApplyForwardsSignals(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) { applySignal(t, tf, sig) })
	}
}

func applySignal(t *testing.T, tf string, sig syscall.Signal) {
	w, root := newWorld(t, tf, "infra", "")
	writeFile(t, filepath.Join(w.dir, "planguard.hcl"), pinPolicy)
	pub, _ := os.ReadFile(w.key("alice") + ".pub")
	writeFile(t, filepath.Join(w.dir, "allowed_signers"), `alice@example.com namespaces="planguard-approval" `+string(pub))
	writeFile(t, filepath.Join(w.dir, "main.tf"), `resource "terraform_data" "web" { input = "a" }`+"\n")
	w.plan()
	// The "terraform" planguard runs: show is the real one; apply says it
	// started, then waits, and on SIGINT records it and exits.
	marks := filepath.Join(root, "marks")
	wrapper := filepath.Join(root, "terraform")
	writeFile(t, wrapper, `#!/bin/sh
if [ "$1" != apply ]; then exec `+tf+` "$@"; fi
trap 'echo INT >> `+marks+`/got; exit 3' INT
trap 'echo TERM >> `+marks+`/got; exit 4' TERM
echo $$ > `+marks+`/started
while :; do sleep 0.05; done
`)
	os.Chmod(wrapper, 0o755)
	os.Mkdir(marks, 0o755)
	cmd := exec.Command(filepath.Join(binDir, "planguard"), "apply", "--policy", "planguard.hcl", "tfplan")
	cmd.Dir, cmd.Env = w.dir, append(w.env, "PLANGUARD_TERRAFORM="+wrapper)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var child int
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(marks, "started")); err == nil && len(b) > 0 && b[len(b)-1] == '\n' {
			child = atoi(t, strings.TrimSpace(string(b)))
			break
		}
		select {
		case err := <-done:
			t.Fatalf("planguard apply ended before terraform apply started: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("terraform apply did not start\n%s", out.String())
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		syscall.Kill(child, syscall.SIGKILL)
		t.Fatalf("planguard apply did not end after %v\n%s", sig, out.String())
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		syscall.Kill(child, syscall.SIGKILL)
		t.Fatalf("planguard apply after %v: %v, want exit status 2\n%s", sig, err, out.String())
	}
	got, _ := os.ReadFile(filepath.Join(marks, "got"))
	if string(got) != "INT\n" {
		t.Errorf("terraform received %q, want one SIGINT", got)
	}
	if syscall.Kill(child, 0) == nil {
		syscall.Kill(child, syscall.SIGKILL)
		t.Errorf("terraform (pid %d) still runs after planguard apply ended", child)
	}
	if !strings.Contains(out.String(), "interrupted") {
		t.Errorf("planguard did not say the apply was interrupted:\n%s", out.String())
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a pid: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
