package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Gemini CLI's stripShellWrapper, as its source has it: a leading
// sh/bash/zsh -c (any case, any directory) is cut, one pair of outer quotes
// removed, nothing unescaped.
func TestGeminiStripShellWrapper(t *testing.T) {
	for in, want := range map[string][]string{
		`sh -c "echo \"; terraform destroy; echo \""`: {`echo \"; terraform destroy; echo \"`, `echo \"; terraform destroy; echo \"`},
		`/bin/BASH -c 'ls'  `:                         {`ls`, `ls`},
		"zsh\u00a0-c\tx":                              {"x", "x"},
		`bash -lc 'ls'`:                               {`bash -lc 'ls'`, `bash -lc 'ls'`},
		"  ls -la ":                                   {"ls -la", "  ls -la "},
		`sh -c "a" "b"`:                               {`a" "b`, `a" "b`},
	} {
		if got := geminiStripShellWrapper(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// Gemini runs in dir_path; a directory key it ignores is refused only when
// it names another directory; Copilot's interactive shell expands history,
// the other agents' shells do not.
func TestHookGeminiDirKeysAndCopilotHistory(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, "sub"), 0o755)
	gem := func(input map[string]any) (int, string) {
		ev, _ := json.Marshal(map[string]any{"session_id": "s", "cwd": w.dir, "hook_event_name": "BeforeTool",
			"tool_name": "run_shell_command", "tool_input": input})
		code, out, _ := w.hook(t, "gemini", string(ev), nil)
		return code, out
	}
	for _, input := range []map[string]any{
		{"command": "ls", "dir_path": "sub"},
		{"command": "ls", "dir_path": "sub", "directory": "sub/"},
		{"command": "ls", "directory": "."},
	} {
		if code, out := gem(input); code != 0 || out != "" {
			t.Errorf("gemini %v: %d %s", input, code, out)
		}
	}
	if code, out := gem(map[string]any{"command": "ls", "dir_path": "sub", "directory": "other"}); code == 0 && out == "" {
		t.Errorf("gemini: a directory other than dir_path was allowed")
	} else if !strings.Contains(out, "directory") {
		t.Errorf("gemini: reason does not name the key: %s", out)
	}
	for _, agent := range []string{"copilot", "cursor"} {
		code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, "echo x; !!"), nil)
		if r := denyReason(t, agent, code, out, errs); !strings.Contains(r, "history expansion") {
			t.Errorf("%s !!: %s", agent, r)
		}
	}
	for _, agent := range []string{"claude", "gemini"} {
		if code, out, _ := w.hook(t, agent, shellEvent(agent, w.dir, "echo x; echo !!"), nil); code != 0 || out != "" {
			t.Errorf("%s: echo !! refused: %s", agent, out)
		}
	}
}
