package shell

import (
	"fmt"
	"strings"
	"testing"
)

// limitCases are inputs built to make the analysis slow or huge.
var limitCases = []struct {
	cmd   string
	allow bool
}{
	{strings.Repeat("{a,b}", 40), false}, // a program name the hook does not expand is refused
	{strings.Repeat("{a,b}", 40) + " destroy", false},
	{"terraform " + strings.Repeat("{apply,plan}", 40), false},
	{"echo " + strings.Repeat("{a,b}", 40), false}, // more words than the hook checks (review hook38 H1)
	{strings.Repeat("$(", 500) + strings.Repeat(")", 500), false},
	{strings.Repeat("eval ", 5000) + "terraform destroy", false},
	{strings.Repeat("(", 3000) + "ls" + strings.Repeat(")", 3000), false}, // past nesting.Max
	{strings.Repeat("echo a; ", MaxCommand/8), true},
	{strings.Repeat("echo a; ", MaxCommand/8+1), false},
	{"alias a=b b=a; a", true},
	{strings.Repeat("sh -c \"", 20) + "terraform destroy" + strings.Repeat("\"", 20), false},
	// Programs named behind unknown programs, each judged over what follows.
	{"x " + strings.Repeat("nice y ", 4000), false},
	{"x " + strings.Repeat("sh -c ", 8000), false},
	{strings.Repeat("f() { f; }; ", 3000) + "f <<< x", true},
}

// TestLimits: what the hook does not expand it does not allow blindly.
// How fast each input is analysed is BenchmarkLimits' to measure (a wall
// time bound here was flaky under -race on a loaded machine).
func TestLimits(t *testing.T) {
	for _, c := range limitCases {
		r := Analyze(c.cmd, testOpts)
		if r.Allowed() != c.allow {
			t.Errorf("%.60q: allowed %v, want %v (%q)", c.cmd, r.Allowed(), c.allow, r.Refused)
		}
	}
}

// BenchmarkLimits measures the analysis of each input built to make it
// slow or huge (go test ./internal/shell -run '^$' -bench Limits).
func BenchmarkLimits(b *testing.B) {
	for i, c := range limitCases {
		b.Run(fmt.Sprintf("case%02d", i), func(b *testing.B) {
			for b.Loop() {
				Analyze(c.cmd, testOpts)
			}
		})
	}
}
