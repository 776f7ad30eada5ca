//go:build linux

package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// panicTerraform panics in Init when told to, and otherwise is the fake.
type panicTerraform struct {
	*fakeTerraform
	panics bool
}

func (p *panicTerraform) Init(ctx context.Context, dir string, o InitOptions, out io.Writer) error {
	if p.panics {
		// A real runtime panic, as cty's AsString on a null was.
		_ = cty.NullVal(cty.String).AsString()
	}
	return p.fakeTerraform.Init(ctx, dir, o, out)
}

// TestServerRecoversFromAPanic: a panic while serving one request fails
// that request (exit 2, audited, its directory removed) and the runner
// goes on serving.
func TestServerRecoversFromAPanic(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	ptf := &panicTerraform{fakeTerraform: h.tf, panics: true}
	h.svc.Reload(ptf, nil)
	_, sock, _, done := startServer(t, h, []int{os.Getuid()})
	c := Client{Socket: sock, RunnerUID: -1}
	f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{})
	if err != nil || f.Exit != ExitError || !strings.Contains(f.Error, "internal error") {
		t.Fatalf("the panicking request: %+v %v", f, err)
	}
	if !strings.Contains(h.audit.decisions(), "plan error") {
		t.Errorf("the failure is not audited: %s", h.audit.decisions())
	}
	if ents, _ := os.ReadDir(h.svc.cfg.StateDir); len(ents) != 0 {
		t.Errorf("the failed request left %d entries in the state directory", len(ents))
	}
	select {
	case err := <-done:
		t.Fatalf("the server stopped: %v", err)
	default:
	}
	ptf.panics = false
	if f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err != nil || f.Exit != ExitAllow {
		t.Fatalf("after the panic, a harmless plan: %+v %v", f, err)
	}
}

// blockingTerraform's Plan waits for its context to end and reports why.
type blockingTerraform struct {
	*fakeTerraform
	started chan struct{}
	cause   chan error
}

func (b *blockingTerraform) Plan(ctx context.Context, _, _ string, _ io.Writer) error {
	close(b.started)
	<-ctx.Done()
	b.cause <- context.Cause(ctx)
	return context.Cause(ctx)
}

// TestPlanStopsWhenTheClientHangsUp: nobody waits for a plan whose client
// closed the connection: its context ends (terraform is interrupted), and
// its directory goes.
func TestPlanStopsWhenTheClientHangsUp(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	btf := &blockingTerraform{fakeTerraform: h.tf, started: make(chan struct{}), cause: make(chan error, 1)}
	h.svc.Reload(btf, nil)
	_, sock, _, _ := startServer(t, h, []int{os.Getuid()})
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeJSONLine(conn, &Request{Version: ProtocolVersion, Op: OpPlan, Files: tfConfig}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-btf.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the plan did not start")
	}
	_ = conn.Close()
	select {
	case cause := <-btf.cause:
		if !errors.Is(cause, errClientGone) {
			t.Errorf("the plan ended for %v, not the client's hang-up", cause)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the plan went on after its client hung up")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if ents, _ := os.ReadDir(h.svc.cfg.StateDir); len(ents) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stopped plan's directory is left")
		}
	}
}

