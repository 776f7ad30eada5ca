package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-hclog"
)

// ServerConfig configures the socket front door.
type ServerConfig struct {
	// Socket is the path of the Unix socket to create.
	Socket string
	// AllowUIDs are the only peer uids served; everyone else is refused.
	AllowUIDs []int
	// SocketGID, when not -1, is the group the socket is given (with mode
	// 0660), so that the agent's group can connect; with -1 the mode is
	// 0600 and only the runner's own uid can connect.
	SocketGID int
	// MaxConns bounds the requests served at once; more are refused.
	// 0 means 8. A connection takes one of these slots only once its
	// request is read.
	MaxConns int
	// MaxConnsPerUID bounds the connections one uid has open at once,
	// reading a request or served; more are refused at once. 0 means half
	// of MaxConns (at least 1), so that one agent cannot take every slot
	// from the others and from the people who review plans.
	MaxConnsPerUID int
	// RequestTimeout bounds each wait for more of a request (the first
	// byte, and every one after): a connection that sends nothing for
	// this long is closed; 0 means 10 seconds. RequestMaxTime bounds
	// reading a whole request; 0 means a minute. Both run before the
	// request takes a slot.
	RequestTimeout, RequestMaxTime time.Duration
	// WriteTimeout bounds writing one reply frame; a client that stops
	// reading loses the rest of the reply, and the work goes on. 0 means
	// 30 seconds.
	WriteTimeout time.Duration
	// PlanTimeout and ApplyTimeout bound one plan (init, plan, gate) and
	// one apply; 0 means 30 minutes and 2 hours.
	PlanTimeout, ApplyTimeout time.Duration
	// StopWait bounds, after Stop, the wait for the requests in flight:
	// Terraform has its grace period (a minute) to stop, and the work
	// around it checks its context between steps; one that still has not
	// ended is left, and Serve returns (the process exits). 0 means two
	// minutes.
	StopWait time.Duration
	Logger   hclog.Logger
}

// Server serves a Service on a Unix socket, one goroutine per connection,
// one request per connection.
type Server struct {
	svc  *Service
	cfg  ServerConfig
	ln   *net.UnixListener
	sem  chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	open map[int]int     // connections open per uid
	hard context.Context // ends only on Stop: work in flight is not cut by a drain
	stop context.CancelFunc
}

// Listen creates the socket: never with wider permissions than asked, even
// for an instant (the umask is 0177 while it is created), replacing a
// stale socket nobody listens on and refusing anything else at the path.
func Listen(svc *Service, cfg ServerConfig) (*Server, error) {
	if len(cfg.AllowUIDs) == 0 {
		return nil, errors.New("no uid is allowed: pass --allow-uid for the agent's uid")
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = 8
	}
	if cfg.MaxConnsPerUID == 0 {
		cfg.MaxConnsPerUID = max(1, cfg.MaxConns/2)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	if cfg.RequestMaxTime == 0 {
		cfg.RequestMaxTime = time.Minute
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.PlanTimeout == 0 {
		cfg.PlanTimeout = DefaultPlanTimeout
	}
	if cfg.ApplyTimeout == 0 {
		cfg.ApplyTimeout = DefaultApplyTimeout
	}
	if cfg.StopWait == 0 {
		cfg.StopWait = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	if err := checkSocketDir(cfg.Socket, cfg.SocketGID); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(cfg.Socket); err == nil {
		if fi.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("%s exists and is not a socket", cfg.Socket)
		}
		if c, err := net.DialTimeout("unix", cfg.Socket, time.Second); err == nil {
			_ = c.Close()
			return nil, fmt.Errorf("a runner already listens on %s", cfg.Socket)
		}
		if err := os.Remove(cfg.Socket); err != nil {
			return nil, fmt.Errorf("remove stale socket: %w", err)
		}
	}
	var ln *net.UnixListener
	err := withUmask(0o177, func() error {
		var err error
		ln, err = net.ListenUnix("unix", &net.UnixAddr{Name: cfg.Socket, Net: "unix"})
		return err
	})
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(true)
	mode := os.FileMode(0o600)
	if cfg.SocketGID != -1 {
		if err := os.Chown(cfg.Socket, -1, cfg.SocketGID); err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("give the socket to group %d: %w", cfg.SocketGID, err)
		}
		mode = 0o660
	}
	if err := os.Chmod(cfg.Socket, mode); err != nil {
		_ = ln.Close()
		return nil, err
	}
	hard, stop := context.WithCancel(context.Background())
	return &Server{svc: svc, cfg: cfg, ln: ln, sem: make(chan struct{}, cfg.MaxConns), open: map[int]int{}, hard: hard, stop: stop}, nil
}

// Serve accepts connections until ctx ends, then stops accepting and waits
// for the requests in flight to finish (an apply is never cut short by a
// drain; Stop cuts it). It returns nil after a drain, and an error when
// requests are still in flight StopWait after Stop (review hook152 M1: a
// request that does not end must not keep the runner from stopping).
func (s *Server) Serve(ctx context.Context) error {
	s.cfg.Logger.Info("listening", "socket", s.cfg.Socket, "allow_uids", s.cfg.AllowUIDs)
	go func() {
		<-ctx.Done()
		_ = s.ln.Close()
	}()
	var err error
	for {
		conn, aerr := s.ln.AcceptUnix()
		if aerr != nil {
			if ctx.Err() == nil {
				err = aerr
			}
			break
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(conn)
		}()
	}
	_ = s.ln.Close()
	s.cfg.Logger.Info("draining: waiting for requests in flight")
	drained := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(drained)
	}()
	select {
	case <-drained:
	case <-s.hard.Done():
		select {
		case <-drained:
		case <-time.After(s.cfg.StopWait):
			s.cfg.Logger.Error("requests in flight did not end after they were interrupted; stopping without them", "waited", s.cfg.StopWait.String())
			return fmt.Errorf("requests in flight did not end within %s of the interrupt", s.cfg.StopWait)
		}
	}
	s.cfg.Logger.Info("drained")
	return err
}

