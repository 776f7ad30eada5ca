package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook33 (issue 17 part 2), findings 2-4 through the hook command:
// file:// URLs naming protected files (F2, the home's startup files and
// the hook's settings, which the shell package tests do not list), Copilot
// CLI's apply_patch (F3), file tools writing a state file through a
// symbolic link (F4), and Terraform help that is not refused.

// copilotPatch is a Copilot CLI apply_patch event: toolArgs is the patch
// itself (a freeform tool), or an object with input or patch.
func copilotPatch(cwd string, args any) string {
	b, _ := json.Marshal(map[string]any{"timestamp": 1704614600000, "cwd": cwd, "toolName": "apply_patch", "toolArgs": args})
	return string(b)
}

func TestHook33ApplyPatch(t *testing.T) {
	w := newHookWorld(t)
	obj := func(k, v string) string { b, _ := json.Marshal(map[string]string{k: v}); return string(b) }
	patch := func(lines ...string) string {
		return "*** Begin Patch\n" + strings.Join(lines, "\n") + "\n*** End Patch\n"
	}
	hookFile := filepath.Join(".github", "hooks", "planguard.json")
	refused := []struct{ args any }{
		{patch("*** Add File: "+hookFile, "+{}")},
		{patch("*** Update File: ../planguard.hcl", "@@", "-a", "+b")},
		{patch("*** Delete File: ../planguard.hcl")},
		{patch("*** Update File: main.tf", "*** Move to: ../allowed_signers", "@@", "-a", "+b")},
		{patch("*** Add File: x.txt", "+x", "*** Delete File: "+w.signers)},
		{patch("  *** Delete File: ../planguard.hcl  ")},
		{strings.ReplaceAll(patch("*** Delete File: ../planguard.hcl"), "\n", "\r\n")},
		{"\"" + patch("*** Add File: "+hookFile, "+{}") + "\""},
		{obj("input", patch("*** Delete File: ../planguard.hcl"))},
		{obj("patch", patch("*** Delete File: ../planguard.hcl"))},
		{map[string]string{"input": patch("*** Delete File: ../planguard.hcl")}},
		{patch("*** Add File: "+filepath.Join(w.home, ".bashrc"), "+terraform destroy -auto-approve")},
		{patch("*** Add File: .git/hooks/pre-commit", "+x")},
		{patch("*** Update File: terraform.tfstate", "@@", "-a", "+b")},
	}
	for _, c := range refused {
		code, out, errs := w.hook(t, "copilot", copilotPatch(w.dir, c.args), nil)
		if code == 0 && out == "" {
			t.Errorf("apply_patch %v: allowed, want refused", c.args)
		}
		_ = errs
	}
	// A patch the hook cannot read is refused (exit 2, fail closed).
	for _, args := range []any{"", "not a patch", obj("input", "x"), map[string]any{"input": 1}, patch("*** Add File:   ")} {
		code, out, _ := w.hook(t, "copilot", copilotPatch(w.dir, args), nil)
		if code == 0 && out == "" {
			t.Errorf("apply_patch %v: allowed, want refused", args)
		}
	}
	for _, args := range []any{
		patch("*** Add File: notes.txt", "+hello"),
		patch("*** Update File: main.tf", "@@", "-a", "+b", "*** Move to: other.tf"),
		obj("input", patch("*** Delete File: old.txt")),
	} {
		code, out, errs := w.hook(t, "copilot", copilotPatch(w.dir, args), nil)
		if code != 0 || out != "" {
			t.Errorf("apply_patch %v: refused, want allowed: %d %s %s", args, code, out, errs)
		}
	}
}

