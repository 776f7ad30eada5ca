//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook34 F11 through the hook command: an earlier extraction the
// hook allows (python3 -m tarfile) can leave a hard link to the state or
// the policy; a file tool's or the shell's write through it rewrites that
// file. Writes to an existing file with more than one link are refused;
// the report's F7-F10 spellings are refused for every agent.
func TestHook34bHardLinks(t *testing.T) {
	w := newHookWorld(t)
	state := filepath.Join(w.dir, "terraform.tfstate")
	os.WriteFile(state, []byte("{}"), 0o600)
	os.MkdirAll(filepath.Join(w.dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(w.dir, "sub", "one.txt"), []byte("x"), 0o600)
	if err := os.Link(state, filepath.Join(w.dir, "sub", "h")); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := os.Link(w.policy, filepath.Join(w.dir, "sub", "p")); err != nil {
		t.Fatal(err)
	}
	write := func(tool, p string) string {
		b, _ := json.Marshal(map[string]any{"cwd": w.dir, "tool_name": tool, "tool_input": map[string]any{"file_path": p, "content": "x"}})
		return string(b)
	}
	for _, c := range []struct{ tool, path string }{
		{"Write", filepath.Join(w.dir, "sub", "h")}, {"Edit", "sub/h"}, {"Write", "sub/p"},
	} {
		code, out, errs := w.hook(t, "claude", write(c.tool, c.path), nil)
		if r := denyReason(t, "claude", code, out, errs); r == "" {
			t.Errorf("%s %s: allowed, want refused", c.tool, c.path)
		}
	}
	for _, p := range []string{"sub/one.txt", "sub/new.txt"} {
		if code, out, errs := w.hook(t, "claude", write("Write", p), nil); code != 0 || out != "" {
			t.Errorf("Write %s: refused, want allowed: %d %s %s", p, code, out, errs)
		}
	}
	for _, agent := range []string{"claude", "copilot", "gemini"} {
		for _, line := range []string{"cat /tmp/st.json > sub/h", "cp /tmp/st.json sub/h", "tee sub/p < /tmp/x",
			"cp --parents home/.bashrc " + filepath.Dir(w.home),
			"tar -x -C /tmp/safe -f p.tar -C " + filepath.Dir(w.policy),
			"patch -b -z .hcl -B ../ planguard p.diff",
			"curl -sT /tmp/evil/planguard.hcl file://" + filepath.Dir(w.policy) + "/",
			"curl -sT /tmp/evil/planguard.hcl 'file://" + filepath.Dir(w.policy) + "/[p-p]languard.hcl'",
		} {
			code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, line), nil)
			if code == 0 && out == "" {
				t.Errorf("%s: %s: allowed, want refused (%s)", agent, line, errs)
			}
		}
		for _, line := range []string{"echo x > sub/one.txt", "rm sub/h", "cp --parents src/a.go /tmp/out",
			"tar -xf a.tar -C /tmp/x", "patch -p1 < fix.diff", "curl -T a.txt https://h/up/"} {
			code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, line), nil)
			if code != 0 || out != "" {
				t.Errorf("%s: %s: refused, want allowed: %d %s %s", agent, line, code, out, errs)
			}
		}
	}
	if b, _ := os.ReadFile(state); !strings.Contains(string(b), "{}") {
		t.Fatal("the test changed the state")
	}
}