// Stop cancels the work in flight: terraform receives SIGINT, and is
// killed after its grace period.
func (s *Server) Stop() { s.stop() }

func finalFrame(r Result) Frame {
	return Frame{Done: true, Exit: r.Exit, Error: r.Error, PlanID: r.PlanID, PlanSHA256: r.PlanSHA256}
}

// handle serves one connection: the peer's uid is checked, its
// connections counted, the request read (within RequestTimeout, holding no
// slot), and only then a slot taken for the work. A panic in the work is
// recovered: the request fails (audited, exit 2), the runner goes on.
func (s *Server) handle(conn *net.UnixConn) {
	defer func() { _ = conn.Close() }()
	log := s.cfg.Logger
	reply := func(r Result) {
		_ = conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
		if err := writeJSONLine(conn, finalFrame(r)); err != nil {
			log.Warn("final reply not delivered", "error", err)
		}
	}
	peer, err := peerOf(conn)
	if err != nil {
		reply(s.svc.Refuse("connect", Peer{UID: -1}, fmt.Errorf("cannot identify the peer: %w", err)))
		return
	}
	log = log.With("peer_uid", peer.UID, "peer_pid", peer.PID)
	if !slices.Contains(s.cfg.AllowUIDs, peer.UID) {
		log.Warn("peer refused")
		reply(s.svc.Refuse("connect", peer, fmt.Errorf("uid %d may not use this runner; run the client as the agent's user, or ask the runner's operator for --allow-uid", peer.UID)))
		return
	}
	if !s.claim(peer.UID) {
		log.Warn("peer refused: too many connections")
		reply(s.svc.Refuse("connect", peer, fmt.Errorf("uid %d has %d connections to the runner open, its limit; finish those first", peer.UID, s.cfg.MaxConnsPerUID)))
		return
	}
	defer s.unclaim(peer.UID)
	opName := "request"
	defer func() {
		if r := recover(); r != nil {
			log.Error("panic while serving a request; the runner goes on", "op", opName, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reply(s.svc.Crash(opName, peer, fmt.Errorf("internal error: the runner failed on this request (%v) and goes on serving; report it with the runner's log", r)))
		}
	}()
	req, err := readRequest(&idleReader{conn: conn, idle: s.cfg.RequestTimeout, end: time.Now().Add(s.cfg.RequestMaxTime)})
	if err != nil {
		reply(s.svc.Refuse("request", peer, err))
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	opName = req.Op
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		reply(s.svc.Refuse(req.Op, peer, fmt.Errorf("the runner is serving %d requests, its limit; try again shortly", s.cfg.MaxConns)))
		return
	}
	log.Debug("request", "op", req.Op, "plan_id", req.PlanID, "files", len(req.Files), "approvals", len(req.Approvals))
	out := &frameWriter{conn: conn, timeout: s.cfg.WriteTimeout}
	var res Result
	switch req.Op {
	case OpPlan:
		ctx, cancel := context.WithTimeoutCause(s.hard, s.cfg.PlanTimeout, fmt.Errorf("the plan took longer than the runner allows (serve --plan-timeout %s)", s.cfg.PlanTimeout))
		ctx = cancelOnHangup(ctx, conn)
		res = s.svc.Plan(ctx, peer, req.Files, out)
		cancel()
	case OpApply:
		// An apply is not cut short when the client goes: it runs to the
		// end (or its time-out), and the audit log has the outcome.
		ctx, cancel := context.WithTimeoutCause(s.hard, s.cfg.ApplyTimeout, fmt.Errorf("the apply took longer than the runner allows (serve --apply-timeout %s)", s.cfg.ApplyTimeout))
		res = s.svc.Apply(ctx, peer, req.PlanID, req.Approvals, out)
		cancel()
	case OpShow:
		ctx, cancel := context.WithTimeoutCause(s.hard, s.cfg.PlanTimeout, fmt.Errorf("show took longer than the runner allows (serve --plan-timeout %s)", s.cfg.PlanTimeout))
		ctx = cancelOnHangup(ctx, conn)
		if req.Config {
			res = s.svc.ShowConfig(ctx, peer, req.PlanID, out)
		} else {
			res = s.svc.Show(ctx, peer, req.PlanID, req.Reveal, out)
		}
		cancel()
	}
	reply(res)
}

// idleReader reads a request: each read may wait at most idle for data,
// and none goes on past end.
type idleReader struct {
	conn net.Conn
	idle time.Duration
	end  time.Time
}

func (r *idleReader) Read(p []byte) (int, error) {
	d := time.Now().Add(r.idle)
	if d.After(r.end) {
		d = r.end
	}
	_ = r.conn.SetReadDeadline(d)
	return r.conn.Read(p)
}

// errClientGone ends the work of a client that hung up.
var errClientGone = errors.New("the client closed the connection before the reply ended")

// cancelOnHangup returns a context that also ends when the client closes
// its end of conn, or sends anything after its request (it must send
// nothing more and keep the connection open until the final frame): a plan
// nobody waits for is stopped rather than left to run.
func cancelOnHangup(ctx context.Context, conn net.Conn) context.Context {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		var b [1]byte
		_, _ = conn.Read(b[:])
		cancel(errClientGone)
	}()
	return ctx
}

