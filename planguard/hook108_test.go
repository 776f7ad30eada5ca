package main

import (
	"path/filepath"
	"testing"
)

// Review hook108 through the hook command: configuration files that name
// a file a program writes or a command it runs, written in the line, then
// read by the program: curl's ~/.config/curlrc (H1), gpg.conf (H2), a
// project's .npmrc (editor: H4), the AWS CLI's and kubectl's (M1, M2),
// pip's. The shell's writes and the file tools' are refused alike.
func TestHook108ConfigFiles(t *testing.T) {
	w := newHookWorld(t)
	for _, line := range []string{
		`printf 'output = "../planguard.hcl"\n' > ~/.config/curlrc; curl -s file:///tmp/x`,
		`printf 'output ../planguard.hcl\n' >> ~/.gnupg/gpg.conf`,
		`printf 'editor=terraform destroy -auto-approve\n' > .npmrc; npm config edit`,
		`printf '[default]\ncredential_process = x\n' > ~/.aws/config`,
		`cp kc ~/.kube/config`,
		`echo '[global]' > ~/.config/pip/pip.conf`,
		`printf 'output ../planguard.hcl\n' > ~/.gnupg/gpg.conf-2`,
		`printf -- '--exec x\n' > .proverc && prove e.tfvars`,
	} {
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, line), nil)
		if code == 0 && out == "" {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
	for _, p := range []string{filepath.Join(w.home, ".config", "curlrc"), filepath.Join(w.dir, ".npmrc"), filepath.Join(w.home, ".npmrc")} {
		ev := `{"hook_event_name":"PreToolUse","tool_name":"Write","cwd":"` + w.dir + `","tool_input":{"file_path":"` + p + `","content":"x"}}`
		code, out, _ := w.hook(t, "claude", ev, nil)
		if code == 0 && out == "" {
			t.Errorf("Write of %s allowed", p)
		}
	}
}
