package runner

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestFileFunctionCalls(t *testing.T) {
	for _, c := range []struct {
		name, file, src string
		want            string // "" = none found
	}{
		{"plain", "main.tf", `resource "terraform_data" "x" { input = upper("a") }`, ""},
		{"file", "main.tf", `output "x" { value = file("/proc/self/environ") }`, "file"},
		{"nested in base64", "main.tf", `output "x" { value = base64encode(filebase64("/etc/shadow")) }`, "filebase64"},
		{"core namespace", "main.tf", `output "x" { value = core::file("/x") }`, "core::file"},
		{"in a template", "main.tf", "output \"x\" { value = \"a ${fileset(\"/\", \"*\")} b\" }", "fileset"},
		{"in a heredoc", "main.tf", "locals {\n  x = <<EOT\n${templatefile(\"/x\", {})}\nEOT\n}\n", "templatefile"},
		{"templatestring", "main.tf", `output "x" { value = templatestring(local.t, {}) }`, "templatestring"},
		{"in a module", "mod/m.tf", `locals { x = fileexists("/root/.ssh/id_ed25519") }`, "fileexists"},
		{"json", "main.tf.json", `{"output": {"x": {"value": "${file(\"/proc/self/environ\")}"}}}`, "file"},
		{"json escaped", "main.tf.json", `{"output": {"x": {"value": "${\u0066ile(\"/x\")}"}}}`, "file"},
		{"json clean", "main.tf.json", `{"output": {"x": {"value": "${upper(\"profile(\")}"}}}`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, c.file), c.src)
			got, err := FileFunctionCalls(dir)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" {
				if len(got) != 0 {
					t.Errorf("found %v", got)
				}
				return
			}
			if len(got) != 1 || !strings.HasSuffix(got[0], ": "+c.want) {
				t.Errorf("found %v, want %s", got, c.want)
			}
		})
	}
}