// TestIdleConnectionsTakeNoSlot: a connection takes one of the request
// slots only once its request is read, must send it within the request
// time-out, and one uid may hold at most MaxConnsPerUID connections: idle
// connections of one uid lock nobody out.
func TestIdleConnectionsTakeNoSlot(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	sock := filepath.Join(t.TempDir(), "runner.sock")
	srv, err := Listen(h.svc, ServerConfig{Socket: sock, AllowUIDs: []int{os.Getuid()}, SocketGID: -1, MaxConns: 2, MaxConnsPerUID: 2, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = srv.Serve(ctx) }()
	t.Cleanup(func() { cancel(); srv.Stop() })
	// One idle connection: the other slot and the first both stay free.
	idle, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	time.Sleep(100 * time.Millisecond)
	c := Client{Socket: sock, RunnerUID: -1}
	if f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err != nil || f.Exit != ExitAllow {
		t.Fatalf("with an idle connection open, a plan: %+v %v", f, err)
	}
	// The plan's connection is released when its reply is written, which
	// may come after the client read it: wait until only the idle one is
	// counted, or the count below could still hold the plan's.
	waitOpen := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			srv.mu.Lock()
			n := srv.open[os.Getuid()]
			srv.mu.Unlock()
			if n == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server counts %d open connections of the uid, want %d", n, want)
			}
		}
	}
	waitOpen(1)
	// A second idle connection: the uid has 2 open, its limit; a third
	// is refused at once, before any request.
	idle2, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer idle2.Close()
	// Wait until the server has counted both idle connections (under load
	// the accepting goroutine may run late; a fixed sleep raced).
	waitOpen(2)
	f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{})
	if err != nil || f.Exit != ExitError || !strings.Contains(f.Error, "connections to the runner open") {
		t.Fatalf("a third connection of the uid: %+v %v", f, err)
	}
	// The idle ones are closed after the request time-out, refused.
	_ = idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := io.ReadAll(idle)
	if !bytes.Contains(line, []byte(`"done":true`)) {
		t.Fatalf("an idle connection after the time-out: %q", line)
	}
	_ = idle2.Close()
	time.Sleep(100 * time.Millisecond)
	if f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err != nil || f.Exit != ExitAllow {
		t.Fatalf("after the idle connections went, a plan: %+v %v", f, err)
	}
}

// escTerraform prints terminal controls, as a plan of a configuration
// whose strings hold them does.
type escTerraform struct{ *fakeTerraform }

func (e escTerraform) Show(_ context.Context, _, _ string, out io.Writer) error {
	// A heredoc Terraform prints byte for byte: ESC[8m, CR, a bidi
	// override, a C1 CSI, DEL, invalid UTF-8, and a character split across
	// two writes.
	_, _ = io.WriteString(out, "  input = <<-EOT\n      note\x1b[8m\r\u202eevil\u200b\u0085\x7f\xff\xe2\x82")
	_, _ = io.WriteString(out, "\xac ok\tend\n")
	return nil
}

// TestClientEscapesTerminalControls: every byte the runner sends reaches
// the client's output visibly escaped when a terminal would obey it.
func TestClientEscapesTerminalControls(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	_, sock, _, _ := startServer(t, h, []int{os.Getuid()})
	c := Client{Socket: sock, RunnerUID: -1}
	f, err := c.Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{})
	if err != nil || f.Exit != ExitAllow {
		t.Fatalf("plan: %+v %v", f, err)
	}
	h.svc.Reload(escTerraform{h.tf}, nil)
	var out bytes.Buffer
	if g, err := c.Do(&Request{Op: OpShow, PlanID: f.PlanID}, &out); err != nil || g.Exit != ExitAllow {
		t.Fatalf("show: %+v %v", g, err)
	}
	// (The runner's JSON frames carry invalid UTF-8 as U+FFFD, a visible
	// character; TestTerminalSafe covers the client's escape of it.)
	want := `      note\x1b[8m\r\u202eevil\u200b\u0085\x7f` + "\ufffd€ ok\tend\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("show printed %q, want it to hold %q", out.String(), want)
	}
	for _, b := range out.Bytes() {
		if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
			t.Fatalf("a control byte %#x reached the output: %q", b, out.String())
		}
	}
}

