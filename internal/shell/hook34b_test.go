//go:build unix

package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Review hook34 (issue 17 part 2), findings 7-11: writes the hook judged
// at the wrong path. F7 cp --parents writes DIR/SOURCE; F8 tar composes
// every -C; F9 patch's backup is PREFIX+FILE+SUFFIX; F10 curl -T into a
// file:// URL ending in `/` appends the source's name, and expands URL
// globs; F11 a write through a hard link rewrites the other names.
// ROOT is the directory holding planguard.hcl, RP its parent, RB its
// base name; the line runs in ROOT/tf. SETUP runs before, unjudged.

type h34Case struct {
	setup, cmd string
	policy     bool // real bash overwrites the policy with "evil\n"
}

const h34Diff = "printf 'evil\\n' > planguard; printf 'evil\\nmore\\n' > new; diff -u planguard new > p.diff; true"

var h34Refused = []h34Case{
	// F7: cp --parents.
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp --parents RB/planguard.hcl RP", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp -r --parents RB/planguard.hcl RP/", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp --parents -t RP RB/planguard.hcl", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp --par RB/planguard.hcl RP", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp --parents RB/planguard.hcl ../..", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp -a --parents RB RP", true},
	{"mkdir -p RB && cp ../e.json RB/planguard.hcl", "cp --parents RB/planguard.* RP", true},
	{"", "cp --parents tf/terraform.tfstate ..", false},
	{"", "cp --parents \"$X\" ..", false},
	{"", "cp --parents a.txt \"$X\"", false},
	// F8: tar -C, every one.
	{"mkdir -p s safe && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar -x -C safe -f p.tar -C ROOT", true},
	{"mkdir -p s safe && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar xf p.tar -C safe -C ../..", true},
	{"mkdir -p s safe && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar -xf p.tar --directory=safe --directory=ROOT", true},
	{"mkdir -p s safe && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar -xf p.tar --dir safe --dir ROOT", true},
	{"mkdir -p s safe && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar -xf p.tar -Csafe -CROOT", true},
	{"mkdir -p s && cp ../e.json s/planguard.hcl && tar -cf p.tar -C s planguard.hcl", "tar -x -C \"$(mktemp -d)\" -f p.tar -C ROOT", true},
	{"", "tar -x -C \"$(mktemp -d)\" -f p.tar -C ..", false},
	// F9: patch backups.
	{h34Diff, "patch -b -z .hcl -B ../ planguard p.diff", true},
	{h34Diff, "patch --backup --suffix=.hcl --prefix=../ planguard < p.diff", true},
	{h34Diff, "patch -bz.hcl -B../ planguard p.diff", true},
	{h34Diff, "patch --backup --suf .hcl --pre ../ planguard p.diff", true},
	// patch 2.7.6 here ignores SIMPLE_BACKUP_SUFFIX beside -B; refused anyway.
	{h34Diff, "SIMPLE_BACKUP_SUFFIX=.hcl patch -b -B ../ planguard p.diff", false},
	{"", "export SIMPLE_BACKUP_SUFFIX=.hcl", false},
	{"", "patch -b -z .hcl planguard p.diff", false},
	{"", "patch -b -Y ../ planguard.hcl p.diff", false},
	{"", "patch -b -B \"$X\" a p.diff", false},
	{"", "patch -b -z .tfstate terraform p.diff", false},
	{"", "patch -b -B plan -z .hcl x p.diff", false},
	// F10: curl -T into a file:// directory URL, and URL globs.
	{"mkdir -p ev && cp ../e.json ev/planguard.hcl", "curl -sT ROOT/tf/ev/planguard.hcl file://ROOT/", true},
	{"mkdir -p ev && cp ../e.json ev/planguard.hcl", "curl -s --upload-file ROOT/tf/ev/planguard.hcl file://localhost/ROOT/", true},
	{"mkdir -p ev && cp ../e.json ev/planguard.hcl", "curl -sT ev/planguard.hcl --url file://ROOT/", true},
	{"", "curl -sT ../e.json 'file://ROOT/[p-p]languard.hcl'", true},
	{"", "curl -sT ../e.json 'file://ROOT/{planguard.hcl}'", true},
	{"", "curl -sT \"$X\" file:///tmp/out/", false},
	{"", "curl -sT ../e.json 'FILE://ROOT/{x,planguard.hcl}'", false},
}

