package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"

	"gopkg.in/yaml.v3"
)

// goEnv returns what a child go needs to build with this machine's caches
// (module cache, build cache, toolchains) under another HOME.
func goEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOFLAGS", "GOTOOLCHAIN", "GOPROXY").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	v := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOFLAGS=" + v[2], "GOTOOLCHAIN=" + v[3], "GOPROXY=" + v[4]}
}

// homeEnv is the environment of a newcomer's shell with HOME at home: no
// CLI configuration (an empty file), nothing of this machine's but PATH
// and the Go caches.
func homeEnv(t *testing.T, home string) []string {
	t.Helper()
	empty := filepath.Join(home, "empty.tfrc")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return append(goEnv(t), "HOME="+home, "PATH="+os.Getenv("PATH"), "TF_CLI_CONFIG_FILE="+empty,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1")
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestInstallProvider: make install-provider puts the provider where
// terraform init and tofu init find it with no CLI configuration, and a
// lock file made with providers lock -fs-mirror satisfies
// init -lockfile=readonly from a filesystem_mirror (the CI form).
func TestInstallProvider(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	tofu := testbin.Tool(t, "PLANGUARD_TOFU", "tofu")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := homeEnv(t, home)
	out := runIn(t, root, env, "make", "--no-print-directory", "install-provider")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(home, ".terraform.d", "plugins", host, "planguard", "planguard", "0.0.1", platform, "terraform-provider-planguard_v0.0.1")
		if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
			t.Fatalf("make install-provider did not install %s: %v\n%s", bin, err, out)
		}
	}
	config := `terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}

provider "planguard" {
  scope = "prod"
}
`
	for _, bin := range []string{tf, tofu} {
		t.Run(filepath.Base(bin), func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600)
			out := runIn(t, dir, env, bin, "init", "-input=false", "-no-color")
			if !strings.Contains(out, "planguard/planguard v0.0.1") {
				t.Errorf("init did not install planguard/planguard 0.0.1:\n%s", out)
			}
			// The provider runs: validate starts it for its schema.
			runIn(t, dir, env, bin, "validate", "-no-color")
		})
	}
	// CI: a mirror directory, a lock file made from it, init -lockfile=readonly.
	mirror := filepath.Join(home, ".terraform.d", "plugins")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600)
	runIn(t, dir, env, tf, "providers", "lock", "-fs-mirror="+mirror, "-platform="+platform, "-no-color")
	rc := filepath.Join(home, "ci.tfrc")
	os.WriteFile(rc, []byte(`provider_installation {
  filesystem_mirror {
    path    = "`+mirror+`"
    include = ["registry.terraform.io/planguard/*"]
  }
  direct {
    exclude = ["registry.terraform.io/planguard/*"]
  }
}
`), 0o600)
	ci := append(env[:len(env):len(env)], "TF_CLI_CONFIG_FILE="+rc)
	runIn(t, dir, ci, tf, "init", "-lockfile=readonly", "-input=false", "-no-color")
	// A lock file of another build is refused: readonly means it.
	lock := filepath.Join(dir, ".terraform.lock.hcl")
	b, _ := os.ReadFile(lock)
	os.WriteFile(lock, []byte(strings.Replace(string(b), `"h1:`, `"h1:AAAA`, 1)), 0o600)
	os.RemoveAll(filepath.Join(dir, ".terraform"))
	cmd := exec.Command(tf, "init", "-lockfile=readonly", "-input=false", "-no-color")
	cmd.Dir, cmd.Env = dir, ci
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("init -lockfile=readonly accepted a lock file of another build:\n%s", out)
	}
}

// TestReleaseConfig keeps .goreleaser.yml to what the docs promise: both
// binaries archived, one checksum file signed with GPG and cosign, the
// CLI's image from the Dockerfile with planguard as its entrypoint.
func TestReleaseConfig(t *testing.T) {
	b, err := os.ReadFile("../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Builds []struct {
			ID      string   `yaml:"id"`
			Main    string   `yaml:"main"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			IDs []string `yaml:"ids"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
		Signs []struct {
			ID        string `yaml:"id"`
			Artifacts string `yaml:"artifacts"`
		} `yaml:"signs"`
		Dockers []struct {
			IDs        []string `yaml:"ids"`
			Dockerfile string   `yaml:"dockerfile"`
		} `yaml:"dockers"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	builds := map[string]string{}
	for _, bd := range cfg.Builds {
		builds[bd.ID] = strings.Join(bd.Ldflags, " ")
	}
	if !strings.Contains(builds["provider"], "-X main.version=") || !strings.Contains(builds["planguard"], "-X main.commit=") || !strings.Contains(builds["planguard"], "-X main.date=") {
		t.Errorf("builds: %v", builds)
	}
	archived := map[string]bool{}
	for _, a := range cfg.Archives {
		for _, id := range a.IDs {
			archived[id] = true
		}
	}
	if !archived["provider"] || !archived["planguard"] || !strings.Contains(cfg.Checksum.NameTemplate, "SHA256SUMS") {
		t.Errorf("archives %v, checksum %q", archived, cfg.Checksum.NameTemplate)
	}
	signs := map[string]string{}
	for _, s := range cfg.Signs {
		signs[s.ID] = s.Artifacts
	}
	if signs["gpg"] != "checksum" || signs["cosign"] != "checksum" {
		t.Errorf("signs: %v", signs)
	}
	if len(cfg.Dockers) == 0 {
		t.Fatal("no container image")
	}
	for _, d := range cfg.Dockers {
		if d.Dockerfile != "Dockerfile" || len(d.IDs) != 1 || d.IDs[0] != "planguard" {
			t.Errorf("docker: %+v", d)
		}
	}
	df, err := os.ReadFile("../Dockerfile")
	if err != nil || !strings.Contains(string(df), `ENTRYPOINT ["/usr/local/bin/planguard"]`) || !strings.Contains(string(df), "ARG BIN=planguard") {
		t.Errorf("Dockerfile: %v\n%s", err, df)
	}
}
