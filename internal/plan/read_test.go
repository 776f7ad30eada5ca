package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/planfile/planfiletest"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func writeFile(t *testing.T, dir, name string, data []byte, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, perm); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fakeZip is a hand-built saved plan: its records read, but only a fake
// terraform shows it.
func fakeZip(t *testing.T) []byte { return planfiletest.Minimal(t) }

func TestReadJSON(t *testing.T) {
	data := readFixture(t, "terraform/delete.json")
	dir := t.TempDir()
	padded := append([]byte(" \n\t\r\n"), data...)
	path := writeFile(t, dir, "plan.json", padded, 0o644)
	p, err := Read(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.SHA256 != sha(padded) {
		t.Errorf("SHA256 = %s, want hash of the whole file", p.SHA256)
	}
	if len(p.Changes) != 2 || p.Changes[0].Kind != KindDelete {
		t.Errorf("Changes = %+v", p.Changes)
	}
}

func TestReadStdin(t *testing.T) {
	data := readFixture(t, "tofu/for_each_shrink.json")
	var logs bytes.Buffer
	p, err := Read("-", Options{Stdin: bytes.NewReader(data), Logger: hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Debug})})
	if err != nil {
		t.Fatal(err)
	}
	if p.SHA256 != sha(data) || len(p.Changes) != 3 {
		t.Errorf("plan = %+v", p)
	}
	if !strings.Contains(logs.String(), "standard input") {
		t.Errorf("no debug log: %q", logs.String())
	}
	_, err = Read("-", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "read plan -: ") {
		t.Errorf("Read - without stdin: %v", err)
	}
	_, err = Read("-", Options{Stdin: strings.NewReader(`{"format_version":"9.0"}`)})
	if !errors.Is(err, ErrUnsupportedFormat) || !strings.HasPrefix(err.Error(), "read plan -: ") {
		t.Errorf("Read - bad JSON: %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		err  error
		msg  string
	}{
		{"missing file", filepath.Join(dir, "nope.json"), fs.ErrNotExist, "no such file"},
		{"directory", dir, ErrNotAPlan, "is a directory"},
		{"empty file", writeFile(t, dir, "empty", nil, 0o644), ErrNotAPlan, "empty"},
		{"white space only", writeFile(t, dir, "blank", []byte(" \n "), 0o644), ErrNotAPlan, "empty"},
		{"text file", writeFile(t, dir, "plan.txt", []byte("Terraform will perform the following actions:\n"), 0o644), ErrNotAPlan, "neither plan JSON"},
		{"JSON list", writeFile(t, dir, "list.json", []byte(`[{"format_version":"1.2"}]`), 0o644), ErrNotAPlan, "neither plan JSON"},
		{"short binary", writeFile(t, dir, "pk", []byte("PK"), 0o644), ErrNotAPlan, "neither plan JSON"},
		{"UTF-8 BOM", writeFile(t, dir, "bom.json", append([]byte("\xef\xbb\xbf"), readFixture(t, "terraform/delete.json")...), 0o644), ErrNotAPlan, "neither plan JSON"},
		{"truncated JSON file", writeFile(t, dir, "trunc.json", readFixture(t, "terraform/delete.json")[:100], 0o644), ErrMalformed, "truncated"},
		{"errored JSON file", writeFile(t, dir, "errored.json", readFixture(t, "terraform/errored.json"), 0o644), ErrErrored, "errored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(tt.path, Options{})
			if err == nil {
				t.Fatalf("no error, plan %+v", p)
			}
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want %v containing %q", err, tt.err, tt.msg)
			}
			if prefix := "read plan " + tt.path + ": "; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

// fakeTerraform writes a shell script standing in for terraform.
func fakeTerraform(t *testing.T, dir, script string) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	return writeFile(t, dir, "fake-terraform", []byte("#!/bin/sh\n"+script), 0o755)
}

func TestReadSavedWithFakeTerraform(t *testing.T) {
	dir := t.TempDir()
	fixture := filepath.Join(mustAbs(t, "testdata"), "terraform", "delete.json")
	saved := fakeZip(t)
	planPath := writeFile(t, dir, "plan.tfplan", saved, 0o644)
	workDir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	bin := fakeTerraform(t, dir, `printf '%s\n' "$PWD" "$@" > '`+argsFile+`'
cat '`+fixture+`'
`)

	check := func(t *testing.T, p *Plan, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if p.SHA256 != sha(saved) {
			t.Errorf("SHA256 = %s, want the hash of the binary plan %s", p.SHA256, sha(saved))
		}
		if p.Saved == nil || p.Saved.Backend.Type != "local" || p.Saved.Mode != planfile.ModeNormal || len(p.Saved.Locks) != 1 {
			t.Errorf("Saved = %+v", p.Saved)
		}
		if len(p.Changes) != 2 || p.Changes[0].Kind != KindDelete {
			t.Errorf("Changes = %+v", p.Changes)
		}
		args, err := os.ReadFile(argsFile)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(args)), "\n")
		if len(lines) != 5 || lines[0] != workDir || lines[1] != "show" || lines[2] != "-json" || lines[3] != "-no-color" || !filepath.IsAbs(lines[4]) {
			t.Errorf("terraform ran as %q", lines)
		}
	}

	t.Run("TerraformBin", func(t *testing.T) {
		p, err := Read(planPath, Options{TerraformBin: bin, Dir: workDir, Getenv: func(string) string { return "/nonexistent" }})
		check(t, p, err)
	})
	t.Run("PLANGUARD_TERRAFORM", func(t *testing.T) {
		getenv := func(k string) string {
			if k == "PLANGUARD_TERRAFORM" {
				return bin
			}
			return ""
		}
		p, err := Read(planPath, Options{Getenv: getenv, Dir: workDir})
		check(t, p, err)
	})
	t.Run("PATH", func(t *testing.T) {
		binDir := t.TempDir()
		if err := os.Symlink(bin, filepath.Join(binDir, "terraform")); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
		p, err := Read(planPath, Options{Getenv: func(string) string { return "" }, Dir: workDir})
		check(t, p, err)
	})
}

