package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const revokedHead = "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n  revoked_keys    = \"revoked\"\n}\nprotect \"r\" {\n  types = [\"x\"]\n}\n"

// TestRevokedKeys: trust { revoked_keys = "FILE" } names a revocation file
// relative to the policy file, which Load reads; the policy hash covers it
// (after allowed_signers, as documented); a missing file is an error,
// never "nothing is revoked".
func TestRevokedKeys(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"ci/planguard.hcl": revokedHead, "ci/allowed_signers": signer, "ci/revoked": signer, "revoked": "decoy"})
	t.Chdir(dir)
	p, err := Load(filepath.Join("ci", "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if p.RevokedKeysPath != filepath.Join(dir, "ci", "revoked") && p.RevokedKeysPath != filepath.Join("ci", "revoked") || string(p.RevokedKeys) != signer {
		t.Fatalf("revoked keys %q from %s", p.RevokedKeys, p.RevokedKeysPath)
	}
	sum := func(s string) string { b := sha256.Sum256([]byte(s)); return hex.EncodeToString(b[:]) }
	manifest := "planguard policy-hash v1\npolicy " + sum(revokedHead) + "\nallowed_signers " + sum(signer) + "\nrevoked_keys " + sum(signer) + "\n"
	if m, err := p.HashManifest(); err != nil || string(m) != manifest {
		t.Fatalf("manifest %q, %v; want %q", m, err, manifest)
	}
	if tf := p.TrustFiles(); len(tf) != 2 || tf[1].Name != "revoked_keys" {
		t.Fatalf("TrustFiles %+v", tf)
	}
	// An empty revocation file is read (it revokes nothing) and hashed.
	os.WriteFile(filepath.Join(dir, "ci", "revoked"), nil, 0o644)
	q, err := Load(filepath.Join("ci", "planguard.hcl"))
	if err != nil || q.RevokedKeys == nil || q.Hash == p.Hash {
		t.Fatalf("empty revocation file: %v, %q, hash changed %v", err, q.RevokedKeys, q.Hash != p.Hash)
	}
	// Missing, or a directory: an error naming the policy line.
	for _, setup := range []func(){
		func() { os.Remove(filepath.Join(dir, "ci", "revoked")) },
		func() { os.Mkdir(filepath.Join(dir, "ci", "revoked"), 0o755) },
	} {
		setup()
		if _, err := Load(filepath.Join("ci", "planguard.hcl")); err == nil || !strings.Contains(err.Error(), "planguard.hcl:4") || !strings.Contains(err.Error(), "revocation file") {
			t.Errorf("unreadable revocation file: %v", err)
		}
	}
	// A policy without revoked_keys has none, and its manifest no line.
	r, err := Parse([]byte(head+"protect \"r\" { types = [\"x\"] }\n"), "p.hcl")
	if err != nil || r.RevokedKeysPath != "" {
		t.Fatalf("%v %q", err, r.RevokedKeysPath)
	}
	for name, src := range map[string]string{
		"empty":      "scope = \"p\"\ntrust {\n  allowed_signers = \"a\"\n  revoked_keys = \"\"\n}\nprotect \"r\" { types = [\"x\"] }\n",
		"not string": "scope = \"p\"\ntrust {\n  allowed_signers = \"a\"\n  revoked_keys = [\"a\"]\n}\nprotect \"r\" { types = [\"x\"] }\n",
	} {
		if _, err := Parse([]byte(src), "p.hcl"); err == nil || !strings.Contains(err.Error(), "revoked_keys") || !strings.Contains(err.Error(), "p.hcl:4") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
