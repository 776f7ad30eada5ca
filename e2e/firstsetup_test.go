package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// shellBlocks returns the fenced blocks of a guide whose info string is
// exactly "sh": the commands a reader runs. Blocks marked "shell" are
// shown, not run (CI paths such as /opt); "console" blocks are output.
func shellBlocks(t *testing.T, guide string) []string {
	t.Helper()
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.Split(guide, "\n") {
		switch {
		case cur == nil && line == "```sh":
			cur = &strings.Builder{}
		case cur != nil && line == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	if cur != nil {
		t.Fatal("unterminated sh block")
	}
	return blocks
}

// TestFirstSetupGuide runs the shell blocks of the first-setup guide, in
// order, in one bash, as a newcomer would: HOME a new directory, no CLI
// configuration, the pinned terraform on PATH, the repository as the
// working directory. The deletion must be blocked, then allowed and
// applied after the approval, and the spent approval removed.
func TestFirstSetupGuide(t *testing.T) {
	firstSetup(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"), "terraform")
}

// TestFirstSetupGuideOpenTofu runs the same commands with tofu as terraform.
func TestFirstSetupGuideOpenTofu(t *testing.T) {
	firstSetup(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"), "tofu")
}

func firstSetup(t *testing.T, tf, name string) {
	src, err := os.ReadFile("../templates/guides/first-setup.md")
	if err != nil {
		t.Fatal(err)
	}
	if gen, err := os.ReadFile("../docs/guides/first-setup.md"); err != nil || !bytes.Equal(gen, src) {
		t.Errorf("docs/guides/first-setup.md differs from templates/guides/first-setup.md (run make generate): %v", err)
	}
	blocks := shellBlocks(t, string(src))
	if len(blocks) < 7 {
		t.Fatalf("found %d sh blocks in the guide, want at least 7", len(blocks))
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	bin := filepath.Join(t.TempDir(), "bin")
	os.MkdirAll(bin, 0o755)
	// The reader's terraform: here the pinned one, under the name terraform.
	if err := os.Symlink(tf, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	env := homeEnv(t, home)
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + bin + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for i, b := range blocks {
		fmt.Fprintf(&script, "printf '\\n### block %d\\n'\n%s", i+1, b)
	}
	cmd := exec.Command("bash", "-c", script.String())
	cmd.Dir, cmd.Env = root, env
	out, err := cmd.CombinedOutput()
	transcript := string(out)
	t.Logf("%s transcript:\n%s", name, transcript)
	if err != nil {
		t.Fatalf("the guide's commands failed: %v", err)
	}
	part := func(n int) string {
		_, after, _ := strings.Cut(transcript, fmt.Sprintf("### block %d\n", n))
		before, _, _ := strings.Cut(after, "### block ")
		return before
	}
	for _, c := range []struct {
		block int
		want  []string
	}{
		{3, []string{"Wrote " + home + "/planguard-policy/planguard.hcl", "planguard check --policy " + home + "/planguard-policy/planguard.hcl tfplan"}},
		{4, []string{"planguard/planguard v0.0.1", "ALLOWED"}},
		{5, []string{"delete  terraform_data.db  by_address  0/1        BLOCKED", "BLOCKED: 1 of 1", "planguard check exited 1"}},
		{6, []string{"about to sign as you@example.com", "change    delete terraform_data.db (scope trial)", "the plan also destroys nothing else"}},
		{7, []string{"ALLOWED", "planguard_approval.delete_terraform_data_db\n"}},
		{8, []string{"unused", "ALLOWED"}},
		{9, []string{"planguard_approval.delete_terraform_data_db", "ALLOWED"}},
	} {
		got := part(c.block)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("block %d lacks %q:\n%s", c.block, w, got)
			}
		}
	}
	if regexp.MustCompile(`(?m)^terraform_data\.db$`).MatchString(part(7)) {
		t.Errorf("terraform_data.db is still in the state after the approved apply:\n%s", part(7))
	}
}
