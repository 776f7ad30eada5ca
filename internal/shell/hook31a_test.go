package shell

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook30 (issue 17): find deleting the protected files by name
// pattern (F1), and Terraform state deleted or overwritten through globs,
// directory destinations and derived names (F4). Each refused spelling is
// also run in bash over a copy of the layout, to show that it really
// deletes or changes the file; the near misses stay allowed.

// h31Layout makes the files testOpts protects under a temporary root
// (and state files, a script the hook does not know), and returns the
// options for it.
func h31Layout(t *testing.T) (string, Options) {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"planguard.hcl": "policy", "allowed_signers": "signers", "policy/planguard.hcl": "policy",
		"infra/.claude/settings.json": "{}", ".gemini/settings.json": "{}",
		"infra/terraform.tfstate": "state", "infra/x.tfstate": "state", "infra/dir/terraform.tfstate": "state",
		"infra/envs/prod/terraform.tfstate": "state", "infra/main.go": "package main",
		"infra/.terraform/terraform.tfstate": "backend", "infra/build/a.o": "o", "infra/a.txt": "a",
		"evil/terraform.tfstate": "evil", "evil/x.tfstate": "evil",
		"infra/wipe.sh": "#!/bin/sh\nfor f; do : > \"$f\"; done\n",
	}
	for p, body := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"out", "infra/emptydir"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{
		Cwd:  filepath.Join(root, "infra"),
		Home: "/home/agent",
		Protected: []string{filepath.Join(root, "planguard.hcl"), filepath.Join(root, "allowed_signers"),
			filepath.Join(root, "infra/.claude/settings.json"), filepath.Join(root, ".gemini/settings.json"),
			filepath.Join(root, "policy/planguard.hcl")},
		Policy: filepath.Join(root, "planguard.hcl"),
		IsDir: func(p string) bool {
			fi, err := os.Stat(p)
			return err == nil && fi.IsDir()
		},
		StateUnder: h31StateUnder,
	}
	return root, opts
}

// h31StateUnder is planguard hook's stateUnder, without its bound.
func h31StateUnder(p string) string {
	found := ""
	_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return filepath.SkipDir
		}
		if StateFile(d.Name()) && !(filepath.Base(filepath.Dir(q)) == ".terraform" && d.Name() == "terraform.tfstate") {
			found = q
		}
		return nil
	})
	return found
}

// h31Case is a refused spelling: the line as the agent writes it, the
// line bash runs to show the effect (when the spelling itself would
// leave the temporary root, or needs input), and the file it deletes or
// changes ("" when it is not run).
type h31Case struct{ cmd, run, victim string }

