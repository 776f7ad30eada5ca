package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Review hook148 (on 9c3516e), H1: the hooks directory core.hooksPath
// names (.githooks, husky's .husky/_ and the scripts its hooks run in
// .husky) was writable; git ran a pre-commit written there at the next
// commit, which removed the state.
func TestHook148ConfiguredHooksPath(t *testing.T) {
	gitBin := gitBin()
	if gitBin == "" {
		t.Skip("no git where the hook looks for it")
	}
	w := newHookWorld(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command(gitBin, append([]string{"-C", w.dir}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+w.home, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("config", "core.hooksPath", ".githooks")
	os.MkdirAll(filepath.Join(w.dir, ".githooks"), 0o755)
	os.MkdirAll(filepath.Join(w.dir, ".husky", "_"), 0o755)
	denied := func(agent, ev string) bool {
		t.Helper()
		code, out, _ := w.hook(t, agent, ev, nil)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	write := func(rel string) map[string]string {
		p := filepath.Join(w.dir, rel)
		cw, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
			"tool_input": map[string]any{"file_path": p, "content": "#!/bin/sh\nrm -f terraform.tfstate\n"}})
		args, _ := json.Marshal(map[string]any{"path": p, "file_text": "x\n"})
		pc, _ := json.Marshal(map[string]any{"timestamp": 1, "cwd": w.dir, "toolName": "create", "toolArgs": string(args)})
		return map[string]string{"claude": string(cw), "copilot": string(pc)}
	}
	for _, cmd := range []string{
		`printf '#!/bin/sh\nrm -f terraform.tfstate\n' > .githooks/pre-commit && git commit --allow-empty -qm x`,
		"echo 'rm -f terraform.tfstate' >> .githooks/pre-commit",
		"cp evil .githooks/pre-commit",
		"sed -i 's/^/rm -f terraform.tfstate;/' .githooks/pre-commit",
		"rm -rf .githooks",
	} {
		if !denied("claude", shellEvent("claude", w.dir, cmd)) {
			t.Errorf("allowed, want denied: %s", cmd)
		}
	}
	for agent, ev := range write(".githooks/pre-commit") {
		if !denied(agent, ev) {
			t.Errorf("%s write of .githooks/pre-commit: allowed, want denied", agent)
		}
	}
	for _, cmd := range []string{"cat .githooks/pre-commit", "ls .githooks", "echo x > .husky/pre-commit", "git status"} {
		if denied("claude", shellEvent("claude", w.dir, cmd)) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
	// husky: hooksPath .husky/_, whose hooks run the scripts in .husky.
	git("config", "core.hooksPath", ".husky/_")
	for _, cmd := range []string{"echo 'rm -f terraform.tfstate' > .husky/pre-commit", "echo x > .husky/_/h"} {
		if !denied("claude", shellEvent("claude", w.dir, cmd)) {
			t.Errorf("husky: allowed, want denied: %s", cmd)
		}
	}
	for agent, ev := range write(".husky/pre-commit") {
		if !denied(agent, ev) {
			t.Errorf("husky: %s write of .husky/pre-commit: allowed, want denied", agent)
		}
	}
	// The hole is real: git runs a pre-commit from the configured path.
	git("config", "core.hooksPath", ".githooks")
	hook := filepath.Join(w.dir, ".githooks", "pre-commit")
	marker := filepath.Join(w.dir, "ran")
	os.WriteFile(hook, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755)
	git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "--allow-empty", "-qm", "x")
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("git did not run %s: the test does not show what the rule guards", hook)
	}
}

// Review hook148 H2: a local state named otherwise than *.tfstate (the
// backend's path = "state/prod.json") was not protected: rm removed it.
func TestHook148LocalBackendPath(t *testing.T) {
	w := newHookWorld(t)
	denied := func(cwd, cmd string, envv map[string]string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", cwd, cmd), envv)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	state := []string{"rm state/prod.json", "rm -rf state", "> state/prod.json", "truncate -s0 state/prod.json",
		"cp /dev/null state/prod.json", "mv x state/prod.json.backup"}
	reads := []string{"cat state/prod.json", "ls state", "grep serial state/prod.json"}
	check := func(name, cwd string, envv map[string]string) {
		t.Helper()
		for _, cmd := range state {
			if !denied(cwd, cmd, envv) {
				t.Errorf("%s: allowed, want denied: %s", name, cmd)
			}
		}
		for _, cmd := range reads {
			if denied(cwd, cmd, envv) {
				t.Errorf("%s: denied, want allowed: %s", name, cmd)
			}
		}
	}
	mk := func(dir string) {
		os.MkdirAll(filepath.Join(dir, "state"), 0o755)
		os.WriteFile(filepath.Join(dir, "state", "prod.json"), []byte(`{"version":4}`), 0o600)
	}
	// Named by the configuration (HCL and JSON), also from the directory
	// above (the agent starts at the project's top).
	hclDir := filepath.Join(w.dir, "envs", "prod")
	mk(hclDir)
	os.WriteFile(filepath.Join(hclDir, "main.tf"), []byte("terraform {\n  backend \"local\" {\n    path = \"state/prod.json\"\n  }\n}\n"), 0o600)
	check("hcl", hclDir, nil)
	if !denied(w.dir, "rm envs/prod/state/prod.json", nil) || !denied(w.dir, "rm -rf envs/prod/state", nil) {
		t.Error("hcl from the project's top: allowed, want denied")
	}
	jsonDir := filepath.Join(w.dir, "json")
	mk(jsonDir)
	os.WriteFile(filepath.Join(jsonDir, "main.tf.json"), []byte(`{"terraform":{"backend":{"local":{"path":"state/prod.json"}}}}`), 0o600)
	check("json", jsonDir, nil)
	// Recorded by terraform init in .terraform (the configuration
	// names it no more), or in the data directory TF_DATA_DIR names.
	rec := `{"version":3,"backend":{"type":"local","config":{"path":"state/prod.json","workspace_dir":null}}}`
	recDir := filepath.Join(w.dir, "rec")
	mk(recDir)
	os.MkdirAll(filepath.Join(recDir, ".terraform"), 0o755)
	os.WriteFile(filepath.Join(recDir, ".terraform", "terraform.tfstate"), []byte(rec), 0o600)
	check("recorded", recDir, nil)
	dataDir := filepath.Join(w.dir, "data")
	mk(dataDir)
	os.MkdirAll(filepath.Join(dataDir, "tfdata"), 0o755)
	os.WriteFile(filepath.Join(dataDir, "tfdata", "terraform.tfstate"), []byte(rec), 0o600)
	check("TF_DATA_DIR", dataDir, map[string]string{"TF_DATA_DIR": "tfdata"})
	// Another backend's path setting is no local state.
	other := filepath.Join(w.dir, "other")
	mk(other)
	os.WriteFile(filepath.Join(other, "main.tf"), []byte("terraform {\n  backend \"s3\" {\n    key = \"state/prod.json\"\n  }\n}\n"), 0o600)
	if denied(other, "rm state/prod.json", nil) {
		t.Error("s3 backend: rm state/prod.json denied, want allowed (no local state there)")
	}
}

// The record terraform init really writes names the path the hook reads.
func TestHook148RecordedByTerraform(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	w := newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("terraform {\n  backend \"local\" {\n    path = \"state/prod.json\"\n  }\n}\nresource \"terraform_data\" \"prod_db\" {\n  input = \"db\"\n}\n"), 0o600)
	for _, args := range [][]string{{"init", "-input=false"}, {"apply", "-input=false", "-auto-approve"}} {
		cmd := exec.Command(tf, args...)
		cmd.Dir = w.dir
		cmd.Env = append(os.Environ(), "HOME="+w.home, "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+filepath.Join(w.dir, "nonexistent.tfrc"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(w.dir, "state", "prod.json")); err != nil {
		t.Fatalf("terraform wrote no state/prod.json: %v", err)
	}
	if got := recordedLocalPath(filepath.Join(w.dir, ".terraform", "terraform.tfstate")); got != "state/prod.json" {
		t.Fatalf("recorded path %q, want state/prod.json", got)
	}
	// With the configuration renamed, the record still protects it.
	os.Rename(filepath.Join(w.dir, "main.tf"), filepath.Join(w.dir, "main.tf.off"))
	code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "rm state/prod.json"), nil)
	if code == 0 && strings.TrimSpace(out) == "" {
		t.Error("rm state/prod.json allowed, want denied")
	}
}

