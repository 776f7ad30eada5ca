package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook74 H1 through the hook command: terraform init is refused in
// a directory whose configuration declares a "local" backend (HCL, with or
// without quotes, or JSON), and allowed elsewhere and with -backend=false.
func TestHook74InitLocalBackend(t *testing.T) {
	for name, body := range map[string]string{
		"backend.tf":      "terraform {\n  backend \"local\" {\n    path = \"./terraform.tfstate\"\n  }\n}\n",
		"b.tf":            "terraform {\n  backend local {}\n}\n",
		"backend.tf.json": `{"terraform": {"backend": {"local": {"path": "./terraform.tfstate"}}}}`,
	} {
		w := newHookWorld(t)
		if err := os.WriteFile(filepath.Join(w.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil)
		if code == 0 && out == "" {
			t.Errorf("%s: init allowed, want denied", name)
		} else if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "local") {
			t.Errorf("%s: reason %q does not name the local backend", name, r)
		}
		if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -backend=false"), nil); code != 0 || out != "" {
			t.Errorf("%s: init -backend=false denied: %s", name, out)
		}
	}
	w := newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("terraform {\n  backend \"s3\" {}\n}\n"), 0o644)
	if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil); code != 0 || out != "" {
		t.Errorf("init with an s3 backend denied: %s", out)
	}
}
