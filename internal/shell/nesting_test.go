package shell

import (
	"strings"
	"testing"
)

// TestDeepNestingRefused: brackets nested 100000 deep (or past 512) are
// refused with a reason, in the line and in a script the line runs, before
// the parser recurses into them (100000 parentheses overflow its stack).
func TestDeepNestingRefused(t *testing.T) {
	n := 100000
	for name, cmd := range map[string]string{
		"subshells":       strings.Repeat("(", n) + "ls" + strings.Repeat(")", n),
		"just past":       strings.Repeat("(", 513) + "ls" + strings.Repeat(")", 513),
		"in bash -c":      "bash -c '" + strings.Repeat("(", n) + "ls" + strings.Repeat(")", n) + "'",
		"closers quoted":  strings.Repeat(`$(echo ")" `, 20000),
		"parameter words": "echo " + strings.Repeat("${a:-", 40000),
	} {
		r := Analyze(cmd, testOpts)
		if r.Allowed() || !strings.Contains(strings.Join(r.Refused, " "), "levels deep") {
			t.Errorf("%s: %q", name, r.Refused)
		}
	}
	// 512 parentheses around a word are arithmetic to bash and the parser
	// alike: a number, since arithmetic over a variable from the
	// environment is refused.
	if r := Analyze(strings.Repeat("(", 512)+"1"+strings.Repeat(")", 512), testOpts); !r.Allowed() {
		t.Errorf("512 levels: %q", r.Refused)
	}
}
