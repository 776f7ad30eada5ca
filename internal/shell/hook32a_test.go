package shell

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook32 (issue 17 part 2), findings 1-3: a program the line does
// not name, reached through xargs feeding a wrapper (F1), find running
// the files it finds, whose literal starting points may be `terraform`
// and `destroy` (F2), and a wrapper the hook has no row for given a
// program computed by the line (F3). Each refused spelling that can run
// here is also run in bash against a real Terraform state (a
// terraform_data resource applied by the real terraform), to show it
// destroys it or overwrites the policy; the near misses stay allowed.

// h32Case is a refused spelling. TF in it stands for the terraform
// binary's absolute path; setup runs in bash first; needs names a
// program the bash run requires; victim is "state" (destroyed) or
// "policy" (overwritten), or "" when the line is not run here.
// h32Case is a spelling: setup runs first, unjudged; needs lists the
// programs (and absolute paths of files) its run in bash needs, blank
// separated; victim is what the run must hit (hookBashRuns).
type h32Case struct {
	cmd, setup, needs, victim string
}

var h32Refused = []h32Case{
	// F1: xargs feeding a wrapper, which takes the program from the input.
	{cmd: "echo terraform destroy -auto-approve | xargs env", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs /usr/bin/env", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs env -i PATH=\"$PATH\"", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs nice", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs nice -n 5", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs nohup", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs setsid -w", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs timeout 100", victim: "state"},
	{cmd: "echo 100 terraform destroy -auto-approve | xargs timeout", victim: "state"},
	{cmd: "echo 9 100 terraform destroy -auto-approve | xargs timeout -k", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs stdbuf -o0", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs ionice", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs command"},
	{cmd: "echo terraform destroy -auto-approve | xargs exec"},
	{cmd: "echo terraform destroy -auto-approve | xargs time"},
	{cmd: "echo terraform destroy -auto-approve | xargs sudo", needs: "sudo", victim: "state"},
	{cmd: "echo root terraform destroy -auto-approve | xargs sudo -u", needs: "sudo", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs doas", needs: "doas", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs busybox"},
	{cmd: "echo terraform destroy -auto-approve | xargs chpst", needs: "chpst", victim: "state"},
	{cmd: "echo tf destroy -auto-approve | xargs tenv", needs: "tenv", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs flock /tmp/h32a.lock", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs strace -f -o /dev/null", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs env nice", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs prlimit", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs setarch x86_64", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs unshare", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs chrt -o 0", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs taskset -c 0", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs systemd-run --user --wait"}, // no bus here
	// Not run in bash: Go programs crash under valgrind now and then (the
	// Go runtime is not supported there), which made the run flaky.
	{cmd: "echo terraform destroy -auto-approve | xargs valgrind -q"},
	{cmd: "echo TF destroy -auto-approve | xargs /lib64/ld-linux-x86-64.so.2", needs: "/lib64/ld-linux-x86-64.so.2", victim: "state"},
	{cmd: "printf 'sh\\0-c\\0terraform destroy -auto-approve\\0' | xargs -0 env", victim: "state"},
	{cmd: "printf -- '-c\\0terraform destroy -auto-approve\\0' | xargs -0 env sh", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs -n3 nice", victim: "state"},
	{cmd: "echo terraform destroy -auto-approve | xargs -L1 env", victim: "state"},
	{cmd: "echo terraform | xargs -I{} env {} destroy -auto-approve", victim: "state"},
	{cmd: "echo TF | xargs -I{} env {}"},
	{cmd: "echo TF | xargs -I@ nice @"},
	{cmd: "echo terraform destroy -auto-approve | parallel env"},
	// F1: writes through the words read.
	{cmd: "echo cp ../e.json ../planguard.hcl | xargs env", victim: "policy"},
	{cmd: "echo ../e.json ../planguard.hcl | xargs env cp", victim: "policy"},
	{cmd: "echo ../e.json ../planguard.hcl | xargs cp", victim: "policy"},
	{cmd: "echo ../e.json ../planguard.hcl | xargs nice cp", victim: "policy"},
	{cmd: "find TF destroy -maxdepth 0 -print0 | xargs -0 env", setup: "touch destroy"},
	{cmd: "{ find TF destroy -maxdepth 0 -print0; printf -- '-auto-approve\\0'; } | xargs -0 env", setup: "touch destroy", victim: "state"},
	// F2: find running a file it finds.
	{cmd: `echo yes | find TF destroy -maxdepth 0 \( -name terraform -o -name destroy \) -exec {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find TF destroy -maxdepth 0 \( -name terraform -o -name destroy \) -exec env {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find TF destroy -maxdepth 0 \( -name terraform -o -name destroy \) -exec nice {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find TF destroy -maxdepth 0 \( -name terraform -o -name destroy \) -exec timeout 600 {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find TF destroy -maxdepth 0 \( -name terraform -o -name destroy \) -exec prlimit {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find TF destroy -maxdepth 0 -name destroy -exec prlimit TF {} +`, setup: "touch destroy", victim: "state"},
	{cmd: `echo yes | find destroy -maxdepth 0 -exec mytool TF {} +`},
	{cmd: `find . -name x -exec {} \;`},
	{cmd: `find . -name x -execdir {} \;`},
	{cmd: `find . -name x -exec ./{} \;`},
	{cmd: `find . -name x -ok {} \;`},
	{cmd: `find . -name x -okdir {} \;`},
	{cmd: `find . -name x -exec env {} \;`},
	{cmd: `find . -name x -exec nice -n 5 {} +`},
	{cmd: `fd -X env`},
	{cmd: `fd . -x {}`},
	// F3: a wrapper the hook has no row for, given a computed program.
	{cmd: "x='terXraform desXtroy -auto-approve'; prlimit ${x//X/}", victim: "state"},
	{cmd: "x=$(printf 'terr%s destroy -auto-approve' aform); setarch x86_64 $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); prlimit $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); systemd-run --user --wait $x"},
	{cmd: "x=terXraform; prlimit ${x//X/} destroy -auto-approve", victim: "state"},
	{cmd: "n='1024 terraform destroy -auto-approve'; prlimit --nofile=$n", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); prlimit --nofile=1024 $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); unshare -r $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); nsenter $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); nsenter -t 1 -m $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); chrt -o 0 $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); valgrind -q $x"}, // not run: as above
	{cmd: "x=$(echo terraform destroy -auto-approve); setarch x86_64 -R $x", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); setarch x86_64 -- $x", victim: "state"},
	{cmd: "x=$(echo TF destroy -auto-approve); /lib64/ld-linux-x86-64.so.2 $x", needs: "/lib64/ld-linux-x86-64.so.2", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); firejail $x", needs: "firejail", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); bwrap --bind / / $x", needs: "bwrap", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); numactl -N 0 $x", needs: "numactl", victim: "state"},
	{cmd: "x=$(echo terraform destroy -auto-approve); cgexec -g cpu:x $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); systemd-run --user -p make $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); uv run $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); cross-env A=1 $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); aws-vault exec prod -- $x"},
	{cmd: "x=$(echo terraform destroy -auto-approve); faketime yesterday $x"},
	{cmd: "x=$(echo tf destroy -auto-approve); tenv $x"},
	{cmd: "prlimit $(echo terraform destroy -auto-approve)", victim: "state"},
	{cmd: "read -r x < /dev/null; prlimit $x destroy"},
}