var h31Refused = []h31Case{
	// F1: find deleting by name pattern.
	{cmd: "find . -name 'settings.js*' -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find .. -iname '*.HCL' -delete", victim: "planguard.hcl"},
	{cmd: "find / -path '*planguard*' -exec rm {} +", run: "find .. -path '*planguard*' -exec rm {} +", victim: "policy/planguard.hcl"},
	{cmd: "find .. -path '*planguard*' -exec rm {} +", victim: "planguard.hcl"},
	{cmd: "find .. -regex '.*hcl' -delete", victim: "planguard.hcl"},
	{cmd: "find .. -iregex '.*HCL' -delete", victim: "planguard.hcl"},
	{cmd: "find .. -regex '.*/settings\\.json$' -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find .. -name 'planguard.[h]cl' -delete", victim: "planguard.hcl"},
	{cmd: "find .. -name '[!x]languard.hcl' -delete", victim: "planguard.hcl"},
	{cmd: "find .. -name '[[:alpha:]]languard.hcl' -delete", victim: "planguard.hcl"},
	{cmd: "find .. -name 'allowed_signer?' -delete", victim: "allowed_signers"},
	{cmd: "find . -name 'settings.js*' -execdir rm {} +", victim: "infra/.claude/settings.json"},
	{cmd: "yes | find . -name settings.json -ok rm {} \\;", victim: "infra/.claude/settings.json"},
	{cmd: "yes | find . -name settings.json -okdir rm {} \\;", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name settings.json -exec ./wipe.sh {} +", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name x -fprint ../planguard.hcl", victim: "planguard.hcl"},
	{cmd: "find . -name x -fprintf ../allowed_signers %p", victim: "allowed_signers"},
	{cmd: "find -name settings.json -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find -L .. -name planguard.hcl -delete", victim: "planguard.hcl"},
	{cmd: "find -O3 .. -name planguard.hcl -delete", victim: "planguard.hcl"},
	{cmd: "find . ! -name '*.go' -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -not -name '*.go' -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name '*.go' -o -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name '*.go' -prune -o -delete", run: "find . -depth -name '*.go' -prune -o -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name '*.go' , -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . \\( -name '*.go' -o -true \\) -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -type f -delete", victim: "infra/.claude/settings.json"},
	{cmd: "D=$(echo .claude); find ./\"$D\" -name settings.json -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name \"$(echo settings.json)\" -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -samefile .claude/settings.json -delete", victim: "infra/.claude/settings.json"},
	{cmd: "find . -name '*.tfstate' -delete", victim: "infra/terraform.tfstate"},
	{cmd: "find . -name 'terraform.tfstat?' -delete", victim: "infra/terraform.tfstate"},
	{cmd: "find .. -regex '.*state' -delete", victim: "infra/terraform.tfstate"},
	{cmd: "find . -name '*.go' -execdir rm -f settings.json \\;", run: "find . -name 'settings.json' -execdir rm -f settings.json \\;", victim: "infra/.claude/settings.json"},
	{cmd: "env -C .. rm planguard.hcl", victim: "planguard.hcl"},
	{cmd: "fd -x rm", victim: ""},
	{cmd: "find . -foo -delete", victim: ""},
	{cmd: "find . -name x -delete -exec", victim: ""},
	// F4: state through globs.
	{cmd: "rm *.tfstat?", victim: "infra/terraform.tfstate"},
	{cmd: "rm terraform.tfst*", victim: "infra/terraform.tfstate"},
	{cmd: "rm -- *", victim: "infra/terraform.tfstate"},
	{cmd: "rm -rf *", victim: "infra/terraform.tfstate"},
	{cmd: "rm -f ?*.tfs[s-u]ate", victim: "infra/terraform.tfstate"},
	{cmd: "rm -r .", victim: ""}, // GNU rm itself refuses `.`
	{cmd: "rm -r ../infra", victim: "infra/terraform.tfstate"},
	{cmd: "> terraform.tfstat?", victim: "infra/terraform.tfstate"},
	{cmd: "truncate -s0 *.tfstat?", victim: "infra/terraform.tfstate"},
	{cmd: "sed -i d *.tfstat?", victim: "infra/terraform.tfstate"},
	{cmd: "cp /dev/null terraform.tfst*", victim: "infra/terraform.tfstate"},
	{cmd: "mv *.tfstat? /tmp/", run: "mv *.tfstat? ../out/", victim: "infra/terraform.tfstate"},
	// F4: directory destinations, judged as dir/basename(source).
	{cmd: "mv terraform.tfstate /tmp/", run: "mv terraform.tfstate ../out/", victim: "infra/terraform.tfstate"},
	{cmd: "cp ../evil/terraform.tfstate dir/", victim: "infra/dir/terraform.tfstate"},
	{cmd: "cp ../evil/terraform.tfstate dir", victim: "infra/dir/terraform.tfstate"}, // a directory now (IsDir)
	{cmd: "cp ../evil/terraform.tfstate .", victim: "infra/terraform.tfstate"},
	{cmd: "cp -t . ../evil/terraform.tfstate", victim: "infra/terraform.tfstate"},
	{cmd: "install ../evil/terraform.tfstate ./", victim: "infra/terraform.tfstate"},
	{cmd: "mv ../evil/x.tfstate ./", victim: "infra/x.tfstate"},
	{cmd: "mv x.tfstate ./", victim: ""}, // the same file: mv refuses
	{cmd: "cp ../evil/*.tfstate ./", victim: "infra/terraform.tfstate"},
	{cmd: "cp \"$(echo ../evil/terraform.tfstate)\" ./", victim: "infra/terraform.tfstate"},
	{cmd: "rm -rf envs/prod", victim: "infra/envs/prod/terraform.tfstate"}, // StateUnder
	{cmd: "rm -rf envs", victim: "infra/envs/prod/terraform.tfstate"},
	{cmd: "cp -r ../evil/. envs/prod", victim: "infra/envs/prod/terraform.tfstate"},
	{cmd: "tar -cf ../out/e.tar -C ../evil . && tar -xf ../out/e.tar -C envs/prod", victim: "infra/envs/prod/terraform.tfstate"},
	// F4: derived names.
	{cmd: "rm \"$(ls | grep '^terraform.tfstate$')\"", victim: "infra/terraform.tfstate"},
	{cmd: "f=$(ls | grep '^terraform.tfstate$'); rm $f", victim: "infra/terraform.tfstate"},
	{cmd: "ls | grep '^terraform.tfstate$' | xargs rm", victim: "infra/terraform.tfstate"},
	{cmd: "> terraform.tfstate", victim: "infra/terraform.tfstate"},
	{cmd: ": > terraform.tfstate", victim: "infra/terraform.tfstate"},
	{cmd: "truncate -s0 terraform.tfstate", victim: "infra/terraform.tfstate"},
	{cmd: "dd if=/dev/null of=terraform.tfstate", victim: "infra/terraform.tfstate"},
	{cmd: "rename s/x/y/ *", victim: ""},
	{cmd: "rename.ul terraform t terraform.tfstate", victim: "infra/terraform.tfstate"},
	// Globs with classes bash reads and path.Match does not.
	{cmd: "rm ../[!x]languard.hcl", victim: "planguard.hcl"},
	{cmd: "rm ../[[:alpha:]]languard.hcl", victim: "planguard.hcl"},
	{cmd: "rm ../planguard.hc[[:lower:]]", victim: "planguard.hcl"},
	{cmd: "shopt -s dotglob; rm -r ?claude", victim: "infra/.claude/settings.json"},
	{cmd: "shopt -s globstar; rm ../**/planguard.hcl", victim: "planguard.hcl"},
}

