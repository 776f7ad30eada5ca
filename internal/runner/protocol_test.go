package runner

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// TestReadRequestCountsEntriesWhileDecoding: a request line of millions of
// tiny file entries is refused when it passes MaxRequestFiles, before the
// entries are allocated (the review measured ~924 MiB for a 48 MiB line).
func TestReadRequestCountsEntriesWhileDecoding(t *testing.T) {
	n := (MaxRequest - 100) / 3
	var b bytes.Buffer
	b.WriteString(`{"version":1,"op":"plan","files":[{}`)
	for i := 1; i < n; i++ {
		b.WriteString(`,{}`)
	}
	b.WriteString("]}\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := readRequest(bytes.NewReader(b.Bytes()))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than 10000 files") {
		t.Fatalf("err = %v, want more than 10000 files", err)
	}
	// The line itself (48 MiB, read into memory) and the reader's copies;
	// not 40 bytes per entry for millions of entries.
	if got := after.TotalAlloc - before.TotalAlloc; got > 320<<20 {
		t.Errorf("decoding allocated %d MiB", got>>20)
	}
	var a bytes.Buffer
	a.WriteString(`{"version":1,"op":"apply","plan_id":"x","approvals":[""`)
	for i := 1; i < 40; i++ {
		a.WriteString(`,""`)
	}
	a.WriteString("]}\n")
	if _, err := readRequest(bytes.NewReader(a.Bytes())); err == nil || !strings.Contains(err.Error(), "more than 32 plan approvals") {
		t.Fatalf("err = %v, want more than 32 plan approvals", err)
	}
	ok := `{"version":1,"op":"plan","files":[{"path":"main.tf","data":"eA=="}]}` + "\n"
	req, err := readRequest(strings.NewReader(ok))
	if err != nil || len(req.Files) != 1 || string(req.Files[0].Data) != "x" {
		t.Fatalf("%v %+v", err, req)
	}
	if _, err := readRequest(strings.NewReader(`{"version":1,"op":"plan","files":[{"path":"a","data":"","x":1}]}` + "\n")); err == nil {
		t.Fatal("an unknown field in a file entry was accepted")
	}
}

// TestReadRequestConfig: config is a show's alone, and not with reveal.
func TestReadRequestConfig(t *testing.T) {
	if req, err := readRequest(strings.NewReader(`{"version":1,"op":"show","plan_id":"x","config":true}` + "\n")); err != nil || !req.Config {
		t.Fatalf("show --config: %+v %v", req, err)
	}
	for _, bad := range []string{
		`{"version":1,"op":"show","plan_id":"x","config":true,"reveal":true}`,
		`{"version":1,"op":"apply","plan_id":"x","config":true}`,
		`{"version":1,"op":"plan","config":true}`,
	} {
		if _, err := readRequest(strings.NewReader(bad + "\n")); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
