package tfexec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

func TestCheckEnv(t *testing.T) {
	home := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := write("clean.tfrc", "provider_installation {\n  filesystem_mirror {\n    path = \"/m\"\n  }\n}\n")
	dev := write("dev.tfrc", "provider_installation {\n  dev_overrides {\n    \"a/b\" = \"/x\"\n  }\n  direct {}\n}\n")
	devJSON := write("dev.json", `{"provider_installation":[{"dev_overrides":{"a/b":"/x"}}]}`)
	broken := write("broken.tfrc", "provider_installation {\n")
	for _, tt := range []struct {
		name   string
		env    []string
		pinned bool
		want   string
	}{
		{"clean", []string{"TF_CLI_CONFIG_FILE=" + clean}, true, ""},
		{"reattach", []string{"TF_REATTACH_PROVIDERS={}"}, false, "TF_REATTACH_PROVIDERS"},
		{"dev_overrides", []string{"TF_CLI_CONFIG_FILE=" + dev}, true, "dev_overrides"},
		{"dev_overrides unpinned", []string{"TF_CLI_CONFIG_FILE=" + dev}, false, ""},
		{"dev_overrides json", []string{"TERRAFORM_CONFIG=" + devJSON}, true, "dev_overrides"},
		{"unparsable", []string{"TF_CLI_CONFIG_FILE=" + broken}, true, "does not parse"},
		{"missing file", []string{"TF_CLI_CONFIG_FILE=" + filepath.Join(home, "none")}, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckEnv(Lookup(append(tt.env, "HOME="+t.TempDir())), tt.pinned)
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckEnv = %v, want %q", err, tt.want)
			}
		})
	}
	// ~/.terraformrc and ~/.terraform.d/*.tfrc are read without TF_CLI_CONFIG_FILE.
	h2 := t.TempDir()
	if err := os.MkdirAll(filepath.Join(h2, ".terraform.d"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dev)
	if err := os.WriteFile(filepath.Join(h2, ".terraform.d", "x.tfrc"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckEnv(Lookup([]string{"HOME=" + h2}), true); err == nil || !strings.Contains(err.Error(), "dev_overrides") {
		t.Errorf("~/.terraform.d/x.tfrc: %v", err)
	}
}

func TestLocalStateArgs(t *testing.T) {
	for _, tt := range []struct {
		b    planfile.Backend
		want []string
	}{
		{planfile.Backend{Type: "local", Config: `{"path":null,"workspace_dir":null}`, Workspace: "default"}, []string{"-state=/wd/terraform.tfstate"}},
		{planfile.Backend{Type: "local", Config: `{"path":"s/p.tfstate","workspace_dir":null}`, Workspace: "default"}, []string{"-state=/wd/s/p.tfstate"}},
		{planfile.Backend{Type: "local", Config: `{"path":"/abs/p.tfstate","workspace_dir":null}`, Workspace: "default"}, nil},
		{planfile.Backend{Type: "local", Config: `{"path":"/abs/p.tfstate","workspace_dir":null}`, Workspace: "dev"}, []string{"-state=/wd/terraform.tfstate.d/dev/terraform.tfstate"}},
		{planfile.Backend{Type: "local", Config: `{"path":null,"workspace_dir":"/ws"}`, Workspace: "dev"}, nil},
		{planfile.Backend{Type: "s3", Config: `{"key":"k"}`, Workspace: "default"}, nil},
	} {
		got, err := LocalStateArgs(tt.b, "/wd")
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: %v, %v; want %v", tt.b, got, err, tt.want)
		}
	}
	// LocalStatePath is the file those flags name (the one the gate reads
	// as the pinned state): an empty path is the default, and "" for wd
	// leaves a relative path relative (to the current directory).
	for _, tt := range []struct {
		b        planfile.Backend
		wd, want string
	}{
		{planfile.Backend{Type: "local", Config: `{"path":null,"workspace_dir":null}`, Workspace: "default"}, "/wd", "/wd/terraform.tfstate"},
		{planfile.Backend{Type: "local", Config: `{"path":"","workspace_dir":null}`, Workspace: "default"}, "/wd", "/wd/terraform.tfstate"},
		{planfile.Backend{Type: "local", Config: `{"path":"s/p.tfstate"}`, Workspace: "default"}, "", "s/p.tfstate"},
		{planfile.Backend{Type: "local", Config: `{"path":"/abs/p.tfstate"}`, Workspace: "default"}, "/wd", "/abs/p.tfstate"},
		{planfile.Backend{Type: "s3", Config: `{"key":"k"}`, Workspace: "default"}, "/wd", ""},
	} {
		got, err := LocalStatePath(tt.b, tt.wd)
		if err != nil || got != tt.want {
			t.Errorf("LocalStatePath(%+v, %q) = %q, %v; want %q", tt.b, tt.wd, got, err, tt.want)
		}
	}
	if _, err := LocalStatePath(planfile.Backend{Type: "local", Config: `{"path":1}`, Workspace: "default"}, "/wd"); err == nil {
		t.Error("a path that is not a string: no error")
	}
}

func TestRoomEnv(t *testing.T) {
	env := RoomEnv([]string{"A=1", "TF_DATA_DIR=/x", "TF_CLI_ARGS=-x", "TF_CLI_ARGS_init=-plugin-dir=/p", "TF_CLI_ARGS_show=-y", "TF_CLI_ARGS_apply=-no-color"})
	if !reflect.DeepEqual(env, []string{"A=1", "TF_CLI_ARGS_apply=-no-color"}) {
		t.Errorf("RoomEnv = %q", env)
	}
}

func TestDevOverridden(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rc")
	if err := os.WriteFile(p, []byte("provider_installation {\n  dev_overrides {\n    \"example.com/a/b\" = \"/x\"\n    \"c/d\" = \"/y\"\n  }\n  direct {}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := DevOverridden(Lookup([]string{"TF_CLI_CONFIG_FILE=" + p, "HOME=" + t.TempDir()}))
	if err != nil || !reflect.DeepEqual(got, []string{"example.com/a/b", "c/d"}) {
		t.Errorf("DevOverridden = %q, %v", got, err)
	}
}