// h31Allowed are the near misses: the same programs on files that are
// neither protected nor state.
var h31Allowed = []string{
	"find . -name '*.go' -delete",
	"find . -name '*.pyc' -delete",
	"find . -type f -name '*.tmp' -delete",
	"find /tmp -name '*.log' -delete",
	"find build -name '*.o' -delete",
	"find . -maxdepth 1 -name '*.tfplan' -delete",
	"find . -path ./node_modules -prune -o -name '*.orig' -delete",
	"find . -regex '.*\\.go' -delete",
	"find . -iregex '.*\\.PYC' -delete",
	"find . -name '*.tf' -exec grep -l x {} +",
	"find . -name terraform.tfstate -exec cat {} +",
	"find . -name '*.hcl' -execdir true \\;",
	"find . -name '*.go' -print",
	"find .. -name '*.hcl'",
	"fd -e tf -x cat",
	"rm build/*.o",
	"rm -f *.log",
	"rm -rf *.egg-info",
	"rm -rf build",
	"rm -rf .terraform",
	"rm -rf emptydir",
	"mv a.txt /tmp/",
	"mv a.txt ../out/",
	"cp a.txt dir/",
	"cp terraform.tfstate /tmp/backup.json",
	"cp /dev/null dir/",
	"cat *.tfstate",
	"ls *",
	"grep -r x .",
	"env -C /tmp rm -f x.txt",
}

func TestHook31aRefused(t *testing.T) {
	_, opts := h31Layout(t)
	for _, c := range h31Refused {
		if r := Analyze(c.cmd, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", c.cmd)
		} else if c.run != "" {
			if r := Analyze(c.run, opts); r.Allowed() {
				t.Errorf("allowed, want refused: %s (as run)", c.run)
			}
		}
	}
	// The same with testOpts (no IsDir, no StateUnder) for the spellings
	// that do not need them.
	for _, c := range h31Refused {
		switch c.cmd {
		case "cp ../evil/terraform.tfstate dir", "rm -rf envs/prod", "rm -rf envs", "cp -r ../evil/. envs/prod",
			"tar -cf ../out/e.tar -C ../evil . && tar -xf ../out/e.tar -C envs/prod":
			continue
		}
		if r := Analyze(c.cmd, testOpts); r.Allowed() {
			t.Errorf("testOpts: allowed, want refused: %s", c.cmd)
		}
	}
}

