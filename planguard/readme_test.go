package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeExample keeps the README's ten-line example true: its policy
// parses and judges the bundled plan as the full quickstart policy does,
// and every line of output it shows is in the real output.
func TestReadmeExample(t *testing.T) {
	readme := readFile(t, "../README.md")
	block := func(fence string) string {
		_, after, ok := strings.Cut(readme, "\n```"+fence+"\n")
		if !ok {
			t.Fatalf("README has no %s block", fence)
		}
		body, _, _ := strings.Cut(after, "\n```\n")
		return body
	}
	shown := block("console")
	if !strings.HasPrefix(shown, "$ go run ./planguard check --policy examples/quickstart/planguard.hcl examples/quickstart/plan.json\n") {
		t.Fatalf("README console block:\n%s", shown)
	}
	// The abridged policy, beside the quickstart's trust file.
	dir := t.TempDir()
	abridged := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(abridged, []byte(block("hcl")+"\n"), 0o600)
	signers, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), signers, 0o600)
	for _, pol := range []string{qsPolicy, abridged} {
		code, out, errs := runCLI(t, "", nil, "check", "--policy", pol, qsPlan)
		if code != exitBlock {
			t.Fatalf("%s: exit %d\n%s", pol, code, errs)
		}
		lines := strings.Split(shown, "\n")
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "$ ") || l == "1" || l == "…" || l == "" {
				continue
			}
			if !strings.Contains(out, l+"\n") {
				t.Errorf("%s: the README shows %q, which check does not print:\n%s", pol, l, out)
			}
		}
	}
}
