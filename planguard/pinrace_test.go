package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// The pin race (r17hook4): planguard apply pinned the plan as a file in a
// private directory of the temporary directory, checked it, and gave
// terraform that file's name. A process of the same user — one the agent
// started earlier — can list the temporary directory and replace the file
// between the check and `terraform apply` (the directory is the user's
// own; 0700 keeps out other users only). This test is that process: after
// the check it rewrites every pinned copy it can reach, the files under
// TMPDIR and the memfds it finds under /proc (as /proc/PID/fd/N), with a
// plan that deletes the protected database. terraform must apply exactly
// the plan that was checked, and the line planguard prints names the plan
// file, not a descriptor.
func TestApplyPinnedCopyCannotBeReplaced(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	dir, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600)
	pol, _ := os.ReadFile("../examples/quickstart/planguard.hcl")
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, append(pol, applyPins...), 0o600)
	rc := filepath.Join(dir, "terraformrc")
	os.WriteFile(rc, nil, 0o600)
	tfEnv := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	tfRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, tfEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	db := `resource "terraform_data" "prod_db" { input = "db" }` + "\n"
	cache := `resource "terraform_data" "cache" {}` + "\n"
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(db), 0o600)
	tfRun("apply", "-input=false", "-auto-approve", "-no-color")
	// tfplan adds a cache (allowed); evil.tfplan, from the same state,
	// deletes the protected database (blocked).
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(db+cache), 0o600)
	tfRun("plan", "-input=false", "-no-color", "-out=tfplan")
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cache), 0o600)
	tfRun("plan", "-input=false", "-no-color", "-out=evil.tfplan")
	evil, err := os.ReadFile(filepath.Join(dir, "evil.tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	envv := map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_CONFIG_FILE": rc, "CHECKPOINT_DISABLE": "1"}
	t.Setenv("TF_CLI_CONFIG_FILE", rc)
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Chdir(dir)

	var replaced []string
	memfds := 0
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return envv[k] },
		isTerminal: func(io.Writer) bool { return false }, afterCheck: func() {
			files, _ := filepath.Glob(filepath.Join(tmp, "planguard-pin-*", "*"))
			for _, f := range files {
				os.Chmod(f, 0o600)
				if os.WriteFile(f, evil, 0o600) == nil {
					replaced = append(replaced, f)
				}
			}
			fds, _ := os.ReadDir("/proc/self/fd")
			for _, fd := range fds {
				p := "/proc/self/fd/" + fd.Name()
				target, _ := os.Readlink(p)
				if !strings.HasPrefix(target, "/memfd:planguard-pin") {
					continue
				}
				memfds++
				if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
					if _, err := f.WriteAt(evil, 0); err == nil {
						replaced = append(replaced, p+" ("+target+")")
					}
					f.Close()
				}
			}
		}}
	code := run(e, []string{"apply", "--policy", policyPath, "tfplan", "--", "-no-color"})
	t.Logf("planguard apply: exit %d\n%s\n%s", code, out.String(), errb.String())
	state := tfRun("state", "list")
	if !strings.Contains(state, "terraform_data.prod_db") {
		t.Fatalf("the protected database is gone: terraform applied the plan swapped in after the check (replaced %v)\n%s", replaced, state)
	}
	if len(replaced) > 0 {
		t.Errorf("the pinned copy could be rewritten after the check: %v", replaced)
	}
	if code != exitAllow || !strings.Contains(out.String(), "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.") || !strings.Contains(state, "terraform_data.cache") {
		t.Errorf("the checked plan was not applied: exit %d\n%s", code, state)
	}
	if runtime.GOOS == "linux" && memfds == 0 {
		t.Error("no sealed memfd held the pinned plan")
	}
	for _, line := range strings.Split(errb.String(), "\n") {
		if strings.HasPrefix(line, "planguard: running ") && (!strings.Contains(line, " -- tfplan ") || strings.Contains(line, "/fd/")) {
			t.Errorf("the running line should name the plan file: %s", line)
		}
	}
	if !strings.Contains(errb.String(), "planguard: running ") {
		t.Error("no running line")
	}
}
