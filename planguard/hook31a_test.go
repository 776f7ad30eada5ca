package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Review hook30 F4 through the hook command: a directory removed or
// overwritten whole is judged by the Terraform state files it holds now
// (stateUnder), a copy's destination by whether it is a directory now.
func TestHook31aStateInDirectories(t *testing.T) {
	w := newHookWorld(t)
	for p, body := range map[string]string{
		"envs/prod/terraform.tfstate": "{}", "envs/dev/x.tfstate.backup": "{}", "build/a.o": "o",
		".terraform/terraform.tfstate": "{}", "node_modules/m/terraform.tfstate": "{}", "../evil/terraform.tfstate": "{}",
	} {
		full := filepath.Join(w.dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(body), 0o600)
	}
	for _, cmd := range []string{
		"rm -rf envs/prod", "rm -rf envs", "rm -r envs/dev", "mv envs /tmp/", "cp -r ../evil/. envs/prod",
		"tar -xf ../evil.tar -C envs/prod", "cp ../evil/terraform.tfstate envs/prod", "find . -name '*.tfstate' -delete",
		"rm *.tfstat?",
	} {
		w.denied(t, w.dir, cmd)
	}
	w.allowed(t, "rm -rf build", "rm -rf .terraform", "rm -rf node_modules", "cp ../evil/terraform.tfstate /tmp/x.json",
		"find . -name '*.o' -delete")
}

func TestHook31aStateUnder(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/b/c/terraform.tfstate", ".terraform/terraform.tfstate", "node_modules/x/y.tfstate", "f"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, nil, 0o600)
	}
	if got := stateUnder(filepath.Join(dir, "a")); got != filepath.Join(dir, "a/b/c/terraform.tfstate") {
		t.Errorf("stateUnder(a) = %q", got)
	}
	for _, p := range []string{".terraform", "node_modules", "f", "missing"} {
		if got := stateUnder(filepath.Join(dir, p)); got != "" {
			t.Errorf("stateUnder(%s) = %q, want none", p, got)
		}
	}
}
