package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mkdir makes dir with exactly mode (no umask).
func mkdir(t *testing.T, dir string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
	return dir
}

// otherUID is a uid neither the test's nor root's.
const otherUID = 54321

func chownOther(t *testing.T, p string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a file to another uid")
	}
	if err := os.Lchown(p, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
}

func wantRefused(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want an error naming %v", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name %q", err, p)
		}
	}
}

func TestTrustedPath(t *testing.T) {
	root := t.TempDir()
	own := mkdir(t, filepath.Join(root, "own"), 0o755)
	f := filepath.Join(own, "policy.hcl")
	write(t, f, "x")
	if err := trustedPath(f, "the policy", trustedPathOptions{}); err != nil {
		t.Fatalf("a file of the runner's: %v", err)
	}
	// A directory anyone can write, on the way or as the path.
	shared := mkdir(t, filepath.Join(root, "shared"), 0o777)
	g := filepath.Join(shared, "policy.hcl")
	write(t, g, "x")
	wantRefused(t, trustedPath(g, "the policy", trustedPathOptions{}), shared, "0777", "chmod go-w")
	wantRefused(t, trustedPath(shared, "plugin_cache_dir", trustedPathOptions{tree: true}), shared)
	// Group-writable file.
	gw := filepath.Join(own, "gw")
	write(t, gw, "x")
	if err := os.Chmod(gw, 0o664); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, trustedPath(gw, "the policy", trustedPathOptions{}), gw, "0664")
	// A sticky directory: fine on the way to an entry of the runner's,
	// not as the path itself, nor above an entry of someone else's.
	sticky := mkdir(t, filepath.Join(root, "tmp"), 0o777|os.ModeSticky)
	below := mkdir(t, filepath.Join(sticky, "runner-cache"), 0o755)
	if err := trustedPath(below, "plugin_cache_dir", trustedPathOptions{tree: true}); err != nil {
		t.Fatalf("a directory of the runner's in a sticky one: %v", err)
	}
	wantRefused(t, trustedPath(sticky, "plugin_cache_dir", trustedPathOptions{tree: true}), sticky, "sticky")
	wantRefused(t, trustedPath(filepath.Join(sticky, "missing"), "x", trustedPathOptions{missingOK: true}), sticky)
	if err := trustedPath(filepath.Join(below, "missing", "deeper"), "x", trustedPathOptions{missingOK: true}); err != nil {
		t.Fatalf("missing below a directory of the runner's: %v", err)
	}
	if err := trustedPath(filepath.Join(below, "missing"), "x", trustedPathOptions{}); err == nil {
		t.Fatal("a missing path accepted without missingOK")
	}
	// Someone else's entry, on the way or below (tree).
	theirs := mkdir(t, filepath.Join(sticky, "theirs"), 0o755)
	chownOther(t, theirs)
	wantRefused(t, trustedPath(theirs, "plugin_cache_dir", trustedPathOptions{tree: true}), theirs, "uid 54321")
	planted := mkdir(t, filepath.Join(below, "registry.terraform.io", "x"), 0o755)
	chownOther(t, planted)
	wantRefused(t, trustedPath(below, "plugin_cache_dir", trustedPathOptions{tree: true}), planted, "uid 54321")
	if err := trustedPath(below, "plugin_cache_dir", trustedPathOptions{}); err != nil {
		t.Fatalf("without tree the entries below are not checked: %v", err)
	}
	// A symbolic link: to a trusted target fine, to an untrusted one
	// refused, as the path or inside a tree.
	link := filepath.Join(own, "link")
	if err := os.Symlink(g, link); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, trustedPath(link, "the policy", trustedPathOptions{}), shared)
	good := filepath.Join(own, "good")
	if err := os.Symlink(f, good); err != nil {
		t.Fatal(err)
	}
	if err := trustedPath(good, "the policy", trustedPathOptions{}); err != nil {
		t.Fatalf("a link to a trusted file: %v", err)
	}
	cache := mkdir(t, filepath.Join(own, "cache"), 0o755)
	if err := os.Symlink(shared, filepath.Join(cache, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, trustedPath(cache, "plugin_cache_dir", trustedPathOptions{tree: true}), shared)
	// A link in a sticky directory, made by someone else.
	theirLink := filepath.Join(sticky, "their-link")
	if err := os.Symlink(f, theirLink); err != nil {
		t.Fatal(err)
	}
	chownOther(t, theirLink)
	wantRefused(t, trustedPath(theirLink, "the policy", trustedPathOptions{}), theirLink)
	// A dangling link to where others can create the target (found
	// bypassing the first version: the link's target went unchecked).
	dangling := filepath.Join(own, "dangling")
	if err := os.Symlink(filepath.Join(shared, "later", "plugins"), dangling); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, trustedPath(filepath.Join(dangling, "x"), "x", trustedPathOptions{missingOK: true}), shared)
	rel := filepath.Join(own, "rel")
	if err := os.Symlink("../shared/../own/../shared", rel); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, trustedPath(rel, "x", trustedPathOptions{tree: true}), shared)
	// The env file: no reading by group or others either.
	env := filepath.Join(own, "runner.env")
	write(t, env, "K=v")
	if err := os.Chmod(env, 0o640); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, CheckEnvFile(env), env, "0640", "chmod 0600")
	if err := os.Chmod(env, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckEnvFile(env); err != nil {
		t.Fatal(err)
	}
}