// TestClientChecksWhoServesTheSocket: the client refuses a socket whose
// server (its uid, from the kernel) does not own the socket's directory,
// or is not the --runner-uid it expects; serve refuses a socket directory
// that is not its own or that others can write.
func TestClientChecksWhoServesTheSocket(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a directory to another uid")
	}
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	_, sock, _, _ := startServer(t, h, []int{os.Getuid()})
	if f, err := (&Client{Socket: sock, RunnerUID: 0}).Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err != nil || f.Exit != ExitAllow {
		t.Fatalf("the runner's own socket: %+v %v", f, err)
	}
	if _, err := (&Client{Socket: sock, RunnerUID: 4242}).Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "not the runner's uid 4242") {
		t.Errorf("another --runner-uid: %v", err)
	}
	// The directory is given to someone else (as if an agent owned it and
	// served its own socket there as root would): refused.
	if err := os.Chown(filepath.Dir(sock), 4242, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Client{Socket: sock, RunnerUID: -1}).Do(&Request{Op: OpPlan, Files: tfConfig}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "belongs to uid 4242") {
		t.Errorf("a socket whose directory another uid owns: %v", err)
	}
	// serve's side.
	for name, c := range map[string]struct {
		uid  int
		mode os.FileMode
		gid  int
		want string
	}{
		"another's directory": {4242, 0o700, -1, "belongs to uid 4242"},
		"group-writable":      {0, 0o770, -1, "others than the runner can write"},
		"world-writable":      {0, 0o1777, -1, "others than the runner can write"},
		"group cannot reach":  {0, 0o700, 4243, "does not let group 4243"},
	} {
		dir := filepath.Join(t.TempDir(), "sock")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, c.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, c.uid, -1); err != nil {
			t.Fatal(err)
		}
		_, err := Listen(h.svc, ServerConfig{Socket: filepath.Join(dir, "r.sock"), AllowUIDs: []int{0}, SocketGID: c.gid})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRemovePlanDir: a failed plan's directory goes, whatever the client
// named inside it; only a regular state file the pinned local backend
// wrote keeps it.
func TestRemovePlanDir(t *testing.T) {
	log := newHarness(t, "").svc.cfg.Logger
	for name, c := range map[string]struct {
		setup func(work string)
		keep  bool
	}{
		"a directory named terraform.tfstate": {func(w string) { write(t, filepath.Join(w, "terraform.tfstate", "pad.tf"), "#") }, false},
		"a link named terraform.tfstate": {func(w string) {
			if err := os.Symlink("/etc/passwd", filepath.Join(w, "terraform.tfstate")); err != nil {
				t.Fatal(err)
			}
		}, false},
		"the pinned backend's state": {func(w string) { write(t, filepath.Join(w, "terraform.tfstate"), "{}") }, true},
		"nothing named like a state": {func(w string) { write(t, filepath.Join(w, "main.tf"), "#") }, false},
	} {
		dir := filepath.Join(t.TempDir(), "plan")
		work := filepath.Join(dir, "config")
		if err := os.MkdirAll(work, 0o700); err != nil {
			t.Fatal(err)
		}
		c.setup(work)
		removePlanDir(dir, filepath.Join(work, "terraform.tfstate"), log)
		if _, err := os.Lstat(dir); (err == nil) != c.keep {
			t.Errorf("%s: kept %v, want %v", name, err == nil, c.keep)
		}
	}
	// Where the pinned backend keeps its state inside the working
	// directory, if anywhere.
	for _, c := range []struct {
		pin  *policy.StatePin
		want string
	}{
		{nil, ""},
		{&policy.StatePin{Backend: "s3", Workspace: "default"}, ""},
		{&policy.StatePin{Backend: "local", Workspace: "default"}, "/w/terraform.tfstate"},
		{&policy.StatePin{Backend: "local", Workspace: "default", Config: map[string]json.RawMessage{"path": []byte(`"/abs/prod.tfstate"`)}}, ""},
		{&policy.StatePin{Backend: "local", Workspace: "default", Config: map[string]json.RawMessage{"path": []byte(`"../x.tfstate"`)}}, ""},
		{&policy.StatePin{Backend: "local", Workspace: "dev"}, "/w/terraform.tfstate.d/dev/terraform.tfstate"},
	} {
		if got := planStateFile("/w", c.pin); got != c.want {
			t.Errorf("planStateFile(%+v) = %q, want %q", c.pin, got, c.want)
		}
	}
}
