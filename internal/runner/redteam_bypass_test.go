package runner

import (
	"path/filepath"
	"testing"
)

// Found by an independent attacker's review (r-redteam). In a .tf.json
// file Terraform reads strings as templates, and HCL expressions allow
// comments (and line breaks) between a function's name and its
// parenthesis. `${base64encode(file/**/("/proc/self/environ"))}` passed the
// file-function check; sent to a real runner (terraform 1.11.4), the plan
// printed the runner's environment, base64-encoded past the redaction,
// with the env file's AWS_SECRET_ACCESS_KEY in it.
func TestRedteamFileFunctionInJSONTemplateWithComment(t *testing.T) {
	for name, src := range map[string]string{
		"block comment":      `{"output": {"x": {"value": "${base64encode(file/**/(\"/proc/self/environ\"))}"}}}`,
		"block comment 2":    `{"output": {"x": {"value": "${filebase64 /* x */ (\"/proc/self/environ\")}"}}}`,
		"line comment":       "{\"output\": {\"x\": {\"value\": \"${file // x\\n(\\\"/proc/self/environ\\\")}\"}}}",
		"hash comment":       "{\"output\": {\"x\": {\"value\": \"${file # x\\n(\\\"/proc/self/environ\\\")}\"}}}",
		"core namespace":     `{"output": {"x": {"value": "${core::file/**/(\"/proc/self/environ\")}"}}}`,
		"template directive": `{"output": {"x": {"value": "%{ if true }${file/**/(\"/proc/self/environ\")}%{ endif }"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "main.tf.json"), src)
			got, err := FileFunctionCalls(dir)
			if err == nil && len(got) == 0 {
				t.Errorf("no file function call found in %s", src)
			}
		})
	}
}
