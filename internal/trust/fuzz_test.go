package trust

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// FuzzParseAllowedSigners: any input parses to an error or to entries that
// are internally consistent; never a panic.
func FuzzParseAllowedSigners(f *testing.F) {
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	for _, s := range []string{
		"alice@example.com " + pub,
		`"a@b,c@d" namespaces="planguard-approval",valid-after="20260101Z",valid-before="202701010000Z" ` + pub + " comment",
		"*@example.com,!mallory@example.com verify-required " + pub,
		"# comment\n\n" + "a cert-authority " + pub,
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "allowed_signers")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ParseAllowedSigners(data, "fuzz", ParseOptions{})
		if err != nil {
			if as != nil {
				t.Fatal("error with a result")
			}
			return
		}
		if len(as.Entries) == 0 {
			t.Fatal("accepted a file without signers")
		}
		for _, e := range as.Entries {
			if e.Key == nil || e.Principals == "" || e.Line < 1 {
				t.Fatalf("inconsistent entry %+v", e)
			}
			if !e.ValidAfter.IsZero() && !e.ValidBefore.IsZero() && !e.ValidBefore.After(e.ValidAfter) {
				t.Fatalf("empty validity window accepted: %+v", e)
			}
			// Authorize never panics and never trusts a key for a principal
			// no line listing that key matches (another line may list the
			// same key for a pattern that does: that line trusts it).
			const nobody = "nobody-matches-this\x00"
			if _, err := as.authorizeKey(nobody, e.Key, "planguard-approval", time.Now()); err == nil &&
				!slices.ContainsFunc(as.Entries, func(x Entry) bool {
					return !x.CertAuthority && bytes.Equal(x.Key.Marshal(), e.Key.Marshal()) && matchPatternList(nobody, x.Principals) == 1
				}) {
				t.Fatalf("authorized an unmatched principal")
			}
		}
	})
}