func TestCheckCLIConfig(t *testing.T) {
	root := t.TempDir()
	home := mkdir(t, filepath.Join(root, "home"), 0o700)
	data := mkdir(t, filepath.Join(root, "share"), 0o755)
	own := mkdir(t, filepath.Join(root, "etc"), 0o755)
	cache := mkdir(t, filepath.Join(home, "cache"), 0o755)
	mirror := mkdir(t, filepath.Join(root, "mirror"), 0o755)
	shared := mkdir(t, filepath.Join(root, "shared"), 0o777|os.ModeSticky)
	cli := filepath.Join(own, "cli.tfrc")
	env := map[string]string{"HOME": home, "XDG_DATA_DIRS": data, "TF_CLI_CONFIG_FILE": cli}
	getenv := func(k string) string { return env[k] }
	check := func(src string) error {
		t.Helper()
		write(t, cli, src)
		return CheckCLIConfig(getenv)
	}
	ok := "plugin_cache_dir = \"$HOME/cache\"\ndisable_checkpoint = true\ncredentials \"app.terraform.io\" {\n  token = \"x\"\n}\nprovider_installation {\n  filesystem_mirror {\n    path    = \"" + mirror + "\"\n    include = [\"example.com/*/*\"]\n  }\n  direct {\n    exclude = [\"example.com/*/*\"]\n  }\n}\n"
	if err := check(ok); err != nil {
		t.Fatalf("a configuration of the runner's: %v", err)
	}
	if err := check("{\"plugin_cache_dir\": \"" + cache + "\", \"provider_installation\": {\"filesystem_mirror\": [{\"path\": \"" + mirror + "\"}]}}"); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if err := check(""); err != nil {
		t.Fatalf("empty: %v", err)
	}
	for name, c := range map[string]struct {
		src  string
		want []string
	}{
		"shared cache":           {"plugin_cache_dir = \"" + shared + "\"\n", []string{shared, "plugin_cache_dir", cli}},
		"shared mirror":          {"provider_installation {\n  filesystem_mirror {\n    path = \"" + shared + "\"\n  }\n}\n", []string{shared, "filesystem_mirror"}},
		"shared mirror, JSON":    {"{\"provider_installation\": {\"filesystem_mirror\": {\"path\": \"" + shared + "\"}}}", []string{shared}},
		"shared mirror, one key": {"provider_installation filesystem_mirror {\n  path = \"" + shared + "\"\n}\n", []string{shared}},
		"dev_overrides":          {"provider_installation {\n  dev_overrides {\n    \"example.com/a/b\" = \"" + mirror + "\"\n  }\n  direct {}\n}\n", []string{"dev_overrides", cli}},
		"dev_overrides, JSON":    {"{\"provider_installation\": {\"dev_overrides\": {\"example.com/a/b\": \"" + mirror + "\"}}}", []string{"dev_overrides"}},
		"credentials_helper":     {"credentials_helper \"x\" {\n  args = []\n}\n", []string{"credentials_helper"}},
		"legacy providers":       {"providers {\n  aws = \"/tmp/x\"\n}\n", []string{"\"providers\""}},
		"relative cache":         {"plugin_cache_dir = \"cache\"\n", []string{"absolute"}},
		"mirror with $":          {"provider_installation {\n  filesystem_mirror {\n    path = \"$HOME/m\"\n  }\n}\n", []string{"'$'"}},
		"mirror without path":    {"provider_installation {\n  filesystem_mirror {}\n}\n", []string{"without a path"}},
		"unknown method":         {"provider_installation {\n  oci_mirror {\n    repository_template = \"x\"\n  }\n}\n", []string{"oci_mirror"}},
		"cache not a string":     {"plugin_cache_dir = 1\n", []string{"not a string"}},
		"does not parse":         {"plugin_cache_dir = {\n", []string{"does not parse"}},
	} {
		t.Run(name, func(t *testing.T) {
			wantRefused(t, check(c.src), c.want...)
		})
	}
	write(t, cli, ok)
	env["TF_PLUGIN_CACHE_DIR"] = cache
	wantRefused(t, CheckCLIConfig(getenv), "TF_PLUGIN_CACHE_DIR")
	delete(env, "TF_PLUGIN_CACHE_DIR")
	// The CLI configuration itself, writable by others.
	if err := os.Chmod(cli, 0o666); err != nil {
		t.Fatal(err)
	}
	wantRefused(t, CheckCLIConfig(getenv), cli, "0666")
	if err := os.Chmod(cli, 0o600); err != nil {
		t.Fatal(err)
	}
	// The directories Terraform searches on its own.
	plugins := mkdir(t, filepath.Join(data, "terraform", "plugins"), 0o777)
	wantRefused(t, CheckCLIConfig(getenv), plugins)
	if err := os.Chmod(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := CheckCLIConfig(getenv); err != nil {
		t.Fatal(err)
	}
	planted := mkdir(t, filepath.Join(home, ".terraform.d", "plugins", "example.com"), 0o755)
	chownOther(t, planted)
	wantRefused(t, CheckCLIConfig(getenv), planted)
}

// TestTrustedPathSpecialCases: /dev/null as the env file (the
// credentials are in the runner's environment).
func TestTrustedPathSpecialCases(t *testing.T) {
	if err := CheckEnvFile(os.DevNull); err != nil {
		t.Errorf("/dev/null: %v", err)
	}
	if err := trustedPath(os.DevNull, "the policy", trustedPathOptions{}); err == nil {
		t.Error("/dev/null (mode 0666) accepted as a policy")
	}
}

// TestShowWithoutCredentials: `runner show` renders a plan with ShowEnv,
// the runner's environment without the env file's values.
func TestShowWithoutCredentials(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "terraform")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nenv\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(dir, "cli.tfrc")
	write(t, cli, "")
	base := []string{"PATH=/usr/bin:/bin", "HOME=" + dir}
	env, err := ChildEnv(base, []string{"AWS_SECRET_ACCESS_KEY=s3cr3t-value"}, cli)
	if err != nil {
		t.Fatal(err)
	}
	showEnv, err := ChildEnv(base, nil, cli)
	if err != nil {
		t.Fatal(err)
	}
	tf := &ExecTerraform{Bin: bin, Env: env, ShowEnv: showEnv}
	var show, plan strings.Builder
	if err := tf.Show(t.Context(), dir, "plan.tfplan", &show); err != nil {
		t.Fatal(err)
	}
	if err := tf.Plan(t.Context(), dir, "plan.tfplan", &plan); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(show.String(), "s3cr3t-value") || !strings.Contains(show.String(), "TF_CLI_CONFIG_FILE="+cli) {
		t.Errorf("show's environment:\n%s", show.String())
	}
	if !strings.Contains(plan.String(), "s3cr3t-value") {
		t.Errorf("plan's environment lacks the credential:\n%s", plan.String())
	}
}
