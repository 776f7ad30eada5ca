// Package runner is planguard's local runner: a service that holds the
// apply credentials on behalf of an agent that has none. A client (the
// agent) sends a configuration over a Unix socket; the runner plans it in a
// directory of its own with its own CLI configuration, runs the gate on the
// saved plan, and later applies exactly that plan when the gate and enough
// plan approvals allow it. The credentials are the environment of the
// runner's Terraform (its providers, the pinned backend,
// terraform_remote_state); never a value of the configuration, never a
// reply.
//
// The package has three layers: the protocol (this file: JSON lines over a
// stream, bounded), the service (Service: plan, apply, show, each audited),
// and the front door (Server: the socket, peer credentials, one goroutine
// per connection, graceful shutdown). Client is the other end.
package runner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ProtocolVersion is the version every request carries; a runner refuses
// any other.
const ProtocolVersion = 1

// Ops a request can ask for.
const (
	OpPlan  = "plan"
	OpApply = "apply"
	OpShow  = "show"
)

// Exit codes a reply ends with; the client exits with them.
const (
	ExitAllow = 0 // plan: the gate would allow; apply: applied; show: shown
	ExitBlock = 1 // plan: the gate would block; apply: refused, nothing ran
	ExitError = 2 // anything else, including a refused peer; also blocks
)

// Protocol bounds.
const (
	// MaxRequest bounds one request line: the configuration (base64) and
	// the plan approvals.
	MaxRequest = 48 << 20
	// MaxFrame bounds one reply line the client accepts.
	MaxFrame = 1 << 20
	// MaxApprovals bounds the plan approvals one apply request carries.
	MaxApprovals = 32
	// MaxRequestFiles bounds the file entries of one request, counted
	// while decoding (a request line of millions of tiny entries would
	// otherwise take gigabytes before the service's own limit, Limits.
	// MaxFiles, sees it).
	MaxRequestFiles = 10000
)

// Request is the one message a client sends: a JSON object on one line.
type Request struct {
	Version int    `json:"version"`
	Op      string `json:"op"`
	// Files is the configuration to plan (OpPlan).
	Files FileList `json:"files,omitempty"`
	// PlanID names a plan made earlier (OpApply, OpShow).
	PlanID string `json:"plan_id,omitempty"`
	// Reveal asks a show to print the plan's masked values (OpShow; the
	// runner allows it to its reviewer uids only).
	Reveal bool `json:"reveal,omitempty"`
	// Config asks a show to print the configuration files the plan was
	// made from, as uploaded (OpShow; any allowed uid).
	Config bool `json:"config,omitempty"`
	// Approvals are plan approval files, as read from disk (OpApply).
	Approvals ApprovalList `json:"approvals,omitempty"`
}

// FileList is a request's files; decoding it stops at more than
// MaxRequestFiles entries, before allocating them.
type FileList []File

// UnmarshalJSON implements json.Unmarshaler.
func (l *FileList) UnmarshalJSON(b []byte) error {
	v, err := decodeBounded[File](b, MaxRequestFiles, "files")
	*l = v
	return err
}

// ApprovalList is a request's plan approvals; decoding it stops at more
// than MaxApprovals entries.
type ApprovalList [][]byte

// UnmarshalJSON implements json.Unmarshaler.
func (l *ApprovalList) UnmarshalJSON(b []byte) error {
	v, err := decodeBounded[[]byte](b, MaxApprovals, "plan approvals")
	*l = v
	return err
}

// decodeBounded decodes the JSON array b (or null) one element at a time,
// and fails as soon as it has more than limit elements.
func decodeBounded[T any](b []byte, limit int, what string) ([]T, error) {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%s: want an array", what)
	}
	var out []T
	for dec.More() {
		if len(out) >= limit {
			return nil, fmt.Errorf("more than %d %s in one request", limit, what)
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// File is one file of a configuration: a slash-separated path relative to
// the configuration's root, and its content.
type File struct {
	Path string `json:"path"`
	Data []byte `json:"data"`
}

// Frame is one reply line. A reply is any number of output frames, then
// exactly one final frame (Done set), after which the runner closes the
// connection.
type Frame struct {
	// Out is text for the client's standard output.
	Out string `json:"out,omitempty"`
	// Done marks the final frame, with Exit, and Error when Exit is
	// ExitError.
	Done  bool   `json:"done,omitempty"`
	Exit  int    `json:"exit,omitempty"`
	Error string `json:"error,omitempty"`
	// PlanID and PlanSHA256 name the plan a plan request made.
	PlanID     string `json:"plan_id,omitempty"`
	PlanSHA256 string `json:"plan_sha256,omitempty"`
}

// readRequest reads and validates the one request line of a connection.
func readRequest(r io.Reader) (*Request, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxRequest+1), 64<<10)
	line, err := readLine(br, MaxRequest)
	if err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var req Request
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("read request: %w", err)
	}
	if dec.More() {
		return nil, errors.New("read request: data after the request object")
	}
	if req.Version != ProtocolVersion {
		return nil, fmt.Errorf("request protocol version %d; this runner speaks %d (use the planguard release the runner runs)", req.Version, ProtocolVersion)
	}
	switch req.Op {
	case OpPlan:
		if req.PlanID != "" || len(req.Approvals) > 0 || req.Reveal || req.Config {
			return nil, errors.New("a plan request carries files only")
		}
	case OpApply, OpShow:
		if len(req.Files) > 0 {
			return nil, fmt.Errorf("a %s request carries no files", req.Op)
		}
		if req.Op == OpApply && (req.Reveal || req.Config) {
			return nil, errors.New("an apply request reveals nothing (show --reveal, show --config)")
		}
		if req.Reveal && req.Config {
			return nil, errors.New("a show request asks for the masked values (--reveal) or the configuration (--config), not both")
		}
		if req.Op == OpShow && len(req.Approvals) > 0 {
			return nil, errors.New("a show request carries no approvals")
		}
		if len(req.Approvals) > MaxApprovals {
			return nil, fmt.Errorf("%d plan approvals; at most %d", len(req.Approvals), MaxApprovals)
		}
	default:
		return nil, fmt.Errorf("unknown op %q (plan, apply, show)", req.Op)
	}
	return &req, nil
}

// readLine reads one '\n'-terminated line of at most max bytes.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > limit+1 {
			return nil, fmt.Errorf("message longer than %d bytes", limit)
		}
		if len(line)+len(chunk) > cap(line) { // double: append grows a large slice by 1.25
			grown := make([]byte, len(line), max(2*cap(line), len(line)+len(chunk)))
			copy(grown, line)
			line = grown
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > limit:
			return nil, fmt.Errorf("message longer than %d bytes", limit)
		case errors.Is(err, io.EOF):
			return nil, errors.New("connection closed before the end of the message")
		default:
			return nil, err
		}
	}
}

// writeJSONLine writes v as one JSON line.
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