// Review hook148 M1: the file tools writing a descriptor of the agent's own
// process (/proc/self/fd/N, /dev/fd/N, /dev/stdout), which may be open on
// any file, are refused as the shell's writes there are.
func TestHook148FileToolDescriptors(t *testing.T) {
	w := newHookWorld(t)
	for _, p := range []string{"/proc/self/fd/3", "/dev/fd/3", "/dev/stdout", "/dev/stderr", "/proc/1/root/etc/x", "/dev/../proc/self/fd/1"} {
		ev, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
			"tool_input": map[string]any{"file_path": p, "content": "x\n"}})
		code, out, _ := w.hook(t, "claude", string(ev), nil)
		if code == 0 && strings.TrimSpace(out) == "" {
			t.Errorf("Write %s: allowed, want denied", p)
		}
	}
	ev, _ := json.Marshal(map[string]any{"cwd": w.dir, "hook_event_name": "PreToolUse", "tool_name": "Write",
		"tool_input": map[string]any{"file_path": filepath.Join(w.dir, "notes.md"), "content": "x\n"}})
	if code, out, _ := w.hook(t, "claude", string(ev), nil); code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("Write notes.md: denied, want allowed: %s", out)
	}
}

// Review hook150 (on 94f0071), the day's new protections attacked: the
// hooks directory behind a symbolic link (H1), named by the user's git
// configuration (H2) or by a repository below the event's directory (H3);
// a renamed state hidden by padding the search (H4), behind a link (H5),
// in a linked configuration directory (H6), or once nothing names it: a
// state is known by its content too.
func TestHook150HooksAndStates(t *testing.T) {
	gitBin := gitBin()
	if gitBin == "" {
		t.Skip("no git where the hook looks for it")
	}
	w := newHookWorld(t)
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(gitBin, append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+w.home, "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	denied := func(cwd, cmd string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", cwd, cmd), map[string]string{"GIT_CONFIG_NOSYSTEM": "1"})
		return code != 0 || strings.TrimSpace(out) != ""
	}
	// H1: .githooks -> tools/hooks.
	git(w.dir, "init", "-q")
	os.MkdirAll(filepath.Join(w.dir, "tools", "hooks"), 0o755)
	os.Symlink("tools/hooks", filepath.Join(w.dir, ".githooks"))
	git(w.dir, "config", "core.hooksPath", ".githooks")
	for _, cmd := range []string{"echo x > tools/hooks/pre-commit", "echo x > .githooks/pre-commit"} {
		if !denied(w.dir, cmd) {
			t.Errorf("H1: allowed, want denied: %s", cmd)
		}
	}
	// H2: a global hooks path outside the home directory's hidden files.
	global := filepath.Join(t.TempDir(), "global-hooks")
	os.MkdirAll(global, 0o755)
	os.WriteFile(filepath.Join(w.home, ".gitconfig"), []byte("[core]\n\thooksPath = "+global+"\n"), 0o600)
	if !denied(w.dir, "echo x > "+filepath.Join(global, "pre-commit")) {
		t.Error("H2: a write into the global hooks path: allowed, want denied")
	}
	os.Remove(filepath.Join(w.home, ".gitconfig"))
	// H3: a repository below the event's directory.
	sub := filepath.Join(w.dir, "svc")
	os.MkdirAll(filepath.Join(sub, ".hooks"), 0o755)
	git(sub, "init", "-q")
	git(sub, "config", "core.hooksPath", ".hooks")
	if !denied(w.dir, "echo x > svc/.hooks/pre-commit") {
		t.Error("H3: a nested repository's hooks path: allowed, want denied")
	}
	// H4: padding the tree does not hide the event directory's own
	// configuration; H5: the state behind a link; content: once nothing
	// names it, the state is still a state.
	proj := filepath.Join(w.dir, "envs")
	data := filepath.Join(w.dir, "data")
	os.MkdirAll(proj, 0o755)
	os.MkdirAll(data, 0o755)
	os.WriteFile(filepath.Join(proj, "main.tf"), []byte("terraform {\n  backend \"local\" {\n    path = \"state/prod.json\"\n  }\n}\n"), 0o600)
	state := `{"version": 4, "terraform_version": "1.8.5", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}`
	os.WriteFile(filepath.Join(data, "prod.json"), []byte(state), 0o600)
	os.Symlink("../data", filepath.Join(proj, "state"))
	pad := filepath.Join(proj, "pad")
	os.MkdirAll(pad, 0o755)
	for i := 0; i < maxBackendSearch+10; i++ {
		os.WriteFile(filepath.Join(pad, "f"+strconv.Itoa(i)), nil, 0o600)
	}
	for _, cmd := range []string{"rm state/prod.json", "rm ../data/prod.json", ": > ../data/prod.json", "rm -r ../data", "rm ../data/*.json", "mv ../data/prod.json /tmp/"} {
		if !denied(proj, cmd) {
			t.Errorf("H4/H5: allowed, want denied: %s", cmd)
		}
	}
	os.Remove(filepath.Join(proj, "main.tf"))
	for _, cmd := range []string{"rm ../data/prod.json", "rm ../data/*.json", "rm -rf ../data"} {
		if !denied(proj, cmd) {
			t.Errorf("content: allowed, want denied: %s", cmd)
		}
	}
	for _, cmd := range []string{"cat ../data/prod.json", "rm -rf pad", "rm pad/f1"} {
		if denied(proj, cmd) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
	// The backend record init keeps in .terraform is no state.
	os.MkdirAll(filepath.Join(proj, ".terraform"), 0o755)
	os.WriteFile(filepath.Join(proj, ".terraform", "terraform.tfstate"), []byte(`{"version":3,"serial":1,"lineage":"x","backend":{"type":"local"}}`), 0o600)
	if denied(proj, "rm -rf .terraform") {
		t.Error("rm -rf .terraform: denied, want allowed")
	}
}

// Review code157 H2: the agent writes the tree the renamed-state search
// reads; many large configuration files naming a local backend must not
// make every call outlast the agent's hook time-out (50 of them took 22 s
// before the search had a budget).
func TestHook157ScanBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MiB")
	}
	w := newHookWorld(t)
	pad := strings.Repeat("# "+strings.Repeat("x", 1000)+"\n", 1000)
	for i := 0; i < 100; i++ {
		src := "terraform {\n  backend \"local\" {\n    path = \"s" + strconv.Itoa(i) + ".json\"\n  }\n}\n" + pad
		if err := os.WriteFile(filepath.Join(w.dir, "c"+strconv.Itoa(i)+".tf"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "ls"), nil)
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("one hook call took %s over 100 large configuration files", took)
	}
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("ls denied: %s", out)
	}
}
