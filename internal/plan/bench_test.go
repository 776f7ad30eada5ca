package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/planguard/terraform-provider-planguard/scripts/bench/gen"
)

// benchPlans are generated plans (package gen, from a real fixture), by
// number of resource changes, made once.
var benchPlans = sync.OnceValues(func() (map[int][]byte, error) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "terraform", "destroy.json"))
	if err != nil {
		return nil, err
	}
	plans := map[int][]byte{}
	for _, n := range []int{1000, 10000} {
		var b bytes.Buffer
		if err := gen.Plan(&b, fixture, n, 5); err != nil {
			return nil, err
		}
		plans[n] = b.Bytes()
	}
	return plans, nil
})

// benchDecoders runs decode on each generated plan, reporting MB/s.
func benchDecoders(b *testing.B, decode func([]byte) (int, error)) {
	plans, err := benchPlans()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000} {
		data := plans[n]
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				changes, err := decode(data)
				if err != nil {
					b.Fatal(err)
				}
				if changes == 0 {
					b.Fatal("no changes")
				}
			}
		})
	}
}

// BenchmarkDecode is the streaming reader, keeping every change.
func BenchmarkDecode(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		return len(p.Changes), nil
	})
}

// BenchmarkDecodeGateOnly is the streaming reader as `planguard check`
// should use it, keeping only the changes the gate judges.
func BenchmarkDecodeGateOnly(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		p, err := decodeWithOptions(bytes.NewReader(data), Options{GateOnly: true})
		if err != nil {
			return 0, err
		}
		return len(p.Changes), nil
	})
}

// BenchmarkDecodeKeepAllPrior is BenchmarkDecodeGateOnly with every
// terraform_data protected, so that every prior object is kept for
// matching by id: the most a state costs the reader (see B/op).
func BenchmarkDecodeKeepAllPrior(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		p, err := decodeWithOptions(bytes.NewReader(data), Options{GateOnly: true, KeepPrior: func(_, typ, _, _ string) bool { return typ == "terraform_data" }})
		if err != nil {
			return 0, err
		}
		if p.Prior.Len() == 0 {
			return 0, fmt.Errorf("no prior objects kept")
		}
		return len(p.Changes), nil
	})
}

// BenchmarkDecodeFull is the reference decoder.
func BenchmarkDecodeFull(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		p, err := DecodeFull(bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		return len(p.Changes), nil
	})
}

// BenchmarkTFJSON is json.Unmarshal into terraform-json's tfjson.Plan
// alone, what tools that decode the whole plan do.
func BenchmarkTFJSON(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		var p tfjson.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			return 0, err
		}
		return len(p.ResourceChanges), nil
	})
}

// BenchmarkTokens is the previous reader: strict, streaming, token by
// token on encoding/json's Decoder.Token (now the strictness walk of
// DecodeFull).
func BenchmarkTokens(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		p, err := tokenDecode(bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		return len(p.Changes), nil
	})
}

// BenchmarkSkip is the scanner alone validating the whole plan without
// interpreting anything: the ceiling of the reader's speed.
func BenchmarkSkip(b *testing.B) {
	benchDecoders(b, func(data []byte) (int, error) {
		s := newScanner(bytes.NewReader(data), nil)
		return 1, s.skipValue()
	})
}