func TestReadSavedFailures(t *testing.T) {
	dir := t.TempDir()
	planPath := writeFile(t, dir, "plan.tfplan", fakeZip(t), 0o644)
	tests := []struct {
		name   string
		script string
		err    error
		msg    []string
	}{
		{"exit status", "echo 'Error: Failed to read the given file as a state or plan file' >&2\nexit 3\n",
			ErrShow, []string{"exit status 3", "Failed to read the given file"}},
		{"exit status after partial output", "echo '{\"format_version\":\"1.2\",'\necho boom >&2\nexit 1\n",
			ErrShow, []string{"exit status 1", "boom"}},
		{"no error output", "exit 2\n", ErrShow, []string{"exit status 2", "(no error output)"}},
		{"garbage output", "echo 'this is not json'\n", ErrMalformed, []string{"output of"}},
		{"empty output", "exit 0\n", ErrNotAPlan, []string{"empty input"}},
		{"errored plan output", "cat '" + filepath.Join(mustAbs(t, "testdata"), "tofu", "errored.json") + "'\n", ErrErrored, []string{"errored"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := fakeTerraform(t, t.TempDir(), tt.script)
			p, err := Read(planPath, Options{TerraformBin: bin})
			if err == nil {
				t.Fatalf("no error, plan %+v", p)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %q does not wrap %v", err, tt.err)
			}
			for _, m := range append(tt.msg, "read plan "+planPath+": ") {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not contain %q", err, m)
				}
			}
		})
	}
	t.Run("missing binary", func(t *testing.T) {
		_, err := Read(planPath, Options{TerraformBin: filepath.Join(dir, "no-such-terraform")})
		if !errors.Is(err, ErrShow) || !strings.Contains(err.Error(), "PLANGUARD_TERRAFORM") {
			t.Errorf("error %v", err)
		}
	})
}

