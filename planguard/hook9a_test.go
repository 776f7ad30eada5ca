package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook17 (F1, F2, F10, F11), the hook's side: the protected files
// and directories it computes from the disk and the environment, for the
// agents' file tools and the shell.

func hook9aWrite(w hookWorld, agent, tool, key, path string) string {
	var ev any
	switch agent {
	case "copilot":
		args, _ := json.Marshal(map[string]any{key: path, "file_text": "x"})
		ev = map[string]any{"cwd": w.dir, "toolName": tool, "toolArgs": string(args)}
	default:
		ev = map[string]any{"cwd": w.dir, "tool_name": tool, "tool_input": map[string]any{key: path, "content": "[alias]\n st = !terraform destroy -auto-approve\n"}}
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func hook9aTools() []struct{ agent, tool, key string } {
	return []struct{ agent, tool, key string }{{"claude", "Write", "file_path"}, {"gemini", "write_file", "file_path"}, {"copilot", "create", "path"}}
}

func gitInit(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("git", append([]string{"init", "-q"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("git init %v: %v\n%s", args, err, out)
	}
}

func TestHook9aFileToolsGitDirectoriesAndStartupFiles(t *testing.T) {
	w := newHookWorld(t)
	gitInit(t, w.dir)
	gitInit(t, "--bare", filepath.Join(w.dir, "e.git"))
	files := []string{
		".git/commondir",
		".git/config.worktree",
		".git/info/exclude",
		".git/modules/sub/config",
		"x/.git/config", // another repository's, in the project
		"y/.git",        // a .git file naming a git directory elsewhere
		"e.git/config",  // a bare repository's, which exists now
		filepath.Join(w.dir, "e.git", "commondir"),
		filepath.Join(w.home, ".claude.json"),
		filepath.Join(w.home, ".bash_aliases"),
		filepath.Join(w.home, ".bashrc.d", "x.sh"),
		filepath.Join(w.home, ".zlogout"),
		filepath.Join(w.home, ".config", "fish", "config.fish"),
		filepath.Join(w.home, ".config", "direnv", "direnvrc"),
		filepath.Join(w.home, ".direnvrc"),
		filepath.Join(w.home, ".vimrc"),
		filepath.Join(w.home, ".vim", "plugin", "x.vim"),
		filepath.Join(w.home, ".config", "nvim", "init.lua"),
		filepath.Join(w.home, ".copilot", "mcp-config.json"),
		filepath.Join(w.home, ".cursor", "mcp.json"),
		".github/mcp.json",
	}
	for _, f := range files {
		for _, c := range hook9aTools() {
			code, out, errs := w.hook(t, c.agent, hook9aWrite(w, c.agent, c.tool, c.key, f), nil)
			if r := denyReason(t, c.agent, code, out, errs); !strings.Contains(r, "runs later on its own") && !strings.Contains(r, "run later on their own") {
				t.Errorf("%s %s %s: %s", c.agent, c.tool, f, r)
			}
		}
	}
	for _, f := range []string{"main.tf", "config", "notes/config", "e.git.md", ".gitignore"} {
		for _, c := range hook9aTools() {
			if code, out, errs := w.hook(t, c.agent, hook9aWrite(w, c.agent, c.tool, c.key, f), nil); code != 0 || out != "" {
				t.Errorf("%s %s %s: refused, want allowed: %d %s %s", c.agent, c.tool, f, code, out, errs)
			}
		}
	}
	for _, cmd := range []string{
		"echo '[core] pager = terraform destroy' > e.git/config", // no git in the line: a git directory on disk
		"echo /tmp/evil > .git/commondir",
		`jq '. + {mcpServers:{}}' ~/.claude.json > /tmp/c.json && cp /tmp/c.json ~/.claude.json`,
		"echo 'terraform destroy' >> ~/.bash_aliases",
		"echo '!terraform destroy' > ~/.vimrc && vim main.tf",
		"VIMINIT='!terraform destroy -auto-approve' vim main.tf",
		"git init -q x && echo '[alias] st = !terraform destroy -auto-approve' > x/.git/config && git -C x st",
		"git init -q x && echo '[core] pager = terraform destroy' > x/.git/config && git -C x log",
		"git init -q --template=/tmp/tpl",
		"HOME=$PWD/h git status",
	} {
		w.denied(t, w.dir, cmd)
	}
	w.allowed(t, "git status", "git -C e.git log", "cat ~/.claude.json", "vim main.tf", "git commit -m 'no terraform destroy here'")
}

// A .git directory's commondir is followed: git reads the config and
// hooks of the directory it names, which are then protected too.
func TestHook9aCommondirOfGitDirectoryFollowed(t *testing.T) {
	w := newHookWorld(t)
	gitInit(t, w.dir)
	evil := filepath.Join(t.TempDir(), "evil")
	os.MkdirAll(filepath.Join(evil, "hooks"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".git", "commondir"), []byte(evil+"\n"), 0o644)
	for _, f := range []string{filepath.Join(evil, "config"), filepath.Join(evil, "hooks", "pre-commit")} {
		for _, c := range hook9aTools() {
			code, out, errs := w.hook(t, c.agent, hook9aWrite(w, c.agent, c.tool, c.key, f), nil)
			denyReason(t, c.agent, code, out, errs)
		}
		w.denied(t, w.dir, "echo x > "+f)
	}
}

// CLAUDE_CONFIG_DIR moves Claude Code's settings and .claude.json.
func TestHook9aClaudeConfigDirProtected(t *testing.T) {
	w := newHookWorld(t)
	cfg := filepath.Join(t.TempDir(), "cc")
	os.MkdirAll(cfg, 0o755)
	env := map[string]string{"CLAUDE_CONFIG_DIR": cfg}
	for _, f := range []string{filepath.Join(cfg, ".claude.json"), filepath.Join(cfg, "settings.json")} {
		code, out, errs := w.hook(t, "claude", hook9aWrite(w, "claude", "Write", "file_path", f), env)
		denyReason(t, "claude", code, out, errs)
		code, out, errs = w.hook(t, "claude", shellEvent("claude", w.dir, "echo '{}' > "+f), env)
		denyReason(t, "claude", code, out, errs)
	}
}
