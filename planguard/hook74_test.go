package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Reviews hook74 H1 and hook76 H1–H2 through the hook command: terraform
// init is refused in a directory that holds a local state and whose
// configuration, parsed as Terraform parses it, declares a backend or
// cloud block (a comment or an escape in the block does not hide it); it
// is allowed without a local state, without such a block, and with
// -backend=false.
func TestHook74InitMigrates(t *testing.T) {
	state := `{"version":4,"terraform_version":"1.8.5","serial":1,"lineage":"x","outputs":{},"resources":[{"mode":"managed","type":"terraform_data","name":"db","provider":"provider[\"terraform.io/builtin/terraform\"]","instances":[]}]}`
	configs := map[string]string{
		"backend.tf":      "terraform {\n  backend \"local\" {\n    path = \"./terraform.tfstate\"\n  }\n}\n",
		"comment.tf":      "terraform {\n  backend \"local\" /* c */ {\n    path = \"./terraform.tfstate\"\n  }\n}\n",
		"escape.tf":       "terraform {\n  backend \"loc\\u0061l\" {}\n}\n",
		"backend.tf.json": `{"terraform":{"backend":{"\u006cocal":{"path":"./terraform.tfstate"}}}}`,
		"http.tf":         "terraform {\n  backend \"http\" {\n    address = \"http://127.0.0.1:18080/terraform.tfstate\"\n  }\n}\n",
		"cloud.tofu":      "terraform {\n  cloud {\n    organization = \"x\"\n  }\n}\n",
		"broken.tf":       "terraform {\n  backend \"local\" {\n",
	}
	for name, body := range configs {
		w := newHookWorld(t)
		os.WriteFile(filepath.Join(w.dir, name), []byte(body), 0o644)
		os.WriteFile(filepath.Join(w.dir, "terraform.tfstate"), []byte(state), 0o644)
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil)
		if code == 0 && out == "" {
			t.Errorf("%s: init allowed, want denied", name)
		} else if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "backend") {
			t.Errorf("%s: reason %q does not name the backend", name, r)
		}
		if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -backend=false"), nil); code != 0 || out != "" {
			t.Errorf("%s: init -backend=false denied: %s", name, out)
		}
	}
	// No local state: a remote backend's project inits.
	w := newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("terraform {\n  backend \"s3\" {}\n}\n"), 0o644)
	if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil); code != 0 || out != "" {
		t.Errorf("init with an s3 backend and no local state denied: %s", out)
	}
	// A local state and no backend block: nothing to migrate.
	w = newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte("resource \"terraform_data\" \"db\" {}\n"), 0o644)
	os.WriteFile(filepath.Join(w.dir, "terraform.tfstate"), []byte(state), 0o644)
	if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil); code != 0 || out != "" {
		t.Errorf("init without a backend block denied: %s", out)
	}
}