// h32Allowed are near misses: the program is written in the line.
var h32Allowed = []string{
	"ls | xargs grep foo",
	"xargs -n1 echo",
	"ls | xargs -n1 basename",
	"git ls-files | xargs wc -l",
	"ps aux | awk '{print $2}' | xargs kill",
	"ls | xargs -I{} echo {}",
	"ls | xargs -I{} timeout 5 grep x {}",
	"ls | xargs nice grep x",
	"ls | xargs env LC_ALL=C grep x",
	"git ls-files | xargs gofmt -l",
	"find . -name '*.go' -exec gofmt -l {} +",
	"find src -name '*.go' -exec gofmt -l {} +",
	"find . -type f -exec grep -l foo {} +",
	"find . -name '*.go' -exec nice gofmt -l {} \\;",
	"fd -e go -X wc -l",
	"prlimit --nofile=1024 make test",
	"setarch x86_64 make",
	"prlimit --nofile=1024 $CMD",
	"x=$(nproc); prlimit --nofile=\"$x\" make",
	"x=$(date); setarch x86_64 grep -r \"$x\" .",
	"x=$(nproc); uv run pytest -n \"$x\"", // x=$(date) is refused: text the hook cannot know (hook36)
	"uv run pytest",
	"unshare -r id",
	"taskset -c 0 make",
	"chrt -o 0 make",
}

