//go:build linux

package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func startServer(t *testing.T, h *harness, allow []int) (*Server, string, context.CancelFunc, chan error) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "runner.sock")
	srv, err := Listen(h.svc, ServerConfig{Socket: sock, AllowUIDs: allow, SocketGID: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() { cancel(); srv.Stop() })
	return srv, sock, cancel, done
}

func TestServerRoundTrip(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	_, sock, cancel, done := startServer(t, h, []int{os.Getuid()})
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v %v", fi.Mode(), err)
	}
	c := Client{Socket: sock}
	var out bytes.Buffer
	f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &out)
	if err != nil || f.Exit != ExitAllow || f.PlanID == "" {
		t.Fatalf("plan: %+v %v\n%s", f, err, out.String())
	}
	if !strings.HasSuffix(out.String(), "plan id: "+f.PlanID+"\n") || strings.Contains(out.String(), testSecret) {
		t.Fatalf("plan output:\n%s", out.String())
	}
	// An apply in flight survives the drain: Serve returns after it.
	h.tf.hold = make(chan struct{})
	applied := make(chan *Frame, 1)
	go func() {
		f, err := c.Do(&Request{Op: OpApply, PlanID: f.PlanID}, &bytes.Buffer{})
		if err != nil {
			t.Error(err)
		}
		applied <- f
	}()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(h.audit.decisions(), "applying"); {
		if time.Now().After(deadline) {
			t.Fatal("the apply did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
		t.Fatal("Serve returned with an apply in flight")
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := net.Dial("unix", sock); err == nil {
		t.Error("a draining runner accepted a connection")
	}
	close(h.tf.hold)
	if f := <-applied; f.Exit != ExitAllow {
		t.Fatalf("apply: %+v", f)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(sock); err == nil {
		t.Error("socket left behind")
	}
}

func TestServerRefusesPeer(t *testing.T) {
	h := newHarness(t, "")
	_, sock, _, _ := startServer(t, h, []int{os.Getuid() + 12345})
	f, err := (&Client{Socket: sock}).Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{})
	if err != nil || f.Exit != ExitError || !strings.Contains(f.Error, "may not use this runner") {
		t.Fatalf("%+v %v", f, err)
	}
	if got := h.audit.decisions(); got != "connect refused" {
		t.Errorf("audit: %s", got)
	}
	if h.audit.recs[0].PeerUID != os.Getuid() {
		t.Errorf("audit peer: %+v", h.audit.recs[0])
	}
}

func TestServerRefusesBadRequests(t *testing.T) {
	h := newHarness(t, "")
	_, sock, _, _ := startServer(t, h, []int{os.Getuid()})
	for name, line := range map[string]string{
		"not json":        "hello\n",
		"unknown field":   `{"version":1,"op":"show","plan_id":"x","extra":1}` + "\n",
		"wrong version":   `{"version":2,"op":"show","plan_id":"x"}` + "\n",
		"unknown op":      `{"version":1,"op":"destroy"}` + "\n",
		"files on apply":  `{"version":1,"op":"apply","plan_id":"x","files":[{"path":"a.tf","data":""}]}` + "\n",
		"id on plan":      `{"version":1,"op":"plan","plan_id":"x"}` + "\n",
		"two objects":     `{"version":1,"op":"show","plan_id":"x"} {}` + "\n",
		"no newline, EOF": `{"version":1,"op":"show","plan_id":"x"}`,
	} {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(line))
		conn.(*net.UnixConn).CloseWrite()
		var f Frame
		if err := json.NewDecoder(conn).Decode(&f); err != nil || !f.Done || f.Exit != ExitError {
			t.Errorf("%s: %+v %v", name, f, err)
		}
		conn.Close()
	}
	// A request over the bound is cut off, not buffered whole.
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		big := bytes.Repeat([]byte("a"), 1<<20)
		for i := 0; i < MaxRequest>>20+2; i++ {
			if _, err := conn.Write(big); err != nil {
				return
			}
		}
	}()
	var f Frame
	if err := json.NewDecoder(conn).Decode(&f); err != nil || f.Exit != ExitError || !strings.Contains(f.Error, "longer than") {
		t.Errorf("oversized request: %+v %v", f, err)
	}
	conn.Close()
}