// TestReadSavedArchive: a saved plan's own records are read before any
// tool runs on it: a refresh-only plan, or an archive that is not a saved
// plan, is refused without running terraform.
func TestReadSavedArchive(t *testing.T) {
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	bin := fakeTerraform(t, dir, "touch '"+ran+"'\nexit 1\n")
	for _, tt := range []struct {
		name string
		data []byte
		err  error
		msg  string
	}{
		{"refresh-only", planfiletest.SavedPlan(t, planfiletest.Record(planfiletest.LocalBackend(t, "terraform.tfstate", "default"), 2)), ErrRefreshOnly, "-refresh-only"},
		{"not a zip", []byte("PK\x03\x04 not really a saved plan"), ErrNotAPlan, "not a saved plan"},
		{"no tfplan", planfiletest.Archive(t, planfiletest.Entry{Name: ".terraform.lock.hcl"}), ErrNotAPlan, "no tfplan"},
		{"foreign entry", planfiletest.Archive(t, planfiletest.Entry{Name: "tfplan"}, planfiletest.Entry{Name: "evil"}), planfile.ErrMalformed, `entry "evil"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "plan.tfplan", tt.data, 0o644)
			p, err := Read(path, Options{TerraformBin: bin})
			if err == nil || !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Read = %+v, %v; want %v with %q", p, err, tt.err, tt.msg)
			}
			if _, err := os.Stat(ran); err == nil {
				t.Errorf("terraform ran")
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// runTool runs a terraform command hermetically in dir.
func runTool(t *testing.T, dir, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = toolEnv(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, out)
	}
}

func toolEnv(t *testing.T) []string {
	cfg := writeFile(t, t.TempDir(), "empty.tfrc", nil, 0o644)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return append(env, "TF_CLI_CONFIG_FILE="+cfg, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
}

// TestReadSavedPlan makes a real saved plan with terraform and tofu and
// reads it, so that Read runs `show -json` itself.
func TestReadSavedPlan(t *testing.T) {
	for _, tool := range []struct{ name, env string }{{"terraform", "TERRAFORM_BIN"}, {"tofu", "TOFU_BIN"}} {
		t.Run(tool.name, func(t *testing.T) {
			bin := testbin.Tool(t, tool.env, tool.name)
			dir := t.TempDir()
			writeFile(t, dir, "main.tf", []byte(`
resource "terraform_data" "db" {
  input = "prod-db"
}
resource "terraform_data" "keep" {
  input = "keep"
}
`), 0o644)
			runTool(t, dir, bin, "init", "-input=false", "-no-color")
			runTool(t, dir, bin, "apply", "-auto-approve", "-input=false", "-no-color")
			writeFile(t, dir, "main.tf", []byte(`
resource "terraform_data" "keep" {
  input = "keep-2"
}
`), 0o644)
			runTool(t, dir, bin, "plan", "-input=false", "-no-color", "-out=saved.tfplan")
			planPath := filepath.Join(dir, "saved.tfplan")
			raw, err := os.ReadFile(planPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw, []byte(zipMagic)) {
				t.Fatalf("saved plan does not start with %q", zipMagic)
			}

			// The gate's environment is hermetic too.
			for _, kv := range toolEnv(t) {
				if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE" {
					t.Setenv(k, v)
				}
			}
			p, err := Read(planPath, Options{TerraformBin: bin, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if p.SHA256 != sha(raw) {
				t.Errorf("SHA256 = %s, want the hash of the binary plan %s", p.SHA256, sha(raw))
			}
			checkChanges(t, p.Changes, []want{
				{address: "terraform_data.db", kind: KindDelete, actions: delAct, reason: "delete_because_no_resource_config"},
				{address: "terraform_data.keep", kind: KindUpdate, actions: update, changed: []string{"input", "output"}},
			})
			if p.Saved == nil || p.Saved.Mode != planfile.ModeNormal || p.Saved.Backend.Type != "local" || p.Saved.Backend.Workspace != "default" {
				t.Errorf("Saved = %+v", p.Saved)
			}

			// A refresh-only plan is refused, saying why.
			runTool(t, dir, bin, "plan", "-refresh-only", "-input=false", "-no-color", "-out=refresh.tfplan")
			if p, err := Read(filepath.Join(dir, "refresh.tfplan"), Options{TerraformBin: bin, Dir: dir}); !errors.Is(err, ErrRefreshOnly) || !strings.Contains(err.Error(), "refresh-only") {
				t.Errorf("refresh-only plan: %+v, %v", p, err)
			}

		})
	}
}
