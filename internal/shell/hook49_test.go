package shell

import (
	"os"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/bashread"
)

// Review hook49 (issue 17, hook round 49): lines the hook's parser reads
// otherwise than bash 5.2 — a here-document inside backquotes (F1), a
// comment ending in a backslash (F2), a here-document body bash ends at an
// earlier line (F3: an expansion open across the delimiter line; F4: a
// double-quoted delimiter with escapes), let's words (F5).

var h49Refused = []h32Case{
	// F1
	{cmd: "echo `cat <<'EOF'`\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: "echo `cat <<EOF`\ncp ../e.json ../planguard.hcl\nEOF", victim: "policy"},
	{cmd: "x=`cat <<EOF`\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	{cmd: ": `: <<EOF`\n@TF@ destroy -auto-approve -input=false\nEOF", victim: "state"},
	// F2
	{cmd: "true # \\\n@TF@ destroy -auto-approve -input=false", victim: "state"},
	{cmd: "echo hi #\\\ncp ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "git status # check first \\\n@TF@ destroy -auto-approve -input=false", victim: "state"},
	{cmd: "bash -c 'true # \\\n@TF@ destroy -auto-approve -input=false'", victim: "state"},
	// F3
	{cmd: "cat <<EOF\n${x:-\nEOF\n@TF@ destroy -auto-approve -input=false\n}\nEOF", victim: "state"},
	{cmd: "cat <<EOF\n$(echo '\nEOF\n@TF@ destroy -auto-approve -input=false\n: ')\nEOF", victim: "state"},
	{cmd: "cat <<EOF\n`echo \"\nEOF\ncp ../e.json ../planguard.hcl\n: \"`\nEOF", victim: "policy"},
	{cmd: "cat <<EOF\n$(cat <<X\nEOF\ncp ../e.json ../planguard.hcl\nX\n)\nEOF", victim: "policy"},
	// F4
	{cmd: "cat <<\"E\\$F\"\nx\nE$F\n@TF@ destroy -auto-approve -input=false\nE\\$F", victim: "state"},
	{cmd: "cat <<\"E\\\\F\" >/dev/null\nE\\F\ncp ../e.json ../planguard.hcl\nE\\\\F", victim: "policy"},
	{cmd: "cat <<\"\\\"\" >/dev/null\n\"\n@TF@ destroy -auto-approve -input=false\n\\\"", victim: "state"},
	{cmd: "cat <<-E\\F\n\tEF\n@TF@ destroy -auto-approve -input=false\nE\\F", victim: "state"},
	// F5
	{cmd: "terraform=0 destroy=0 auto=0 approve=0; let x=1|terraform destroy -auto-approve"},
	{cmd: "terraform=0 destroy=0 auto=0 approve=0; let x=1&&terraform destroy -auto-approve"},
	{cmd: "cat=0 k=0 planguard=0; let x=1|cat<k>../planguard.hcl"},
}

var h49Allowed = []string{
	"gh pr create --body \"$(cat <<'EOF'\nfix\nEOF\n)\"",
	"cat <<EOF\nline $HOME\nEOF",
	"cat <<'E F'\nx\nE F",
	"echo `date`",
	"x=0; let 'x = 1 | 2'",
	"let x=1+2",
	"echo hi # a comment",
	"# just a comment\necho hi",
	// bash's reading holds the characters these stand for (an ESC, bash's
	// doubled \x01 marker): the line as written holds none.
	"printf $'\\e[1m%s\\e[0m\\n' bold",
	"echo $'\\x01' $'\\x7f' $'\\u00e9'",
	"IFS=$'\\n'; echo x",
}

func TestHook49Refused(t *testing.T) {
	hookRefused(t, h49Refused)
}

func TestHook49Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h49Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
		// And with bash's reading judged too.
		o := opts
		o.Reparse = testOpts.Reparse
		if r := Analyze(cmd, o); !r.Allowed() {
			t.Errorf("refused with bash's reading, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
}

// TestHook49BashReadingRefuses checks the second reading on its own: for
// the spellings of F2–F5, bash's own printing of the line, judged by the
// hook, is refused whatever the rules for the first reading say: there the
// comment, the here-document's end and let's pipe are as bash reads them.
// (F1 is the exception: bash prints backquoted text as it was written.)
func TestHook49BashReadingRefuses(t *testing.T) {
	br, ok := bashread.Find(os.Getenv)
	if !ok {
		if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
			t.Fatal("no bash with --pretty-print (PLANGUARD_REQUIRE_TOOLS is set)")
		}
		t.Skip("no bash 5.2 with --pretty-print")
	}
	opts := h32Opts("/work")
	for _, c := range h49Refused[4:] {
		line := h37Line(c.cmd, "/work", "terraform")
		text, err := br.Read(line)
		if err != nil {
			// bash cannot read it at all: the line is refused for that.
			o := opts
			o.Reparse = br.Read
			if r := Analyze(line, o); r.Allowed() {
				t.Errorf("bash cannot read %q (%v), yet the line is allowed", line, err)
			}
			continue
		}
		if r := Analyze(text, opts); r.Allowed() {
			t.Errorf("bash reads %q as %q, which the hook allows", line, text)
		}
	}
}

// TestHook49BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook49BashRuns(t *testing.T) {
	hookBashRuns(t, h49Refused, bashRuns{line: h37Line})
}
