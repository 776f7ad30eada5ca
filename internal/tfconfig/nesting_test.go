package tfconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestDeepNestingRefused: a .tf file nested 100000 levels deep is an error
// naming it (planguard verify exits 2), not a stack overflow.
func TestDeepNestingRefused(t *testing.T) {
	for name, src := range map[string]string{
		"brackets":           "locals {\n  x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n",
		"closers in strings": "locals {\n  x = " + strings.Repeat(`["]", `, 100000) + "\n}\n",
	} {
		p := filepath.Join(t.TempDir(), "deep.tf")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load([]string{p}); err == nil || !strings.Contains(err.Error(), "parse "+p+": ") || !strings.Contains(err.Error(), "nested more than 512 levels deep") {
			t.Errorf("%s: Load: %v", name, err)
		}
		if _, err := AddSignature([]byte(src), p, "x", plan.Signature{Principal: "a", Signature: "s"}); err == nil || !strings.Contains(err.Error(), "nested more than 512") {
			t.Errorf("%s: AddSignature: %v", name, err)
		}
	}
}
