package sshsig

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no panic; an accepted signature re-marshals to a signature
// that parses to the same key, namespace and hash, and verifying it over a
// message it did not sign is an error value, not a crash.
func FuzzParse(f *testing.F) {
	f.Add(armorBegin + "\nU1NIU0lHAAAAAQ==\n" + armorEnd)
	if sigs, _ := filepath.Glob(filepath.Join("testdata", "*.sig")); len(sigs) > 0 {
		for _, s := range sigs {
			b, _ := os.ReadFile(s)
			f.Add(string(b))
		}
	}
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := Parse(s)
		if err != nil {
			if sig != nil {
				t.Fatal("error with a result")
			}
			return
		}
		again, err := Parse(sig.Marshal())
		if err != nil {
			t.Fatalf("re-marshalled signature does not parse: %v", err)
		}
		if again.Namespace != sig.Namespace || again.HashAlgorithm != sig.HashAlgorithm || string(again.PublicKey.Marshal()) != string(sig.PublicKey.Marshal()) {
			t.Fatal("round trip changed the signature")
		}
		// The seeds sign other bytes; a fuzzer finding a signature that
		// verifies over this message would have forged one.
		if sig.Verify(testMessage, testNamespace) == nil {
			t.Fatal("forged signature verified")
		}
	})
}
