package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type jsonRenderer struct{}

// Render writes the report as indented JSON, byte for byte what
// json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false) writes for
// the whole report, but one change and one approval at a time: a report of
// a huge plan is never built as one string.
func (jsonRenderer) Render(w io.Writer, r *gate.Report) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)

	// The head: the report without its two lists, which are last.
	head := *r
	head.Changes, head.Approvals = []gate.Change{}, []gate.Approval{}
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	const tail = "\"changes\": [],\n  \"approvals\": []\n}\n"
	h := buf.Bytes()
	if !bytes.HasSuffix(h, []byte(tail)) {
		return fmt.Errorf("encode report: unexpected layout %q", h)
	}
	// bufio.Writer keeps its first error; Flush returns it.
	_, _ = bw.Write(h[:len(h)-len(tail)])

	enc.SetIndent("    ", "  ")
	list := func(name string, n int, elem func(i int) any) error {
		fmt.Fprintf(bw, "%q: [", name)
		for i := range n {
			buf.Reset()
			if err := enc.Encode(elem(i)); err != nil {
				return fmt.Errorf("encode report %s: %w", name, err)
			}
			if i > 0 {
				_ = bw.WriteByte(',')
			}
			_, _ = bw.WriteString("\n    ")
			_, _ = bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		}
		if n > 0 {
			_, _ = bw.WriteString("\n  ")
		}
		_ = bw.WriteByte(']')
		return nil
	}
	if err := list("changes", len(r.Changes), func(i int) any { return r.Changes[i] }); err != nil {
		return err
	}
	_, _ = bw.WriteString(",\n  ")
	if err := list("approvals", len(r.Approvals), func(i int) any { return r.Approvals[i] }); err != nil {
		return err
	}
	_, _ = bw.WriteString("\n}\n")
	return bw.Flush()
}

// failedReport is the JSON document of a failed check.
type failedReport struct {
	Version  int           `json:"version"`
	Decision gate.Decision `json:"decision"`
	Error    string        `json:"error"`
}

// Failed writes {"version":1,"decision":"error","error":"…"}.
func (jsonRenderer) Failed(w io.Writer, err error) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(failedReport{Version: 1, Decision: gate.Failed, Error: err.Error()})
}
