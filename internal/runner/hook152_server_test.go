//go:build linux

package runner

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunnerSurvivesATfvarsBomb (review hook152 H1): the report's
// a.tfvars, sent through the socket, is refused at once, and the runner
// goes on serving: an ordinary plan after it works. The CPU form is sent
// first; the memory form (300^4 elements if evaluated) only once the CPU
// form was refused, so that this test cannot exhaust memory.
func TestRunnerSurvivesATfvarsBomb(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	_, sock, _, _ := startServer(t, h, []int{os.Getuid()})
	c := Client{Socket: sock}
	send := func(tfvars string) *Frame {
		t.Helper()
		type reply struct {
			f   *Frame
			err error
		}
		ch := make(chan reply, 1)
		go func() {
			f, err := c.Do(&Request{Op: OpPlan, Files: []File{tfConfig[0], {Path: "a.tfvars", Data: []byte(tfvars)}}}, &bytes.Buffer{})
			ch <- reply{f, err}
		}()
		select {
		case r := <-ch:
			if r.err != nil {
				t.Fatal(r.err)
			}
			return r.f
		case <-time.After(20 * time.Second):
			t.Fatal("no reply within 20s: the runner evaluates the tfvars file")
		}
		return nil
	}
	for _, cond := range []bool{true, false} {
		src := "x = " + forBomb(300, 4, cond) + "\n"
		if len(src) < 4000 || len(src) > 6000 {
			t.Fatalf("the bomb is %d bytes, not the report's few KB", len(src))
		}
		f := send(src)
		if f.Exit != ExitError || !strings.Contains(f.Error, "for expressions are not evaluated by the runner") {
			t.Fatalf("bomb (if false: %v): %+v", cond, f)
		}
	}
	if f := send("region = \"eu-west-1\"\nn = -1\n"); f.Exit != ExitAllow || f.PlanID == "" {
		t.Fatalf("an ordinary plan after the bombs: %+v", f)
	}
}

// stuckTerraform's Init does not watch its context: it ends only when
// released (as a check before init that does not return would not).
type stuckTerraform struct {
	*fakeTerraform
	started, release chan struct{}
}

func (s *stuckTerraform) Init(context.Context, string, InitOptions, io.Writer) error {
	close(s.started)
	<-s.release
	return errors.New("released")
}

// TestServeEndsAfterStopWait (review hook152 M1): after Stop (the second
// SIGTERM) the runner waits StopWait for the requests in flight, not for
// ever: one that does not end is left and Serve returns an error.
func TestServeEndsAfterStopWait(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	stf := &stuckTerraform{fakeTerraform: h.tf, started: make(chan struct{}), release: make(chan struct{})}
	h.svc.Reload(stf, nil)
	sock := filepath.Join(t.TempDir(), "runner.sock")
	srv, err := Listen(h.svc, ServerConfig{Socket: sock, AllowUIDs: []int{os.Getuid()}, SocketGID: -1, StopWait: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	replied := make(chan struct{})
	go func() {
		defer close(replied)
		_, _ = (&Client{Socket: sock}).Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{})
	}()
	// The request left behind ends once released (its directory removed
	// before its reply), before the test's directories go.
	defer func() {
		close(stf.release)
		<-replied
	}()
	select {
	case <-stf.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the plan did not reach init")
	}
	cancel() // the first SIGTERM: drain
	select {
	case err := <-done:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	srv.Stop() // the second
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "did not end") {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve still waits for the request after StopWait")
	}
}
