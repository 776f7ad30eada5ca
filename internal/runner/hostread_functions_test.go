package runner

import (
	"path/filepath"
	"testing"
)

// TestFileFunctionCallsBypasses: the filesystem functions are refused by
// name, wherever their path points (/proc/self/environ, the env file,
// "..", a symlink), so what matters is that no spelling Terraform accepts
// escapes the scan: the namespace spelled with spaces, a comment and line
// breaks, in native and JSON syntax (the first four Terraform 1.8.5 and
// 1.11 plan, reading the file), and the places an expression is evaluated
// at plan time (a variable's default and validation, a dynamic block, a
// for expression, an import id, an override file, a check assertion).
func TestFileFunctionCallsBypasses(t *testing.T) {
	for _, c := range []struct {
		name, file, src string
	}{
		{"namespace with spaces", "main.tf", `output "a" { value = core :: file("/proc/self/environ") }`},
		{"namespace with a comment", "main.tf", `output "a" { value = core::/* c */file("/proc/self/environ") }`},
		{"namespace over lines in a heredoc directive", "main.tf", "output \"c\" {\n  value = <<EOT\n%{ for x in [1] }${ core\n  ::\n  filebase64(\"/proc/self/environ\") }%{ endfor }\nEOT\n}\n"},
		{"JSON namespace over lines", "main.tf.json", `{"output":{"d":{"value":"${core::\n file(\"/proc/self/environ\")}"}}}`},
		{"JSON comment before the parenthesis", "main.tf.json", `{"locals":{"x":"${file /* c */ (\"/proc/self/environ\")}"}}`},
		{"relative path out of the upload", "main.tf", `locals { x = file("${path.module}/../../runner/runner.env") }`},
		{"variable default", "main.tf", "variable \"v\" {\n  default = filesha256(\"/proc/self/environ\")\n}\n"},
		{"variable validation", "main.tf", "variable \"v\" {\n  default = \"x\"\n  validation {\n    condition     = fileexists(\"/proc/self/environ\")\n    error_message = \"x\"\n  }\n}\n"},
		{"dynamic block content", "main.tf", "resource \"terraform_data\" \"r\" {\n  dynamic \"x\" {\n    for_each = [1]\n    content {\n      y = filemd5(\"/proc/self/environ\")\n    }\n  }\n}\n"},
		{"for expression", "main.tf", `locals { x = [for p in ["/proc/self/environ"] : filebase64sha512(p)] }`},
		{"import id", "main.tf", "import {\n  to = terraform_data.x\n  id = file(\"/proc/self/environ\")\n}\n"},
		{"override file", "x_override.tf", `locals { x = file("/proc/self/environ") }`},
		{"check assertion", "main.tf", "check \"c\" {\n  assert {\n    condition     = false\n    error_message = file(\"/proc/self/environ\")\n  }\n}\n"},
		{"JSON key", "main.tf.json", `{"locals":{"x":{"${file(\"/proc/self/environ\")}":1}}}`},
		{"JSON string that does not parse", "main.tf.json", `{"locals":{"x":"${file(\"/proc/self/environ\") +}"}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, c.file), c.src)
			got, err := FileFunctionCalls(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Errorf("no filesystem function call found in %s", c.src)
			}
		})
	}
}
