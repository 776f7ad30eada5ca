package shell

import (
	"strings"
	"testing"
	"time"
)

// TestLimits: inputs built to make the analysis slow or huge stay fast,
// and what the hook does not expand it does not allow blindly.
func TestLimits(t *testing.T) {
	cases := []struct {
		cmd   string
		allow bool
	}{
		{strings.Repeat("{a,b}", 40), false}, // a program name the hook does not expand is refused
		{strings.Repeat("{a,b}", 40) + " destroy", false},
		{"terraform " + strings.Repeat("{apply,plan}", 40), false},
		{"echo " + strings.Repeat("{a,b}", 40), true},
		{strings.Repeat("$(", 500) + strings.Repeat(")", 500), false},
		{strings.Repeat("eval ", 5000) + "terraform destroy", false},
		{strings.Repeat("(", 3000) + "ls" + strings.Repeat(")", 3000), true},
		{strings.Repeat("echo a; ", MaxCommand/8), true},
		{strings.Repeat("echo a; ", MaxCommand/8+1), false},
		{"alias a=b b=a; a", true},
		{strings.Repeat("sh -c \"", 20) + "terraform destroy" + strings.Repeat("\"", 20), false},
	}
	for _, c := range cases {
		start := time.Now()
		r := Analyze(c.cmd, testOpts)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.60q took %v", c.cmd, d)
		}
		if r.Allowed() != c.allow {
			t.Errorf("%.60q: allowed %v, want %v (%q)", c.cmd, r.Allowed(), c.allow, r.Refused)
		}
	}
}
