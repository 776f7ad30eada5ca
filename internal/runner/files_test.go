package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestFilesLoadedDifferentlyAreRefused: a file Terraform or OpenTofu loads
// but the runner's checks or the gate would read differently is refused
// by the client (not left behind) and by the runner (a modified client).
func TestFilesLoadedDifferentlyAreRefused(t *testing.T) {
	for name, c := range map[string]struct{ file, want string }{
		"tofu":      {"main.tofu", "OpenTofu-only"},
		"tofu.json": {"modules/m/x.tofu.json", "OpenTofu-only"},
		"hash name": {"#x.tf", "starts with '#'"},
		"hash json": {"modules/m/#x.tf.json", "starts with '#'"},
	} {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "main.tf"), appResource)
		write(t, filepath.Join(dir, filepath.FromSlash(c.file)), "output \"x\" {\n  value = 1\n}\n")
		if _, err := Collect(dir, DefaultLimits); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Collect: %v", name, err)
		}
		files := []File{{Path: "main.tf", Data: []byte(appResource)}, {Path: c.file, Data: []byte("output \"x\" {\n  value = 1\n}\n")}}
		if err := Materialize(t.TempDir(), files, DefaultLimits); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Materialize: %v", name, err)
		}
	}
	// Names Terraform skips stay skipped, not refused.
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), appResource)
	write(t, filepath.Join(dir, "main.tf~"), "x")
	write(t, filepath.Join(dir, ".#main.tf"), "x")
	if files, err := Collect(dir, DefaultLimits); err != nil || len(files) != 1 {
		t.Errorf("editor files: %v %v", files, err)
	}
}

// TestRunnerRefusesHashNamedFile: real Terraform loads "#x.tf" (its output
// shows in a plan), and the runner refuses it before init.
func TestRunnerRefusesHashNamedFile(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	hashFile := "output \"from_hash_file\" {\n  value = \"loaded\"\n}\n"
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), appResource)
	write(t, filepath.Join(dir, "#x.tf"), hashFile)
	cli := filepath.Join(t.TempDir(), "empty.tfrc")
	write(t, cli, "")
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "TF_CLI_CONFIG_FILE=" + cli, "CHECKPOINT_DISABLE=1"}
	for _, args := range [][]string{{"init", "-input=false", "-no-color"}, {"plan", "-input=false", "-no-color"}} {
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
		if args[0] == "plan" && !strings.Contains(string(out), "from_hash_file") {
			t.Fatalf("terraform did not load #x.tf:\n%s", out)
		}
	}

	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource, "#x.tf": hashFile})
	if res.Exit != ExitError || !strings.Contains(res.Error, "#x.tf") || strings.Contains(out, "Initializing") {
		t.Fatalf("exit %d %q\n%s", res.Exit, res.Error, out)
	}
	if _, err := os.Stat(pinned); err == nil {
		t.Fatal("a state was written")
	}
}
