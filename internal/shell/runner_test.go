package shell

import "testing"

// TestRunnerCommands: the agent plans and applies through the runner, and
// never signs a plan approval.
func TestRunnerCommands(t *testing.T) {
	for _, c := range []struct {
		cmd     string
		refused bool
	}{
		{"planguard runner plan", false},
		{"planguard runner plan infra/prod", false},
		{"planguard runner show 0123456789abcdef0123456789abcdef", false},
		{"planguard runner apply --approval pa.json 0123456789abcdef0123456789abcdef", false},
		{"planguard approve-plan --plan-sha256 abc --scope prod --principal a --out pa.json", true},
		{"./bin/planguard approve-plan --plan-sha256 abc", true},
	} {
		res := Analyze(c.cmd, testOpts)
		if refused := !res.Allowed(); refused != c.refused {
			t.Errorf("%q: refused %v (%v), want %v", c.cmd, refused, res.Refused, c.refused)
		}
		if len(res.Applies) != 0 {
			t.Errorf("%q: reads as an apply of a saved plan: %+v", c.cmd, res.Applies)
		}
	}
}
