package shell

import "testing"

// Found while fixing review hook93: a variable the line assigns only in
// code that may not run kept the hook's static value after that code,
// though bash then uses the environment's (an interactive shell the agent
// keeps open carries an `export X=terraform` from an earlier call: each
// setup here stands for that call).

var condRefused = []h32Case{
	{cmd: "if false; then X=echo; fi; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "[ -f nothing ] && X=echo; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "true || X=echo; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "(X=echo); $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "X=echo | true; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "case a in b) X=echo;; esac; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "while false; do X=echo; done; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "f() { X=echo; }; $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "echo $(X=echo); $X destroy -auto-approve -input=false", setup: "export X=terraform", victim: "state"},
	{cmd: "[ -f nothing ] && D=build; rm -rf \"$D\"", setup: "export D=../tf", victim: "statefile"},
}

var condAllowed = []string{
	"X=echo; $X hi",
	"if [ -f go.mod ]; then out=build/x.txt; cp a \"$out\"; fi",
	"[ -f go.mod ] && { t=go; $t version; }",
	"for f in a b; do n=$f; echo \"$n\"; done",
	"if [ -n \"$CI\" ]; then m=ci; else m=local; fi; echo \"$m\"",
}

func TestConditionalRefused(t *testing.T) {
	hookRefused(t, condRefused)
}

func TestConditionalAllowed(t *testing.T) {
	hookAllowed(t, condAllowed)
}

// TestConditionalBashRuns runs the spellings in bash over a real applied
// state, with the variable exported as an earlier call would leave it.
func TestConditionalBashRuns(t *testing.T) {
	hookBashRuns(t, condRefused, bashRuns{line: h37Line})
}
