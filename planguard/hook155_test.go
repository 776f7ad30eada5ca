package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook155 H2 split over two calls: git update-ref HEAD HEAD~1 in one
// (it writes nothing in the working tree), git stash in the next, which
// resets the tracked files to HEAD and brings back the commit's old state
// over the git-ignored one. The hook asks git whether HEAD tracks a path
// where a state lies (headState).
func TestHook155HeadTracksState(t *testing.T) {
	gitBin := gitBin()
	if gitBin == "" {
		t.Skip("no git where the hook looks for it")
	}
	w := newHookWorld(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command(gitBin, append([]string{"-C", w.dir, "-c", "user.email=a@b", "-c", "user.name=a"}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+w.home, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	state := filepath.Join(w.dir, "terraform.tfstate")
	applied := `{"version": 4, "serial": 2, "lineage": "x", "resources": [{"type": "terraform_data", "name": "prod_db"}]}` + "\n"
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("resource \"terraform_data\" \"prod_db\" {}\n"), 0o600)
	os.WriteFile(state, []byte(`{"version": 4, "serial": 1, "lineage": "x", "resources": []}`+"\n"), 0o600)
	git("init", "-q")
	git("add", "-f", "main.tf", "terraform.tfstate")
	git("commit", "-qm", "s")
	git("rm", "-q", "--cached", "terraform.tfstate")
	os.WriteFile(filepath.Join(w.dir, ".gitignore"), []byte("*.tfstate\n"), 0o600)
	git("add", ".gitignore")
	git("commit", "-qm", "x")
	os.WriteFile(state, []byte(applied), 0o600)
	denied := func(cmd string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), map[string]string{"GIT_CONFIG_NOSYSTEM": "1"})
		return code != 0 || strings.TrimSpace(out) != ""
	}
	if denied("git stash") {
		t.Fatal("git stash denied while HEAD does not track the state")
	}
	git("update-ref", "HEAD", "HEAD~1") // the earlier call
	for _, cmd := range []string{"git stash", "git stash -q", "git stash push -m wip"} {
		if !denied(cmd) {
			t.Errorf("HEAD tracks the state: allowed, want denied: %s", cmd)
		}
	}
	if denied("git stash list") {
		t.Error("git stash list denied")
	}
	// The attack is real: the stash puts the old state in place.
	git("stash", "-q")
	if b, _ := os.ReadFile(state); string(b) == applied {
		t.Fatal("git stash left the applied state: the spelling is no attack")
	}
}