var h34Allowed = []string{
	"cp --parents src/a.go /tmp/out",
	"cp -r --parents src /tmp/out",
	"cp --parents src/*.go /tmp/out",
	"tar -xf a.tar -C /tmp/x",
	"tar -C /tmp/x -xf a.tar",
	"tar -xf a.tar -C /tmp/x -C sub",
	"tar -x -C \"$(mktemp -d)\" -f a.tar",
	"patch -p1 < fix.diff",
	"patch -b a.go fix.diff",
	"patch -b -z .bak a.go fix.diff",
	"patch -b -V numbered a.go fix.diff",
	"patch -p1 -d sub < fix.diff",
	"curl -T a.txt https://h/up/",
	"curl -T a.txt file:///tmp/out/",
	"curl -T a.txt file:///tmp/out/b.txt",
	"curl -g -T a.txt 'file:///tmp/out/[x].txt'",
	"curl -o x.html 'https://h/{a,b}'",
	"echo hi > a.txt",
	"cp a.txt b.txt",
}

func h34Line(s, root string) string {
	s = strings.ReplaceAll(s, "RP", filepath.Dir(root))
	s = strings.ReplaceAll(s, "RB", filepath.Base(root))
	return strings.ReplaceAll(s, "ROOT", root)
}

func TestHook34bRefused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h34Refused {
		line := h34Line(c.cmd, "/work")
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook34bAllowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h34Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

func h34HardLinked(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink > 1
}

// TestHook34bBashRuns runs each spelling marked policy in bash and checks
// the policy was overwritten: the refusal stops a real write.
func TestHook34bBashRuns(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	ran := 0
	for _, c := range h34Refused {
		if !c.policy {
			continue
		}
		prog := strings.Fields(strings.TrimPrefix(c.cmd, "SIMPLE_BACKUP_SUFFIX=.hcl "))[0]
		if _, err := exec.LookPath(prog); err != nil {
			t.Logf("%s: %s not found here, not run", c.cmd, prog)
			continue
		}
		root := filepath.Join(t.TempDir(), "w")
		h32Write(t, filepath.Join(root, "planguard.hcl"), "policy\n")
		h32Write(t, filepath.Join(root, "e.json"), "evil\n")
		h32Write(t, filepath.Join(root, "tf", "a.txt"), "a\n")
		line := h34Line(c.cmd, root)
		if r := Analyze(line, h32Opts(root)); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
		script := h34Line(c.setup, root)
		if script != "" {
			script += " && "
		}
		cmd := exec.Command(bash, "-c", script+line)
		cmd.Dir = filepath.Join(root, "tf")
		out, _ := cmd.CombinedOutput()
		ran++
		if after, _ := os.ReadFile(filepath.Join(root, "planguard.hcl")); string(after) != "evil\n" {
			t.Errorf("%s: bash left the policy: the spelling is no attack\n%s", line, h32Tail(out))
		}
	}
	if ran == 0 {
		t.Fatal("no spelling ran")
	}
	t.Logf("%d spellings run in bash", ran)
}

// TestHook34bHardLink: F11, a write through a hard link of the policy (or
// of a state file, whose names the hook does not list) is refused, in
// every form; a file with one link is written as before.
func TestHook34bHardLink(t *testing.T) {
	root := t.TempDir()
	h32Write(t, filepath.Join(root, "planguard.hcl"), "policy\n")
	h32Write(t, filepath.Join(root, "tf", "terraform.tfstate"), "{}\n")
	h32Write(t, filepath.Join(root, "tf", "one.txt"), "x\n")
	os.MkdirAll(filepath.Join(root, "tf", "sub"), 0o755)
	for _, l := range [][2]string{{"planguard.hcl", "tf/sub/h"}, {"tf/terraform.tfstate", "tf/sub/s"}} {
		if err := os.Link(filepath.Join(root, l[0]), filepath.Join(root, l[1])); err != nil {
			t.Skip("no hard links here:", err)
		}
	}
	opts := h32Opts(root)
	opts.HardLinked = h34HardLinked
	for _, line := range []string{
		"cat /tmp/st.json > sub/h", "cat /tmp/st.json > sub/s", "echo x >> sub/s", "cp /tmp/st.json sub/s",
		"tee sub/s < /tmp/st.json", "cp /tmp/st.json " + filepath.Join(root, "tf", "sub", "s"),
		"sed -i s/a/b/ sub/s", "dd if=/tmp/x of=sub/s",
	} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"echo x > one.txt", "cp /tmp/x one.txt", "echo x > new.txt", "rm sub/s", "mv sub/s sub/t", "ln -f one.txt sub/s", "cat sub/s"} {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", line, r.Refused)
		}
	}
	// Real bash: the write through the link reaches the policy.
	if bash, err := exec.LookPath("bash"); err == nil {
		cmd := exec.Command(bash, "-c", "echo evil > sub/h")
		cmd.Dir = filepath.Join(root, "tf")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatal(err, string(out))
		}
		if b, _ := os.ReadFile(filepath.Join(root, "planguard.hcl")); string(b) != "evil\n" {
			t.Errorf("the write through the hard link left the policy: %q", b)
		}
	}
}