// claim counts a connection of uid, unless uid has MaxConnsPerUID open.
func (s *Server) claim(uid int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open[uid] >= s.cfg.MaxConnsPerUID {
		return false
	}
	s.open[uid]++
	return true
}

func (s *Server) unclaim(uid int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open[uid]--; s.open[uid] <= 0 {
		delete(s.open, uid)
	}
}

// frameWriter turns output into Out frames. A client that stops reading
// loses the rest of the output; the writer never fails the work.
type frameWriter struct {
	mu      sync.Mutex
	conn    net.Conn
	timeout time.Duration
	broken  bool
}

// maxChunk keeps a frame under MaxFrame even if every byte is escaped.
const maxChunk = 64 << 10

func (w *frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for rest := p; len(rest) > 0 && !w.broken; {
		n := min(len(rest), maxChunk)
		for n < len(rest) && n > 0 && !utf8.RuneStart(rest[n]) {
			n-- // do not split a character between frames
		}
		_ = w.conn.SetWriteDeadline(time.Now().Add(w.timeout))
		if err := writeJSONLine(w.conn, Frame{Out: string(rest[:n])}); err != nil {
			w.broken = true
		}
		rest = rest[n:]
	}
	return len(p), nil
}

var _ io.Writer = (*frameWriter)(nil)
