package shell

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook43 (issue 17, hook round 43): BASH_CMDS filled without `=`
// (H1), a glob in the program's path (H2), /proc/self/exe (H3), a judged
// program linked under another name (M1), a program name with an always
// empty computed prefix (L1).

var h43Refused = []h32Case{
	// H1
	{cmd: "read BASH_CMDS <<< /usr/bin/git; 0 clean -f -d -x ..", victim: "statefile"},
	{cmd: "for BASH_CMDS in /usr/bin/git; do :; done; 0 clean -f -d -x .."},
	{cmd: "printf -v BASH_CMDS /usr/bin/git; 0 clean -f -d -x .."},
	{cmd: ": ${BASH_CMDS:=/usr/bin/git}; 0 clean -f -d -x .."},
	{cmd: "read BASH_ALIASES <<< 'git clean -f -d -x ..'; 0"},
	// H2
	{cmd: "/usr/bin/gi[t] clean -f -d -x ..", victim: "statefile"},
	{cmd: "/usr/bi?/git clean -f -d -x .."},
	{cmd: "/usr/bin/r[m] -rf ../tf", victim: "statefile"},
	{cmd: "/lib64/ld-linux-x86-64.so.[2] --argv0 git-clean /usr/bin/git status -f -d -x ."},
	{cmd: "/usr/bin/c[p] ${x-../e.json ../planguard.hcl}"},
	// H3
	{cmd: "/proc/self/exe -c '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "/proc/$$/exe -c 'cp ../e.json ../planguard.hcl'"},
	// M1
	{cmd: "ln -sf /usr/bin/git ROOT/x; ROOT/x clean -f -d -x ..", victim: "statefile"},
	{cmd: "cp /bin/bash ROOT/x"},
	{cmd: "ln -s /lib64/ld-linux-x86-64.so.2 ROOT/ld"},
	// L1
	{cmd: "${HOME:0:0}rm -rf ../tf", victim: "statefile"},
	{cmd: "${HOME:0:0}git clean -f -d -x .."},
}

var h43Allowed = []string{
	"git clean -n",
	"/usr/bin/git status",
	"ln -s ../shared/config.yaml config.yaml",
	"cp /usr/share/doc/x.txt /tmp/",
	"read line <<< hello; echo \"$line\"",
}

func TestHook43Refused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h43Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook43Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h43Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
}

// TestHook43BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (git clean removes untracked files).
func TestHook43BashRuns(t *testing.T) {
	tf, bash, env, state := h32AppliedState(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git not found")
	}
	if git != "/usr/bin/git" {
		t.Logf("git is %s: the /usr/bin/git spellings may not run", git)
	}
	ran := 0
	for _, c := range h43Refused {
		if c.victim == "" {
			continue
		}
		root := h32World(t, state)
		if out, err := exec.Command(git, "init", "-q", root).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		line := h37Line(c.cmd, root, tf)
		if r := Analyze(line, h32Opts(root)); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
		cmd := exec.Command(bash, "-c", line)
		cmd.Dir, cmd.Env = filepath.Join(root, "tf"), env
		out, _ := cmd.CombinedOutput()
		ran++
		statePath := filepath.Join(root, "tf", "terraform.tfstate")
		switch c.victim {
		case "state":
			after, err := os.ReadFile(statePath)
			if err != nil || h32Resources(t, after) != 0 {
				t.Errorf("%q: bash left the state's resource: the spelling is no attack\n%s", line, h32Tail(out))
			}
		case "statefile":
			if after, err := os.ReadFile(statePath); err == nil && json.Valid(after) {
				t.Errorf("%q: bash left the state file a state: the spelling is no attack\n%s", line, h32Tail(out))
			}
		}
	}
	if ran == 0 {
		t.Fatal("no spelling ran")
	}
}
