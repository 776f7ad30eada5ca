package runner

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"
)

// DefaultSocket is where the client looks for the runner when neither
// --socket nor PLANGUARD_RUNNER_SOCKET says.
const DefaultSocket = "/run/planguard/runner.sock"

// Client talks to a runner.
type Client struct {
	// Socket is the runner's Unix socket.
	Socket string
	// DialTimeout bounds connecting; 0 means 10 seconds.
	DialTimeout time.Duration
	// RunnerUID, when not negative, is the uid the runner must run as
	// (--runner-uid); the process serving the socket must be that uid and
	// own the socket's directory. -1 checks only the directory's owner.
	// (The zero value expects root: set -1 for no uid.)
	RunnerUID int
}

// checkRunner refuses a socket served by anyone but the runner: the uid of
// the process that listens (the kernel's peer credentials, on the client's
// side) must own the socket's directory, and be RunnerUID when set. A
// reviewer who runs `runner show` must see the runner's plan, not one an
// agent's look-alike server prints: only the owner of a directory can put a
// socket in it or replace one.
func (c *Client) checkRunner(conn *net.UnixConn) error {
	peer, err := peerOf(conn)
	if err != nil {
		return fmt.Errorf("cannot tell who serves %s (%w): refused", c.Socket, err)
	}
	dir := filepath.Dir(c.Socket)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("the runner's socket directory: %w", err)
	}
	owner, ok := ownerUID(fi)
	if !ok {
		return fmt.Errorf("cannot read the owner of %s: refused", dir)
	}
	if peer.UID != owner {
		return fmt.Errorf("%s is served by uid %d, but its directory %s belongs to uid %d: that is not the runner (whose socket lives in a directory of its own); refused", c.Socket, peer.UID, dir, owner)
	}
	if c.RunnerUID >= 0 && peer.UID != c.RunnerUID {
		return fmt.Errorf("%s is served by uid %d, not the runner's uid %d (--runner-uid, PLANGUARD_RUNNER_UID): refused", c.Socket, peer.UID, c.RunnerUID)
	}
	return nil
}

// Do sends req, copies the runner's output to out as it comes, and returns
// the final frame. An error means the conversation failed (exit 2).
func (c *Client) Do(req *Request, out io.Writer) (*Frame, error) {
	req.Version = ProtocolVersion
	timeout := c.DialTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	nc, err := net.DialTimeout("unix", c.Socket, timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to the runner at %s: %w", c.Socket, err)
	}
	defer func() { _ = nc.Close() }()
	conn, ok := nc.(*net.UnixConn)
	if !ok {
		return nil, fmt.Errorf("%s: not a Unix socket connection", c.Socket)
	}
	if err := c.checkRunner(conn); err != nil {
		return nil, err
	}
	// Everything the runner sends is printed escaped (TerminalSafe): it
	// holds text the configuration's author wrote.
	safe := NewTerminalWriter(out)
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxRequest {
		return nil, fmt.Errorf("the request is %d bytes, more than the %d a runner accepts", len(b), MaxRequest)
	}
	// A refused peer gets its answer before the request is read: send in
	// the background and read the reply at once.
	sent := make(chan error, 1)
	go func() {
		_, err := conn.Write(append(b, '\n'))
		sent <- err
	}()
	br := bufio.NewReaderSize(conn, 64<<10)
	for {
		line, err := readLine(br, MaxFrame)
		if err != nil {
			if serr := <-sent; serr != nil && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("send the request to the runner: %w", serr)
			}
			return nil, fmt.Errorf("read the runner's reply: %w", err)
		}
		var f Frame
		if err := json.Unmarshal(line, &f); err != nil {
			return nil, fmt.Errorf("read the runner's reply: %w", err)
		}
		if f.Done {
			if err := safe.Flush(); err != nil {
				return nil, err
			}
			f.Error = TerminalSafe(f.Error)
			f.PlanID, f.PlanSHA256 = TerminalSafe(f.PlanID), TerminalSafe(f.PlanSHA256)
			return &f, nil
		}
		if _, err := io.WriteString(safe, f.Out); err != nil {
			return nil, err
		}
	}
}
