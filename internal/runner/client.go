package runner

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
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
}

// Do sends req, copies the runner's output to out as it comes, and returns
// the final frame. An error means the conversation failed (exit 2).
func (c *Client) Do(req *Request, out io.Writer) (*Frame, error) {
	req.Version = ProtocolVersion
	timeout := c.DialTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	conn, err := net.DialTimeout("unix", c.Socket, timeout)
	if err != nil {
		return nil, fmt.Errorf("connect to the runner at %s: %w", c.Socket, err)
	}
	defer func() { _ = conn.Close() }()
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
			return &f, nil
		}
		if _, err := io.WriteString(out, f.Out); err != nil {
			return nil, err
		}
	}
}