// h32Opts protects root/planguard.hcl; the working directory is root/tf.
func h32Opts(root string) Options {
	return Options{
		Cwd:        filepath.Join(root, "tf"),
		Home:       "/home/agent",
		Protected:  []string{filepath.Join(root, "planguard.hcl"), filepath.Join(root, "allowed_signers")},
		Policy:     filepath.Join(root, "planguard.hcl"),
		StateUnder: h31StateUnder,
	}
}

// h32Terraform is the real terraform binary, or "".
func h32Terraform() string {
	if p := os.Getenv("PLANGUARD_TERRAFORM"); p != "" {
		return p
	}
	p, _ := exec.LookPath("terraform")
	return p
}

// h32Main is the configuration of the bash runs' state: the production
// database.
const h32Main = "resource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\n"

// h32AppliedState applies h32Main with the real terraform and returns
// terraform, bash, the environment to run them in and the applied state (one
// resource). Without terraform or bash it skips, or fails under
// PLANGUARD_REQUIRE_TOOLS; with -short it skips.
func h32AppliedState(t *testing.T) (tf, bash string, env []string, state []byte) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs terraform")
	}
	tf = h32Terraform()
	bash, err := exec.LookPath("bash")
	if tf == "" || err != nil {
		if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
			t.Fatal("terraform or bash not found")
		}
		t.Skip("no terraform or bash")
	}
	tmpl := t.TempDir()
	h32Write(t, filepath.Join(tmpl, "main.tf"), h32Main)
	// SHELL is the agent's shell, bash: programs such as script and flock
	// run $SHELL, and a CI job may have none set (then they run /bin/sh).
	env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "LC_ALL=C", "SHELL="+bash,
		"PATH="+filepath.Dir(tf)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, args := range [][]string{{"init", "-input=false"}, {"apply", "-auto-approve", "-input=false"}} {
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = tmpl, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
	}
	state, err = os.ReadFile(filepath.Join(tmpl, "terraform.tfstate"))
	if err != nil || h32Resources(t, state) != 1 {
		t.Fatalf("the applied state holds no resource: %v\n%s", err, state)
	}
	return tf, bash, env, state
}

// h32World is a fresh directory for one bash run: the policy and an evil
// file at its root, and tf/ holding h32Main and a copy of the applied state.
func h32World(t *testing.T, state []byte) string {
	t.Helper()
	root := t.TempDir()
	h32Write(t, filepath.Join(root, "planguard.hcl"), "policy\n")
	h32Write(t, filepath.Join(root, "e.json"), "evil\n")
	h32Write(t, filepath.Join(root, "tf", "main.tf"), h32Main)
	h32Write(t, filepath.Join(root, "tf", "terraform.tfstate"), string(state))
	return root
}

func h32Line(cmd, tf string) string {
	if tf == "" {
		tf = "/usr/local/bin/terraform"
	}
	return strings.ReplaceAll(cmd, "TF", tf)
}

