package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chunkReader reads in small chunks of varying sizes (1 to 23 bytes), so
// that tokens, runes and escapes are split across reads.
type chunkReader struct {
	r *bytes.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	c.n = c.n%23 + 1
	return c.r.Read(p[:min(len(p), c.n)])
}

// FuzzDecode checks the streaming reader against the reference decoder on
// arbitrary input. Properties:
//
//   - Decode never panics, returns a plan exactly when it returns no error,
//     and its errors always wrap one of the package's sentinels;
//   - Decode gives the same result whatever the read sizes;
//   - GateOnly keeps exactly the delete, replace, forget and update changes;
//   - with KeepAfterString, Decode and DecodeFullKeeping agree likewise,
//     except that Decode also fails on a duplicate member name nested in
//     the after value of a change whose strings it collects (the reference
//     sees only the last value there);
//   - Decode and DecodeFull agree: both fail, or both succeed with identical
//     plans. The one divergence by design: DecodeFull also fails (with
//     errFullOnly) when terraform-json's types or validation reject a part of
//     the plan that Decode does not interpret and only checks to be valid
//     JSON; the test accepts that and nothing else. (Duplicate keys are
//     rejected by both, in exactly the objects Decode interprets: the
//     reference's strictness walk checks the same objects.)
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	del, err := os.ReadFile(filepath.Join("testdata", "terraform", "delete.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		priorOrderPlan,
		commandsPlan,
		string(del[:len(del)/2]),
		strings.Replace(string(del), `{"format_version":"1.2",`, `{"format_version":"1.2","format_version":"2.0",`, 1),
		strings.Replace(string(del), `"format_version":"1.2"`, `"format_version":"2.0"`, 1),
		strings.Replace(string(del), `"id":`, `"i\u0064":"x","id":`, 1),
		strings.Replace(string(del), `"prod-db"`, "\"prod\xff\"", 1),
		string(del) + "{}",
		planJSON(approvalChange("a", `["create"]`, `null`, approvalValue, `{"id":true}`), rcDelete),
		planJSON(approvalChange("u", `["create"]`, `null`, `{}`, `true`), approvalChange("k", `["no-op"]`, approvalValue, approvalValue, `{"signatures":[{"signature":true}]}`)),
		strings.Replace(planJSON(rcDelete), `"resource_changes":`, `"resource_drift":[`+strings.Replace(rcDelete, `["delete"]`, `["update"]`, 1)+`],"deferred_changes":[{"reason":"provider_config_unknown","resource_change":`+rcDelete+`}],"resource_changes":`, 1),
		`{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[{"address":"x.y","mode":"managed","type":"x","change":{"actions":["update"],"before":{"a":1,"b":[1.0]},"after":{"a":1.0,"b":[1e0]},"after_unknown":{"c":[false,{"d":true}]}}}]}`,
		planJSON(hostChange("local_file.c", "managed", "local_file", local, `["delete","create"]`, `{"filename":"/srv/old","id":"1"}`, `{"filename":"/srv/new"}`, `{"id":true}`),
			hostChange("data.archive_file.z", "data", "archive_file", local, `["read"]`, `null`, `{"output_path":"/a","output_path":"/b"}`, `{"output_path":[true]}`)),
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(planJSON(rcCreateNoID, rcReplaceNoID)))
	keep := func(v string) bool { return strings.Contains(strings.ToLower(v), "prod") }
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if (err == nil) != (p != nil) {
			t.Fatalf("Decode returned a plan: %v, and error %v", p != nil, err)
		}
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNotAPlan) && !errors.Is(err, ErrUnsupportedFormat) && !errors.Is(err, ErrErrored) && !errors.Is(err, ErrEdited) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		slow, serr := Decode(&chunkReader{r: bytes.NewReader(data)})
		if (serr == nil) != (err == nil) || !samePlan(slow, p) {
			t.Fatalf("small reads give %+v, %v; want %+v, %v", slow, serr, p, err)
		}
		slim, gerr := decodeWithOptions(bytes.NewReader(data), Options{GateOnly: true})
		if (gerr == nil) != (err == nil) || (err == nil && !samePlan(slim, gateOnly(p))) {
			t.Fatalf("GateOnly gives %+v, %v; want %+v", slim, gerr, p)
		}
		sameAsFull(t, data)
		kept, kerr := decodeWithOptions(bytes.NewReader(data), Options{KeepAfterString: keep})
		if err != nil && kerr == nil {
			t.Fatalf("KeepAfterString accepts what Decode rejects (%v)", err)
		}
		if kerr != nil && err == nil && (!errors.Is(kerr, ErrMalformed) || !strings.Contains(kerr.Error(), "duplicate key")) {
			t.Fatalf("KeepAfterString fails (%v) where Decode does not, and not on a duplicate key", kerr)
		}
		if kerr == nil {
			full, ferr := decodeFullKeeping(bytes.NewReader(data), keep)
			switch {
			case ferr != nil && !errors.Is(ferr, errFullOnly):
				t.Fatalf("KeepAfterString: Decode accepts, DecodeFullKeeping fails: %v", ferr)
			case ferr == nil && !samePlan(kept, full):
				t.Fatalf("KeepAfterString: Decode and DecodeFullKeeping differ:\n%+v\n%+v", kept, full)
			}
		}
	})
}
