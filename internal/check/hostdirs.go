package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
)

// hostDirs lists the directories of this machine in which the gate allows
// no write of the apply (gate.Input.HostDirs): where planguard, Terraform
// and the CI job keep what they run or read next. The check runs in the
// apply job for `planguard apply`, so these are the apply machine's. A
// relative path is taken from the working directory.
func hostDirs(getenv func(string) string, pol *policy.Policy, src PlanSource, room *tfexec.Room) ([]gate.HostDir, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var out []gate.HostDir
	add := func(dir, why string) {
		if dir == "" {
			return
		}
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		out = append(out, gate.HostDir{Path: filepath.ToSlash(filepath.Clean(dir)), Why: why})
	}
	if room != nil {
		add(room.Top(), "the directory planguard builds for the apply: Terraform's working directory, with the provider binaries it launches")
	}
	if wd, err := os.Getwd(); err == nil {
		add(wd, "the working directory planguard runs in")
	}
	add(src.Dir, "the directory terraform show runs in")
	if src.Path != "" && src.Path != "-" {
		add(filepath.Dir(src.Path), "the directory of the plan file")
	}
	add(filepath.Dir(pol.Filename), "the directory of the policy")
	for _, f := range []string{pol.AllowedSignersPath, pol.RevokedKeysPath, pol.LockFilePath} {
		if f != "" {
			add(filepath.Dir(f), "a directory of the policy's trust files")
		}
	}
	if exe, err := os.Executable(); err == nil {
		add(filepath.Dir(exe), "the directory of planguard itself")
	}
	if bin := tfexec.Find(src.TerraformBin, getenv); filepath.IsAbs(bin) {
		add(filepath.Dir(bin), "the directory of the terraform binary")
	}
	for _, v := range []struct{ name, why string }{
		{"HOME", "the home directory: shell, tool and cloud configuration and credentials"},
		{"RUNNER_TEMP", "the runner's temporary directory: the job's scripts, CLI configuration and downloads"},
		{"RUNNER_TOOL_CACHE", "the runner's tool cache"},
		{"RUNNER_WORKSPACE", "the runner's workspace"},
		{"GITHUB_WORKSPACE", "the job's checkout"},
		{"GITHUB_ACTION_PATH", "the running action's code"},
		{"CI_PROJECT_DIR", "the job's checkout"},
		{"CI_BUILDS_DIR", "the runner's builds directory"},
		{"XDG_CONFIG_HOME", "the user's configuration directory"},
		{"XDG_CACHE_HOME", "the user's cache directory"},
		{"TF_DATA_DIR", "Terraform's data directory"},
	} {
		add(getenv(v.name), v.why+" ($"+v.name+")")
	}
	if ws := getenv("RUNNER_WORKSPACE"); ws != "" {
		// GitHub's runner keeps the actions of the job, and their post
		// steps, in _actions beside the workspaces.
		add(filepath.Dir(ws), "the runner's work directory: the job's actions and their post steps ($RUNNER_WORKSPACE/..)")
	}
	for _, v := range []string{"GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG"} {
		if f := getenv(v); f != "" {
			add(filepath.Dir(f), "the directory of $"+v)
		}
	}
	for _, d := range filepath.SplitList(getenv("PATH")) {
		if filepath.IsAbs(d) {
			add(d, "a directory on $PATH")
		}
	}
	dirs, err := tfexec.ProviderDirs(getenv)
	if err != nil {
		return nil, fmt.Errorf("the directories Terraform installs providers from: %w; fix the CLI configuration", err)
	}
	for _, d := range dirs {
		add(d, "a directory Terraform installs or runs provider binaries from (CLI configuration, plugin cache, implied mirror)")
	}
	// Windows paths are not what the gate compares; on such a machine
	// every write is refused anyway (only "/" paths can be allowed).
	for i := range out {
		out[i].Path = strings.TrimSuffix(out[i].Path, "/")
		if out[i].Path == "" {
			out[i].Path = "/"
		}
	}
	return out, nil
}
