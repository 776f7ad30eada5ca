package shell

import "testing"

// Reviews hook63 and hook64 (run side by side on b671241): ssh decodes the
// user of an ssh:// URI (hook63 H1) and expands %h in Hostname (hook64 H1)
// before filling a ProxyCommand; any command but a few builtins may read a
// script's next lines from standard input (hook63 H2: head -c 8); env -S
// whose string starts with an option (hook63 H3, hook64 H2); quoted patch
// names with C escapes and any -pN (hook63 H4, hook64 H4); names a suffix
// completes into a state file's (hook64 H3: cp -b -S, gzip -S, split,
// csplit, rsync --suffix); a patch printed with a format (hook64 L1).

var h63Refused = []h32Case{
	// hook63 H1
	{cmd: "ssh -o ProxyCommand='%r -auto-approve -input=false' ssh://terraform%20destroy@x true", needs: "ssh", victim: "state"},
	{cmd: "ssh -o ProxyCommand='%h -auto-approve' ssh://u@terraform%20destroy true"},
	// hook64 H1
	{cmd: "ssh -o Hostname=%hform -o ProxyCommand='%h destroy -auto-approve -input=false' terra", needs: "ssh", victim: "state"},
	{cmd: "ssh -o User=%rform -o ProxyCommand='%r destroy -auto-approve' -l terra x"},
	{cmd: "ssh -oHostName=%h x"},
	// hook63 H2
	{cmd: "bash <<'EOF'\nhead -c 8 >/dev/null\n: <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", victim: "state"},
	{cmd: "bash -s <<'EOF'\ndd bs=8 count=1 >/dev/null 2>&1\n: <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", needs: "dd", victim: "state"},
	{cmd: "bash <<'EOF'\nhead -c8>/dev/null\necho '\nterraform destroy -auto-approve\n'\nEOF"},
	{cmd: "bash <<'EOF'\ngo test ./...\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	// hook63 H3, hook64 H2
	{cmd: "env -S'-S' '@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "env -S '--split-string=@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "env -S-S 'terraform destroy -auto-approve'"},
	{cmd: "env -vS-S 'terraform destroy -auto-approve'"},
	{cmd: "env --split-string=-S 'terraform destroy -auto-approve'"},
	{cmd: "env -S'-u X -S' 'terraform destroy -auto-approve'"},
	{cmd: "env -S '--spl=terraform destroy -auto-approve'"},
	{cmd: "sudo env -S-S 'terraform destroy -auto-approve'"},
	{cmd: "sh -c 'env -S-S \"terraform destroy -auto-approve\"'"},
	// hook63 H4, hook64 H4
	{cmd: "cd .. && patch -p0 <<'EOF'\ndiff --git \"\\056git/hooks/pre-commit\" \"\\056git/hooks/pre-commit\"\nnew file mode 100755\n--- /dev/null\n+++ \"\\056git/hooks/pre-commit\"\n@@ -0,0 +1,2 @@\n+#!/bin/sh\n+@TF@ -chdir=tf destroy -auto-approve -input=false\nEOF\ngit commit -q --allow-empty -m wip",
		setup: "git config user.email a@b.c; git config user.name a", needs: "patch", victim: "state"},
	{cmd: "patch -p1 <<'EOF'\n--- \"a/\\056git/hooks/pre-commit\"\n+++ \"b/\\056git/hooks/pre-commit\"\n@@ -0,0 +1 @@\n+terraform destroy\nEOF"},
	{cmd: "patch -p2 <<'EOF'\n--- x/y/.claude/settings.json\n+++ x/y/.claude/settings.json\n@@ -0,0 +1 @@\n+{}\nEOF"},
	{cmd: "patch -p1 <<'EOF'\n--- \"a/\\x\"\n+++ \"b/\\q\"\n@@ -0,0 +1 @@\n+x\nEOF"},
	{cmd: "patch <<'EOF'\nIndex: .git/hooks/pre-commit\n@@ -0,0 +1 @@\n+x\nEOF"},
	// hook64 H3
	{cmd: "cp -b -S te ../e.json terraform.tfsta", setup: "printf x > terraform.tfsta", victim: "statefile"},
	{cmd: "mv -b --suffix=te ../e.json terraform.tfsta", setup: "printf x > terraform.tfsta", victim: "statefile"},
	{cmd: "gzip -f -S te terraform.tfsta", setup: "printf x > terraform.tfsta", needs: "gzip", victim: "statefile"},
	{cmd: "xz -f -S te terraform.tfsta", setup: "printf x > terraform.tfsta", needs: "xz", victim: "statefile"},
	{cmd: "split -a1 --additional-suffix=te -l 1000 ../e.json terraform.tfst", needs: "split", victim: "statefile"},
	{cmd: "split -l 1 big terraform.tfsta", setup: "seq -f x%g 1 600 > big", needs: "split", victim: "statefile"},
	{cmd: "csplit -s -f terraform.tfstat -b 'e%.0d' main.tf 2", needs: "csplit", victim: "statefile"},
	{cmd: "rsync -b --suffix=te ../e.json terraform.tfsta", setup: "printf x > terraform.tfsta", needs: "rsync", victim: "statefile"},
	{cmd: "split -n 1 --filter='@TF@ destroy -auto-approve -input=false' main.tf", needs: "split", victim: "state"},
	{cmd: "split --fil='terraform destroy -auto-approve' main.tf"},
	{cmd: "csplit -f x -b '%s' main.tf 2"},
	{cmd: "csplit -f x -b \"$F\" main.tf 2"},
	// hook64 L1
	{cmd: "printf '%s\\n' '--- /dev/null' '+++ b/.git/hooks/pre-commit' '@@ -0,0 +1 @@' '+terraform destroy' | patch -p1"},
}

var h63Allowed = []string{
	"ssh -o Hostname=db.internal host uptime",
	"ssh ssh://deploy@db.internal:2222 uptime",
	"ssh -o ProxyCommand='ssh -W %h:%p bastion' ssh://deploy@db.internal uptime",
	"bash <<'EOF'\nset -e\ncd src\ngo test ./...\nEOF",
	"bash <<'EOF'\necho \"$(date\n)\"\nEOF",
	"env -S 'python3 -u' script.py",
	"patch -p1 <<'EOF'\n--- a/main.tf\n+++ b/main.tf\n@@ -1 +1 @@\n-a\n+b\nEOF",
	"cp -b main.tf backup/",
	"cp -b -S .orig main.tf main.tf.new",
	"gzip -k main.tf",
	"split -l 1000 big part_",
	"split -d --additional-suffix=.log -l 100 big part_",
	"csplit -f piece_ main.tf 2",
	"csplit -f piece_ -b '%03d.txt' main.tf 2",
	"LESSOPEN='| /usr/bin/lesspipe %s' less main.tf",
	"git diff | git apply -R",
}

func TestHook63Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.ProtectedDirs = []string{"/work/tf/.claude"}
	for _, c := range h63Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook63Allowed(t *testing.T) {
	hookAllowed(t, h63Allowed)
}

// TestHook63BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns).
func TestHook63BashRuns(t *testing.T) {
	hookBashRuns(t, h63Refused, bashRuns{gitRepo: true, line: h37Line})
}
