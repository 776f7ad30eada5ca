package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// TestHostDirs: the directories no apply-time write may be allowed in
// come from the machine's environment, the CLI configuration's provider
// mirrors and cache, the room, the plan's and the policy's directories;
// a CLI configuration that does not parse is an error.
func TestHostDirs(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cli", "apply.tfrc")
	os.MkdirAll(filepath.Dir(cfg), 0o755)
	os.WriteFile(cfg, []byte("plugin_cache_dir = \"/cache/plugins\"\nprovider_installation {\n  filesystem_mirror {\n    path = \"/mirror/one\"\n  }\n  direct {}\n}\n"), 0o600)
	env := map[string]string{
		"TF_CLI_CONFIG_FILE": cfg, "HOME": "/home/u", "RUNNER_TEMP": "/w/_temp", "RUNNER_TOOL_CACHE": "/t/cache",
		"RUNNER_WORKSPACE": "/w/work/repo", "GITHUB_ENV": "/w/files/env", "PATH": "/p/bin:relative/bin",
	}
	getenv := func(k string) string { return env[k] }
	pol := &policy.Policy{Filename: "/etc/planguard/planguard.hcl", AllowedSignersPath: "/pol/trust/allowed_signers"}
	dirs, err := hostDirs(getenv, pol, PlanSource{Path: "/plans/tfplan"}, &tfexec.Room{Dir: "/tmp/room1"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range dirs {
		got[d.Path] = d.Why
	}
	for _, want := range []string{"/tmp/room1", "/plans", "/etc/planguard", "/pol/trust", "/home/u", "/home/u/.terraform.d", "/w/_temp", "/t/cache",
		"/w/work/repo", "/w/work", "/w/files", "/p/bin", filepath.Dir(cfg), "/cache/plugins", "/mirror/one"} {
		if _, ok := got[want]; !ok {
			t.Errorf("no %s among %v", want, dirs)
		}
	}
	for p := range got {
		if !strings.HasPrefix(p, "/") {
			t.Errorf("relative host dir %q", p)
		}
	}
	os.WriteFile(cfg, []byte("provider_installation {\n"), 0o600)
	if _, err := hostDirs(getenv, pol, PlanSource{}, nil); err == nil || !strings.Contains(err.Error(), "does not parse") {
		t.Errorf("an unparsable CLI configuration: %v", err)
	}
}