func TestHook32aRefused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h32Refused {
		line := h32Line(c.cmd, h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook32aAllowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h32Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook32aBashRuns runs each refused spelling in bash in a directory
// holding a real Terraform state, and checks that the state is destroyed
// or the policy overwritten: the refusal stops a real attack.
func TestHook32aBashRuns(t *testing.T) {
	hookBashRuns(t, h32Refused, bashRuns{line: func(cmd, _, tf string) string { return h32Line(cmd, tf) }})
}

// bashRuns says how hookBashRuns builds each run: line puts the binaries
// and the world's root into a spelling; prepare writes the files the
// spellings read into a fresh world; gitRepo makes the world a git
// repository (git clean removes untracked files).
type bashRuns struct {
	gitRepo bool
	line    func(cmd, root, tf string) string
	prepare func(t *testing.T, root, tf string)
}

// hookRefused checks that every case's line (h37Line: @TF@ is this
// machine's terraform, the project is /work/tf) is refused.
func hookRefused(t *testing.T, cases []h32Case) {
	t.Helper()
	opts := h32Opts("/work")
	for _, c := range cases {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

// hookAllowed checks that every line is allowed in the same project.
func hookAllowed(t *testing.T, lines []string) {
	t.Helper()
	opts := h32Opts("/work")
	for _, line := range lines {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", line, r.Refused)
		}
	}
}

// hookBashRuns runs each case that names a victim in bash, in a fresh world
// over a real applied Terraform state, after checking that the hook refuses
// it (a case's setup runs first, unjudged); the victim must then be hit,
// so each refusal stops a real attack: "state" (no resource left),
// "statefile" (the file is gone or no longer a state) or "policy" (it
// holds the evil file's text).
func hookBashRuns(t *testing.T, cases []h32Case, r bashRuns) {
	t.Helper()
	tf, bash, env, state := h32AppliedState(t)
	git := ""
	if r.gitRepo {
		var err error
		if git, err = exec.LookPath("git"); err != nil {
			t.Fatal("git not found")
		}
	}
	ran := 0
	for _, c := range cases {
		if c.victim == "" {
			continue
		}
		if c.needs != "" {
			found := true
			for _, n := range strings.Fields(c.needs) {
				if strings.HasPrefix(n, "/") {
					_, err := os.Stat(n) // a file the run reads
					found = found && err == nil
				} else if _, err := exec.LookPath(n); err != nil {
					found = false
				} else if n == "parallel" {
					// moreutils installs a parallel of its own, which reads
					// none of GNU parallel's options.
					out, _ := exec.Command(n, "--version").CombinedOutput()
					found = strings.Contains(string(out), "GNU parallel")
				}
			}
			if !found {
				t.Logf("%s: %s not found here, not run", c.cmd, c.needs)
				continue
			}
		}
		root := h32World(t, state)
		if git != "" {
			if out, err := exec.Command(git, "init", "-q", root).CombinedOutput(); err != nil {
				t.Fatalf("git init: %v\n%s", err, out)
			}
		}
		if r.prepare != nil {
			r.prepare(t, root, tf)
		}
		l := r.line(c.cmd, root, tf)
		if res := Analyze(l, h32Opts(root)); res.Allowed() {
			t.Errorf("allowed, want refused: %q", l)
		}
		run := l
		if c.setup != "" {
			run = c.setup + "; " + l
		}
		cmd := exec.Command(bash, "-c", run)
		cmd.Dir, cmd.Env = filepath.Join(root, "tf"), env
		out, _ := cmd.CombinedOutput()
		ran++
		statePath := filepath.Join(root, "tf", "terraform.tfstate")
		switch c.victim {
		case "state":
			after, err := os.ReadFile(statePath)
			if err != nil || h32Resources(t, after) != 0 {
				t.Errorf("%q: bash left the state's resource: the spelling is no attack\n%s", run, h32Tail(out))
			}
		case "statefile":
			if after, err := os.ReadFile(statePath); err == nil && json.Valid(after) {
				t.Errorf("%q: bash left the state file a state: the spelling is no attack\n%s", run, h32Tail(out))
			}
		case "policy":
			if after, _ := os.ReadFile(filepath.Join(root, "planguard.hcl")); string(after) != "evil\n" {
				t.Errorf("%q: bash left the policy as it was: the spelling is no attack\n%s", run, h32Tail(out))
			}
		default:
			t.Fatalf("%q: unknown victim %q", run, c.victim)
		}
	}
	if ran == 0 {
		t.Fatal("no spelling ran")
	}
	t.Logf("%d spellings run in bash", ran)
}

func h32Resources(t *testing.T, state []byte) int {
	t.Helper()
	var s struct {
		Resources []json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatalf("state: %v", err)
	}
	return len(s.Resources)
}

func h32Write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func h32Tail(out []byte) string {
	s := strings.TrimSpace(string(out))
	if len(s) > 400 {
		s = s[len(s)-400:]
	}
	return s
}