// TestHook33StateLink: a link to the state (made by an accepted class,
// tar x) does not let the file tools rewrite it.
func TestHook33StateLink(t *testing.T) {
	w := newHookWorld(t)
	state := filepath.Join(w.dir, "terraform.tfstate")
	os.WriteFile(state, []byte("{}"), 0o600)
	os.MkdirAll(filepath.Join(w.dir, "sub"), 0o755)
	if err := os.Symlink("../terraform.tfstate", filepath.Join(w.dir, "sub", "l")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../nowhere", filepath.Join(w.dir, "sub", "dangling")); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(w.dir, "sub"), filepath.Join(w.dir, "dirlink"))
	write := func(agent, tool, key, p string) string {
		if agent == "copilot" {
			args, _ := json.Marshal(map[string]any{key: p, "file_text": "x"})
			b, _ := json.Marshal(map[string]any{"cwd": w.dir, "toolName": tool, "toolArgs": string(args)})
			return string(b)
		}
		b, _ := json.Marshal(map[string]any{"cwd": w.dir, "tool_name": tool, "tool_input": map[string]any{key: p, "content": "x"}})
		return string(b)
	}
	for _, c := range []struct{ agent, tool, key, path string }{
		{"claude", "Write", "file_path", filepath.Join(w.dir, "sub", "l")},
		{"claude", "Edit", "file_path", "sub/l"},
		{"gemini", "write_file", "file_path", filepath.Join(w.dir, "sub", "l")},
		{"copilot", "create", "path", filepath.Join(w.dir, "sub", "l")},
		{"copilot", "edit", "path", "sub/l"},
	} {
		code, out, errs := w.hook(t, c.agent, write(c.agent, c.tool, c.key, c.path), nil)
		if r := denyReason(t, c.agent, code, out, errs); !strings.Contains(r, "Terraform state file") {
			t.Errorf("%s %s %s: %s", c.agent, c.tool, c.path, r)
		}
	}
	code, out, _ := w.hook(t, "copilot", copilotPatch(w.dir, "*** Begin Patch\n*** Update File: sub/l\n@@\n-a\n+b\n*** End Patch\n"), nil)
	if code == 0 && out == "" {
		t.Error("apply_patch through a link to the state: allowed")
	}
	for _, p := range []string{"sub/dangling", "dirlink/new.txt", "sub/other.txt"} {
		code, out, errs := w.hook(t, "claude", write("claude", "Write", "file_path", p), nil)
		if code != 0 || out != "" {
			t.Errorf("Write %s: refused, want allowed: %d %s %s", p, code, out, errs)
		}
	}
}

// TestHook33FileURLs: a file:// URL naming the home's startup file or the
// agent's hook settings is judged as that path.
func TestHook33FileURLs(t *testing.T) {
	w := newHookWorld(t)
	for _, agent := range []string{"claude", "gemini", "copilot"} {
		for _, cmd := range []string{
			"curl -sT /tmp/evil/x file://" + filepath.Join(w.home, ".bashrc"),
			"curl -T /tmp/evil/x file://localhost" + filepath.Join(w.home, ".bashrc"),
			"curl -T /tmp/evil/x FILE://" + filepath.Join(w.home, "%2ebashrc"),
			"curl -T /tmp/evil/x file://" + w.policy,
			"curl --upload-file /tmp/x file://" + filepath.Join(w.dir, ".claude", "settings.json"),
			"gsutil cp /tmp/evil/x file://" + filepath.Join(w.dir, ".github", "hooks", "planguard.json"),
			"gcloud storage cp /tmp/evil/x file://" + w.policy,
			"gsutil rsync -r file:///tmp/evil file://" + filepath.Dir(w.policy),
			"curl -T /tmp/x file://" + filepath.Join(w.dir, "terraform.tfstate"),
		} {
			code, out, _ := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil)
			if code == 0 && out == "" {
				t.Errorf("%s: allowed, want refused: %s", agent, cmd)
			}
		}
		for _, cmd := range []string{"curl -o /tmp/x file:///etc/hostname", "gsutil cp file:///tmp/a gs://b/a"} {
			code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil)
			if code != 0 || out != "" {
				t.Errorf("%s: refused, want allowed: %s\n%s %s", agent, cmd, out, errs)
			}
		}
	}
}
