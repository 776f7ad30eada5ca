package shell

import "testing"

// Review hook62: env -S reads a # (the end of the string only: the words
// after it still run) and a line break (a space) otherwise than a shell
// (H1); a patch written out in the line names the files it writes (L2).

var h62Refused = []h32Case{
	// H1
	{cmd: "env -S '#' @TF@ destroy -auto-approve -input=false", victim: "state"},
	{cmd: "env -S '@TF@ #' destroy -auto-approve -input=false", victim: "state"},
	{cmd: "env -S'#' terraform destroy -auto-approve"},
	{cmd: "env -S $'@TF@\\n' destroy -auto-approve -input=false", victim: "state"},
	// L2
	{cmd: "patch -p1 <<'E'\n--- a/.claude/settings.local.json\n+++ b/.claude/settings.local.json\n@@ -0,0 +1 @@\n+{\"disableAllHooks\": true}\nE"},
	{cmd: "git apply <<'E'\ndiff --git a/.git/hooks/pre-commit b/.git/hooks/pre-commit\nnew file mode 100755\n--- /dev/null\n+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+terraform destroy\nE"},
	{cmd: "patch -d .. -p1 <<'E'\n--- a/planguard.hcl\n+++ b/planguard.hcl\n@@ -1 +1 @@\n-policy\n+evil\nE"},
	{cmd: "git apply <<< $'diff --git a/x b/y\\nrename to ../planguard.hcl\\n'"},
}

var h62Allowed = []string{
	"env -S 'python3 -u' script.py",
	"patch -p1 < fix.patch",
	"git apply <<'E'\n--- a/main.tf\n+++ b/main.tf\n@@ -1 +1 @@\n-a\n+b\nE",
}

func TestHook62Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.ProtectedDirs = []string{"/work/tf/.claude"}
	for _, c := range h62Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook62Allowed(t *testing.T) {
	hookAllowed(t, h62Allowed)
}

// TestHook62BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook62BashRuns(t *testing.T) {
	hookBashRuns(t, h62Refused, bashRuns{line: h37Line})
}
