package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// TestHashCoversPolicyAndTrust: the policy hash is the SHA-256 of the
// documented manifest, and a byte changed in the policy or in the trust
// file it names changes it; the place of the files does not.
func TestHashCoversPolicyAndTrust(t *testing.T) {
	src := head + "protect \"r\" {\n  types = [\"x\"]\n}\n"
	dir := writeFiles(t, t.TempDir(), map[string]string{"p/planguard.hcl": src, "p/allowed_signers": signer})
	path := filepath.Join(dir, "p", "planguard.hcl")
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	manifest := "planguard policy-hash v1\npolicy " + sum([]byte(src)) + "\nallowed_signers " + sum([]byte(signer)) + "\n"
	got, err := p.HashManifest()
	if err != nil || string(got) != manifest {
		t.Fatalf("manifest %q, %v; want %q", got, err, manifest)
	}
	if p.Hash != sum([]byte(manifest)) {
		t.Fatalf("Hash %s, want %s", p.Hash, sum([]byte(manifest)))
	}
	if tf := p.TrustFiles(); len(tf) != 1 || tf[0].Name != "allowed_signers" || tf[0].Path != filepath.Join(dir, "p", "allowed_signers") {
		t.Errorf("TrustFiles %+v", tf)
	}
	// Elsewhere, same bytes: same hash.
	other := writeFiles(t, t.TempDir(), map[string]string{"x/y/planguard.hcl": src, "x/y/allowed_signers": signer})
	if q, err := Load(filepath.Join(other, "x", "y", "planguard.hcl")); err != nil || q.Hash != p.Hash {
		t.Errorf("moved copy: %v %s", err, q.Hash)
	}
	// Any byte of either file changes it.
	for _, tt := range []struct{ file, content string }{
		{"allowed_signers", signer + "#"},
		{"allowed_signers", "# a comment\n" + signer},
		{"allowed_signers", signer[:len(signer)-2] + "f\n"},
		{"planguard.hcl", src + "\n"},
		{"planguard.hcl", " " + src},
	} {
		d := writeFiles(t, t.TempDir(), map[string]string{"planguard.hcl": src, "allowed_signers": signer})
		os.WriteFile(filepath.Join(d, tt.file), []byte(tt.content), 0o644)
		q, err := Load(filepath.Join(d, "planguard.hcl"))
		if err != nil {
			continue // refused outright is fine too
		}
		if q.Hash == p.Hash || len(q.Hash) != 64 {
			t.Errorf("%s changed to %q: hash %q unchanged", tt.file, tt.content, q.Hash)
		}
	}
	// A policy that was only parsed has no hash and no manifest.
	parsed, err := Parse([]byte(src), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parsed.HashManifest(); err == nil || parsed.Hash != "" || parsed.TrustFiles() != nil {
		t.Errorf("parsed policy: hash %q, manifest error %v", parsed.Hash, err)
	}
}
