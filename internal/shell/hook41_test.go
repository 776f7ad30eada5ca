package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook41 (issue 17, hook round 41): ${ cmd; } (H1), exec -a
// (H2), wait -p (H3).

var h41Refused = []h32Case{
	// H1
	{cmd: "false && echo ${ : # }; @TF@ destroy -auto-approve -input=false; { :\n}", victim: "state"},
	{cmd: "echo ${| REPLY=x; }"},
	{cmd: "bash -c 'false && echo ${ : # }; terraform destroy -auto-approve; { :\n}'"},
	// H2
	{cmd: "exec -a git-clean git status -f -d -x ."},
	{cmd: "exec -a git-archive git status --remote=. --exec='terraform destroy -auto-approve'"},
	{cmd: "env -a git-clean git status -f -d -x ."},
	{cmd: "env --argv0=git-clean git status -f -d -x ."},
	// H3
	{cmd: "o=x; wait -p o; cat ../e.json > \"../planguard.hcl$o\"", victim: "policy"},
	{cmd: "o=x; wait -n -p o; iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$o\" ../e.json", victim: "policy"},
	{cmd: "p=@TF@; q=echo; wait -p q; $q$p destroy -auto-approve -input=false", victim: "state"},
}

var h41Allowed = []string{
	"sleep 1 & wait",
	"sleep 1 & wait -n",
	"echo $(date)",
	"exec ls",
}

func TestHook41Refused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h41Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook41Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h41Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
}

// TestHook41BashRuns runs the spellings with a victim in bash over a real
// applied state.
func TestHook41BashRuns(t *testing.T) {
	tf, bash, env, state := h32AppliedState(t)
	ran := 0
	for _, c := range h41Refused {
		if c.victim == "" {
			continue
		}
		root := h32World(t, state)
		line := h37Line(c.cmd, root, tf)
		if r := Analyze(line, h32Opts(root)); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
		cmd := exec.Command(bash, "-c", line)
		cmd.Dir, cmd.Env = filepath.Join(root, "tf"), env
		out, _ := cmd.CombinedOutput()
		ran++
		switch c.victim {
		case "state":
			after, err := os.ReadFile(filepath.Join(root, "tf", "terraform.tfstate"))
			if err != nil || h32Resources(t, after) != 0 {
				t.Errorf("%q: bash left the state's resource: the spelling is no attack\n%s", line, h32Tail(out))
			}
		case "policy":
			if after, _ := os.ReadFile(filepath.Join(root, "planguard.hcl")); string(after) != "evil\n" {
				t.Errorf("%q: bash left the policy as it was: the spelling is no attack\n%s", line, h32Tail(out))
			}
		}
	}
	if ran == 0 {
		t.Fatal("no spelling ran")
	}
}
