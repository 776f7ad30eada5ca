package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Residual findings of the r-hook6 review (issue 17), through the hook
// command itself.

// Copilot CLI and Cursor type the command into an interactive bash on a
// terminal, where a tab asks readline to complete the word: the
// completion (a file or command name) is inserted wherever the tab stands,
// inside quotes and here-documents too, so bash runs other text than the
// hook read. Refused anywhere in their commands; Claude and Gemini run the
// line with bash -c, where a tab is a blank.
func TestHook7TabOnTerminals(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, []string{"copilot", "cursor"},
		"echo hi\tthere",
		"terraform plan\t-out=tfplan",
		"echo 'a\tb'",
		"cat <<EOF\n\tx\nEOF",
	)
	for _, agent := range []string{"claude", "gemini"} {
		for _, cmd := range []string{"echo hi\tthere", "cat <<EOF\n\tx\nEOF"} {
			if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil); code != 0 || out != "" {
				t.Errorf("%s: refused, want allowed: %q\n%s%s", agent, cmd, out, errs)
			}
		}
	}
}

// Characters that hide or reorder text for the person reading the command
// (C1 controls, zero-width and bidirectional format characters, the byte
// order mark) are refused for every agent.
func TestHook7HiddenCharactersAllAgents(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"echo ok \u202e; terraform plan",
		"terraform\u200b plan",
		"echo \u0085",
		"\ufeffterraform plan",
		"echo \u2066x\u2069",
	)
	for _, agent := range r4AllAgents {
		if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, "echo 'é 日本 🙂'"), nil); code != 0 || out != "" {
			t.Errorf("%s: refused, want allowed: echo 'é 日本 🙂'\n%s%s", agent, out, errs)
		}
	}
}

// The policy's lock_file is trusted like allowed_signers and revoked_keys
// (the gate compares the configuration's providers with it): the hook
// protected neither it nor a write through the agent's file tools.
func TestHook7LockFileProtected(t *testing.T) {
	w := newHookWorld(t)
	pol, err := os.ReadFile(w.policy)
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(filepath.Dir(w.policy), "reviewed.lock.hcl")
	if err := os.WriteFile(lock, []byte("# reviewed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := "lock_file = \"reviewed.lock.hcl\"\n" + string(pol)
	if err := os.WriteFile(w.policy, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	// The policy loads with it (else every call is refused and the test
	// proves nothing).
	if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, "echo hi"), nil); code != 0 || out != "" {
		t.Fatalf("echo hi refused with lock_file set:\n%s%s", out, errs)
	}
	r4Denied(t, w, r4AllAgents,
		"echo x > ../reviewed.lock.hcl",
		"rm ../reviewed.lock.hcl",
		"mv x.hcl ../reviewed.lock.hcl",
		"mv ../reviewed.lock.hcl x",
		"cp .terraform.lock.hcl "+lock,
		"sed -i 's/h1:/x/' ../reviewed.lock.hcl",
		"sed -i 's/h1:/x/' ../reviewed.lock.hc?",
		"tee ../reviewed.lock.hcl < x",
		"truncate -s0 "+lock,
	)
	code, out, _ := w.hook(t, "claude", `{"cwd":"`+w.dir+`","tool_name":"Write","tool_input":{"file_path":"`+lock+`","content":""}}`, nil)
	if code == 0 && strings.TrimSpace(out) == "" {
		t.Errorf("claude Write of %s: allowed, want denied", lock)
	}
	// The configuration's own lock file stays writable (terraform init).
	for _, cmd := range []string{"terraform init -input=false", "cp ../reviewed.lock.hcl .terraform.lock.hcl"} {
		if code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("refused, want allowed: %s\n%s%s", cmd, out, errs)
		}
	}
}

// history -w and -a without a file write $HISTFILE: the hook judged the
// line's own assignments only, and trusted the HISTFILE the shell
// inherits (here from the hook's environment, as the agent's shell has
// it). bash -c 'history -s x; history -w' writes $HISTFILE.
func TestHook7InheritedHistfile(t *testing.T) {
	w := newHookWorld(t)
	for _, agent := range r4AllAgents {
		for _, cmd := range []string{"history -w", "history -a"} {
			code, out, _ := w.hook(t, agent, shellEvent(agent, w.dir, cmd), map[string]string{"HISTFILE": w.policy})
			if code == 0 && strings.TrimSpace(out) == "" {
				t.Errorf("%s, HISTFILE=%s: allowed, want denied: %s", agent, w.policy, cmd)
			}
			code, out, _ = w.hook(t, agent, shellEvent(agent, w.dir, cmd), map[string]string{"HISTFILE": "../planguard.hcl"})
			if code == 0 && strings.TrimSpace(out) == "" {
				t.Errorf("%s, HISTFILE=../planguard.hcl: allowed, want denied: %s", agent, cmd)
			}
			if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, cmd), map[string]string{"HISTFILE": filepath.Join(w.home, ".bash_history")}); code != 0 || out != "" {
				t.Errorf("%s: refused, want allowed: %s\n%s%s", agent, cmd, out, errs)
			}
		}
	}
	// What bash does with an inherited HISTFILE.
	hist := filepath.Join(t.TempDir(), "h")
	bashRun(t, w.dir, "history -s marker-line; history -w", "HISTFILE="+hist)
	if b, _ := os.ReadFile(hist); !strings.Contains(string(b), "marker-line") {
		t.Errorf("bash did not write the inherited HISTFILE: %q", b)
	}
}

// Globs that cannot expand to another option stay allowed through the
// hook; one that may is refused.
func TestHook7HarmlessGlobs(t *testing.T) {
	w := newHookWorld(t)
	for _, agent := range r4AllAgents {
		for _, cmd := range []string{"terraform fmt *.tf", "terraform plan -var-file=*.tfvars", "terraform fmt -check -diff *.tf"} {
			if code, out, errs := w.hook(t, agent, shellEvent(agent, w.dir, cmd), nil); code != 0 || out != "" {
				t.Errorf("%s: refused, want allowed: %s\n%s%s", agent, cmd, out, errs)
			}
		}
	}
	r4Denied(t, w, r4AllAgents, "terraform init *", "terraform init -*", "terraform fmt *")
}

// Wrappers: an option their table does not list is refused; sudo -e
// writes the files it names; git --attr-source takes a value; find with a
// computed action.
func TestHook7WrapperOptions(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"sudo --bogus terraform plan",
		"timeout --bogus 5 terraform plan",
		"sudo -e ../planguard.hcl",
		"git --attr-source HEAD -c alias.x='!terraform destroy -auto-approve' x",
		"X=$(echo -exec); find . -maxdepth 0 $X terraform destroy -auto-approve \\;",
		"fd --exec=terraform destroy",
	)
	// What bash and find do with the computed action.
	if ran := bashRun(t, w.dir, "X=$(echo -exec); find . -maxdepth 0 $X terraform destroy -auto-approve \\;"); !strings.Contains(ran, "destroy -auto-approve") {
		t.Errorf("find did not run terraform destroy: %q", ran)
	}
}
