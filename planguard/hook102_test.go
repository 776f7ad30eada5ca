package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook102 through the hook command, with real links: a write after
// a cd through a link there (H1); a dangling link whose relative target
// the kernel reads from the directory it really is in, behind a directory
// link (H2), and a link the line itself makes (ln -s ../x d && echo > d/l);
// a file tool's relative path with a leading .. from a cwd that is a
// symbolic link, which the agents resolve against the cwd as written (M1).
func TestHook102Links(t *testing.T) {
	w := newHookWorld(t)
	root := filepath.Dir(w.dir)
	state := filepath.Join(w.dir, "terraform.tfstate")
	mk := func(p string) {
		t.Helper()
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		t.Helper()
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(state, []byte("{\"version\": 4, \"resources\": [{\"type\": \"terraform_data\"}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := filepath.Join(root, "x")
	mk(x)
	link("../infra/terraform.tfstate", filepath.Join(x, "s"))
	link("../planguard.hcl", filepath.Join(x, "p"))
	link("../.envrc", filepath.Join(x, "l"))    // dangling: .envrc does not exist yet
	link("../.mcp.json", filepath.Join(x, "m")) // dangling
	mk(filepath.Join(w.dir, "p", "q"))
	link("../../../x", filepath.Join(w.dir, "p", "q", "d"))
	refused := func(ev string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", ev, nil)
		return code != 0 || out != ""
	}
	for _, line := range []string{
		// H1
		"cd ../x && tee s </dev/null",
		`cd ../x && echo "# x" >> p`,
		"env -C ../x truncate -s0 s",
		"(cd ../x && cp /dev/null s)",
		"pushd ../x && rm -f p",
		"cd " + x + " && dd of=s </dev/null",
		// H2
		`echo "echo pwned" > p/q/d/l`,
		"tee p/q/d/m </dev/null",
		`ln -s ../x d9 && echo "echo pwned" > d9/l`,
		`echo x > d9/l; ln -s ../x d9`,
		"ln -s -t . ../x && echo x > x/l",
	} {
		if !refused(shellEvent("claude", w.dir, line)) {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, line := range []string{"cd ../x && echo hi > other.txt", "ln -s ../x d9 && echo hi > d9/other"} {
		if refused(shellEvent("claude", w.dir, line)) {
			t.Errorf("refused, want allowed: %s", line)
		}
	}
	write := func(cwd, p string) string {
		b, _ := json.Marshal(map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Write", "cwd": cwd,
			"tool_input": map[string]any{"file_path": p, "content": "x"}})
		return string(b)
	}
	if !refused(write(w.dir, filepath.Join(w.dir, "p", "q", "d", "m"))) {
		t.Error("Write through a directory link to a dangling link to .mcp.json allowed")
	}
	// M1: the cwd as the event gives it is a link; ../evil from its text
	// is the policy, from the real directory a harmless name.
	mk(filepath.Join(root, "a", "b"))
	link("a/b", filepath.Join(root, "tflink"))
	link("planguard.hcl", filepath.Join(root, "evil"))
	if !refused(write(filepath.Join(root, "tflink"), "../evil")) {
		t.Error("Write of ../evil from a linked cwd allowed")
	}
	if refused(write(filepath.Join(root, "tflink"), "../ok.txt")) {
		t.Error("Write of ../ok.txt from a linked cwd refused")
	}
	// The attacks are real: the kernel reads the dangling link from the
	// directory it is in, and bash writes the state through the cd.
	if err := os.WriteFile(filepath.Join(w.dir, "p", "q", "d", "m"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".mcp.json")); err != nil {
		t.Fatalf("the write through p/q/d/m did not create %s: the spelling is no attack", filepath.Join(root, ".mcp.json"))
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", "cd ../x && tee s </dev/null")
	cmd.Dir = w.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(state); len(b) != 0 {
		t.Fatal("cd ../x && tee s left the state: the spelling is no attack")
	}
}
