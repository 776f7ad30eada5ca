package bashread

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func reader(t *testing.T) Reader {
	t.Helper()
	r, ok := Find(os.Getenv)
	if !ok {
		if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
			t.Fatal("no bash with --pretty-print in " + strings.Join(Candidates, ", ") + " (PLANGUARD_REQUIRE_TOOLS is set)")
		}
		t.Skip("no bash 5.2 with --pretty-print here")
	}
	return r
}

func TestReadPrintsBashsReading(t *testing.T) {
	r := reader(t)
	for _, c := range []struct{ line, want string }{
		// bash decodes $'…' when it reads the line.
		{`echo $'terr\x61form' destroy`, `echo 'terraform' destroy`},
		// A backslash-newline joins the lines.
		{"terra\\\nform destroy", "terraform destroy"},
		// extglob patterns parse (the hook's parser reads them too).
		{`ls !(*.tf)`, `ls !(*.tf)`},
		// A here-document's body, as bash ends it.
		{"cat <<E\nx\nE\necho done", "cat <<E\nx\nE\n\necho done"},
	} {
		got, err := r.Read(c.line)
		if err != nil {
			t.Errorf("Read(%q): %v", c.line, err)
			continue
		}
		if strings.TrimSpace(got) != c.want {
			t.Errorf("Read(%q) = %q, want %q", c.line, strings.TrimSpace(got), c.want)
		}
	}
}

func TestReadRunsNothing(t *testing.T) {
	r := reader(t)
	dir := t.TempDir()
	mark := filepath.Join(dir, "ran")
	env := filepath.Join(dir, "env.sh")
	if err := os.WriteFile(env, []byte("touch "+mark+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The hook's own environment may name startup files; bash gets none.
	t.Setenv("BASH_ENV", env)
	t.Setenv("ENV", env)
	t.Setenv("SHELLOPTS", "xtrace")
	for _, line := range []string{
		"touch " + mark,
		"x=$(touch " + mark + ")",
		"f() { :; }; f; touch " + mark + " &",
		"cat <(touch " + mark + ") <<E\n$(touch " + mark + ")\nE",
	} {
		if _, err := r.Read(line); err != nil {
			t.Errorf("Read(%q): %v", line, err)
		}
		if _, err := os.Stat(mark); err == nil {
			t.Fatalf("reading %q ran it: %s exists", line, mark)
		}
	}
}

func TestReadRefusesWhatBashCannotParse(t *testing.T) {
	r := reader(t)
	for _, line := range []string{
		"echo a; )",
		`echo "open`,
		"cat <<EOF\nno end", // bash warns and reads to the end
		"if true; then echo",
	} {
		out, err := r.Read(line)
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("Read(%q) = %q, %v; want ErrSyntax", line, out, err)
		}
	}
}

func TestReadBoundsOutput(t *testing.T) {
	r := reader(t)
	r.MaxOutput = 100
	if _, err := r.Read("echo " + strings.Repeat("a", 200)); err == nil || !strings.Contains(err.Error(), "more than 100 bytes") {
		t.Errorf("Read of a long line with MaxOutput 100: %v, want a bound error", err)
	}
}

// BenchmarkFindRead is what one hook call adds: find the bash (one
// probe run) and read one ordinary line.
func BenchmarkFindRead(b *testing.B) {
	line := `git status && go test ./... 2>&1 | tail -n 20; grep -rn "terraform destroy" docs/`
	for b.Loop() {
		r, ok := Find(os.Getenv)
		if !ok {
			b.Skip("no bash with --pretty-print")
		}
		if _, err := r.Read(line); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReadStopsAtTheDeadline(t *testing.T) {
	r := reader(t)
	r.Deadline = time.Now().Add(-time.Second)
	if _, err := r.Read("echo hi"); err == nil || !strings.Contains(err.Error(), "in all") {
		t.Errorf("Read after the deadline: %v, want an error", err)
	}
}