func TestHook31aAllowed(t *testing.T) {
	_, opts := h31Layout(t)
	for _, cmd := range h31Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook31aBashRuns runs each refused spelling in bash over a fresh
// layout and checks that the file it names is deleted or changed: the
// refusal stops a real attack.
func TestHook31aBashRuns(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, c := range h31Refused {
		if c.victim == "" {
			continue
		}
		root, opts := h31Layout(t)
		before, err := os.ReadFile(filepath.Join(root, c.victim))
		if err != nil {
			t.Fatal(err)
		}
		run := c.cmd
		if c.run != "" {
			run = c.run
		}
		cmd := exec.Command(bash, "-c", run)
		cmd.Dir = opts.Cwd
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, _ := cmd.CombinedOutput()
		after, err := os.ReadFile(filepath.Join(root, c.victim))
		if err == nil && bytes.Equal(before, after) {
			t.Errorf("%s: bash left %s as it was: the spelling is no attack\n%s", run, c.victim, strings.TrimSpace(string(out)))
		}
	}
}

func TestHook31aGlobs(t *testing.T) {
	for _, c := range []struct {
		pat, name string
		want      bool
	}{
		{"[!x]languard.hcl", "planguard.hcl", true},
		{"[^p]languard.hcl", "planguard.hcl", true}, // folded: Planguard.hcl
		{"[^pP]languard.hcl", "planguard.hcl", false},
		{"[[:alpha:]]languard.hcl", "planguard.hcl", true},
		{"[[:digit:]]languard.hcl", "planguard.hcl", false},
		{"*planguard*", "/work/policy/planguard.hcl", true},
		{"planguard.hc?", "planguard.hcl", true},
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"[]]x", "]x", true},
		{"[a-]", "-", true},
		{"*.HCL", "planguard.hcl", true}, // folded: macOS file systems ignore case
		{"[", "[", true},
	} {
		if got := globMatch(c.pat, c.name, true); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
	if m, ok := globMatchExact("*.HCL", "planguard.hcl"); !ok || m {
		t.Errorf("globMatchExact(*.HCL) = %v, %v", m, ok)
	}
	if m, ok := globMatchExact("[^p]languard.hcl", "planguard.hcl"); !ok || m {
		t.Errorf("globMatchExact([^p]…) = %v, %v", m, ok)
	}
	if _, ok := globMatchExact("[[=a=]]x", "ax"); ok {
		t.Error("globMatchExact read [=a=]")
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"*.tfstat?", "?*.tfstate", true},
		{"terraform.tfst*", "?*.tfstate", true},
		{"*", "?*.tfstate", true},
		{"*.o", "?*.tfstate", false},
		{"*.go", "?*.tfstate.backup", false},
		{"*.[a-s]fstate", "?*.tfstate", false},
		{"*.[s-u]fstate", "?*.tfstate", true},
		{"*.[!t]fstate", "?*.tfstate", true}, // x.Tfstate
		{"*.[!tT]fstate", "?*.tfstate", false},
		{"*.backup", "?*.tfstate.?*.backup", true},
		{"a*", "*b", true},
		{"a?", "?b?", false},
	} {
		if got := globsMeet(c.a, c.b); got != c.want {
			t.Errorf("globsMeet(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	for re, want := range map[string]string{
		`.*\.go`: ".go", `.*hcl$`: "hcl", `.*/settings\.json`: "/settings.json", `.*\.\(go\|hcl\)`: "",
		`.*[n]`: "", `.*x*`: "", `.*\w`: "", `.*\.gox\{2\}`: "", `a|b`: "",
	} {
		if got := regexTail(re); got != want {
			t.Errorf("regexTail(%q) = %q, want %q", re, got, want)
		}
	}
}
