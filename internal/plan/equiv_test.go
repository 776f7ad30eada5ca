package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// sameAsFull checks that Decode and the reference DecodeFull agree on in:
// both fail, or both succeed with identical plans. It returns Decode's
// plan and error. DecodeFull may additionally fail with errFullOnly (see
// there); then only Decode's result is returned.
func sameAsFull(t testing.TB, in []byte) (*Plan, error) {
	t.Helper()
	p, err := Decode(bytes.NewReader(in))
	if (err == nil) != (p != nil) {
		t.Fatalf("Decode returned plan %v with error %v", p != nil, err)
	}
	full, ferr := DecodeFull(bytes.NewReader(in))
	if (ferr == nil) != (full != nil) {
		t.Fatalf("DecodeFull returned plan %v with error %v", full != nil, ferr)
	}
	switch {
	case err != nil && ferr == nil:
		t.Fatalf("Decode fails (%v) but DecodeFull accepts", err)
	case err == nil && ferr != nil && !errors.Is(ferr, errFullOnly):
		t.Fatalf("Decode accepts but DecodeFull fails: %v", ferr)
	case err == nil && ferr == nil && !samePlan(p, full):
		t.Fatalf("Decode and DecodeFull differ:\nDecode     %+v\nDecodeFull %+v", p, full)
	}
	return p, err
}

// TestDecodeFullFixtures asserts that the streaming reader and the
// reference decoder give identical plans on every fixture, and fail on the
// same ones; also when the input arrives one byte at a time.
func TestDecodeFullFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("only %d fixtures", len(files))
	}
	fails := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(file, func(t *testing.T) {
			p, err := sameAsFull(t, data)
			if err != nil {
				fails++
				if _, ferr := DecodeFull(bytes.NewReader(data)); ferr == nil || errors.Is(ferr, errFullOnly) {
					t.Errorf("DecodeFull error %v, want the same rejection as Decode (%v)", ferr, err)
				}
				return
			}
			slow, err := Decode(iotest.OneByteReader(bytes.NewReader(data)))
			if err != nil || !samePlan(slow, p) {
				t.Errorf("one byte at a time: %v\n%+v\nwant %+v", err, slow, p)
			}
		})
	}
	// The errored fixtures of both tools.
	if fails != 2 {
		t.Errorf("%d fixtures rejected, want 2 (terraform and tofu errored.json)", fails)
	}
}

// TestDecodeFullTFJSONOnly shows the one documented divergence: parts of
// the plan that Decode does not interpret are typed by terraform-json.
func TestDecodeFullTFJSONOnly(t *testing.T) {
	in := strings.Replace(planJSON(rcDelete), `"errored":false`, `"errored":false,"timestamp":5,"variables":{"x":1}`, 1)
	if _, err := Decode(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeFull(strings.NewReader(in)); !errors.Is(err, errFullOnly) || !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodeFull error %v, want errFullOnly", err)
	}
}

func TestGateOnly(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		all, err := Decode(bytes.NewReader(data))
		if err != nil {
			continue
		}
		slim, err := decodeWithOptions(bytes.NewReader(data), Options{GateOnly: true})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if want := gateOnly(all); !samePlan(slim, want) {
			t.Errorf("%s: GateOnly plan %+v\nwant %+v", file, slim, want)
		}
		r, err := Read(file, Options{GateOnly: true})
		if err != nil || !samePlan(r, slim) {
			t.Errorf("%s: Read with GateOnly = %+v, %v", file, r, err)
		}
	}
	// Something is dropped: the fixture keeps terraform_data.keep (no-op).
	p, err := Read(filepath.Join("testdata", "terraform", "delete.json"), Options{GateOnly: true})
	if err != nil || len(p.Changes) != 1 || p.Changes[0].Kind != KindDelete {
		t.Errorf("GateOnly delete.json: %+v, %v", p, err)
	}
}

// gateOnly filters a plan as GateOnly does.
func gateOnly(p *Plan) *Plan {
	q := *p
	keep := func(cs []Change) []Change {
		var out []Change
		for _, c := range cs {
			if c.GateRelevant() {
				out = append(out, c)
			}
		}
		return out
	}
	q.Changes, q.Deferred, q.Drift = keep(p.Changes), keep(p.Deferred), keep(p.Drift)
	return &q
}

// samePlan reports whether two plans are equal, as reflect.DeepEqual but
// with Prior compared by the objects it holds (its layout follows the
// order the reader met them in).
func samePlan(a, b *Plan) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !a.Prior.Equal(b.Prior) {
		return false
	}
	x, y := *a, *b
	x.Prior, y.Prior = nil, nil
	return reflect.DeepEqual(&x, &y)
}
